#include <catch2/catch.hpp>

#include <map>

#include <fmt/format.h>

#include "scopecop/source.h"
#include "support/check.h"

using namespace scopecop;

TEST_CASE("containers: get-policy-version keeps the document's positions in the file", "[containers]") {
  std::string text = R"({"PolicyVersion": {"VersionId": "v3", "IsDefaultVersion": true,
  "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}}})";
  ParsedFile parsed = parse_policies(text, "out.json");
  REQUIRE(parsed.recognized);
  REQUIRE(parsed.policies.size() == 1);
  const Policy& p = parsed.policies[0];
  CHECK(p.type == PolicyType::Identity);
  CHECK(p.type_declared);
  CHECK(p.identity_kind == IdentityKind::Managed);
  CHECK_FALSE(p.anchor);
  CHECK(p.statements.at(0).effect_text->pointer == "/PolicyVersion/Document/Statement/0/Effect");
  auto findings = testing::check_string(text, {"POLICY-007"}, std::nullopt, "out.json");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].start.line == 2);
  CHECK(findings[0].start.column == 66);
  CHECK(findings[0].pointer == "/PolicyVersion/Document/Statement/0/Effect");
}

TEST_CASE("containers: a document in a JSON string points at the string, with the pointer inside it",
          "[containers]") {
  std::string text =
      "{\n  \"Policy\": "
      "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
      "\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:s3:::b/"
      "*\\\"}]}\"\n}";
  auto findings = testing::check_string(text, {"S3-005", "S3-004"}, std::nullopt, "bucket.json");
  REQUIRE(findings.size() == 2);
  for (const Finding& f : findings) {
    CHECK(f.start.line == 2);
    CHECK(f.start.column == 13);
    CHECK(f.policy_type == PolicyType::Bucket);
    CHECK(f.policy == "bucket.json (bucket policy)");
  }
  CHECK(findings[1].pointer == "/Statement/0/Principal");
}

TEST_CASE("containers: aws kms get-key-policy output is a key policy: the root's kms:* is no finding",
          "[containers]") {
  // The default key policy, and AWS's policy of a key for S3 (open to "*" but limited to the account).
  std::string text =
      "{\n  \"Policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":["
      "{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::418295730264:root\\\"},"
      "\\\"Action\\\":\\\"kms:*\\\",\\\"Resource\\\":\\\"*\\\"},"
      "{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"*\\\"},"
      "\\\"Action\\\":[\\\"kms:Decrypt\\\",\\\"kms:GenerateDataKey*\\\"],\\\"Resource\\\":\\\"*\\\","
      "\\\"Condition\\\":{\\\"StringEquals\\\":{\\\"kms:CallerAccount\\\":\\\"418295730264\\\","
      "\\\"kms:ViaService\\\":\\\"s3.us-east-1.amazonaws.com\\\"}}}]}\",\n"
      "  \"PolicyName\": \"default\"\n}";
  ParsedFile parsed = parse_policies(text, "key.json");
  REQUIRE(parsed.policies.size() == 1);
  CHECK(parsed.policies[0].type == PolicyType::Resource);
  CHECK(parsed.policies[0].name == "key.json (key policy default)");
  CHECK(parsed.policies[0].statements.size() == 2);
  CHECK(testing::check_string(text, {"ALL"}, std::nullopt, "key.json").empty());
  // Opened to everyone without the account condition, it is public.
  std::string open = text;
  open.replace(open.find("kms:CallerAccount"), 17, "kms:CallerAcount_");
  auto findings = testing::check_string(open, {"PRIVILEGE-011"}, std::nullopt, "key.json");
  CHECK(findings.size() == 1);
}

TEST_CASE("containers: authorization details: inline, trust, managed and attachments", "[containers]") {
  std::string text = R"({
  "UserDetailList": [{"UserName": "dot", "UserPolicyList": [{"PolicyName": "q",
    "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}],
    "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}],
  "RoleDetailList": [{"RoleName": "etl", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}],
  "GroupDetailList": [],
  "Policies": [{"PolicyName": "Lake", "PolicyVersionList": [
    {"IsDefaultVersion": false, "Document": {"Version": "2012-10-17", "Statement": []}},
    {"IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"}]}}]}]
})";
  ParsedFile parsed = parse_policies(text, "dump.json");
  REQUIRE(parsed.recognized);
  std::vector<std::string> names;
  for (const Policy& p : parsed.policies) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"user/dot inline policy q", "user/dot", "role/etl trust policy",
                                          "policy/Lake"});
  CHECK(parsed.policies[0].identity_kind == IdentityKind::InlineUser);
  CHECK(parsed.policies[0].anchor);
  CHECK(parsed.policies[0].statements.at(0).action.values.at(0).value == "s3:GetObject");
  CHECK(parsed.policies[1].attachments_only);
  CHECK(parsed.policies[2].type == PolicyType::Trust);
  CHECK(parsed.policies[3].statements.size() == 1);  // the default version only
  auto findings = testing::check_string(text, {"PRIVILEGE-010", "POLICY-004"}, std::nullopt, "dump.json");
  REQUIRE(findings.size() == 1);  // the trust policy needs no Resource; the attachment is broad
  CHECK(findings[0].code == "PRIVILEGE-010");
  CHECK(findings[0].start.line == 4);
}

