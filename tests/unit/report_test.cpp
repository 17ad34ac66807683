#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "scopecop/report.h"

using namespace scopecop;

namespace {

Report report_for(std::string text, std::vector<std::string> select = {}) {
  CheckOptions options;
  REQUIRE(RuleSelection::resolve(select, {}, options.rules).empty());
  std::vector<FileResult> files;
  files.push_back(check_text("policies/p.json", std::move(text), options));
  return make_report(std::move(files));
}

std::string text_of(const Report& r, bool quiet = true) {
  std::ostringstream out;
  write_text(out, r, TextStyle{false, quiet});
  return out.str();
}

}  // namespace

TEST_CASE("report: text shows the source line, carets under the span, and help", "[report]") {
  Report r = report_for(
      "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"a:B\", "
      "\"Resource\": \"*\"}]\n}\n",
      {"POLICY-007"});
  CHECK(text_of(r) ==
        "policies/p.json:3:28: error POLICY-007 \"allow\" is not a valid Effect\n"
        "    3 |   \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"a:B\", \"Resource\": \"*\"}]\n"
        "      |                            ^^^^^^^\n"
        "      = help: use \"Allow\" (Effect is case-sensitive)\n\n");
}

TEST_CASE("report: control characters from a policy are escaped in text output", "[report]") {
  Report r = report_for(
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"a\\u001b[31mb\", \"Effect\": \"Allow\", "
      "\"Action\": \"a:B\", \"Resource\": \"*\"}]}",
      {"POLICY-010"});
  std::string out = text_of(r);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK_THAT(out, Catch::Contains("Sid \"a\\x1b[31mb\""));
}

TEST_CASE("report: long lines are cut around the span", "[report]") {
  std::string padding(500, ' ');
  Report r = report_for("{\"Version\": \"2012-10-17\"," + padding +
                            "\"Statement\": [{\"Effect\": \"Deny\", \"Action\": "
                            "\"a:B\", \"Resource\": \"s3://x\"}]}",
                        {"POLICY-016"});
  std::string out = text_of(r);
  CHECK_THAT(out, Catch::Contains("…"));
  CHECK_THAT(out, Catch::Contains("^^^^^^^^"));
  CHECK(out.size() < 600);
}

TEST_CASE("report: on a long line with multi-byte characters the window starts at a code point", "[report]") {
  std::string padding;
  for (int i = 0; i < 3000; ++i) padding += "\xC3\xA9";  // é, across the source's 4 KB index blocks
  Report r = report_for("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"" + padding +
                            "\", \"Resource\": \"s3://x\", \"Effect\": \"Deny\", \"Action\": \"a:B\"}]}",
                        {"POLICY-016"});
  std::string out = text_of(r);
  std::string before;
  for (int i = 0; i < 25; ++i) before += "\xC3\xA9";
  CHECK_THAT(out, Catch::Contains("    1 | …" + before + "\", \"Resource\": \"s3://x\", \"Effect"));
  // The caret line lines up with the shown text in code points: "…" plus 40 before the span.
  CHECK_THAT(out, Catch::Contains("\n      |" + std::string(42, ' ') + "^^^^^^^^\n"));
}

TEST_CASE("report: a syntax error at the end of the file still gets a caret", "[report]") {
  Report r = report_for("{\"Version\": \"2012-10-17\"");
  std::string out = text_of(r);
  CHECK_THAT(out, Catch::StartsWith("policies/p.json:1:25: error POLICY-001 the file is not valid JSON"));
  CHECK_THAT(out, Catch::Contains("^\n"));
}

TEST_CASE("report: the summary counts findings by severity", "[report]") {
  Report r = report_for(R"({"Statement": [{"Effect": "allow", "Action": [], "Resource": "*"}]})");
  CHECK(r.summary.files == 1);
  CHECK(r.summary.policies == 1);
  CHECK(r.summary.statements == 1);
  CHECK(r.summary.by_severity[static_cast<int>(Severity::Error)] == 1);       // POLICY-007
  CHECK(r.summary.by_severity[static_cast<int>(Severity::Warning)] == 1);     // POLICY-006 (no Version)
  CHECK(r.summary.by_severity[static_cast<int>(Severity::Suggestion)] == 1);  // POLICY-009
  std::string out = text_of(r, false);
  CHECK_THAT(out, Catch::Contains(
                      "Found 3 findings (1 error, 1 warning, 1 suggestion; 1 file, 1 policy, 1 statement "
                      "checked)."));
}

TEST_CASE("report: JSON follows the v1 schema with exact positions", "[report]") {
  Report r = report_for(
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Read\", \"Effect\": \"Allow\", "
      "\"Action\": \"s3:GetObject\", \"Resource\": \"s3://x\"}]}",
      {"POLICY-016"});
  std::ostringstream out;
  write_json(out, r);
  auto j = nlohmann::json::parse(out.str());
  CHECK(j["schema"] == "scopecop/findings/v1");
  CHECK(j["tool"]["name"] == "scopecop");
  REQUIRE(j["findings"].size() == 1);
  const auto& f = j["findings"][0];
  CHECK(f["code"] == "POLICY-016");
  CHECK(f["name"] == "invalid-arn");
  CHECK(f["severity"] == "error");
  CHECK(f["file"] == "policies/p.json");
  CHECK(f["line"] == 1);
  CHECK(f["column"] == 114);
  CHECK(f["end_line"] == 1);
  CHECK(f["end_column"] == 122);
  CHECK(f["pointer"] == "/Statement/0/Resource");
  CHECK(f["policy"] == "policies/p.json");
  CHECK(f["policy_type"] == "identity");
  CHECK(f["statement"] == 0);
  CHECK(f["sid"] == "Read");
  CHECK(f["resource"] == "s3://x");
  CHECK_FALSE(f.contains("action"));
  CHECK(j["summary"]["findings"] == 1);
  CHECK(j["summary"]["by_severity"]["error"] == 1);
  CHECK(j["summary"]["suppressed"] == 0);
}
