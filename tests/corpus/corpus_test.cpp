// Real data: the AWS managed policies in ../shared/corpus (absent in a user's clone: skipped with a message).
// AWS's own policies are valid, so ACTION-001/002 and RESOURCE-004 may only report what is listed below, each
// with the reason it is a real AWS mistake or a removed service rather than a bug of ours. The per-code
// counts are recorded in docs/corpus.md; a change in them fails here until the page is regenerated on
// purpose.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/check.h"
#include "support/files.h"

using namespace scopecop;

namespace {

std::filesystem::path corpus_file(const std::string& name) {
  return testing::kSourceDir.parent_path() / "shared" / "corpus" / name;
}

struct Entry {
  std::string name;
  nlohmann::ordered_json document;
};

std::vector<Entry> load(const std::filesystem::path& path) {
  std::vector<Entry> entries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::ordered_json::parse(line);
    entries.push_back({j["name"].get<std::string>(), j["document"]});
  }
  return entries;
}

const std::string kUndocumentedService =
    "no such service in AWS's own service reference (2026-08-22) nor in the "
    "catalog: the policy names a service AWS does not document";
const std::string kUndocumentedAction =
    "absent from AWS's own service reference (2026-08-22) and from the catalog: "
    "the policy names an action AWS does not document";
const std::string kNoFormat = "matches no ARN format of AWS's own service reference (2026-08-22) either";

// ACTION-001: service prefixes.
const std::map<std::string, std::string> kUnknownServices = {
    {"builderid", kUndocumentedService},
    {"datazonecontrol", kUndocumentedService + " (the Amazon DataZone preview's prefix)"},
    {"iotroborunner", kUndocumentedService + " (AWS IoT RoboRunner, a discontinued preview)"},
};

// ACTION-002: actions (the whole "service:Action" as written).
const std::map<std::string, std::string> kUnknownActions = [] {
  std::map<std::string, std::string> m;
  for (const char* a : {"budgets:CreateBudget",
                        "budgets:DeleteBudget",
                        "budgets:DescribeBudget",
                        "budgets:DescribeBudgets",
                        "budgets:UpdateBudget",
                        "cloud9:ValidateEnvironmentName",
                        "memorydb:ReplicateMultiRegionClusterData",
                        "organizations:CreateBuilderIdOwnedAccount",
                        "payments:AcceptTermsAndConditionsForProgramByAccountId",
                        "payments:BatchGetPaymentProfiles",
                        "payments:CreatePaymentAttempt",
                        "payments:CreatePaymentProfile",
                        "payments:Get",
                        "payments:GetAcceptedTermsAndConditionsForProgramByAccountId",
                        "payments:GetAccountBalance",
                        "payments:GetDefaultPaymentProfile",
                        "payments:GetEligibleCurrencies",
                        "payments:GetPaymentAttempt",
                        "payments:GetPaymentPreferences",
                        "payments:GetPreferredCurrency",
                        "payments:GetRecommendedTermsAndConditionsForProgram",
                        "payments:ListPaymentProfiles",
                        "payments:SearchFinancialRecords",
                        "payments:SetPreferredCurrency",
                        "payments:UpdatePaymentProfile",
                        "qapps:ImportDocumentToQApp",
                        "qapps:ImportDocumentToQAppSession",
                        "route53-recovery-control-config:DescribeRoutingControlByName",
                        "securityagent:BatchGetAgentInstances",
                        "securityagent:BatchGetSecurityTestContentMetadata",
                        "securityagent:BatchGetTasks",
                        "securityagent:CreateDocumentReview",
                        "securityagent:DeleteDocumentReview",
                        "securityagent:GetCodeReviewTask",
                        "securityagent:GetDocReviewTask",
                        "securityagent:GetDocumentReview",
                        "securityagent:GetDocumentReviewArtifact",
                        "securityagent:ListAgentInstances",
                        "securityagent:ListControls",
                        "securityagent:ListDocumentReviewComments",
                        "securityagent:ListDocumentReviews",
                        "securityagent:ListTasks",
                        "securityagent:StartPentestExecution",
                        "securityagent:StopPentestExecution"}) {
    m[a] = kUndocumentedAction;
  }
  return m;
}();