TEST_CASE("containers: a dump's policies name the principals they apply to, group members included",
          "[containers]") {
  std::string text = R"({
  "UserDetailList": [
    {"UserName": "ana", "GroupList": ["analysts"], "UserPolicyList": [{"PolicyName": "own",
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]},
    {"UserName": "bo", "GroupList": ["analysts", "admins"]},
    {"UserName": "cy", "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::418295730264:policy/Lake"}]}],
  "GroupDetailList": [{"GroupName": "analysts",
    "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::418295730264:policy/Lake"}],
    "GroupPolicyList": [{"PolicyName": "g", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "athena:GetWorkGroup", "Resource": "*"}]}}]}],
  "RoleDetailList": [{"RoleName": "etl", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
    "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::418295730264:policy/Lake"}]}],
  "Policies": [
    {"PolicyName": "Lake", "Arn": "arn:aws:iam::418295730264:policy/Lake", "PolicyVersionList": [
      {"IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]},
    {"PolicyName": "Unused", "Arn": "arn:aws:iam::418295730264:policy/Unused", "PolicyVersionList": [
      {"IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}]
})";
  ParsedFile parsed = parse_policies(text, "dump.json");
  std::map<std::string, std::vector<std::string>> receivers;
  for (const Policy& p : parsed.policies) receivers[p.name] = p.receivers;
  using V = std::vector<std::string>;
  CHECK(receivers["user/ana inline policy own"] == V{"user/ana"});
  CHECK(receivers["group/analysts inline policy g"] == V{"group/analysts", "user/ana", "user/bo"});
  CHECK(receivers["role/etl trust policy"] == V{"role/etl"});
  CHECK(receivers["policy/Lake"] == V{"group/analysts", "role/etl", "user/ana", "user/bo", "user/cy"});
  CHECK(receivers["policy/Unused"].empty());
  auto findings = testing::check_string(text, {"S3-001"}, std::nullopt, "dump.json");
  REQUIRE(findings.size() == 3);
  for (const Finding& f : findings) CHECK(f.principals == receivers[f.policy]);
}

TEST_CASE("containers: in a dump, a role that trusts its own account trusts no other party", "[containers]") {
  std::string text = R"({"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [
    {"RoleName": "own", "Arn": "arn:aws:iam::418295730264:role/own", "AssumeRolePolicyDocument": {
      "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"],
      "Principal": {"AWS": "arn:aws:iam::418295730264:root"}}]}},
    {"RoleName": "vendor", "Arn": "arn:aws:iam::418295730264:role/vendor", "AssumeRolePolicyDocument": {
      "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}]}}]})";
  auto findings = testing::check_string(text, {"TRUST-002", "TRUST-004"}, std::nullopt, "dump.json");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "TRUST-002");
  CHECK(findings[0].policy == "role/vendor trust policy");
}

TEST_CASE("containers: a broken embedded document is POLICY-001 at its string, and the rest is checked",
          "[containers]") {
  std::string text = R"({"VpcEndpoints": [
  {"VpcEndpointId": "vpce-1", "PolicyDocument": "{\"Statement\": [}"},
  {"VpcEndpointId": "vpce-2", "PolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}]})";
  auto findings = testing::check_string(text, {"POLICY-001", "NETWORK-001"}, std::nullopt, "endpoints.json");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].code == "POLICY-001");
  CHECK(findings[0].start.line == 2);
  CHECK_THAT(findings[0].message, Catch::Contains("/VpcEndpoints/0/PolicyDocument"));
  CHECK(findings[1].code == "NETWORK-001");
  CHECK(findings[1].start.line == 3);
  CHECK(findings[1].policy_type == PolicyType::Endpoint);
}

TEST_CASE("containers: other JSON is not a container", "[containers]") {
  CHECK_FALSE(parse_policies(R"({"Policy": 3})", "f").recognized);
  CHECK_FALSE(parse_policies(R"({"VpcEndpoint": []})", "f").recognized);
  CHECK(parse_policies(R"({"VpcEndpoints": []})", "f").recognized);
}

TEST_CASE("containers: Terraform plans: policies, trust, endpoints and attachments by address",
          "[containers]") {
  std::string text = R"({
  "format_version": "1.2",
  "terraform_version": "1.9.0",
  "planned_values": {"root_module": {
    "resources": [
      {"address": "aws_iam_role.analytics", "type": "aws_iam_role", "name": "analytics",
       "values": {"name": "analytics", "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::418295730264:root\"},\"Action\":\"sts:AssumeRole\"}]}",
                  "inline_policy": [{"name": "query", "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"athena:GetQueryResults\",\"Resource\":\"*\"}]}"}]}},
      {"address": "aws_iam_role_policy_attachment.admin", "type": "aws_iam_role_policy_attachment", "name": "admin",
       "values": {"role": "analytics", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}}
    ],
    "child_modules": [{"address": "module.network", "resources": [
      {"address": "module.network.aws_vpc_endpoint.athena", "type": "aws_vpc_endpoint", "name": "athena",
       "values": {"service_name": "com.amazonaws.us-east-1.athena", "policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}]}]
  }}
})";
  ParsedFile parsed = parse_policies(text, "plan.json");
  REQUIRE(parsed.recognized);
  std::vector<std::string> names;
  for (const Policy& p : parsed.policies) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"aws_iam_role.analytics (assume_role_policy)",
                                          "aws_iam_role.analytics inline policy query",
                                          "aws_iam_role_policy_attachment.admin",
                                          "module.network.aws_vpc_endpoint.athena"});
  CHECK(parsed.policies[0].type == PolicyType::Trust);
  CHECK(parsed.policies[1].identity_kind == IdentityKind::InlineRole);
  CHECK(parsed.policies[3].type == PolicyType::Endpoint);
  auto findings =
      testing::check_string(text, {"NETWORK-001", "PRIVILEGE-010", "ATHENA-001"}, std::nullopt, "plan.json");
  // The endpoint's "*" is NETWORK-001's: an endpoint policy limits what other policies grant.
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].code == "ATHENA-001");
  CHECK(findings[0].start.line == 8);
  CHECK(findings[0].pointer == "/Statement/0/Resource");
  CHECK(findings[1].code == "PRIVILEGE-010");
  CHECK(findings[1].start.line == 10);
  CHECK(findings[2].code == "NETWORK-001");
  CHECK(findings[2].start.line == 14);
  CHECK(findings[2].policy == "module.network.aws_vpc_endpoint.athena");
}

TEST_CASE("containers: a plan's resource_changes are read when planned values are absent", "[containers]") {
  std::string text = R"({"format_version": "1.2", "resource_changes": [
    {"address": "aws_s3_bucket_policy.lake", "type": "aws_s3_bucket_policy",
     "change": {"actions": ["create"], "after": {"bucket": "lake", "policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::lake/*\"}]}"}}}]})";
  auto findings = testing::check_string(text, {"S3-005"}, std::nullopt, "plan.json");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].policy == "aws_s3_bucket_policy.lake");
  CHECK(findings[0].policy_type == PolicyType::Bucket);
}

