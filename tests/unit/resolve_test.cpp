#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "scopecop/resolve.h"

using namespace scopecop;

namespace {

Text entry(std::string value) {
  return Text{std::move(value), {}, ""};
}

}  // namespace

TEST_CASE("resolve: the cache gives match_action's answer, told about each entry's own text", "[resolve]") {
  const Catalog& catalog = Catalog::embedded();
  ResolutionCache cache(catalog);
  for (std::string value : {"s3:GetObject", "ec2:Describe*", "*", "athena", "S3:getobject", "nosuch:Thing"}) {
    Text first = entry(value), second = entry(value);
    ActionMatch fresh = match_action(second, catalog);
    ActionMatch a = cache.action(first);
    ActionMatch b = cache.action(second);  // remembered from the first
    INFO(value);
    CHECK(a.text == &first);
    CHECK(b.text == &second);
    CHECK(b.actions == fresh.actions);
    CHECK(b.services == fresh.services);
    CHECK(b.everything == fresh.everything);
    CHECK(b.malformed == fresh.malformed);
    CHECK(b.wildcard == fresh.wildcard);
    CHECK(b.service_part == fresh.service_part);
    CHECK(b.action_part == fresh.action_part);
    if (!b.service_part.empty()) CHECK(b.service_part.data() == second.value.data());
  }
  CHECK(cache.action(entry("ec2:Describe*")).actions.size() > 100);
  const ArnJudgement& bad = cache.arn("arn:aws:s3:us-east-1::bucket");
  CHECK(bad.verdict == ArnVerdict::FieldProblem);
  CHECK(&cache.arn("arn:aws:s3:us-east-1::bucket") == &bad);
  CHECK(cache.arn("arn:aws:s3:::bucket/*").verdict == ArnVerdict::Fine);
}

TEST_CASE("resolve: one cache answers several threads alike", "[resolve]") {
  ResolutionCache cache(Catalog::embedded());
  std::vector<Text> entries;
  for (std::string s : {"s3:Get*", "glue:GetTable", "athena:*", "iam:Pass*", "kms:Decrypt", "sts:Assume*"})
    entries.push_back(entry(s));
  std::vector<std::vector<std::size_t>> counts(4);
  std::vector<std::thread> threads;
  for (auto& out : counts) {
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        for (const Text& t : entries) out.push_back(cache.action(t).actions.size());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& out : counts) CHECK(out == counts.front());
  CHECK(counts.front().size() == 50 * entries.size());
}
