#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "scopecop/arn.h"

using namespace scopecop;

TEST_CASE("arn: split into fields, the resource keeps its colons", "[arn]") {
  auto parts = split_arn("arn:aws:glue:us-east-1:418295730264:table/sales/orders");
  REQUIRE(parts);
  CHECK(parts->partition == "aws");
  CHECK(parts->service == "glue");
  CHECK(parts->region == "us-east-1");
  CHECK(parts->account == "418295730264");
  CHECK(parts->resource == "table/sales/orders");
  auto layer = split_arn("arn:aws:lambda:*:418295730264:layer:name:3");
  REQUIRE(layer);
  CHECK(layer->resource == "layer:name:3");
  CHECK_FALSE(split_arn("arn:aws:s3"));
  CHECK_FALSE(split_arn("s3://bucket"));
  // A short ARN ending in '*': the '*' spans the colons, the fields left out are "*".
  auto short_arn = split_arn("arn:aws:athena:*");
  REQUIRE(short_arn);
  CHECK(short_arn->service == "athena");
  CHECK(short_arn->region == "*");
  CHECK(short_arn->account == "*");
  CHECK(short_arn->resource == "*");
  auto two = split_arn("arn:aws:logs:us-east-1:*");
  REQUIRE(two);
  CHECK(two->account == "*");
  CHECK(two->resource == "*");
  CHECK_FALSE(split_arn("arn:aws:athena:us-east-1"));
  CHECK_FALSE(split_arn("arn:*"));
}

TEST_CASE("arn: well-formed ARNs and patterns are accepted", "[arn]") {
  auto arn = GENERATE(
      as<std::string>{}, "arn:aws:s3:::analytics-lake", "arn:aws:s3:::analytics-lake/*",
      "arn:aws-cn:athena:cn-north-1:418295730264:workgroup/a", "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws-us-gov:s3:::b", "arn:*:s3:::b", "arn:aws:*:*:*:*", "arn:aws:glue:us-gov-west-1:*:catalog",
      "arn:aws:s3:::b/${aws:username}/*", "arn:aws:athena:${aws:RequestedRegion}:418295730264:*",
      "arn:aws:organizations::*:", "arn:aws:ec2:ap-southeast-5:418295730264:instance/*",
      "arn:aws:logs:us-east-1:418295730264:log-group:/aws/x:*", "arn:aws:athena:*");
  INFO(arn);
  CHECK(arn_syntax_problem(arn).empty());
}

TEST_CASE("arn: malformed ARNs are explained", "[arn]") {
  struct Case {
    std::string arn;
    std::string part;
  };
  auto c = GENERATE(values<Case>({
      {"s3://analytics-lake", "does not start with \"arn:\""},
      {"ARN:aws:s3:::b", "lowercase"},
      {"arn:aws:s3:b", "4 of the 6"},
      {"arn:amazon:s3:::b", "partition \"amazon\""},
      {"arn:awz:s3:::b", "did you mean \"aws\""},
      {"arn:aws::us-east-1:418295730264:x", "service field is empty"},
      {"arn:aws:S3:::b", "service \"S3\""},
      {"arn:aws:athena:us-east1:418295730264:workgroup/a", "region \"us-east1\""},
      {"arn:aws:athena:us-east-1:41829573026:workgroup/a", "account \"41829573026\""},
      {"arn:aws:athena:us-east-1:my-account:workgroup/a", "12-digit"},
  }));
  INFO(c.arn);
  CHECK_THAT(arn_syntax_problem(c.arn), Catch::Contains(c.part));
}

TEST_CASE("arn: helpers", "[arn]") {
  CHECK(is_account_id("418295730264"));
  CHECK_FALSE(is_account_id("41829573026a"));
  CHECK(has_wildcard("a*"));
  CHECK(has_wildcard("a?"));
  CHECK_FALSE(has_wildcard("a"));
  CHECK(has_variable("a/${aws:username}"));
}

TEST_CASE("arn: arn_overlaps gives overlaps' answer on random ARN patterns and formats", "[arn][property]") {
  std::mt19937 rng(20261124);
  // Field texts from a few shapes, so that fields often agree, share a beginning, or differ.
  const std::vector<std::string> heads = {"", "aws", "a", "ab", "*", "a*", "?", "${aws:username}", "b"};
  const std::vector<std::string> resources = {"",      "*",   "t/*",  "t/a", "table/x", "tab*",  "t:a",
                                              "t/a/*", "?/a", "ta*b", "t",   "u/t",     "t/${x}"};
  const std::vector<std::string> formats = {"${R}",   "t/${R}", "table/${D}/${T}",
                                            "u/${R}", "t:${R}", "ta${R}"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  auto head = [&] {
    return std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? std::string("${H}") : pick(heads);
  };
  int disjoint = 0, meeting = 0;  // the random pairs must hold both answers in numbers
  for (int round = 0; round < 20000; ++round) {
    std::string a = "arn:" + pick(heads) + ":" + pick(heads) + ":" + pick(heads) + ":" + pick(heads) + ":" +
                    pick(resources);
    std::string f = "arn:" + head() + ":" + head() + ":" + head() + ":" + head() + ":" + pick(formats);
    if (round % 7 == 0) a = pick(resources);  // not an ARN: fewer than six fields, or a bare "*"
    INFO(a << " against " << f);
    Pattern pa = arn_pattern(a), pf = arn_format_pattern(f), pb = arn_pattern(f);
    CHECK(arn_overlaps(pa, pf) == overlaps(pa, pf));
    CHECK(arn_overlaps(pf, pa) == overlaps(pf, pa));
    CHECK(arn_overlaps(pa, pb) == overlaps(pa, pb));
    (overlaps(pa, pf) ? meeting : disjoint) += 1;
  }
  CHECK(disjoint > 2000);
  CHECK(meeting > 500);
  CHECK_FALSE(arn_overlaps(arn_pattern("arn:aws:glue:*:*:database/d"),
                           arn_format_pattern("arn:${Partition}:glue:${Region}:${Account}:table/${D}/${T}")));
  CHECK(arn_overlaps(arn_pattern("arn:aws:glue:*:*:tab*"),
                     arn_format_pattern("arn:${Partition}:glue:${Region}:${Account}:table/${D}/${T}")));
}
