#include <catch2/catch.hpp>

#include "scopecop/source.h"
#include "support/check.h"

using namespace scopecop;
using scopecop::testing::parse_one;

namespace {
Position at(std::string_view text, Span s) {
  return SourceText(std::string(text)).position(s.begin);
}
}  // namespace

TEST_CASE("normalize: single strings become lists, a single statement object is statement 0", "[normalize]") {
  std::string text = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
    "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]}})";
  Policy p = parse_one(text);
  REQUIRE(p.statements.size() == 1);
  const Statement& s = p.statements[0];
  CHECK(s.index == 0);
  CHECK(s.pointer == "/Statement");
  CHECK(s.effect == Effect::Allow);
  REQUIRE(s.action.values.size() == 1);
  CHECK(s.action.values[0].value == "s3:GetObject");
  CHECK(s.action.values[0].pointer == "/Statement/Action");
  REQUIRE(s.resource.values.size() == 2);
  CHECK(s.resource.values[1].pointer == "/Statement/Resource/1");
  CHECK_FALSE(s.not_action.present);
  CHECK(p.defects.empty());
}

TEST_CASE("normalize: elements on one line get their own columns", "[normalize][position]") {
  std::string text =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"a:B\", \"c:D\"], "
      "\"Resource\": \"*\"}]}";
  Policy p = parse_one(text);
  const Statement& s = p.statements.at(0);
  Position effect = at(text, s.effect_text->span);
  CHECK(effect.line == 1);
  CHECK(effect.column == 52);
  CHECK(at(text, s.action.values[0].span).column == 72);
  CHECK(at(text, s.action.values[1].span).column == 79);
  CHECK(at(text, s.resource.values[0].span).column == 99);
  CHECK(s.action.values[1].pointer == "/Statement/0/Action/1");
}

TEST_CASE("normalize: nested conditions keep operator, key and value positions", "[normalize][position]") {
  std::string text = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Deny", "Action": "s3:*", "Resource": "*",
    "Condition": {
      "ForAnyValue:StringNotLikeIfExists": {
        "aws:SourceVpce": ["vpce-1", "vpce-2"], "aws:SecureTransport": false
      },
      "NumericLessThan": {"s3:TlsVersion": 1.2}
    }
  }]
})";
  Policy p = parse_one(text);
  const Statement& s = p.statements.at(0);
  REQUIRE(s.condition_operators.size() == 2);
  REQUIRE(s.conditions.size() == 3);
  const Condition& c = s.conditions[0];
  CHECK(c.op.value == "ForAnyValue:StringNotLikeIfExists");
  CHECK(c.qualifier == SetQualifier::ForAnyValue);
  CHECK(c.base == "StringNotLike");
  CHECK(c.if_exists);
  CHECK(c.key.value == "aws:SourceVpce");
  CHECK(c.key.pointer == "/Statement/0/Condition/ForAnyValue:StringNotLikeIfExists/aws:SourceVpce");
  Position key = at(text, c.key.span);
  CHECK(key.line == 7);
  CHECK(key.column == 9);
  Position second = at(text, c.values[1].span);
  CHECK(second.line == 7);
  CHECK(second.column == 38);
  CHECK(s.conditions[1].values.at(0).value == "false");
  CHECK(at(text, s.conditions[1].values[0].span).column == 72);
  CHECK(s.conditions[2].base == "NumericLessThan");
  CHECK(s.conditions[2].qualifier == SetQualifier::None);
  CHECK(s.conditions[2].values.at(0).value == "1.2");
}

TEST_CASE("normalize: columns count code points after multi-byte UTF-8", "[normalize][position]") {
  // "é" (2 bytes), "€" (3 bytes) and an emoji (4 bytes) each take one column.
  std::string text =
      "{\"Id\": \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", \"Statement\": [], \"Version\": \"2012-10-17\"}";
  Policy p = parse_one(text);
  const Key* statement = p.key("Statement");
  REQUIRE(statement);
  CHECK(at(text, statement->span).column == 15);
  CHECK(at(text, p.version->span).column == 43);
}

TEST_CASE("normalize: principals and their types", "[normalize]") {
  Policy p = parse_one(R"({"Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": ["111", "222"], "Service": "glue.amazonaws.com"}, "Action": "x:Y"}]})");
  REQUIRE(p.statements.size() == 2);
  REQUIRE(p.statements[0].principal.wildcard);
  CHECK(p.statements[0].principal.wildcard->value == "*");
  const auto& entries = p.statements[1].principal.entries;
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].type.value == "AWS");
  CHECK(entries[1].value.value == "222");
  CHECK(entries[1].value.pointer == "/Statement/1/Principal/AWS/1");
  CHECK(entries[2].type.value == "Service");
}

