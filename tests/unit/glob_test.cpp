#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <regex>

#include "scopecop/arn.h"
#include "scopecop/glob.h"

using namespace scopecop;

namespace {

// Every string over `alphabet` up to `length` characters.
std::vector<std::string> all_strings(std::string_view alphabet, std::size_t length) {
  std::vector<std::string> out{""};
  std::vector<std::string> frontier{""};
  for (std::size_t n = 0; n < length; ++n) {
    std::vector<std::string> next;
    for (const std::string& s : frontier) {
      for (char c : alphabet) next.push_back(s + c);
    }
    out.insert(out.end(), next.begin(), next.end());
    frontier = std::move(next);
  }
  return out;
}

Pattern random_pattern(std::mt19937& rng, std::string_view literals) {
  std::uniform_int_distribution<int> len(0, 4), kind(0, 5), lit(0, static_cast<int>(literals.size()) - 1),
      excl(0, 3);
  std::vector<Token> tokens;
  int n = len(rng);
  for (int i = 0; i < n; ++i) {
    int k = kind(rng);
    auto e = static_cast<std::uint8_t>(excl(rng));
    if (k <= 2)
      tokens.push_back({Token::Literal, literals[static_cast<std::size_t>(lit(rng))], 0});
    else if (k == 3)
      tokens.push_back({Token::One, 0, e});
    else
      tokens.push_back({Token::Star, 0, e});
  }
  return Pattern(std::move(tokens));
}

// A literal, or a literal followed by one '*' (with random exclusions): the shapes most policy entries have.
Pattern literal_then_star(std::mt19937& rng, std::string_view literals) {
  std::uniform_int_distribution<int> len(0, 3), lit(0, static_cast<int>(literals.size()) - 1), excl(0, 3),
      coin(0, 1);
  std::vector<Token> tokens;
  for (int i = len(rng); i > 0; --i)
    tokens.push_back({Token::Literal, literals[static_cast<std::size_t>(lit(rng))], 0});
  if (coin(rng)) tokens.push_back({Token::Star, 0, static_cast<std::uint8_t>(excl(rng))});
  return Pattern(std::move(tokens));
}

}  // namespace

TEST_CASE("glob: matching", "[glob]") {
  CHECK(Pattern::glob("s3:Get*").matches("s3:GetObject"));
  CHECK_FALSE(Pattern::glob("s3:Get*").matches("s3:getobject"));
  CHECK(Pattern::glob("s3:Get*", true).matches("S3:getOBJECT"));
  CHECK(Pattern::glob("a?c").matches("abc"));
  CHECK_FALSE(Pattern::glob("a?c").matches("ac"));
  CHECK(Pattern::glob("").matches(""));
  CHECK(Pattern::glob("**").matches("anything"));
  CHECK(Pattern::literal("a*").matches("a*"));
  CHECK_FALSE(Pattern::literal("a*").matches("ab"));
  CHECK(Pattern::literal("x").is_literal());
  CHECK_FALSE(Pattern::glob("x*").is_literal());
}

TEST_CASE("glob: patterns of literals and '*' match as a regular expression does", "[glob][property]") {
  // Such patterns (most action patterns) are matched run by run rather than by the automaton.
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<int> len(0, 6), pick(0, 3), coin(0, 1);
  const auto strings = all_strings("abAB", 5);
  for (int round = 0; round < 300; ++round) {
    std::string text, regex;
    for (int i = len(rng); i > 0; --i) {
      char c = "aB**"[pick(rng)];
      text += c;
      regex += c == '*' ? ".*" : std::string(1, c);
    }
    bool fold = coin(rng);
    Pattern p = Pattern::glob(text, fold);
    std::regex expected(regex, fold ? std::regex::icase : std::regex::ECMAScript);
    INFO("pattern " << text << (fold ? " ignoring case" : ""));
    for (const std::string& s : strings) {
      INFO("text " << s);
      CHECK(p.matches(s) == std::regex_match(s, expected));
    }
  }
}

