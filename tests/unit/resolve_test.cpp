#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "scopecop/parallel.h"
#include "scopecop/resolve.h"

using namespace scopecop;

namespace {

Text entry(std::string value) {
  return Text{std::move(value), {}, ""};
}

}  // namespace

TEST_CASE("resolve: a remembered answer is the fresh one, told about each entry's own text", "[resolve]") {
  const Catalog& catalog = Catalog::embedded();
  ResolutionCache cache(catalog);
  for (std::string value : {"s3:GetObject", "ec2:Describe*", "*", "athena", "S3:getobject", "nosuch:Thing"}) {
    Text first = entry(value), second = entry(value);
    ResolutionCache other(catalog);
    ActionMatch fresh = other.action(second);
    ActionMatch a = cache.action(first);
    ActionMatch b = cache.action(second);  // remembered from the first
    INFO(value);
    CHECK(a.text == &first);
    CHECK(b.text == &second);
    CHECK(b.actions.data() == a.actions.data());  // one list, held by the cache
    CHECK(std::ranges::equal(b.actions, fresh.actions));
    CHECK(std::ranges::equal(b.services, fresh.services));
    CHECK(b.everything == fresh.everything);
    CHECK(b.malformed == fresh.malformed);
    CHECK(b.wildcard == fresh.wildcard);
    CHECK(b.service_part == fresh.service_part);
    CHECK(b.action_part == fresh.action_part);
    if (!b.service_part.empty()) CHECK(b.service_part.data() == second.value.data());
  }
  Text describe = entry("ec2:Describe*"), get_object = entry("S3:getobject"), star = entry("*");
  CHECK(cache.action(describe).actions.size() > 100);
  REQUIRE(cache.action(get_object).actions.size() == 1);
  CHECK(cache.action(get_object).actions.front()->full_name() == "s3:GetObject");
  CHECK(cache.action(star).everything);
  CHECK(cache.action(star).actions.empty());
  const ArnJudgement& bad = cache.arn("arn:aws:s3:us-east-1::bucket");
  CHECK(bad.verdict == ArnVerdict::FieldProblem);
  CHECK(&cache.arn("arn:aws:s3:us-east-1::bucket") == &bad);
  CHECK(cache.arn("arn:aws:s3:::bucket/*").verdict == ArnVerdict::Fine);
}

TEST_CASE("resolve: threads sharing a cache get the answers one thread gets", "[resolve]") {
  const Catalog& catalog = Catalog::embedded();
  std::vector<Text> entries;
  for (const char* v :
       {"s3:GetObject", "ec2:Describe*", "*", "iam:Pass*", "glue:Get*", "athena:*", "S3:getobject",
        "nosuch:Thing", "kms:Decrypt", "lambda:Invoke*", "s3:*Object*", "dynamodb:Query"})
    entries.push_back(entry(v));
  std::vector<std::string> arns = {"arn:aws:s3:::bucket/*",
                                   "arn:aws:s3:us-east-1::bucket",
                                   "*",
                                   "arn:aws:logs:*:*:*",
                                   "arn:aws:glue:us-east-1:123456789012:table/db/t",
                                   "arn:aws:nosuch:::x"};
  ResolutionCache alone(catalog);
  ResolutionCache shared(catalog, 1 << 20);
  constexpr std::size_t kThreads = 4, kRounds = 20;
  std::vector<std::vector<ActionMatch>> matches(kThreads);
  std::vector<std::vector<const ArnJudgement*>> judgements(kThreads);
  share_out(kThreads, kThreads, [&](std::size_t, std::size_t t) {
    for (std::size_t round = 0; round < kRounds; ++round) {
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const Text& e = entries[(i + t) % entries.size()];  // each thread in its own order
        if (round == 0) matches[t].push_back(shared.action(e));
        shared.arn(arns[(i + t) % arns.size()]);
      }
    }
    for (const std::string& a : arns) judgements[t].push_back(&shared.arn(a));
  });
  for (std::size_t t = 0; t < kThreads; ++t) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const ActionMatch& m = matches[t][i];
      ActionMatch fresh = alone.action(*m.text);
      INFO(m.text->value);
      CHECK(std::ranges::equal(m.actions, fresh.actions));
      CHECK(std::ranges::equal(m.services, fresh.services));
      CHECK(m.everything == fresh.everything);
      CHECK(m.malformed == fresh.malformed);
      CHECK(m.actions.data() == shared.action(*m.text).actions.data());  // one list for all the threads
    }
    for (std::size_t i = 0; i < arns.size(); ++i) {
      CHECK(judgements[t][i] == judgements[0][i]);
      CHECK(judgements[t][i]->verdict == alone.arn(arns[i]).verdict);
      CHECK(judgements[t][i]->detail == alone.arn(arns[i]).detail);
    }
  }
}
