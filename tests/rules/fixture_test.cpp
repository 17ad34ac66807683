// Fixture tests: tests/rules/<CODE>/<name>[.<policy-type>].json is checked with that rule alone (and the
// scopecop.yaml of the folder, if any) and its text output compared with <name>[...].expected (empty when the
// rule must stay silent).
#include <catch2/catch.hpp>

#include <sstream>

#include "scopecop/report.h"
#include "support/files.h"

using namespace scopecop;
namespace fs = std::filesystem;

namespace {

std::optional<PolicyType> type_from_name(const fs::path& fixture) {
  // "fires-endpoint.endpoint.json": the second extension names the policy type.
  std::string stem = fixture.stem().string();
  auto dot = stem.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  return parse_policy_type(stem.substr(dot + 1));
}

std::string render(const fs::path& fixture, const std::string& code, const Config* config) {
  CheckOptions options;
  if (config && config->scope) options.scope = &*config->scope;
  if (config && !config->never.empty()) options.never = &config->never;
  std::vector<std::string> select{code};
  REQUIRE(RuleSelection::resolve(select, {}, options.rules).empty());
  options.policy_type = type_from_name(fixture);
  auto text = testing::read_file(fixture);
  REQUIRE(text);
  std::vector<FileResult> files;
  files.push_back(check_text(fixture.filename().string(), *text, options));
  Report report = make_report(std::move(files));
  std::ostringstream out;
  write_text(out, report, TextStyle{false, true});
  return out.str();
}

}  // namespace

TEST_CASE("fixtures: every rule's fixtures give their golden output", "[fixtures]") {
  fs::path root = testing::kSourceDir / "tests" / "rules";
  std::size_t checked = 0;
  for (const fs::directory_entry& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    std::string code = dir.path().filename().string();
    REQUIRE(find_rule_meta(code));
    // A scopecop.yaml beside the fixtures configures all of them.
    std::optional<Config> config;
    if (auto text = testing::read_file(dir.path() / "scopecop.yaml")) {
      std::string error;
      config = parse_config(*text, "scopecop.yaml", error);
      INFO(error);
      REQUIRE(config);
    }
    for (const fs::directory_entry& file : fs::directory_iterator(dir.path())) {
      if (file.path().extension() != ".json") continue;
      fs::path golden = file.path();
      golden.replace_extension(".expected");
      std::string actual = render(file.path(), code, config ? &*config : nullptr);
      if (testing::updating_goldens()) {
        testing::write_file(golden, actual);
        continue;
      }
      auto expected = testing::read_file(golden);
      INFO("fixture " << file.path().string()
                      << " (regenerate with SCOPECOP_UPDATE_GOLDENS=1 after checking it)");
      REQUIRE(expected);
      CHECK(actual == *expected);
      ++checked;
    }
  }
  if (!testing::updating_goldens()) CHECK(checked > 0);
}