TEST_CASE("glob: overlap and coverage on known cases", "[glob]") {
  CHECK(overlaps(Pattern::glob("s3:Get*"), Pattern::glob("s3:*Object")));
  CHECK_FALSE(overlaps(Pattern::glob("s3:Get*"), Pattern::glob("s3:Put*")));
  auto example = common_example(Pattern::glob("a*c"), Pattern::glob("ab*"));
  REQUIRE(example);
  CHECK(*example == "abc");

  std::vector<Pattern> allowed{Pattern::glob("workgroup/analytics")};
  auto outside = example_outside(Pattern::glob("workgroup/ana*"), allowed);
  REQUIRE(outside);
  CHECK(outside->proven);
  CHECK(outside->example == "workgroup/ana");
  CHECK(covered_by(Pattern::glob("s3:GetObject"), std::vector{Pattern::glob("s3:Get*")}));
  CHECK(covered_by(Pattern::glob("a*"), std::vector{Pattern::glob("a"), Pattern::glob("a?*")}));
  CHECK_FALSE(covered_by(Pattern::glob("a*"), std::vector{Pattern::glob("a?*")}));
  CHECK(covered_by(Pattern::glob("x"), std::vector{Pattern::glob("*")}));
  CHECK_FALSE(covered_by(Pattern::glob("x"), std::vector<Pattern>{}));
  // Shapes the token-by-token proof settles, and one it cannot (equal sets written in another order).
  CHECK(covered_by(arn_pattern("arn:aws:glue:eu-west-1:1:database/d*"),
                   std::vector{arn_pattern("arn:aws:glue:*:*:database/*")}));
  CHECK(covered_by(Pattern::glob("*sagemaker*b"), std::vector{Pattern::glob("*sage*")}));
  CHECK_FALSE(covered_by(Pattern::glob("*sagemaker*"), std::vector{Pattern::glob("*SageMaker*")}));
  CHECK(covered_by(Pattern::glob("?*"), std::vector{Pattern::glob("*?")}));
  CHECK_FALSE(covered_by(arn_pattern("arn:aws:s3:::b/*"), std::vector{arn_pattern("arn:aws:s3:::*/*/*")}));
}

TEST_CASE("glob: exact answers agree with brute force on random patterns", "[glob][property]") {
  std::mt19937 rng(20261123);
  const std::string alphabet = "ab:/x";
  const auto strings = all_strings(alphabet, 6);
  for (int round = 0; round < 400; ++round) {
    Pattern p = random_pattern(rng, "ab:/");
    Pattern q = random_pattern(rng, "ab:/");
    Pattern r = random_pattern(rng, "ab:/");
    bool shared = false, outside = false, both_outside = false;
    for (const std::string& s : strings) {
      bool in_p = p.matches(s);
      shared = shared || (in_p && q.matches(s));
      outside = outside || (in_p && !q.matches(s) && !r.matches(s));
      both_outside = both_outside || (in_p && r.matches(s) && !q.matches(s));
    }
    // Brute force sees strings of up to 6 characters: what it finds the search must find too, and whatever
    // the search returns must really be an example.
    auto example = common_example(p, q);
    INFO("round " << round);
    if (shared) CHECK(example.has_value());
    if (example) {
      CHECK(p.matches(*example));
      CHECK(q.matches(*example));
    }
    std::vector<Pattern> qr{q, r};
    // covered_by's direct answers for literal and "prefix*" patterns agree with the general search.
    std::vector<Pattern> simple{literal_then_star(rng, "ab:/")};
    CHECK(covered_by(p, simple) == !example_outside_all(std::span(&p, 1), simple).has_value());
    CHECK(covered_by(p, std::span(&q, 1)) ==
          !example_outside_all(std::span(&p, 1), std::span(&q, 1)).has_value());
    CHECK(covered_by(p, qr) == !example_outside_all(std::span(&p, 1), qr).has_value());
    auto out = example_outside(p, qr);
    if (outside) CHECK(out.has_value());
    std::vector<Pattern> pr{p, r};
    auto in_both = example_outside_all(pr, std::span(&q, 1));
    if (both_outside) CHECK(in_both.has_value());
    if (in_both) {
      CHECK(p.matches(in_both->example));
      CHECK(r.matches(in_both->example));
      CHECK_FALSE(q.matches(in_both->example));
    }
    if (out) {
      CHECK(out->proven);
      CHECK(p.matches(out->example));
      CHECK_FALSE(q.matches(out->example));
      CHECK_FALSE(r.matches(out->example));
    }
  }
}

