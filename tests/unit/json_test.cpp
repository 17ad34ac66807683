#include <catch2/catch.hpp>

#include "scopecop/json.h"
#include "scopecop/source.h"

using namespace scopecop;

namespace {
std::string slice(std::string_view text, Span s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}
}  // namespace

TEST_CASE("json: values keep their exact source spans", "[json]") {
  std::string text = R"({"a": [1, -2.5e3, true, null], "b": "x\"y"})";
  json::Document doc = json::parse(text);
  REQUIRE_FALSE(doc.error);
  const json::Value& root = doc.root;
  REQUIRE(root.is(json::Kind::Object));
  CHECK(slice(text, root.span) == text);
  REQUIRE(root.members.size() == 2);
  CHECK(slice(text, root.members[0].key_span) == "\"a\"");
  const json::Value& a = root.members[0].value;
  REQUIRE(a.items.size() == 4);
  CHECK(slice(text, a.span) == "[1, -2.5e3, true, null]");
  CHECK(a.items[1].text == "-2.5e3");
  CHECK(slice(text, a.items[1].span) == "-2.5e3");
  CHECK(a.items[2].boolean);
  CHECK(a.items[3].is(json::Kind::Null));
  CHECK(root.find("b")->text == "x\"y");
  CHECK(slice(text, root.find("b")->span) == R"("x\"y")");
}

TEST_CASE("json: escapes and surrogate pairs decode to UTF-8", "[json]") {
  json::Document doc = json::parse(R"(["\u00e9\n\t\/\\", "\ud83d\ude00", "é"])");
  REQUIRE_FALSE(doc.error);
  CHECK(doc.root.items[0].text == "\xC3\xA9\n\t/\\");
  CHECK(doc.root.items[1].text == "\xF0\x9F\x98\x80");
  CHECK(doc.root.items[2].text == "\xC3\xA9");
}

TEST_CASE("json: repeated keys are all kept, find() returns the last", "[json]") {
  json::Document doc = json::parse(R"({"k": 1, "k": 2})");
  REQUIRE_FALSE(doc.error);
  REQUIRE(doc.root.members.size() == 2);
  CHECK(doc.root.find("k")->text == "2");
}

TEST_CASE("json: a byte order mark is skipped", "[json]") {
  json::Document doc = json::parse("\xEF\xBB\xBF{\"a\": 1}");
  REQUIRE_FALSE(doc.error);
  CHECK(doc.root.span.begin == 3);
}

TEST_CASE("json: errors carry the offset where parsing stopped", "[json]") {
  struct Case {
    std::string text;
    std::size_t offset;
    std::string message_part;
  };
  auto c = GENERATE(values<Case>({
      {"", 0, "empty"},
      {"   ", 3, "empty"},
      {"{\"a\": 1,}", 8, "quoted key"},
      {"[1, 2,]", 6, "expected a value"},
      {"{\"a\" 1}", 5, "expected ':'"},
      {"{\"a\": tru}", 6, "expected a value"},
      {"\"abc", 0, "unterminated string"},
      {"{\"a\": \"x\ty\"}", 8, "control character"},
      {"[\"\\q\"]", 2, "invalid escape"},
      {"[\"\\ud800\"]", 2, "surrogate"},
      {"[\"\\u12G4\"]", 6, "hex digit"},
      {"[01]", 2, "expected ',' or ']'"},
      {"[1.]", 3, "expected a digit"},
      {"{} {}", 3, "after the end"},
      {"[\"\xC3\x28\"]", 2, "invalid UTF-8"},
      {"[\"\xED\xA0\x80\"]", 2, "surrogate"},
      {"[\"\xE0\x80\x80\"]", 2, "overlong"},
      {"[\"ab\xF0\x9F\x98\"]", 4, "invalid UTF-8"},
      {std::string("{\"a\": \"x\0y\"}", 12), 8, "control character"},
      {std::string("\0", 1), 0, "byte 0x00"},
      {"// comment\n{}", 0, "'/'"},
      {"{'a': 1}", 1, "quoted key"},
  }));
  json::Document doc = json::parse(c.text);
  INFO(c.text);
  REQUIRE(doc.error);
  CHECK(doc.error->offset == c.offset);
  CHECK_THAT(doc.error->message, Catch::Contains(c.message_part));
}