namespace {

// A plan whose resource `address` (configuration address `local` in module `module_call`, or the root
// module) has its `attribute` known only after apply, as the json of the data source `data`, whose planned
// statements are `statements` with `unknown` marking what the plan does not know.
std::string deferred_plan(const std::string& address, const std::string& type, const std::string& attribute,
                          const std::string& data, const std::string& statements, const std::string& unknown,
                          const std::string& module_call = "", const std::string& reference = "") {
  std::string local = address.substr(address.rfind("aws_"));
  local = local.substr(0, local.find('['));
  std::string resources =
      fmt::format(R"([{{"address": "{}", "expressions": {{"{}": {{"references": ["{}.json", "{}"]}}}}}}])",
                  local, attribute, reference.empty() ? "data.aws_iam_policy_document.doc" : reference,
                  "data.aws_iam_policy_document.doc");
  std::string module = module_call.empty()
                           ? fmt::format(R"({{"resources": {}}})", resources)
                           : fmt::format(R"({{"module_calls": {{"{}": {{"module": {{"resources": {}}}}}}}}})",
                                         module_call, resources);
  return fmt::format(R"({{"format_version": "1.2", "resource_changes": [
    {{"address": "{}", "mode": "managed", "type": "{}",
     "change": {{"actions": ["create"], "after": {{}}, "after_unknown": {{"{}": true}}}}}},
    {{"address": "{}", "mode": "data", "type": "aws_iam_policy_document",
     "change": {{"actions": ["read"], "after": {{"statement": {}}}, "after_unknown": {{"json": true, "statement": {}}}}}}}],
    "configuration": {{"root_module": {}}}}})",
                     address, type, attribute, data, statements, unknown, module);
}

}  // namespace