TEST_CASE("arn patterns: wildcards stay within the first five fields unless a '*' ends its field",
          "[glob][arn]") {
  CHECK(arn_pattern("*").matches("arn:aws:s3:::b/k"));
  CHECK(arn_pattern("arn:aws:s3:::*").matches("arn:aws:s3:::b/k:x"));
  CHECK(arn_pattern("arn:aws:athena:*:418295730264:workgroup/*")
            .matches("arn:aws:athena:us-east-1:418295730264:workgroup/analytics"));
  // A '*' that is the last character of a field expands beyond the colon (IAM User Guide, Resource element);
  // a short ARN ending in '*' stands for its six-field form with "*" in the fields it leaves out.
  CHECK(arn_pattern("arn:aws:athena:*").matches("arn:aws:athena:us-east-1:418295730264:workgroup/analytics"));
  CHECK_FALSE(arn_pattern("arn:aws:athena:*:workgroup/*")
                  .matches("arn:aws:athena:us-east-1:418295730264:workgroup/analytics"));
  CHECK(arn_pattern("arn:aws:secretsmanager:*:*:sqlworkbench!*")
            .matches("arn:aws:secretsmanager:us-east-1:418295730264:secret:sqlworkbench!a1b2"));
  CHECK(arn_pattern("arn:aws:logs:*:*:/aws/lambda/AmazonSecurityLake*")
            .matches("arn:aws:logs:us-east-1:418295730264:log-group:/aws/lambda/AmazonSecurityLake-x:*"));
  // A '*' followed by more of its field, a '?' and a variable stay within it.
  CHECK_FALSE(arn_pattern("arn:aws:athena:us-*-1:418295730264:workgroup/a")
                  .matches("arn:aws:athena:us-east:x-1:418295730264:workgroup/a"));
  CHECK_FALSE(arn_pattern("arn:aws:athena:?:workgroup/a").matches("arn:aws:athena:r:1:workgroup/a"));
  CHECK_FALSE(arn_pattern("arn:aws:athena:${aws:RequestedRegion}:workgroup/a")
                  .matches("arn:aws:athena:r:1:workgroup/a"));
  // A partition '*' does not span: it would make the service field a wildcard, which IAM rules out.
  CHECK_FALSE(arn_pattern("arn:*:s3:::lake").matches("arn:aws:glue:r:1:x:s3:::lake"));
  // scopecop's own patterns keep every wildcard within its field.
  CHECK_FALSE(arn_pattern_within_fields("arn:aws:athena:*:1:wg/a").matches("arn:aws:athena:r:x:1:wg/a"));
  CHECK(arn_pattern("arn:aws:athena:*:1:wg/a").matches("arn:aws:athena:r:x:1:wg/a"));
  CHECK(arn_pattern("arn:aws:s3:::home/${aws:username}/*").matches("arn:aws:s3:::home/alice/x"));
  CHECK(arn_pattern("arn:aws:s3:::b/${*}").matches("arn:aws:s3:::b/*"));
  CHECK_FALSE(arn_pattern("arn:aws:s3:::b/${*}").matches("arn:aws:s3:::b/x"));
  CHECK(arn_pattern("arn:aws:athena:${aws:RequestedRegion}:1:workgroup/a")
            .matches("arn:aws:athena:eu-west-1:1:workgroup/a"));
}

