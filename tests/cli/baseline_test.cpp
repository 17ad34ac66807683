// Accepted findings from the command line: suppress: entries of the configuration, and baseline files.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/run.h"

using namespace scopecop;
using testing::run_scopecop;
using testing::TempDir;

namespace {

constexpr const char* kLegacy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "LegacyRead", "Effect": "Allow", "Action": "glue:GetTable", "Resource": "*"},
    {"Sid": "Lake", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
  ]
}
)";

}  // namespace

TEST_CASE("cli: suppress entries hide their findings, and expired or unused ones are reported",
          "[cli][suppress]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / ".git");
  dir.write("legacy/read.json", kLegacy);
  dir.write(
      ".scopecop.yaml",
      "select: [GLUE-001, S3-001]\n"
      "suppress:\n"
      "  - {rule: GLUE-001, file: \"legacy/*.json\", sid: LegacyRead, reason: \"migration ticket 42\"}\n"
      "  - {rule: S3-001, reason: \"was accepted once\", expires: 2000-01-31}\n"
      "  - {rule: s3-bucket-unscoped, file: \"legacy/*\", sid: Nothing, reason: \"no such statement\"}\n");
  auto r = run_scopecop({"check", "--format", "concise"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "legacy/read.json:5:78: security S3-001 s3:GetObject is allowed on every S3 bucket\n"
        "Found 1 finding (1 security; 1 file, 1 policy, 2 statements checked; 1 suppressed).\n"
        "Run `scopecop rule CODE` for what a rule checks and how to fix its findings.\n");
  CHECK_THAT(r.err, Catch::Contains(".scopecop.yaml:4:5: the suppression of S3-001 expired on 2000-01-31 and "
                                    "no longer applies (its reason: was accepted once)\n"));
  CHECK_THAT(
      r.err,
      Catch::Contains(
          ".scopecop.yaml:5:5: the suppression of s3-bucket-unscoped matches no finding; remove it\n"));
  auto json = run_scopecop({"check", "--format", "json"}, dir.path());
  CHECK(nlohmann::json::parse(json.out)["summary"]["suppressed"] == 1);

  dir.write(".scopecop.yaml", "suppress:\n  - {rule: GLUE-0001, reason: typo}\n");
  auto typo = run_scopecop({"check"}, dir.path());
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains(".scopecop.yaml:2:5: suppress: "));
  CHECK_THAT(typo.err, Catch::Contains("GLUE-001"));
}