TEST_CASE("containers: a policy known after apply is rebuilt from the data source the plan holds",
          "[containers]") {
  // In a module instance with a quoted key, a count instance whose reference names no index.
  std::string text = deferred_plan(
      R"(module.lake[\"a.b\"].aws_iam_policy.p[0])", "aws_iam_policy", "policy",
      R"(module.lake[\"a.b\"].data.aws_iam_policy_document.doc[0])",
      R"([{"sid": "Read", "effect": "Allow", "actions": ["s3:GetObject", "s3:ListBucket"], "resources": [null, "arn:aws:s3:::lake"]},
          {"sid": "", "effect": "", "actions": ["athena:GetQueryResults"], "resources": ["*"],
           "condition": [{"test": "StringEquals", "variable": "aws:PrincipalTag/team", "values": ["a"]},
                         {"test": "StringEquals", "variable": "aws:PrincipalTag/team", "values": ["b"]},
                         {"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]}]}])",
      R"([{"resources": [true, false]}, {}])", "lake");
  ParsedFile parsed = parse_policies(text, "plan.json");
  INFO((parsed.unread.empty() ? "" : parsed.unread[0].reason));
  REQUIRE(parsed.policies.size() == 1);
  const Policy& p = parsed.policies[0];
  CHECK(
      p.name ==
      R"(module.lake["a.b"].aws_iam_policy.p[0] (as module.lake["a.b"].data.aws_iam_policy_document.doc[0] plans it))");
  REQUIRE(p.statements.size() == 2);
  const Statement& read = p.statements[0];
  CHECK(read.sid->value == "Read");
  CHECK(read.effect == Effect::Allow);
  CHECK(read.action.values.size() == 2);
  REQUIRE(read.resource.values.size() == 1);
  CHECK(read.resource.values[0].value == "arn:aws:s3:::lake");
  CHECK(read.resource.unknown == 1);
  // Pointers, as for a document in a JSON string, are the document's place followed by the path in it.
  CHECK(read.resource.values[0].pointer == "/resource_changes/1/change/after/Statement/0/Resource/1");
  CHECK(read.resource.values[0].span.begin > text.find("\"resources\": [null"));
  const Statement& query = p.statements[1];
  CHECK(query.effect == Effect::Allow);  // the provider's default
  REQUIRE(query.conditions.size() == 2);
  CHECK(query.conditions[0].key.value == "aws:PrincipalTag/team");
  CHECK(query.conditions[0].values.size() == 2);
  CHECK(query.conditions[1].base == "Bool");
  CHECK(parsed.unread.empty());
}

TEST_CASE("containers: a planned trust policy keeps its principals, a wildcard and an unknown one",
          "[containers]") {
  std::string text = deferred_plan(
      "aws_iam_role.vendor", "aws_iam_role", "assume_role_policy", "data.aws_iam_policy_document.doc",
      R"([{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "identifiers": null}]},
          {"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "*", "identifiers": ["*"]}]},
          {"effect": "Allow", "actions": ["sts:AssumeRole"],
           "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root"]},
                          {"type": "AWS", "identifiers": ["arn:aws:iam::444455556666:root"]},
                          {"type": "Service", "identifiers": ["glue.amazonaws.com"]}]}])",
      R"([{"principals": [{"identifiers": true}]}, {}, {}])");
  ParsedFile parsed = parse_policies(text, "plan.json");
  REQUIRE(parsed.policies.size() == 1);
  const Policy& p = parsed.policies[0];
  CHECK(p.type == PolicyType::Trust);
  REQUIRE(p.statements.size() == 3);
  CHECK(p.statements[0].principal.unknown == 1);
  CHECK(p.statements[0].principal.entries.empty());
  REQUIRE(p.statements[1].principal.wildcard);
  CHECK(p.statements[1].principal.wildcard->value == "*");
  REQUIRE(p.statements[2].principal.entries.size() == 3);
  CHECK(p.statements[2].principal.entries[1].type.value == "AWS");
  CHECK(p.statements[2].principal.entries[2].value.value == "glue.amazonaws.com");
  auto findings = testing::check_string(text, {"TRUST-001"}, std::nullopt, "plan.json");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].statement == 1u);
}

