#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

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
