// JSON and SARIF stream their findings (src/report/json_text.h) instead of dumping one document: their bytes
// must stay those of nlohmann::json's dump of the same document, whatever the threads. Each report is
// compared with the dump of itself parsed, over the examples, every fixture, hostile text and the AWS managed
// policy corpus.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scopecop/engine.h"
#include "scopecop/report.h"
#include "scopecop/text.h"
#include "support/files.h"
#include "support/run.h"

using namespace scopecop;

namespace {

// What the writers wrote before they streamed: the document as nlohmann::json lays it out.
std::string dumped(const std::string& text) {
  auto doc = nlohmann::ordered_json::parse(text);
  return escape_json_invisibles(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) + "\n";
}

void check_streamed(const std::vector<std::pair<std::string, std::string>>& files) {
  CheckOptions options;
  std::vector<std::string> all{"ALL"};
  REQUIRE(RuleSelection::resolve(all, {}, options.rules).empty());
  std::vector<FileResult> results;
  for (const auto& [path, text] : files) results.push_back(check_text(path, text, options));
  Report report = make_report(std::move(results));
  report.catalog = "2026-09-26";
  REQUIRE(report.summary.findings > 0);
  for (unsigned jobs : {1u, 3u}) {
    std::ostringstream json, sarif;
    write_json(json, report, jobs);
    write_sarif(sarif, report, jobs);
    CHECK(json.str() == dumped(json.str()));
    CHECK(sarif.str() == dumped(sarif.str()));
    CHECK(nlohmann::json::parse(json.str())["findings"].size() == report.summary.findings);
    CHECK(nlohmann::json::parse(sarif.str())["runs"][0]["results"].size() == report.summary.findings);
    // In report order, though written a few blocks at a time.
    const auto findings = nlohmann::json::parse(json.str())["findings"];
    REQUIRE(findings.size() == report.ordered.size());
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const Finding& f = *report.ordered[i].finding;
      INFO("finding " << i);
      CHECK(findings[i]["code"] == f.code);
      CHECK(findings[i]["pointer"] == f.pointer);
      CHECK(findings[i]["message"] == escape_invalid_utf8(f.message));
    }
  }
}

}  // namespace

TEST_CASE("streamed reports: the examples and every fixture", "[report][stream]") {
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* dir : {"examples", "tests/rules", "tests/templates", "tests/containers"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::kSourceDir / dir)) {
      std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".json" && ext != ".yaml" && ext != ".yml")) continue;
      files.emplace_back(std::filesystem::relative(entry.path(), testing::kSourceDir).string(),
                         testing::read_file(entry.path()).value_or(""));
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 300);
  check_streamed(files);
}

TEST_CASE("streamed reports: control characters, bidirectional marks, names that are not UTF-8",
          "[report][stream]") {
  std::string policy =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"a\\u202eb\\u0007\\t\\\"q\\\\\", "
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObjec\\u2028\", \"Resource\": "
      "\"arn:aws:s3:::b\\u009b/*\"}]}";
  check_streamed({{"quote \" and <tag>.json", policy},
                  {"bad\xff\xfe.json", policy},
                  {"bidi\xE2\x80\xAE.json", policy},
                  {"new\nline\x01.json", policy},
                  {"broken.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A: [1, 2\n"}});
}

TEST_CASE("streamed reports: the AWS managed policy corpus", "[report][stream][corpus]") {
  auto path = testing::kSourceDir.parent_path() / "shared" / "corpus" / "aws-managed-policies.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent (it ships beside the repository, not in it)");
    return;
  }
  std::ifstream in(path);
  std::vector<std::pair<std::string, std::string>> files;
  for (std::string line; std::getline(in, line);) {
    auto entry = nlohmann::json::parse(line);
    files.emplace_back(entry["name"].get<std::string>() + ".json", entry["document"].dump(2));
  }
  REQUIRE(files.size() == 1594);
  check_streamed(files);
}
