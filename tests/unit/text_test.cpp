#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "scopecop/text.h"

using namespace scopecop;

TEST_CASE("text: edit distance", "[text]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("Action", "Actions") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("abc", "") == 3);
  // Above the limit, the answer is only said to be above it.
  CHECK(edit_distance("kitten", "sitting", 3) == 3);
  CHECK(edit_distance("kitten", "sitting", 2) > 2);
  CHECK(edit_distance("abcdef", "uvwxyz", 1) > 1);
}

TEST_CASE("text: did you mean picks a close candidate or nothing", "[text]") {
  constexpr std::array<std::string_view, 4> elements = {"Action", "NotAction", "Resource", "Condition"};
  CHECK(did_you_mean("Actions", elements) == "Action");
  CHECK(did_you_mean("action", elements) == "Action");
  CHECK(did_you_mean("Conditon", elements) == "Condition");
  CHECK(did_you_mean("Resources", elements) == "Resource");
  CHECK_FALSE(did_you_mean("Foo", elements));
  CHECK_FALSE(did_you_mean("Principal", elements));
}

TEST_CASE("text: glob matching with * and ?", "[text]") {
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*c", "abbbc"));
  CHECK(glob_match("a?c", "abc"));
  CHECK_FALSE(glob_match("a?c", "ac"));
  CHECK(glob_match("*your_*", "arn:aws:s3:::your_bucket"));
  CHECK(glob_match("*<*>*", "arn:aws:s3:::<bucket>/x"));
  CHECK_FALSE(glob_match("*<*>*", "arn:aws:s3:::<bucket"));
  CHECK_FALSE(glob_match("abc", "abcd"));
  CHECK(glob_match("*a*b*c*", "xxaxxbxxcxx"));
  CHECK_FALSE(glob_match("*a*b*c*", "xxcxxbxxaxx"));
}

TEST_CASE("text: control characters never pass through", "[text]") {
  CHECK(escape_control("plain é") == "plain é");
  CHECK(escape_control("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(escape_control("tab\there") == "tab\\x09here");
  CHECK(escape_control("del\x7f") == "del\\x7f");
  CHECK(escape_control("c1\xC2\x9b") == "c1\\u{9b}");
  CHECK(escape_control("bad\xFF") == "bad\\xff");
  CHECK(escape_control("cut\xE2\x82") == "cut\\xe2\\x82");
}

TEST_CASE("text: case helpers", "[text]") {
  CHECK(to_lower("AbC-1") == "abc-1");
  CHECK(iequals("aws:SourceIp", "AWS:sourceip"));
  CHECK_FALSE(iequals("a", "ab"));
}

TEST_CASE("text: FoldedIndex finds a name's position ignoring case, the first of equal names", "[text]") {
  const std::array<std::string_view, 5> names{"GetObject", "PutObject", "getobject", "ListBucket", "x"};
  auto name = [&](std::size_t i) { return names[i]; };
  FoldedIndex index(names.size(), name);
  CHECK(index.find("GETOBJECT", name) == 0u);
  CHECK(index.find("listbucket", name) == 3u);
  CHECK(index.find("X", name) == 4u);
  CHECK_FALSE(index.find("DeleteObject", name));
  CHECK_FALSE(index.find("", name));
  CHECK_FALSE(FoldedIndex().find("x", name));
  // Every name of a larger list, where probes run past collisions.
  std::vector<std::string> many;
  for (int i = 0; i < 1000; ++i) many.push_back("Action" + std::to_string(i * 7919));
  auto many_name = [&](std::size_t i) -> std::string_view { return many[i]; };
  FoldedIndex many_index(many.size(), many_name);
  for (std::size_t i = 0; i < many.size(); ++i) CHECK(many_index.find(to_lower(many[i]), many_name) == i);
  CHECK_FALSE(many_index.find("Action1", many_name));
}

TEST_CASE("text: bidirectional overrides and C1 controls never reach a terminal or a JSON report raw",
          "[text]") {
  const std::string rlo = "\xE2\x80\xAE", csi = "\xC2\x9B", isolate = "\xE2\x81\xA6", e_acute = "\xC3\xA9";
  CHECK(escape_control("a" + rlo + "b" + csi + "c" + isolate + e_acute) ==
        "a\\u{202e}b\\u{9b}c\\u{2066}" + e_acute);
  CHECK(escape_json_invisibles("{\"s\": \"x" + rlo + csi + "\xE2\x80\xA8" + e_acute + "\"}") ==
        "{\"s\": \"x\\u202e\\u009b\\u2028" + e_acute + "\"}");
  CHECK(escape_json_invisibles("{\"plain\": \"\xE2\x82\xAC\"}") ==
        "{\"plain\": \"\xE2\x82\xAC\"}");  // the euro sign
}