// RESOURCE-004: ARNs as written.
const std::map<std::string, std::string> kUnknownArns = {
    {"arn:*:kms:*:::*", "an extra ':' starts the resource part with ':'; " + kNoFormat},
    {"arn:aws:config:*:*::config-rule/*", "an extra ':' starts the resource part with ':'; " + kNoFormat},
    {"arn:aws:apigateway:*::/tags", "API Gateway documents no /tags path; " + kNoFormat},
    {"arn:aws:apigateway:*::/v2/apis", "API Gateway v2 ARNs are /apis/..., not /v2/apis; " + kNoFormat},
    {"arn:aws:apigateway:*::/v2/apis/*", "API Gateway v2 ARNs are /apis/..., not /v2/apis; " + kNoFormat},
    {"arn:aws:apigateway:*::/v2/apis/*/integrations", "API Gateway v2 ARNs are /apis/...; " + kNoFormat},
    {"arn:aws:apigateway:*::/v2/apis/*/integrations/*", "API Gateway v2 ARNs are /apis/...; " + kNoFormat},
    {"arn:aws:apigateway:*::/v2/apis/*/routes", "API Gateway v2 ARNs are /apis/...; " + kNoFormat},
    {"arn:aws:apigateway:*::/v2/apis/*/routes/*", "API Gateway v2 ARNs are /apis/...; " + kNoFormat},
    {"arn:aws:appflow:*:*:connector-profile/*", "the documented type is connectorprofile/...; " + kNoFormat},
    {"arn:aws:aps:*:*:/workspaces", "workspace ARNs are workspace/<id>; " + kNoFormat},
    {"arn:aws:grafana:*:*:/workspaces", "workspace ARNs are /workspaces/<id>; " + kNoFormat},
    {"arn:aws:autoscaling:*:*:scalingPolicy:*:resource/dynamodb/table/*",
     "an Application Auto Scaling policy written with the EC2 Auto Scaling service field; " + kNoFormat},
    {"arn:aws:bedrock-agentcore:*:*:credential-provider/*", kNoFormat},
    {"arn:aws:ec2:*:*:vpc-endpoint:*", "VPC endpoint ARNs are vpc-endpoint/<id>; " + kNoFormat},
    {"arn:aws:elasticloadbalancing:*:*:listener/awseb-*",
     "listener ARNs are listener/app/... or listener/net/...; " + kNoFormat},
    {"arn:aws:elasticloadbalancing:*:*:listener/eb-*",
     "listener ARNs are listener/app/... or listener/net/...; " + kNoFormat},
    {"arn:aws:organizations::*:", "the resource part is empty; " + kNoFormat},
    {"arn:aws:pricingplanmanager::*:subscription:*", kNoFormat},
    {"arn:aws:profile:*:*:/domains/amazon-connect-*", "domain ARNs are domains/<name>; " + kNoFormat},
    {"arn:aws:profile:*:*:/templates*", kNoFormat},
    {"arn:aws:quicksight:*:*:vpcconnection/*",
     "the documented type is vpcConnection/ (ARNs are case-sensitive); " + kNoFormat},
    {"arn:aws:redshift-serverless:*:*:snapshotcopyconfiguration/*", kNoFormat},
    {"arn:aws:robomaker:*:*:/createSimulationApplication", "an API path, not a resource; " + kNoFormat},
    {"arn:aws:sagemaker:*:*:Canvas*", kNoFormat},
    {"arn:aws:sagemaker:*:*:canvas*", kNoFormat},
    {"arn:aws:sagemaker:*:*:endpointconfig/*", "the documented type is endpoint-config/...; " + kNoFormat},
    {"arn:aws:securityagent:*:*:agent-instance*", kNoFormat},
    {"arn:aws:waf-regional:*:*:changetoken/*", "WAF Classic change tokens have no ARN type; " + kNoFormat},
    {"arn:aws:waf:*:*:changetoken/*", "WAF Classic change tokens have no ARN type; " + kNoFormat},
    {"arn:aws:waf::*:changetoken/*", "WAF Classic change tokens have no ARN type; " + kNoFormat},
};

