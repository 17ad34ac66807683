// One flawed analytics policy in every container scopecop reads: the same findings, each at the line of
// its element in that container. And broken containers: a finding or an error naming the file, with every
// other policy still checked.
#include <catch2/catch.hpp>

#include <map>

#include <nlohmann/json.hpp>

#include "support/run.h"

using namespace scopecop;
using testing::run_scopecop;
using testing::TempDir;

namespace {

const std::filesystem::path kDir = testing::kSourceDir / "tests/containers/analytics";

struct Form {
  std::string file;
  std::string policy;      // what the container calls the analytics policy
  std::vector<int> lines;  // of the findings below, in order
  int attachment_line;     // of the AmazonAthenaFullAccess attachment (0: the form has none)
};

// The findings of policy.json, in report order (the lines are policy.json's).
const std::vector<std::string> kCodes = {"ATHENA-001", "ATHENA-002", "GLUE-001", "GLUE-002", "S3-007",
                                         "S3-002",     "S3-003",     "S3-007",   "S3-002"};

nlohmann::json findings_of(const std::string& file) {
  auto r = run_scopecop({"check", "--config", "scopecop.yaml", "--format", "json", file}, kDir);
  INFO(r.err);
  REQUIRE(r.exit_code == 1);
  return nlohmann::json::parse(r.out)["findings"];
}

}  // namespace

TEST_CASE("containers: the analytics policy gives the same findings in every container",
          "[cli][containers]") {
  const std::vector<Form> forms = {
      {"policy.json", "policy.json", {14, 14, 26, 26, 38, 39, 39, 40, 41}, 0},
      {"template.yaml",
       "AnalyticsRole inline policy analytics-access",
       {52, 52, 61, 61, 66, 67, 67, 68, 69},
       38},
      {"template.json",
       "AnalyticsRole inline policy analytics-access",
       {43, 43, 55, 55, 62, 63, 63, 64, 65},
       26},
      // A SAM function: its Policies entry is the role's policy, Athena's managed policy is attached.
      {"sam.yaml", "AnalyticsFunction policy 1", {34, 34, 43, 43, 48, 49, 49, 50, 51}, 23},
      // A policy held in a JSON string: the string's line, whatever the element.
      {"plan.json", "aws_iam_role_policy.analytics", {31, 31, 31, 31, 31, 31, 31, 31, 31}, 43},
      {"auth-details.json",
       "role/dot-analytics inline policy analytics-access",
       {40, 40, 52, 52, 64, 65, 65, 66, 67},
       77},
  };
  // What a finding says about the policy, apart from where the container put it.
  auto essence = [](const nlohmann::json& f) {
    return f["code"].get<std::string>() + " | " + f["message"].get<std::string>() + " | statement " +
           std::to_string(f["statement"].get<int>()) + " | " + f.value("sid", "") + " | " +
           f.value("resource", "");
  };
  std::vector<std::string> reference;
  for (const nlohmann::json& f : findings_of("policy.json")) reference.push_back(essence(f));
  REQUIRE(reference.size() == kCodes.size());
  for (const Form& form : forms) {
    INFO(form.file);
    std::vector<nlohmann::json> analytics;
    std::vector<int> attachment_lines;
    for (const nlohmann::json& f : findings_of(form.file)) {
      if (f["policy"] == form.policy) {
        analytics.push_back(f);
      } else if (f["code"] == "PRIVILEGE-010") {
        CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("AmazonAthenaFullAccess"));
        attachment_lines.push_back(f["line"].get<int>());
      }
    }
    REQUIRE(analytics.size() == kCodes.size());
    std::vector<std::string> essences;
    std::vector<int> lines;
    std::vector<std::string> codes;
    for (const nlohmann::json& f : analytics) {
      essences.push_back(essence(f));
      lines.push_back(f["line"].get<int>());
      codes.push_back(f["code"].get<std::string>());
    }
    std::vector<std::string> sorted_reference = reference, sorted_essences = essences;
    std::sort(sorted_reference.begin(), sorted_reference.end());
    std::sort(sorted_essences.begin(), sorted_essences.end());
    CHECK(sorted_essences == sorted_reference);
    // Lines per finding, in the order policy.json reports them (by line, then code).
    std::map<std::string, std::vector<int>> by_essence;
    for (std::size_t i = 0; i < analytics.size(); ++i) by_essence[essences[i]].push_back(lines[i]);
    std::vector<int> expected_order;
    for (const std::string& e : reference) {
      auto& l = by_essence[e];
      REQUIRE_FALSE(l.empty());
      expected_order.push_back(l.front());
      l.erase(l.begin());
    }
    CHECK(expected_order == form.lines);
    if (form.attachment_line) {
      CHECK(attachment_lines == std::vector<int>{form.attachment_line});
    } else {
      CHECK(attachment_lines.empty());
    }
  }
}

