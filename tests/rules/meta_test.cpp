// Meta-tests over the rule registry: metadata, docs, fixtures and documented examples agree.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "scopecop/catalog.h"
#include "scopecop/glob.h"
#include "scopecop/rule_page.h"
#include "support/check.h"
#include "support/files.h"

using namespace scopecop;
namespace fs = std::filesystem;

TEST_CASE("meta: every rule has metadata, a check, and a unique code and name", "[meta]") {
  auto meta = rule_metadata();
  REQUIRE(all_rules().size() == meta.size());
  std::set<std::string_view> codes, names;
  for (std::size_t i = 0; i < meta.size(); ++i) {
    const RuleMeta& m = meta[i];
    INFO(m.code);
    CHECK(all_rules()[i].meta == &m);
    CHECK(all_rules()[i].check != nullptr);
    CHECK(std::regex_match(std::string(m.code), std::regex("[A-Z][A-Z0-9]*-[0-9]{3}")));
    CHECK(codes.insert(m.code).second);
    CHECK(names.insert(m.name).second);
    CHECK_FALSE(m.summary.empty());
    CHECK_FALSE(m.why.empty());
    if (i > 0) CHECK(meta[i - 1].code < m.code);
    CHECK(find_rule_meta(m.code) == &m);
    CHECK(find_rule_meta(m.name) == &m);
  }
}

TEST_CASE("meta: docs/rules pages are generated from the metadata and fresh", "[meta]") {
  fs::path docs = testing::kSourceDir / "docs" / "rules";
  std::set<std::string> expected;
  for (const RuleMeta& m : rule_metadata()) {
    INFO(m.code << ": regenerate with scripts/update-docs");
    expected.insert(std::string(m.code) + ".md");
    auto page = testing::read_file(docs / (std::string(m.code) + ".md"));
    REQUIRE(page);
    CHECK(*page == render_rule_page(m));
  }
  for (const fs::directory_entry& e : fs::directory_iterator(docs)) {
    INFO(e.path().string() << " documents no rule");
    CHECK(expected.count(e.path().filename().string()) == 1);
  }
}

TEST_CASE("meta: every rule has a fixture that fires and one that stays silent", "[meta]") {
  for (const RuleMeta& m : rule_metadata()) {
    INFO(m.code);
    fs::path dir = testing::kSourceDir / "tests" / "rules" / std::string(m.code);
    REQUIRE(fs::is_directory(dir));
    bool fires = false, silent = false;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".expected") continue;
      auto golden = testing::read_file(e.path());
      REQUIRE(golden);
      (golden->empty() ? silent : fires) = true;
      if (!golden->empty())
        CHECK_THAT(*golden, Catch::Contains(std::string(" ") + std::string(m.code) + " "));
    }
    CHECK(fires);
    CHECK(silent);
  }
}

TEST_CASE("meta: a rule's bad example fires it and its good example is clean", "[meta]") {
  for (const RuleMeta& m : rule_metadata()) {
    INFO(m.code);
    std::optional<PolicyType> type;
    if (!m.example_policy_type.empty()) type = parse_policy_type(m.example_policy_type);
    std::optional<Config> config;
    if (!m.example_config.empty()) {
      std::string error;
      config = parse_config(m.example_config, "example", error);
      INFO(error);
      REQUIRE(config);
    }
    const Scope* scope = config && config->scope ? &*config->scope : nullptr;
    const std::vector<Guard>* never = config && !config->never.empty() ? &config->never : nullptr;
    auto bad = testing::check_string(m.bad, {}, type, "policy.json", scope, never);
    auto bad_codes = testing::codes(bad);
    CHECK(std::find(bad_codes.begin(), bad_codes.end(), m.code) != bad_codes.end());
    std::string good_findings;
    for (const Finding& f : testing::check_string(m.good, {}, type, "policy.json", scope, never)) {
      good_findings += std::string(f.code) + " " + f.message + "\n";
    }
    CHECK(good_findings.empty());
  }
}

TEST_CASE("meta: the actions that rules list as data exist in the catalog", "[meta]") {
  // PRIVILEGE-007/008/009 list actions or patterns; PRIVILEGE-012 methods of "action +
  // iam:PassRole(service)".
  const Catalog& catalog = Catalog::embedded();
  for (std::string_view code : {"PRIVILEGE-007", "PRIVILEGE-008", "PRIVILEGE-009", "PRIVILEGE-012",
                                "ATHENA-003", "REDSHIFT-003", "REDSHIFT-005", "KMS-001", "KMS-004"}) {
    const RuleMeta* m = find_rule_meta(code);
    REQUIRE(m);
    REQUIRE_FALSE(m->values.empty());
    for (const RuleValue& v : m->values) {
      std::string_view rest = v.value;
      while (!rest.empty()) {
        std::string_view item = rest.substr(0, rest.find(" + "));
        rest = item.size() == rest.size() ? std::string_view() : rest.substr(item.size() + 3);
        item = item.substr(0, item.find('('));
        INFO(code << ": " << item);
        const Service* service = catalog.service(item.substr(0, item.find(':')));
        REQUIRE(service);
        Pattern pattern = Pattern::glob(item.substr(item.find(':') + 1), true);
        CHECK(std::any_of(service->actions.begin(), service->actions.end(),
                          [&](const Action& a) { return pattern.matches(a.name); }));
      }
    }
  }
}