TEST_CASE("cli: a baseline accepts today's findings and fails on new ones", "[cli][suppress]") {
  TempDir dir;
  dir.write("policies/read.json", kLegacy);
  auto write = run_scopecop({"check", "--quiet", "--write-baseline", ".scopecop-baseline.json", "policies"},
                            dir.path());
  CHECK(write.exit_code == 0);
  auto baseline = nlohmann::json::parse(*testing::read_file(dir.path() / ".scopecop-baseline.json"));
  CHECK(baseline["schema"] == "scopecop/baseline/v1");
  CHECK(baseline["findings"].size() >= 2);
  auto same = run_scopecop({"check", "--baseline", ".scopecop-baseline.json", "policies"}, dir.path());
  CHECK(same.exit_code == 0);
  CHECK_THAT(same.out, Catch::StartsWith("No findings (1 file, 1 policy, 2 statements checked; "));
  // The policy moves down its file and gains a statement: only that statement's findings are new.
  std::string grown = std::string("\n\n") + kLegacy;
  grown.insert(
      grown.rfind(']'),
      ",\n    {\"Sid\": \"Results\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": "
      "\"*\"}\n  ");
  dir.write("policies/read.json", grown);
  auto grew = run_scopecop({"check", "--format", "json", "--baseline", ".scopecop-baseline.json", "policies"},
                           dir.path());
  CHECK(grew.exit_code == 1);
  auto findings = nlohmann::json::parse(grew.out)["findings"];
  REQUIRE_FALSE(findings.empty());
  for (const auto& f : findings) CHECK(f["sid"] == "Results");

  dir.write("not-a-baseline.json", "[]");
  auto bad = run_scopecop({"check", "--baseline", "not-a-baseline.json", "policies"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("not-a-baseline.json: not a scopecop baseline"));
  auto missing = run_scopecop({"check", "--baseline", "nowhere.json", "policies"}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("cannot read the baseline: nowhere.json: No such file or directory"));
}

TEST_CASE("cli: suppressions in a template accept the findings of their element or resource",
          "[cli][suppress]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / ".git");
  dir.write("stack.yaml", R"(Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          # scopecop: ignore[S3-001] the raw zone is read whole, ticket 42
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"  # scopecop: ignore[GLUE-001] nothing of Glue here
          - Effect: Allow
            Action:
              - s3:ListBucket  # scopecop: ignore[S3-001] on its Action entry, for the statement's Resource
            Resource: "*"
  Writer:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      scopecop:
        ignore:
          - {code: S3-001, reason: "named at deploy time", expires: 2000-01-31}
          - {code: PRIVILEGE, reason: "the writer writes"}
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]
)");
  // The configuration's entry for what the comment already accepts is then unused.
  dir.write(".scopecop.yaml",
            "select: [S3-001, PRIVILEGE-006, GLUE-001]\nsuppress:\n"
            "  - {rule: S3-001, file: stack.yaml, policy: Reader, sid: x, reason: old}\n");
  auto r = run_scopecop({"check", "--format", "concise"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "stack.yaml:14:23: security S3-001 s3:GetObject is allowed on every S3 bucket (in Reader, statement "
        "1)\n"
        "stack.yaml:29:69: security S3-001 s3:PutObject is allowed on every S3 bucket (in Writer, statement "
        "0)\n"
        "Found 2 findings (2 security; 1 file, 2 policies, 4 statements checked; 3 suppressed).\n"
        "Run `scopecop rule CODE` for what a rule checks and how to fix its findings.\n");
  CHECK_THAT(
      r.err,
      Catch::StartsWith(
          "scopecop: warning: stack.yaml:14:28: the suppression of GLUE-001 matches no finding; remove it\n"
          "scopecop: warning: stack.yaml:24:13: the suppression of S3-001 expired on 2000-01-31 and no "
          "longer applies (its reason: named at deploy time)\n"));
  CHECK_THAT(r.err, Catch::EndsWith(
                        ".scopecop.yaml:3:5: the suppression of S3-001 matches no finding; remove it\n"));

  // A malformed one is named with its file, line and column, and accepts nothing.
  dir.write("stack.yaml", R"(Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"  # scopecop: ignore[S3-01] typo in the code
)");
  dir.write(".scopecop.yaml", "select: [S3-001]\n");
  auto typo = run_scopecop({"check", "--format", "concise"}, dir.path());
  CHECK(typo.exit_code == 1);
  CHECK_THAT(typo.out, Catch::Contains("stack.yaml:10:23: security S3-001"));
  CHECK_THAT(typo.err,
             Catch::Contains("scopecop: warning: stack.yaml:10:28: this suppression does not apply: "
                             "unknown rule selector \"S3-01\"; did you mean \"S3-001\"?\n"));

  // JSON has no comments, but a JSON template has Metadata.
  dir.write("stack.yaml", "Resources: {}\n");
  dir.write("stack.json", R"({"Resources": {"Writer": {"Type": "AWS::IAM::ManagedPolicy",
  "Metadata": {"scopecop": {"ignore": [{"code": "s3-bucket-unscoped", "reason": "accepted"}]}},
  "Properties": {"PolicyDocument": {"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}}}}})");
  auto json = run_scopecop({"check", "--format", "json", "stack.json"}, dir.path());
  CHECK(json.exit_code == 0);
  CHECK(json.err.empty());
  auto report = nlohmann::json::parse(json.out);
  CHECK(report["findings"].empty());
  CHECK(report["summary"]["suppressed"] == 1);
}