TEST_CASE("normalize: malformed shapes become defects, never exceptions", "[normalize]") {
  struct Case {
    std::string text;
    DefectKind kind;
    std::string pointer;
  };
  auto c = GENERATE(values<Case>({
      {R"({"Statement": "oops"})", DefectKind::WrongType, "/Statement"},
      {R"({"Statement": [42]})", DefectKind::WrongType, "/Statement/0"},
      {R"({"Statement": []})", DefectKind::EmptyValue, "/Statement"},
      {R"({"Version": 2012, "Statement": []})", DefectKind::WrongType, "/Version"},
      {R"({"Statement": [{"Effect": ["Allow"]}]})", DefectKind::WrongType, "/Statement/0/Effect"},
      {R"({"Statement": [{"Action": [1]}]})", DefectKind::WrongType, "/Statement/0/Action/0"},
      {R"({"Statement": [{"Action": {}}]})", DefectKind::WrongType, "/Statement/0/Action"},
      {R"({"Statement": [{"Action": []}]})", DefectKind::EmptyValue, "/Statement/0/Action"},
      {R"({"Statement": [{"Resource": ""}]})", DefectKind::EmptyValue, "/Statement/0/Resource"},
      {R"({"Statement": [{"Sid": null}]})", DefectKind::WrongType, "/Statement/0/Sid"},
      {R"({"Statement": [{"Principal": 7}]})", DefectKind::WrongType, "/Statement/0/Principal"},
      {R"({"Statement": [{"Principal": {"AWS": {}}}]})", DefectKind::WrongType, "/Statement/0/Principal/AWS"},
      {R"({"Statement": [{"Principal": {}}]})", DefectKind::EmptyValue, "/Statement/0/Principal"},
      {R"({"Statement": [{"Condition": []}]})", DefectKind::WrongType, "/Statement/0/Condition"},
      {R"({"Statement": [{"Condition": {"Bool": true}}]})", DefectKind::WrongType,
       "/Statement/0/Condition/Bool"},
      {R"({"Statement": [{"Condition": {"Bool": {"aws:SecureTransport": {}}}}]})", DefectKind::WrongType,
       "/Statement/0/Condition/Bool/aws:SecureTransport"},
      {R"({"Statement": [{"Condition": {"Bool": {"aws:SecureTransport": [null]}}}]})", DefectKind::WrongType,
       "/Statement/0/Condition/Bool/aws:SecureTransport/0"},
      {R"({"Statement": [{"Condition": {"Bool": {}}}]})", DefectKind::EmptyValue,
       "/Statement/0/Condition/Bool"},
      {R"({"Statement": [{"Action": "a:B", "Action": "c:D"}]})", DefectKind::DuplicateKey,
       "/Statement/0/Action"},
      {R"({"Statement": [{"Condition": {"StringEquals": {"aws:UserAgent": "a", "AWS:useragent": "b"}}}]})",
       DefectKind::DuplicateKey, "/Statement/0/Condition/StringEquals/AWS:useragent"},
      {R"({"Statement": [], "Id": "a/b", "Id": "c"})", DefectKind::DuplicateKey, "/Id"},
  }));
  INFO(c.text);
  Policy p = parse_one(c.text);
  auto it =
      std::find_if(p.defects.begin(), p.defects.end(), [&](const Defect& d) { return d.kind == c.kind; });
  REQUIRE(it != p.defects.end());
  CHECK(it->pointer == c.pointer);
}

TEST_CASE("normalize: keys that differ in case are distinct outside conditions", "[normalize]") {
  Policy p = parse_one(R"({"Statement": [{"Action": "a:B", "action": "c:D"}]})");
  CHECK(std::none_of(p.defects.begin(), p.defects.end(),
                     [](const Defect& d) { return d.kind == DefectKind::DuplicateKey; }));
}

TEST_CASE("normalize: the last of repeated elements is the one used", "[normalize]") {
  Policy p = parse_one(R"({"Statement": [{"Effect": "Deny", "Effect": "Allow"}]})");
  CHECK(p.statements.at(0).effect == Effect::Allow);
}

TEST_CASE("normalize: sizes are counted in code points, with and without white space", "[normalize]") {
  Policy p = parse_one("{ \"Id\" : \"\xC3\xA9\" ,\n \"Statement\": [] }");
  CHECK(p.size_with_whitespace == 33);
  CHECK(p.size_without_whitespace == 25);
}

TEST_CASE("parse_policies: what counts as a policy document", "[normalize]") {
  CHECK(parse_policies(R"({"Statement": []})", "f").recognized);
  CHECK(parse_policies(R"({"Statment": []})", "f").recognized);  // a typo is reported, not skipped
  CHECK(parse_policies(R"({"statements": []})", "f").recognized);
  CHECK(parse_policies(R"({"Version": "2012-10-17"})", "f").recognized);  // no Statement: POLICY-004
  CHECK_FALSE(parse_policies(R"({"name": "web", "version": "1.0.0", "Id": 7})", "f").recognized);
  CHECK_FALSE(parse_policies(R"({"Version": "1.0.0"})", "f").recognized);
  CHECK_FALSE(parse_policies(R"({"name": "package", "dependencies": {}})", "f").recognized);
  CHECK_FALSE(parse_policies(R"([{"Statement": []}])", "f").recognized);
  CHECK_FALSE(parse_policies("42", "f").recognized);
  ParsedFile broken = parse_policies("{", "f");
  CHECK(broken.syntax_error);
  CHECK_FALSE(broken.recognized);
}

TEST_CASE("normalize: template placeholders and dynamic references are unknown, never findings",
          "[normalize]") {
  // A Terraform templatefile policy: its ${...} are filled in before IAM sees it.
  std::string text = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "${bucket_arn}/*"},
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "${bucket_arn}",
     "Condition": {"StringLike": {"s3:prefix": ["${prefix}/*"]}}},
    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${kms_key_arn}"},
    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "{{resolve:ssm:/lake/secret}}"}
  ]
})";
  Policy policy = testing::parse_one(text);
  REQUIRE(policy.statements.size() == 4);
  for (const Statement& s : policy.statements) {
    CHECK(s.resource.values.empty());
    CHECK(s.resource.unknown == 1);
  }
  CHECK(policy.statements[1].conditions.at(0).unknown == 1);
  for (const Finding& f : testing::check_string(text)) {
    INFO(f.code << " " << f.message);
    CHECK(f.severity != Severity::Error);
  }
  // IAM's own variables stay what they are; a global key's name without "aws:" is a mistake to report.
  Policy own = testing::parse_one(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::lake/${aws:username}/*", "arn:aws:s3:::lake/${username}/*",
    "arn:aws:s3:::lake/${*}"]}]})");
  CHECK(own.statements[0].resource.values.size() == 3);
}
