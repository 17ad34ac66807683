#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "parse/yaml.h"
#include "scopecop/source.h"

using namespace scopecop;
using json::Kind;

namespace {

std::string_view spanned(std::string_view text, Span s) {
  return text.substr(s.begin, s.end - s.begin);
}

}  // namespace

TEST_CASE("yaml: values keep byte spans into the text", "[yaml]") {
  std::string text =
      "\xEF\xBB\xBFStatement:\n"
      "  - Sid: \"Read \xC3\xA9\"  # a comment\n"
      "    Action: [s3:GetObject, 's3:List''*']\n"
      "    Resource: arn:aws:s3:::lake/* # trailing\n"
      "    Condition: {Bool: {aws:SecureTransport: false}}\n";
  json::Document doc = yaml::parse(text);
  REQUIRE_FALSE(doc.error);
  const json::Value& statement = doc.root.find("Statement")->items.at(0);
  CHECK(spanned(text, statement.find("Sid")->span) == "\"Read \xC3\xA9\"");
  CHECK(statement.find("Sid")->text == "Read \xC3\xA9");
  const json::Value& actions = *statement.find("Action");
  REQUIRE(actions.items.size() == 2);
  CHECK(spanned(text, actions.items[0].span) == "s3:GetObject");
  CHECK(spanned(text, actions.items[1].span) == "'s3:List''*'");
  CHECK(actions.items[1].text == "s3:List'*");
  CHECK(spanned(text, actions.span) == "[s3:GetObject, 's3:List''*']");
  CHECK(spanned(text, statement.find("Resource")->span) == "arn:aws:s3:::lake/*");
  const json::Member* key = statement.find_member("Resource");
  CHECK(spanned(text, key->key_span) == "Resource");
  const json::Value& secure = *statement.find("Condition")->find("Bool")->find("aws:SecureTransport");
  CHECK(secure.kind == Kind::Boolean);
  CHECK_FALSE(secure.boolean);
  SourceText source(text);
  CHECK(source.position(statement.find("Resource")->span.begin).line == 4);
  CHECK(source.position(statement.find("Resource")->span.begin).column == 15);
}

TEST_CASE("yaml: short-form tags become CloudFormation's long form", "[yaml]") {
  std::string text =
      "A: !Ref Bucket\n"
      "B: !Sub \"arn:aws:s3:::${Bucket}/*\"\n"
      "C: !GetAtt Bucket.Arn\n"
      "D: !Join\n  - ''\n  - [a, !Ref B]\n";
  json::Document doc = yaml::parse(text);
  REQUIRE_FALSE(doc.error);
  const json::Value& a = *doc.root.find("A");
  REQUIRE(a.kind == Kind::Object);
  CHECK(a.members.at(0).key == "Ref");
  CHECK(spanned(text, a.members.at(0).key_span) == "!Ref");
  CHECK(a.members.at(0).value.text == "Bucket");
  CHECK(spanned(text, a.span) == "!Ref Bucket");
  CHECK(doc.root.find("B")->find("Fn::Sub")->text == "arn:aws:s3:::${Bucket}/*");
  CHECK(doc.root.find("C")->find("Fn::GetAtt")->text == "Bucket.Arn");
  const json::Value& join = *doc.root.find("D")->find("Fn::Join");
  REQUIRE(join.items.size() == 2);
  CHECK(join.items[1].items.at(1).find("Ref")->text == "B");
}

TEST_CASE("yaml: errors, nesting and aliases are bounded", "[yaml]") {
  json::Document broken = yaml::parse("Resources:\n  A: [1, 2\n  B: 3\n");
  REQUIRE(broken.error);
  CHECK(broken.error->offset > 0);
  std::string deep(300, '[');
  deep += std::string(300, ']');
  CHECK(yaml::parse(std::string("a: ") + deep).error);
  // Nine levels of nine aliases each: 9^9 nodes if expanded.
  std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = std::string("*a") + std::to_string(i - 1);
    laughs += fmt::format("a{}: &a{} [{}", i, i, prev);
    for (int j = 0; j < 8; ++j) laughs += std::string(", ") + prev;
    laughs += "]\n";
  }
  json::Document bomb = yaml::parse(laughs);
  REQUIRE(bomb.error);
  CHECK(bomb.error->message == "aliases expand the YAML beyond its size");
}
