// Suppressions written in a template: where each applies (an element; within a statement, the statement), and
// why a malformed one does not.
#include <catch2/catch.hpp>

#include "scopecop/parse.h"

using namespace scopecop;

namespace {

std::string_view covered(std::string_view text, const InlineSuppression& s) {
  return text.substr(s.covers.begin, s.covers.end - s.covers.begin);
}

constexpr std::string_view kTemplate = R"(Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: "not a comment # scopecop: ignore[S3-001] inside a string"
      PolicyDocument:
        Statement:
          # scopecop: ignore[S3-001] the whole first statement
          # (another comment between)
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
          - Effect: Allow
            Action: s3:PutObject
            Resource: "*"  # scopecop: ignore[S3-001, PRIVILEGE-006] its statement (expires 2027-03-31)
        Version: "2012-10-17"  # scopecop: ignore[POLICY-006] outside the statements: this line
)";

}  // namespace

TEST_CASE(
    "inline suppressions: a comment covers the element on its line or below it, in a statement the statement",
    "[suppress][yaml]") {
  ParsedFile parsed = parse_policies(kTemplate, "t.yaml");
  REQUIRE(parsed.policies.size() == 1);
  REQUIRE(parsed.suppressions.size() == 4);
  const InlineSuppression& above = parsed.suppressions[0];
  CHECK(above.rule == "S3-001");
  CHECK(above.reason == "the whole first statement");
  CHECK(above.problem.empty());
  CHECK(covered(kTemplate, above) ==
        "Effect: Allow\n            Action: s3:GetObject\n            Resource: \"*\"");
  for (std::size_t i : {1, 2}) {
    const InlineSuppression& after = parsed.suppressions[i];
    CHECK(after.rule == (i == 1 ? "S3-001" : "PRIVILEGE-006"));
    CHECK(after.reason == "its statement");
    CHECK(after.expires == "2027-03-31");
    CHECK(covered(kTemplate, after) ==
          "Effect: Allow\n            Action: s3:PutObject\n            Resource: \"*\"");
  }
  CHECK(covered(kTemplate, parsed.suppressions[3]) == "Version: \"2012-10-17\"");
}

TEST_CASE("inline suppressions: resource Metadata covers the resource, in YAML and JSON", "[suppress]") {
  constexpr std::string_view kYaml = R"(Resources:
  Writer:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      scopecop:
        ignore:
          - {code: S3-001, reason: "the writer's bucket is named at deploy time", expires: 2027-01-31}
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]
  Other:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]
)";
  ParsedFile yaml = parse_policies(kYaml, "t.yaml");
  REQUIRE(yaml.suppressions.size() == 1);
  CHECK(yaml.suppressions[0].rule == "S3-001");
  CHECK(yaml.suppressions[0].expires == "2027-01-31");
  CHECK(covered(kYaml, yaml.suppressions[0]).starts_with("Writer:"));
  CHECK(covered(kYaml, yaml.suppressions[0]).ends_with("Resource: \"*\"}]"));
  CHECK(covered(kYaml, yaml.suppressions[0]).find("Other") == std::string_view::npos);

  constexpr std::string_view kJson = R"({"Resources": {"Writer": {"Type": "AWS::IAM::ManagedPolicy",
  "Metadata": {"scopecop": {"ignore": [{"code": "s3-bucket-unscoped", "reason": "accepted"}]}},
  "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}}}}})";
  ParsedFile json = parse_policies(kJson, "t.json");
  REQUIRE(json.suppressions.size() == 1);
  CHECK(json.suppressions[0].rule == "s3-bucket-unscoped");
  CHECK(covered(kJson, json.suppressions[0]).starts_with("\"Writer\": {"));
  CHECK(covered(kJson, json.suppressions[0]).ends_with("}}}"));
}

TEST_CASE("inline suppressions: a malformed one says why it does not apply", "[suppress]") {
  constexpr std::string_view kYaml = R"(Resources:
  Writer:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      scopecop:
        ignore:
          - {code: S3-001}
          - {code: S3-001, reasn: typo}
          - {code: S3-001, reason: ok, expires: next week}
          - S3-001
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow  # scopecop: ignore[S3-001]
            Action: s3:PutObject  # scopecop: ignore[] nothing named
            Resource: "*"  # scopecop: suppress S3-001 please
            Sid: x  # scopecop: ignore[S3-001] a reason (expires soon)
# scopecop: ignore[S3-001] above nothing
)";
  ParsedFile parsed = parse_policies(kYaml, "t.yaml");
  std::vector<std::string> problems;
  for (const InlineSuppression& s : parsed.suppressions) problems.push_back(s.problem);
  CHECK(problems ==
        std::vector<std::string>{
            "an ignore entry needs a reason, so that the next reader knows why the finding is "
            "accepted",
            "unknown key \"reasn\" in an ignore entry (did you mean \"reason\"?)",
            "expires must be a date such as 2027-03-31",
            "an ignore entry is {code: ..., reason: ..., expires: ...}",
            "a suppression needs a reason after ignore[...], so that the next reader knows why the "
            "finding is accepted",
            "ignore[] names no rule: write `# scopecop: ignore[CODE] reason`",
            "not a scopecop directive: write `# scopecop: ignore[CODE] reason`",
            "\"soon\" is not a date such as 2027-03-31",
            "the suppression is above no element: put it on the element's line or the line above it",
        });
}
