// Policies inside containers: AWS CLI outputs (get-policy-version, get-bucket-policy,
// describe-vpc-endpoints), account authorization details, Terraform plan JSON and CloudFormation templates.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "scopecop/json.h"
#include "scopecop/parse.h"

namespace scopecop {

// Adds the policies (and attachment records) `root` holds to `out`, in the file's order, normalizing them on
// up to `jobs` threads; returns whether `root` is a container. The documents' values in `root` are emptied
// once read.
bool read_containers(json::Value& root, std::string_view text, std::string_view name,
                     const Deployment& deployment, ParsedFile& out, unsigned jobs = 1);

// The policy document `v` holds, normalized: an object of the file, or a JSON string (possibly URL-encoded)
// whose spans are then its own and whose findings point at the string; nullopt when `v` is neither.
std::optional<Policy> document_policy(const json::Value& v, std::string_view text, const std::string& pointer,
                                      std::string name, PolicyType type, IdentityKind kind);
// The same, added to `out`.
void add_document(const json::Value& v, std::string_view text, const std::string& pointer, std::string name,
                  PolicyType type, IdentityKind kind, ParsedFile& out);

// A container's record of the managed policies attached to one principal, for PRIVILEGE-010 (none: no
// record).
void add_attachments(std::string name, std::vector<Text> arns, ParsedFile& out);

// A resource type whose policy is read, where the policy is, and what kind it is (README, "What it reads").
struct ReadPolicy {
  std::string_view resource_type, property;
  PolicyType type;
};
std::vector<ReadPolicy> cloudformation_policies();
std::vector<ReadPolicy> terraform_policies();

json::Value string_value(std::string text, Span span);
json::Value member_object(std::vector<json::Member> members, Span span);
// A policy document of one statement, standing at `at`: {"Version": "2012-10-17", "Statement": [statement]}.
json::Value one_statement_document(json::Value statement, Span at);

// The statement a Lambda permission adds to its function's resource policy, as a policy document whose values
// keep their places in the file, from the properties named by `keys` (CloudFormation's or Terraform's), each
// resolved by `resolve`; nullopt without an action, principal or function.
struct LambdaPermissionKeys {
  std::string_view action, principal, function, source_arn, source_account, org_id, url_auth;
};
inline constexpr LambdaPermissionKeys kCloudFormationPermission = {
    "Action",        "Principal",      "FunctionName",       "SourceArn",
    "SourceAccount", "PrincipalOrgID", "FunctionUrlAuthType"};
std::optional<json::Value> lambda_permission_document(
    const json::Value& properties, const LambdaPermissionKeys& keys,
    const std::function<json::Value(const json::Value&)>& resolve);

// The policy document a Terraform resource's attribute will hold when the plan leaves it to apply time
// because it is the json of an aws_iam_policy_document data source read at apply (its inputs do not exist
// yet): rebuilt from the statements the plan holds for that data source, each value it does not know an
// unknown element, its spans the plan's. nullopt when the attribute is something else or the plan does not
// determine the document's shape; `why` then says why, when it is such a data source.
struct PlannedDocument {
  json::Value document;
  std::string pointer;  // of the data source's planned values
  std::string source;   // the data source's address
};
std::optional<PlannedDocument> planned_policy_document(const json::Value& plan, std::string_view address,
                                                       std::string_view attribute, std::string& why);

// A template: Resources with at least one AWS:: Type. read_cloudformation reads only such a root.
bool is_cloudformation(const json::Value& root);
void read_cloudformation(const json::Value& root, std::string_view text, const Deployment& deployment,
                         ParsedFile& out);

}  // namespace scopecop