TEST_CASE("json: nesting is bounded instead of overflowing the stack", "[json]") {
  std::string deep(100000, '[');
  json::Document doc = json::parse(deep);
  REQUIRE(doc.error);
  CHECK_THAT(doc.error->message, Catch::Contains("nesting deeper than"));
  CHECK(doc.error->offset == json::kMaxDepth);

  std::string fine = std::string(50, '[') + std::string(50, ']');
  CHECK_FALSE(json::parse(fine).error);
}

TEST_CASE("json: pointer tokens are escaped per RFC 6901", "[json]") {
  CHECK(json::pointer_token("a/b~c") == "a~1b~0c");
  CHECK(json::pointer_token("aws:SourceIp") == "aws:SourceIp");
}

TEST_CASE("json: strings are scanned a word at a time without missing a special byte", "[json]") {
  // Each special byte at every offset of a long string, so that it falls in each lane of an eight-byte word
  // and in the byte-by-byte tail.
  for (std::size_t at = 0; at < 24; ++at) {
    std::string plain(24, 'a');
    std::string with_escape = plain;
    with_escape.replace(at, 1, "\\n");
    json::Document escaped = json::parse("[\"" + with_escape + "\", 1]");
    REQUIRE_FALSE(escaped.error);
    CHECK(escaped.root.items[0].text == plain.substr(0, at) + "\n" + plain.substr(at + 1));
    CHECK(escaped.root.items[1].text == "1");

    std::string with_control = plain;
    with_control[at] = '\x1f';
    json::Document control = json::parse("\"" + with_control + "\"");
    REQUIRE(control.error);
    CHECK(control.error->offset == at + 1);

    std::string with_utf8 = plain;
    with_utf8.replace(at, 1, "\xC3\xA9");  // é
    CHECK(json::parse("\"" + with_utf8 + "\"").root.text == with_utf8);

    std::string with_invalid = plain;
    with_invalid[at] = '\xFF';
    json::Document invalid = json::parse("\"" + with_invalid + "\"");
    REQUIRE(invalid.error);
    CHECK(invalid.error->offset == at + 1);

    // A quote ends the string where it stands: what follows it is unexpected.
    std::string with_quote = plain;
    with_quote[at] = '"';
    json::Document quoted = json::parse("[\"" + with_quote + "\"]");
    REQUIRE(quoted.error);
    CHECK(quoted.error->offset == at + 3);
  }
  // Indentation longer than a word, and shorter.
  json::Document spaced = json::parse("{\n" + std::string(19, ' ') + "\"a\":" + std::string(3, ' ') + "1}");
  REQUIRE_FALSE(spaced.error);
  CHECK(spaced.root.find("a")->text == "1");
}

