#include <catch2/catch.hpp>

#include "scopecop/suppress.h"
#include "support/check.h"

using namespace scopecop;

namespace {

// ATHENA-001 and PRIVILEGE-002 on statement 0 (Sid Wide), S3-001 on statement 1 (no Sid).
constexpr const char* kPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Wide", "Effect": "Allow", "Action": "athena:*", "Resource": "*"},
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
  ]
})";

std::vector<FileResult> results(const std::string& text = kPolicy,
                                const std::string& path = "legacy/a.json") {
  CheckOptions options;
  std::vector<std::string> select{"ATHENA-001", "PRIVILEGE-002", "S3-001"};
  REQUIRE(RuleSelection::resolve(select, {}, options.rules).empty());
  std::vector<FileResult> out;
  out.push_back(check_text(path, text, options));
  return out;
}

std::vector<std::string> codes_left(const std::vector<FileResult>& files) {
  std::vector<std::string> out;
  for (const FileResult& f : files) {
    for (const Finding& x : f.findings) out.emplace_back(x.code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Suppression entry(std::string rule) {
  Suppression s;
  s.rule = std::move(rule);
  s.reason = "accepted";
  s.line = 7;
  s.column = 5;
  return s;
}

}  // namespace

TEST_CASE("suppress: an entry removes the findings that match every field it gives", "[suppress]") {
  RuleSelection all;
  auto files = results();
  REQUIRE(codes_left(files) == std::vector<std::string>{"ATHENA-001", "PRIVILEGE-002", "S3-001"});
  struct Case {
    Suppression s;
    std::vector<std::string> left;
  };
  Suppression by_file = entry("ATHENA"), other_file = entry("ATHENA-001"), by_sid = entry("PRIVILEGE"),
              by_index = entry("S3-001"), by_action = entry("ALL"), by_resource = entry("S3-001"),
              by_policy = entry("athena-workgroup-unscoped");
  by_file.file = "legacy/*.json";
  other_file.file = "current/*";
  by_sid.sid = "Wide";
  by_index.statement = 1;
  by_action.action = "ATHENA:*";   // action names ignore case
  by_resource.resource = "arn:*";  // S3-001's resource is "*": no match
  by_policy.policy = "legacy/*";
  std::vector<Case> cases = {
      {by_file, {"PRIVILEGE-002", "S3-001"}},   {other_file, {"ATHENA-001", "PRIVILEGE-002", "S3-001"}},
      {by_sid, {"ATHENA-001", "S3-001"}},       {by_index, {"ATHENA-001", "PRIVILEGE-002"}},
      {by_action, {"ATHENA-001", "S3-001"}},    {by_resource, {"ATHENA-001", "PRIVILEGE-002", "S3-001"}},
      {by_policy, {"PRIVILEGE-002", "S3-001"}},
  };
  for (const Case& c : cases) {
    INFO(c.s.rule);
    files = results();
    Suppressed out = apply_suppressions(files, {c.s}, ".scopecop.yaml", all, "2026-11-23");
    CHECK(codes_left(files) == c.left);
    CHECK(out.count == 3 - c.left.size());
  }
}

TEST_CASE("suppress: expired entries stop suppressing; unused ones in reach are reported", "[suppress]") {
  RuleSelection all;
  Suppression expired = entry("S3-001"), today = entry("S3-001"), unused = entry("GLUE-001"),
              elsewhere = entry("GLUE-001");
  expired.expires = "2026-11-22";
  today.expires = "2026-11-23";  // the last day it applies
  elsewhere.file = "other/*.json";
  auto files = results();
  Suppressed out = apply_suppressions(files, {expired}, "cfg.yaml", all, "2026-11-23");
  CHECK(out.count == 0);
  CHECK(out.warnings ==
        std::vector<std::string>{
            "cfg.yaml:7:5: the suppression of S3-001 expired on 2026-11-22 and no longer applies "
            "(its reason: accepted)"});
  files = results();
  out = apply_suppressions(files, {today, unused, elsewhere}, "cfg.yaml", all, "2026-11-23");
  CHECK(out.count == 1);
  CHECK(out.warnings ==
        std::vector<std::string>{"cfg.yaml:7:5: the suppression of GLUE-001 matches no finding; remove it"});
  // A rule that did not run leaves its entries alone.
  RuleSelection no_glue;
  std::vector<std::string> ignore{"GLUE"};
  REQUIRE(RuleSelection::resolve({}, ignore, no_glue).empty());
  files = results();
  CHECK(apply_suppressions(files, {unused}, "cfg.yaml", no_glue, "2026-11-23").warnings.empty());
  CHECK(check_suppressions({entry("GLUE-999")}, "cfg.yaml").starts_with("cfg.yaml:7:5: suppress: "));
  CHECK(check_suppressions({entry("GLUE")}, "cfg.yaml").empty());
}

TEST_CASE("baseline: findings are keyed by content, so moved code keeps them and new ones show",
          "[suppress]") {
  auto before = results();
  std::string text = write_baseline(before);
  std::string error;
  auto baseline = Baseline::parse(text, "baseline.json", error);
  REQUIRE(baseline);
  // The same policy further down its file, with one more statement: only the new statement's finding stays.
  std::string moved = std::string("\n\n\n") + kPolicy;
  moved.insert(moved.rfind(']'),
               ",\n    {\"Sid\": \"New\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", "
               "\"Resource\": \"*\"}\n  ");
  auto after = results(moved);
  REQUIRE(codes_left(after) == std::vector<std::string>{"ATHENA-001", "PRIVILEGE-002", "S3-001", "S3-001"});
  CHECK(baseline->apply(after) == 3);
  REQUIRE(after[0].findings.size() == 1);
  CHECK(after[0].findings[0].sid == "New");
  // Another file's findings are not covered.
  auto other = results(kPolicy, "current/a.json");
  CHECK(baseline->apply(other) == 0);
  CHECK_FALSE(Baseline::parse("{\"findings\": []}", "b.json", error));
  CHECK(error.starts_with("b.json: not a scopecop baseline"));
  CHECK_FALSE(Baseline::parse(R"({"schema": "scopecop/baseline/v1", "findings": [{"code": "S3-001"}]})",
                              "b.json", error));
  CHECK(error == "b.json: finding 0 of the baseline needs a file and a code");
}
