#include <catch2/catch.hpp>

#include <random>

#include "rules/covered.h"
#include "scopecop/arn.h"
#include "scopecop/glob.h"

using namespace scopecop;
using scopecop::rules::covering_plain;

namespace {

std::vector<Text> texts(const std::vector<std::string>& values) {
  std::vector<Text> out;
  for (const std::string& v : values) out.push_back(Text{v, {}, ""});
  return out;
}

// Lists drawn from a few values that differ by case or by one character, so that duplicates are common.
std::vector<std::string> random_list(std::mt19937& rng, const std::vector<std::string>& pool) {
  // Up to 40 entries: short lists are compared pair by pair, long ones sorted.
  std::uniform_int_distribution<std::size_t> size(0, 40), pick(0, pool.size() - 1);
  std::vector<std::string> out(size(rng));
  for (std::string& v : out) v = pool[pick(rng)];
  return out;
}

}  // namespace

TEST_CASE("covering_plain: duplicates are covered by the first equal entry", "[covered]") {
  auto covering =
      covering_plain(texts({"s3:GetObject", "s3:ListBucket", "S3:getobject", "s3:GetObject"}), true, "*?");
  REQUIRE(covering);
  CHECK(*covering == std::vector<std::optional<std::size_t>>{std::nullopt, std::nullopt, 0, 0});
  // With case kept, only the exact repetition is covered.
  covering = covering_plain(texts({"arn:aws:s3:::a", "arn:aws:s3:::A", "arn:aws:s3:::a"}), false, "*?$");
  REQUIRE(covering);
  CHECK(*covering == std::vector<std::optional<std::size_t>>{std::nullopt, std::nullopt, 0});
  // Entries that are patterns need covering_entries.
  CHECK_FALSE(covering_plain(texts({"s3:GetObject", "s3:Get*"}), true, "*?"));
  CHECK_FALSE(covering_plain(texts({"arn:aws:s3:::a", "arn:aws:s3:::${aws:username}"}), false, "*?$"));
}

TEST_CASE("covering_plain agrees with covering_entries on plain lists", "[covered][property]") {
  std::mt19937 rng(7);
  const std::vector<std::string> actions{"s3:GetObject", "S3:GETOBJECT", "s3:GetObjects", "s3:PutObject",
                                         "iam:PassRole", "iam:passrole", "glue:GetTable"};
  const std::vector<std::string> arns{
      "arn:aws:s3:::a",      "arn:aws:s3:::A", "arn:aws:s3:::a/b",   "arn:aws:s3:::a:b",
      "arn:aws:iam::1:role", "bucket",         "arn:aws:s3:::a/b/c", "arn:aws:glue:r:1:table/a/b"};
  for (int round = 0; round < 2000; ++round) {
    std::vector<Text> action_list = texts(random_list(rng, actions));
    std::vector<Fields> action_entries;
    for (const Text& t : action_list) action_entries.push_back({Pattern::glob(t.value, true)});
    auto fast = covering_plain(action_list, true, "*?");
    REQUIRE(fast);
    CHECK(*fast == covering_entries(action_entries));

    std::vector<Text> arn_list = texts(random_list(rng, arns));
    std::vector<Fields> arn_entries;
    for (const Text& t : arn_list) arn_entries.push_back(arn_fields(t.value));
    fast = covering_plain(arn_list, false, "*?$");
    REQUIRE(fast);
    CHECK(*fast == covering_entries(arn_entries));
  }
}
