#include <catch2/catch.hpp>

#include "scopecop/selection.h"

using namespace scopecop;

namespace {
std::vector<std::string> enabled(const RuleSelection& s) {
  std::vector<std::string> out;
  for (const RuleMeta& m : rule_metadata()) {
    if (s.enabled(m)) out.emplace_back(m.code);
  }
  return out;
}
}  // namespace

TEST_CASE("selection: every rule by default", "[selection]") {
  RuleSelection s;
  CHECK(s.count() == rule_metadata().size());
}

TEST_CASE("selection: codes, names, prefixes and ALL", "[selection]") {
  RuleSelection s;
  std::vector<std::string> select{"POLICY-001", "unknown-element", "POLICY-01"};
  REQUIRE(RuleSelection::resolve(select, {}, s).empty());
  auto on = enabled(s);
  CHECK(on.front() == "POLICY-001");
  CHECK(std::find(on.begin(), on.end(), "POLICY-003") != on.end());
  CHECK(std::find(on.begin(), on.end(), "POLICY-016") != on.end());
  CHECK(std::find(on.begin(), on.end(), "POLICY-002") == on.end());

  std::vector<std::string> all{"ALL"}, ignore{"policy-014", "POLICY-00"};
  REQUIRE(RuleSelection::resolve(all, ignore, s).empty());
  on = enabled(s);
  CHECK(std::find(on.begin(), on.end(), "POLICY-014") == on.end());
  CHECK(std::find(on.begin(), on.end(), "POLICY-005") == on.end());
  CHECK(std::find(on.begin(), on.end(), "POLICY-010") != on.end());
}

TEST_CASE("selection: an unknown word is an error with a suggestion", "[selection]") {
  RuleSelection s;
  std::vector<std::string> select{"POLCY-001"};
  std::string error = RuleSelection::resolve(select, {}, s);
  CHECK_THAT(error, Catch::Contains("unknown rule selector \"POLCY-001\""));
  CHECK_THAT(error, Catch::Contains("did you mean \"POLICY-001\""));
  std::vector<std::string> ignore{"nonsense-rule-name-here"};
  CHECK_FALSE(RuleSelection::resolve({}, ignore, s).empty());
}