std::string counts_table(const std::map<std::string, std::pair<std::size_t, std::set<std::string>>>& counts) {
  std::ostringstream out;
  out << "| code | findings | policies |\n| --- | ---: | ---: |\n";
  for (const auto& [code, c] : counts)
    out << "| " << code << " | " << c.first << " | " << c.second.size() << " |\n";
  return out.str();
}

}  // namespace

TEST_CASE("corpus: AWS managed policies against every rule", "[corpus]") {
  auto path = corpus_file("aws-managed-policies.jsonl");
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent (it ships beside the repository, not in it)");
    return;
  }
  std::vector<Entry> entries = load(path);
  REQUIRE(entries.size() == 1594);
  std::map<std::string, std::pair<std::size_t, std::set<std::string>>> counts;
  std::set<std::string> used;
  for (const Entry& e : entries) {
    INFO(e.name);
    std::string text = e.document.dump(2);
    ParsedFile parsed = parse_policies(text, e.name);
    REQUIRE(parsed.recognized);
    REQUIRE(parsed.policies.size() == 1);
    const auto& statement = e.document["Statement"];
    CHECK(parsed.policies[0].statements.size() == (statement.is_array() ? statement.size() : 1));
    for (const Finding& f : testing::check_string(text, {}, std::nullopt, e.name)) {
      auto& c = counts[std::string(f.code)];
      ++c.first;
      c.second.insert(e.name);
      const std::map<std::string, std::string>* allowed = nullptr;
      std::string key;
      if (f.code == "ACTION-001") {
        allowed = &kUnknownServices;
        key = f.action.substr(0, f.action.find(':'));
      } else if (f.code == "ACTION-002") {
        allowed = &kUnknownActions;
        key = f.action;
      } else if (f.code == "RESOURCE-004") {
        allowed = &kUnknownArns;
        key = f.resource;
      } else if (f.code == "POLICY-012") {
        // AWS managed policies are not held to the 6,144-character quota of customer managed policies, which
        // POLICY-012 applies to a bare file.
        CHECK(e.document.dump().size() > 6144);
        continue;
      } else if (f.code.starts_with("POLICY-")) {
        FAIL_CHECK(e.name << ": " << f.code << " " << f.message);
        continue;
      }
      if (!allowed) continue;
      if (allowed->count(key)) {
        used.insert(std::string(f.code) + " " + key);
      } else {
        FAIL_CHECK(e.name << ": " << f.code << " " << f.message);
      }
    }
  }
  // Every listed exception still occurs: the lists do not outlive what they explain.
  for (const auto& [list, code] :
       {std::pair{&kUnknownServices, "ACTION-001"}, std::pair{&kUnknownActions, "ACTION-002"},
        std::pair{&kUnknownArns, "RESOURCE-004"}}) {
    for (const auto& [key, reason] : *list) {
      INFO(code << " " << key << " is listed but no longer reported");
      CHECK(used.count(std::string(code) + " " + key) == 1);
    }
  }

  const std::string begin = "<!-- begin: counts -->\n", end = "<!-- end: counts -->";
  auto doc_path = testing::kSourceDir / "docs" / "corpus.md";
  auto doc = testing::read_file(doc_path);
  REQUIRE(doc);
  auto from = doc->find(begin), to = doc->find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  std::string table = counts_table(counts);
  if (testing::updating_goldens()) {
    testing::write_file(doc_path, doc->substr(0, from + begin.size()) + table + doc->substr(to));
  } else {
    INFO("docs/corpus.md is stale: regenerate with SCOPECOP_UPDATE_GOLDENS=1 and read the change");
    CHECK(doc->substr(from + begin.size(), to - from - begin.size()) == table);
  }
}

TEST_CASE("corpus: deprecated AWS managed policies parse without a crash", "[corpus]") {
  auto path = corpus_file("aws-managed-policies-deprecated-extra.jsonl");
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent");
    return;
  }
  for (const Entry& e : load(path)) {
    INFO(e.name);
    std::string text = e.document.dump();
    ParsedFile parsed = parse_policies(text, e.name);
    CHECK(parsed.recognized);
    CHECK_FALSE(parsed.syntax_error);
    testing::check_string(text, {}, std::nullopt, e.name);
  }
}
