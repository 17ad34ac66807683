// The example GitHub Actions workflow stays true to the binary: its check step runs as written and writes
// the SARIF file that its upload step uploads, and it installs this release (scripts/package runs its install
// step against the tarball it builds).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "parse/yaml.h"
#include "support/run.h"

using namespace scopecop;
using testing::run_scopecop;
using testing::TempDir;

namespace {

std::vector<std::string> words(std::string_view command) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < command.size()) {
    std::size_t end = command.find(' ', at);
    if (end == std::string_view::npos) end = command.size();
    if (end > at) out.emplace_back(command.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("workflow: the example GitHub Actions workflow checks and uploads the same SARIF file",
          "[cli][workflow]") {
  auto text = testing::read_file(testing::kSourceDir / "examples/github-actions/scopecop.yml");
  REQUIRE(text);
  json::Document doc = yaml::parse(*text);
  REQUIRE_FALSE(doc.error);
  const json::Value* jobs = doc.root.find("jobs");
  REQUIRE(jobs);
  REQUIRE(jobs->members.size() == 1);
  const json::Value* steps = jobs->members[0].value.find("steps");
  REQUIRE(steps);
  std::string check, sarif_file, install;
  bool upload_always = false;
  for (const json::Value& step : steps->items) {
    const json::Value* run = step.find("run");
    if (run && run->text.starts_with("scopecop check")) check = run->text;
    const json::Value* name = step.find("name");
    if (run && name && name->text.starts_with("Install scopecop")) install = run->text;
    const json::Value* uses = step.find("uses");
    if (uses && uses->text.starts_with("github/codeql-action/upload-sarif")) {
      sarif_file = step.find("with")->find("sarif_file")->text;
      upload_always = step.find("if") && step.find("if")->text == "always()";
    }
  }
  CHECK(upload_always);
  const json::Value* version = jobs->members[0].value.find("env")->find("SCOPECOP_VERSION");
  REQUIRE(version);
  CHECK(version->text == SCOPECOP_PROJECT_VERSION);
  // The tarball's name as scripts/package writes it.
  CHECK_THAT(install, Catch::Contains("name=scopecop-$SCOPECOP_VERSION-linux-x86_64\n"));
  CHECK_THAT(install, Catch::Contains("sha256sum -c \"$name.tar.gz.sha256\""));
  REQUIRE_FALSE(check.empty());
  // The check step, on a repository with a flawed policy.
  TempDir repo;
  std::filesystem::copy(testing::kSourceDir / "examples/analytics-tool", repo.path() / "policies");
  std::vector<std::string> args = words(check);
  args.erase(args.begin());  // "scopecop"
  auto r = run_scopecop(args, repo.path());
  CHECK(r.exit_code == 1);  // findings fail the job; the upload step still runs
  auto report = testing::read_file(repo.path() / sarif_file);
  REQUIRE(report);
  auto sarif = nlohmann::json::parse(*report);
  CHECK(sarif["version"] == "2.1.0");
  CHECK_FALSE(sarif["runs"][0]["results"].empty());
}