TEST_CASE("containers: a planned document the plan does not determine is a note that says why",
          "[containers]") {
  auto reason = [](const std::string& statements, const std::string& unknown) {
    ParsedFile parsed = parse_policies(deferred_plan("aws_iam_policy.p", "aws_iam_policy", "policy",
                                                     "data.aws_iam_policy_document.doc", statements, unknown),
                                       "plan.json");
    CHECK(parsed.policies.empty());
    REQUIRE(parsed.unread.size() == 1);
    return parsed.unread[0].reason;
  };
  CHECK_THAT(reason(R"([{"actions": ["s3:GetObject"]}])", R"([{"effect": true}])"),
             Catch::Contains("(it is the json of data.aws_iam_policy_document.doc, and the effect of a "
                             "statement is known only after apply)"));
  CHECK_THAT(reason(R"([{"actions": ["s3:GetObject"], "principals": [{"identifiers": ["*"]}]}])",
                    R"([{"principals": [{"type": true}]}])"),
             Catch::Contains("a type of the principals of a statement is known only after apply"));
  CHECK_THAT(reason("[]", "true"), Catch::Contains("whose statements are known only after apply"));
  // Another expression than a data source's json: the general note.
  ParsedFile other =
      parse_policies(deferred_plan("aws_iam_policy.p", "aws_iam_policy", "policy",
                                   "data.aws_iam_policy_document.doc", "[]", "[]", "", "aws_s3_bucket.b.arn"),
                     "plan.json");
  REQUIRE(other.unread.size() == 1);
  CHECK(other.unread[0].reason ==
        "its policy is known only after apply; run the check on a plan made once the values it depends on "
        "exist, or on the configuration's rendered policy");
}

