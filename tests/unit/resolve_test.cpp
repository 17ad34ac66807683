#include <catch2/catch.hpp>

#include <string>
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