TEST_CASE("arn formats: which policy ARNs can denote a resource of a type", "[glob][arn]") {
  Pattern bucket = arn_format_pattern("arn:${Partition}:s3:::${BucketName}");
  Pattern object = arn_format_pattern("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
  CHECK(overlaps(arn_pattern("arn:aws:s3:::analytics-lake"), bucket));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:s3:::analytics-lake"), object));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:s3:::analytics-lake/*"), bucket));
  CHECK(overlaps(arn_pattern("arn:aws:s3:::analytics-lake/*"), object));
  CHECK(overlaps(arn_pattern("arn:aws:s3:::*"), bucket));
  CHECK(overlaps(arn_pattern("arn:aws:s3:::*"), object));
  CHECK(overlaps(arn_pattern("*"), object));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:s3:us-east-1::bucket1/*"), object));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:s3::123412341234:bucket1/*"), object));

  Pattern role = arn_format_pattern("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}");
  CHECK(overlaps(arn_pattern("arn:aws:iam::418295730264:role/team/analytics"), role));
  CHECK(overlaps(arn_pattern("arn:aws:iam::418295730264:*"), role));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:iam:::role/my-role"), role));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:iam:us-east-1::role/my-role"), role));
  CHECK_FALSE(
      overlaps(arn_pattern("arn:::::trail/my-trail"),
               arn_format_pattern("arn:${Partition}:cloudtrail:${Region}:${Account}:trail/${TrailName}")));

  Pattern table =
      arn_format_pattern("arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}");
  Pattern root_catalog = arn_format_pattern("arn:${Partition}:glue:${Region}:${Account}:catalog");
  Pattern catalog = arn_format_pattern("arn:${Partition}:glue:${Region}:${Account}:catalog/${CatalogName}");
  CHECK(overlaps(arn_pattern("arn:aws:glue:us-east-1:418295730264:table/sales/*"), table));
  CHECK(overlaps(arn_pattern("arn:aws:glue:us-east-1:418295730264:catalog"), root_catalog));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:glue:us-east-1:418295730264:catalog"), catalog));

  Pattern workgroup =
      arn_format_pattern("arn:${Partition}:athena:${Region}:${Account}:workgroup/${WorkGroupName}");
  CHECK(overlaps(arn_pattern("arn:aws:athena:us-east-1:418295730264:workgroup/analytics"), workgroup));
  CHECK_FALSE(overlaps(arn_pattern("arn:aws:athena:us-east-1:418295730264:datacatalog/x"), workgroup));
}

namespace {

// IAM's documented reading of a Resource ARN, written independently of arn_pattern as a regular expression
// (patterns here hold no policy variables):
// the first five colons separate fields; in them '?' and '*' stay within the field, except a '*' that is the
// last character of the region or account field, which may also match ':'; in the resource part both match
// anything.
std::regex reference_regex(std::string arn) {
  // A short ARN ending in '*' is its six-field form with "*" in the fields left out.
  if (arn.ends_with('*') && arn.starts_with("arn:") && arn.find(':', 4) != std::string::npos) {
    for (auto colons = std::count(arn.begin(), arn.end(), ':'); colons < 5; ++colons) arn += ":*";
  }
  std::string re;
  std::size_t field = 0;
  for (std::size_t i = 0; i < arn.size(); ++i) {
    char c = arn[i];
    bool head = field < 5;
    if (c == '*') {
      bool spans = (field == 3 || field == 4) && (i + 1 == arn.size() || arn[i + 1] == ':');
      re += head && !spans ? "[^:]*" : ".*";
    } else if (c == '?') {
      re += head ? "[^:]" : ".";
    } else {
      if (c == ':') ++field;
      if (std::string_view("\\^$.|+()[]{}").find(c) != std::string_view::npos) re += '\\';
      re += c;
    }
  }
  return std::regex(re);
}

}  // namespace

TEST_CASE("arn patterns: matching agrees with a regular expression of IAM's documented rules",
          "[glob][arn][property]") {
  std::mt19937 rng(20261204);
  const std::vector<std::string> field_patterns = {"",   "a",  "*",  "a*", "*a", "?",  "a?",
                                                   "*:", "b*", "ab", "?*", "*?", "a*b"};
  const std::string alphabet = "ab:/";
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  auto random_text = [&](int max) {
    std::string s;
    for (int n = std::uniform_int_distribution<int>(0, max)(rng); n > 0; --n)
      s += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
    return s;
  };
  int matched = 0, spanning = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string arn = "arn";
    int fields = std::uniform_int_distribution<int>(2, 6)(rng);  // short ARNs too ("arn:aws:athena:*")
    for (int f = 1; f < fields; ++f) arn.append(":").append(pick(field_patterns));
    Pattern p = arn_pattern(arn);
    std::regex reference = reference_regex(arn);
    for (int k = 0; k < 40; ++k) {
      // Strings made from the pattern's own fields with random text in place of the wildcards, and noise.
      std::string s;
      for (char c : arn) s += c == '*' ? random_text(4) : c == '?' ? random_text(1) : std::string(1, c);
      if (k % 4 == 0) s = std::string("arn:").append(random_text(10));
      bool expected = std::regex_match(s, reference);
      INFO(arn << " against " << s);
      CHECK(p.matches(s) == expected);
      matched += expected;
      spanning += expected && !arn_pattern_within_fields(arn).matches(s);
    }
  }
  CHECK(matched > 10000);
  CHECK(spanning > 500);  // the colon-spanning reading is exercised, not only the field-wise one
}

TEST_CASE("covering_entries: a covered ARN's every match is matched by its cover", "[glob][arn][property]") {
  std::mt19937 rng(20261205);
  const std::vector<std::string> heads = {"aws", "*", "a*", "?", "", "${aws:username}"};
  const std::vector<std::string> resources = {"*", "t/*", "t/a", "t/a:*", "t*", "?/a", "t/${aws:username}"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  const std::string alphabet = "at/:";
  int claims = 0;
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> values;
    for (int n = 0; n < 4; ++n) {
      std::string v = "arn:aws:*";
      if (std::uniform_int_distribution<int>(0, 9)(rng) != 0) {
        v = "arn:";
        v.append(pick(heads)).append(":s:").append(pick(heads)).append(":").append(pick(heads));
        v.append(":").append(pick(resources));
      }
      values.push_back(v);
    }
    std::vector<Fields> entries;
    for (const std::string& v : values) entries.push_back(arn_fields(v));
    auto covering = covering_entries(entries);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!covering[i]) continue;
      ++claims;
      Pattern inner = arn_pattern(values[i]), outer = arn_pattern(values[*covering[i]]);
      INFO(values[i] << " covered by " << values[*covering[i]]);
      // Exact: the whole-pattern question, which the set algebra answers over every string.
      CHECK(covered_by(inner, std::span(&outer, 1)));
      for (int k = 0; k < 30; ++k) {
        std::string s;
        for (char c : values[i]) {
          std::string text;
          for (int n = std::uniform_int_distribution<int>(0, c == '*'   ? 3
                                                             : c == '?' ? 1
                                                                        : 0)(rng);
               n > 0; --n)
            text += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
          s += c == '*' ? text : c == '?' ? (text.empty() ? std::string("a") : text) : std::string(1, c);
        }
        if (inner.matches(s)) CHECK(outer.matches(s));
      }
    }
  }
  CHECK(claims > 500);
}