namespace {

void check_same(const json::Value& a, const json::Value& b) {
  REQUIRE(a.kind == b.kind);
  CHECK(a.boolean == b.boolean);
  CHECK(a.text == b.text);
  CHECK(a.span.begin == b.span.begin);
  CHECK(a.span.end == b.span.end);
  REQUIRE(a.items.size() == b.items.size());
  for (std::size_t i = 0; i < a.items.size(); ++i) check_same(a.items[i], b.items[i]);
  REQUIRE(a.members.size() == b.members.size());
  for (std::size_t i = 0; i < a.members.size(); ++i) {
    CHECK(a.members[i].key == b.members[i].key);
    CHECK(a.members[i].key_span.begin == b.members[i].key_span.begin);
    check_same(a.members[i].value, b.members[i].value);
  }
}

// An account dump's shape, over 1 MB so that its lists are shared among threads: elements with brackets,
// commas and escaped quotes inside strings, nested lists and objects, and every kind of value.
std::string large_dump() {
  std::string roles, policies;
  for (int i = 0; i < 4000; ++i) {
    roles +=
        (i ? ",\n  " : "") + std::string(R"({"RoleName": "r)") + std::to_string(i) +
        R"(", "Path": "/a]b,c}{[\"q\\", "Tags": [], "N": -1.5e2, "Doc": {"Statement": [{"Effect": "Allow",)" +
        R"( "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*", "X": [true, false, null, [[]], {}]}]},)" +
        R"( "U": "\u00e9\ud83d\ude00 é"})";
    policies += (i ? "," : "") + std::string(R"({"PolicyName":"p)") + std::to_string(i) + R"(","V":[1,2,3]})";
  }
  return "\xEF\xBB\xBF{\"RoleDetailList\": [\n  " + roles + "\n], \"Policies\":[" + policies +
         "], \"Empty\": [], \"Short\": [1, 2], \"n\": 0}";
}

}  // namespace

TEST_CASE("json: a large file's lists parsed on several threads give what one thread gives", "[json]") {
  std::string text = large_dump();
  REQUIRE(text.size() > (std::size_t{1} << 20));
  json::Document one = json::parse(text);
  REQUIRE_FALSE(one.error);
  REQUIRE(one.root.find("RoleDetailList")->items.size() == 4000);
  for (unsigned threads : {2u, 4u}) check_same(json::parse(text, json::kMaxDepth, threads).root, one.root);

  std::string listed = "[";  // a list at the top level
  listed.append(text, 3).append(",").append(text, 3).append("]");
  check_same(json::parse(listed, json::kMaxDepth, 2).root, json::parse(listed).root);
}

TEST_CASE("json: a broken large file gives the same error on several threads as on one", "[json]") {
  const std::string text = large_dump();
  const std::size_t middle = text.find("\"r1500\"");
  struct Break {
    std::size_t at;
    std::size_t length;
    std::string with;
  };
  const std::vector<Break> breaks = {
      {text.find("},\n  {", middle), 2, "}\n  "},                // a missing comma between elements
      {text.find("},\n  {", middle), 1, "},"},                   // a trailing comma before the next element
      {text.rfind("}\n]"), 1, "},"},                             // a trailing comma at the end of the list
      {text.find("\"Allow\"", middle), 1, ""},                   // an unterminated string
      {text.find("[[]]", middle), 4, "[[}]"},                    // a mismatched bracket
      {text.find("\\\"q", middle), 2, "\\x"},                    // an invalid escape
      {text.find("\"Tags\"", middle), 0, "\"a\": \x01\"b\", "},  // a control byte outside a string
      {text.find("\"Policies\""), 0, "\"late\": [1, 2"},         // a list that never ends
      {text.size() - 1, 1, ""},                                  // the top-level object never ends
  };
  for (const Break& b : breaks) {
    REQUIRE(b.at != std::string::npos);
    std::string broken = text;
    broken.replace(b.at, b.length, b.with);
    json::Document one = json::parse(broken);
    json::Document two = json::parse(broken, json::kMaxDepth, 2);
    INFO(broken.substr(b.at > 40 ? b.at - 40 : 0, 80));
    REQUIRE(one.error);
    REQUIRE(two.error);
    CHECK(two.error->offset == one.error->offset);
    CHECK(two.error->message == one.error->message);
  }
  // Too deep inside an element: the depth counts from the top of the file.
  for (std::size_t max_depth = 2; max_depth <= 10; ++max_depth) {
    json::Document one = json::parse(text, max_depth);
    json::Document two = json::parse(text, max_depth, 2);
    INFO(max_depth);
    REQUIRE(two.error.has_value() == one.error.has_value());
    if (one.error) CHECK(two.error->offset == one.error->offset);
  }
}