TEST_CASE("containers: a dump's documents are normalized on several threads, in the file's order",
          "[containers]") {
  // 200 roles: each with an inline policy (every fifth one no document at all, which leaves no policy), a
  // trust policy given as a URL-encoded string, and an attached managed policy (an attachment record).
  std::string roles;
  for (int i = 0; i < 200; ++i) {
    std::string inline_doc = i % 5 == 0
                                 ? "42"
                                 : fmt::format(R"({{"Statement": [{{"Effect": "Allow", "Action": "s3:Get{}",
                                                          "Resource": "*"}}]}})",
                                               i);
    roles += fmt::format(
        R"({}{{"RoleName": "r{}", "RolePolicyList": [{{"PolicyName": "p", "PolicyDocument": {}}}],
        "AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D",
        "AttachedManagedPolicies": [{{"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}]}})",
        i ? "," : "", i, inline_doc);
  }
  std::string text = "{\"RoleDetailList\": [" + roles + "]}";
  ParsedFile one = parse_policies(text, "dump.json", {}, 1);
  ParsedFile four = parse_policies(text, "dump.json", {}, 4);
  REQUIRE(one.recognized);
  REQUIRE(one.policies.size() == 160 + 200 + 200);
  REQUIRE(four.policies.size() == one.policies.size());
  for (std::size_t i = 0; i < one.policies.size(); ++i) {
    INFO(i);
    CHECK(four.policies[i].name == one.policies[i].name);
    CHECK(four.policies[i].attachments_only == one.policies[i].attachments_only);
    CHECK(four.policies[i].statements.size() == one.policies[i].statements.size());
  }
  // Role 0's inline "policy" is no document: its trust policy and attachments come first.
  CHECK(one.policies[0].name == "role/r0 trust policy");
  CHECK(one.policies[1].attachments_only);
  CHECK(one.policies[2].name == "role/r1 inline policy p");
  CHECK(one.policies[2].statements.at(0).action.values.at(0).value == "s3:Get1");
}

TEST_CASE("containers: a principal's policies viewed as one add only what none of them grants alone",
          "[containers]") {
  // ana: the PassRole of her own policy and the group's RunInstances together; bo: the group's alone.
  std::string text = R"({
  "UserDetailList": [
    {"UserName": "ana", "GroupList": ["ops"], "UserPolicyList": [{"PolicyName": "pass",
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}]}}]},
    {"UserName": "bo", "GroupList": ["ops"]}],
  "GroupDetailList": [{"GroupName": "ops", "GroupPolicyList": [{"PolicyName": "run",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}}]}],
  "RoleDetailList": [], "Policies": []
})";
  std::vector<Finding> all = testing::check_string(text, {}, std::nullopt, "dump.json");
  std::map<std::string, int, std::less<>> count;
  for (const Finding& f : all) ++count[std::string(f.code)];
  CHECK(count["PRIVILEGE-006"] == 3);  // once per statement, as without the view
  CHECK(count["PRIVILEGE-007"] == 1);
  REQUIRE(count["PRIVILEGE-012"] == 2);  // ssm:SendCommand in ana's policy; RunInstances with PassRole across
  auto across = std::find_if(all.begin(), all.end(), [](const Finding& f) {
    return f.code == "PRIVILEGE-012" && f.action == "ec2:RunInstances";
  });
  REQUIRE(across != all.end());
  CHECK(across->policy == "group/ops inline policy run");
  CHECK(across->principals == std::vector<std::string>{"user/ana"});
  CHECK(across->message.find("of user/ana inline policy pass") != std::string::npos);
}

TEST_CASE("containers: --exclude-aws-managed leaves AWS managed policies unjudged, not ungranted",
          "[containers]") {
  // The AWS managed policy allows ec2:RunInstances; ana's own policy passes roles to EC2: the path is
  // reported in ana's policy, where the account can act; the managed policy's own findings are left out.
  std::string text = R"({
  "UserDetailList": [
    {"UserName": "ana", "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/Instances"}],
     "UserPolicyList": [{"PolicyName": "pass", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}}]}],
  "GroupDetailList": [], "RoleDetailList": [],
  "Policies": [{"PolicyName": "Instances", "Arn": "arn:aws:iam::aws:policy/Instances", "PolicyVersionList": [
    {"IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}}]}]
})";
  ParsedFile parsed = parse_policies(text, "dump.json");
  for (const Policy& p : parsed.policies) CHECK(p.aws_managed == (p.name == "policy/Instances"));
  CheckOptions options;
  std::vector<std::string> privilege{"PRIVILEGE"};
  REQUIRE(RuleSelection::resolve(privilege, {}, options.rules).empty());
  auto findings = [&](bool exclude) {
    options.exclude_aws_managed = exclude;
    std::vector<std::string> out;
    for (const Finding& f : check_text("dump.json", text, options).findings)
      out.push_back(fmt::format("{} {}", f.code, f.policy));
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  const V own{"PRIVILEGE-006 user/ana inline policy pass", "PRIVILEGE-007 user/ana inline policy pass",
              "PRIVILEGE-012 user/ana inline policy pass"};
  V all = own;
  all.insert(all.begin(), "PRIVILEGE-006 policy/Instances");
  CHECK(findings(false) == all);
  CHECK(findings(true) == own);
}