TEST_CASE("containers: broken containers are reported by file and line; the other policies are checked",
          "[cli][containers]") {
  TempDir dir;
  // Broken YAML in a template: POLICY-001 where the parser stopped.
  dir.write("broken.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Resources:\n"
            "  Role:\n"
            "    Type: AWS::IAM::Role\n"
            "    Properties:\n"
            "      Policies: [{PolicyName: a\n"
            "  Other: 1\n");
  // A plan whose policy string is not JSON, beside a valid policy in the same plan.
  dir.write("plan.json", R"({"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_iam_policy.broken", "type": "aws_iam_policy", "values": {"policy": "{\"Version\": \"2012-10-17\","}},
  {"address": "aws_iam_policy.wide", "type": "aws_iam_policy",
   "values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}
]}}}
)");
  // An account dump missing names and versions: what is there is checked.
  dir.write("dump.json", R"({"RoleDetailList": [
  {"RolePolicyList": [{"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]},
  {"RoleName": "no-policies"}
],
"Policies": [{"PolicyName": "no-versions"}, {"PolicyName": "no-default", "PolicyVersionList": [{"Document": {}}]}]}
)");
  auto r = run_scopecop(
      {"check", "--format", "concise", "--quiet", "--select", "POLICY-001,PRIVILEGE-001", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("broken.yaml:7:8: error POLICY-001 the file is not valid YAML: "));
  CHECK_THAT(r.out,
             Catch::Contains("plan.json:2:87: error POLICY-001 the file is not valid JSON: in the policy "
                             "string at /planned_values/root_module/resources/0/values/policy: "));
  CHECK_THAT(r.out, Catch::Contains("plan.json:4:25: security PRIVILEGE-001"));
  CHECK_THAT(r.out, Catch::Contains("dump.json:2:112: security PRIVILEGE-001"));
  // Other YAML in a walked directory holds no policy: a note, not a finding.
  dir.write("compose.yml", "services:\n  web:\n    image: nginx\n");
  auto walked = run_scopecop({"check", "--format", "concise", "--select", "POLICY-001", "."}, dir.path());
  CHECK_THAT(walked.err, Catch::Contains("compose.yml: holds no IAM policy"));
  CHECK(walked.out.find("compose.yml:") == std::string::npos);
  auto json =
      run_scopecop({"check", "--format", "json", "--select", "PRIVILEGE-001", "dump.json"}, dir.path());
  auto findings = nlohmann::json::parse(json.out)["findings"];
  REQUIRE(findings.size() == 1);
  CHECK(findings[0]["policy"] == "role/? inline policy ?");
}

TEST_CASE("containers: the template's and the plan's bucket, endpoint and Glue policies agree",
          "[cli][containers]") {
  // policy name in the template, in the plan -> the codes and lines found there
  struct Resource {
    std::string in_template, in_plan;
    std::vector<std::string> codes;
    int template_line, plan_line;  // of the first finding
  };
  const std::vector<Resource> resources = {
      {"ResultsBucketPolicy", "aws_s3_bucket_policy.results", {"S3-006"}, 76, 56},
      {"AthenaEndpoint",
       "aws_vpc_endpoint.athena",
       {"ATHENA-002", "ATHENA-003", "NETWORK-002", "POLICY-006", "PRIVILEGE-002"},
       103,
       71},
      {"CatalogPolicy", "aws_glue_resource_policy.catalog", {}, 0, 0},
  };
  auto codes_of = [](const nlohmann::json& findings, const std::string& policy, int& first_line) {
    std::vector<std::string> codes;
    first_line = 0;
    for (const nlohmann::json& f : findings) {
      if (f["policy"] != policy) continue;
      codes.push_back(f["code"].get<std::string>());
      if (!first_line) first_line = f["line"].get<int>();
    }
    std::sort(codes.begin(), codes.end());
    return codes;
  };
  nlohmann::json in_template = findings_of("template.yaml");
  nlohmann::json in_plan = findings_of("plan.json");
  for (const Resource& r : resources) {
    INFO(r.in_template);
    int template_line = 0, plan_line = 0;
    CHECK(codes_of(in_template, r.in_template, template_line) == r.codes);
    CHECK(codes_of(in_plan, r.in_plan, plan_line) == r.codes);
    CHECK(template_line == r.template_line);
    CHECK(plan_line == r.plan_line);
  }
}

TEST_CASE("containers: findings in a dump's managed and group policies say who they apply to",
          "[cli][containers]") {
  TempDir dir;
  dir.write("dump.json", R"({
  "UserDetailList": [{"UserName": "ana", "GroupList": ["analysts"]}],
  "GroupDetailList": [{"GroupName": "analysts",
    "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::418295730264:policy/Lake"}]}],
  "RoleDetailList": [],
  "Policies": [{"PolicyName": "Lake", "Arn": "arn:aws:iam::418295730264:policy/Lake", "PolicyVersionList": [
    {"IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}]
})");
  auto text = run_scopecop({"check", "--select", "S3-001", "dump.json"}, dir.path());
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("      = in: policy/Lake, statement 0\n"
                                       "      = applies to: group/analysts, user/ana\n"));
  auto json = run_scopecop({"check", "--format", "json", "--select", "S3-001", "dump.json"}, dir.path());
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["findings"][0]["principals"] == nlohmann::json::array({"group/analysts", "user/ana"}));
  auto sarif = run_scopecop({"check", "--format", "sarif", "--select", "S3-001", "dump.json"}, dir.path());
  CHECK(nlohmann::json::parse(sarif.out)["runs"][0]["results"][0]["properties"]["principals"].size() == 2);
}
