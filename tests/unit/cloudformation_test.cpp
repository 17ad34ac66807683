#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <map>

#include "scopecop/config.h"
#include "support/check.h"
#include "support/templates.h"

using namespace scopecop;

namespace {

// The resolved values of the first statement's Resource, with the count of unknown ones.
std::pair<std::vector<std::string>, std::size_t> resources(const std::string& text,
                                                           const Deployment& deployment = {}) {
  ParsedFile parsed = parse_policies(text, "template.yaml", deployment);
  REQUIRE_FALSE(parsed.syntax_error);
  REQUIRE(parsed.recognized);
  REQUIRE_FALSE(parsed.policies.empty());
  const Statement& s = parsed.policies.front().statements.at(0);
  std::vector<std::string> values;
  for (const Text& t : s.resource.values) values.push_back(t.value);
  return {values, s.resource.unknown};
}

std::string managed_policy(const std::string& resource, const std::string& more = "") {
  return std::string(
             "Parameters:\n"
             "  Lake: {Type: String, AllowedValues: [analytics-lake]}\n"
             "  LakeDefault: {Type: String, Default: analytics-lake}\n"
             "  Env: {Type: String}\n"
             "Mappings:\n"
             "  Buckets: {prod: {results: athena-results-prod}}\n"
             "Resources:\n"
             "  Results:\n"
             "    Type: AWS::S3::Bucket\n"
             "    Properties: {BucketName: !Sub \"results-${AWS::AccountId}\"}\n"
             "  Unnamed:\n"
             "    Type: AWS::S3::Bucket\n") +
         more +
         "  Policy:\n"
         "    Type: AWS::IAM::ManagedPolicy\n"
         "    Properties:\n"
         "      PolicyDocument:\n"
         "        Version: '2012-10-17'\n"
         "        Statement:\n"
         "          - Effect: Allow\n"
         "            Action: s3:GetObject\n"
         "            Resource: " +
         resource + "\n";
}

}  // namespace

TEST_CASE("cloudformation: intrinsic functions resolve where the template determines them",
          "[cloudformation]") {
  Deployment one;
  one.account = "111122223333";
  one.region = "eu-west-1";
  using V = std::vector<std::string>;
  CHECK(resources(managed_policy("!Sub arn:${AWS::Partition}:s3:::${Lake}/*")).first ==
        V{"arn:aws:s3:::analytics-lake/*"});
  CHECK(resources(managed_policy("!Join ['', ['arn:aws:s3:::', !Ref Lake, /*]]")).first ==
        V{"arn:aws:s3:::analytics-lake/*"});
  CHECK(resources(managed_policy("!GetAtt Results.Arn"), one).first ==
        V{"arn:aws:s3:::results-111122223333"});
  CHECK(resources(managed_policy("!Sub '${Results.Arn}/*'"), one).first ==
        V{"arn:aws:s3:::results-111122223333/*"});
  CHECK(resources(managed_policy("!Sub [\"arn:aws:s3:::${B}/*\", {B: !FindInMap [Buckets, prod, results]}]"))
            .first == V{"arn:aws:s3:::athena-results-prod/*"});
  CHECK(resources(managed_policy("!Sub 'arn:aws:s3:::lake/${!aws:username}'")).first ==
        V{"arn:aws:s3:::lake/${aws:username}"});
  CHECK(resources(managed_policy("!If [IsProd, !Sub 'arn:aws:s3:::${Lake}', arn:aws:s3:::analytics-lake]"))
            .first == V{"arn:aws:s3:::analytics-lake"});
  CHECK(resources(managed_policy("[arn:aws:s3:::a, !Ref AWS::NoValue]")).first == V{"arn:aws:s3:::a"});
  // The stack's account and region: from a scope with one of each; "*" in an ARN's own fields where any
  // would do; unknown anywhere else.
  CHECK(resources(managed_policy("!Sub arn:aws:athena:${AWS::Region}:${AWS::AccountId}:workgroup/a"), one)
            .first == V{"arn:aws:athena:eu-west-1:111122223333:workgroup/a"});
  CHECK(resources(managed_policy("!Sub arn:aws:athena:${AWS::Region}:${AWS::AccountId}:workgroup/a")).first ==
        V{"arn:aws:athena:*:*:workgroup/a"});
  CHECK(resources(managed_policy("!GetAtt Results.Arn")) == std::pair{V{}, std::size_t{1}});
  Deployment several;
  several.any_account = false;
  CHECK(resources(managed_policy("!Sub arn:aws:athena:${AWS::Region}:${AWS::AccountId}:workgroup/a"),
                  several) == std::pair{V{}, std::size_t{1}});
}

TEST_CASE("cloudformation: what the template does not determine is unknown, never a finding",
          "[cloudformation]") {
  for (std::string resource :
       {"!Ref Env", "!Sub arn:aws:s3:::${Env}/*", "!GetAtt Unnamed.Arn",
        "!Join ['', ['arn:aws:s3:::', !ImportValue Lake]]", "[!If [IsProd, arn:aws:s3:::a, '*']]",
        "!Sub arn:aws:s3:::${LakeDefault}/*", "'{{resolve:ssm:/lake/bucket-arn}}'",
        "!Sub 'arn:aws:s3:::{{resolve:ssm:/lake/bucket}}/*'"}) {
    INFO(resource);
    auto [values, unknown] = resources(managed_policy(resource));
    CHECK(values.empty());
    CHECK(unknown == 1);
    CHECK(testing::check_string(managed_policy(resource), {"ALL"}, std::nullopt, "template.yaml").empty());
  }
}

TEST_CASE("cloudformation: every policy-bearing resource, with its type, kind and name", "[cloudformation]") {
  std::string text = R"({
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Role": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
      "Policies": [{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}]}}],
      "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}]}},
    "UserPolicy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Users": ["u"],
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}},
    "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}},
    "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "a",
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}]}}},
    "Endpoint": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"ServiceName": "com.amazonaws.us-east-1.s3",
      "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}}},
    "Catalog": {"Type": "AWS::Glue::ResourcePolicy", "Properties": {
      "PolicyInJson": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "glue:GetTable", "Resource": "*"}]}}},
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}
  }
})";
  ParsedFile parsed = parse_policies(text, "template.json");
  REQUIRE(parsed.recognized);
  struct Expected {
    std::string name;
    PolicyType type;
    IdentityKind kind;
    std::string pointer;
  };
  std::vector<Expected> expected = {
      {"Role inline policy read", PolicyType::Identity, IdentityKind::InlineRole,
       "/Resources/Role/Properties/Policies/0/PolicyDocument"},
      {"Role trust policy", PolicyType::Trust, IdentityKind::Unknown,
       "/Resources/Role/Properties/AssumeRolePolicyDocument"},
      {"UserPolicy", PolicyType::Identity, IdentityKind::InlineUser,
       "/Resources/UserPolicy/Properties/PolicyDocument"},
      {"Managed", PolicyType::Identity, IdentityKind::Managed,
       "/Resources/Managed/Properties/PolicyDocument"},
      {"BucketPolicy", PolicyType::Bucket, IdentityKind::Unknown,
       "/Resources/BucketPolicy/Properties/PolicyDocument"},
      {"Endpoint", PolicyType::Endpoint, IdentityKind::Unknown,
       "/Resources/Endpoint/Properties/PolicyDocument"},
      {"Catalog", PolicyType::Resource, IdentityKind::Unknown, "/Resources/Catalog/Properties/PolicyInJson"},
  };
  std::vector<const Policy*> documents;
  const Policy* attachments = nullptr;
  for (const Policy& p : parsed.policies)
    (p.attachments_only ? attachments : documents.emplace_back(&p)) = &p;
  REQUIRE(documents.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(expected[i].name);
    CHECK(documents[i]->name == expected[i].name);
    CHECK(documents[i]->type == expected[i].type);
    CHECK(documents[i]->type_declared);
    CHECK(documents[i]->identity_kind == expected[i].kind);
    CHECK(documents[i]->pointer == expected[i].pointer);
  }
  REQUIRE(attachments);
  CHECK(attachments->name == "Role");
  REQUIRE(attachments->attachments.size() == 1);
  CHECK(attachments->attachments[0].value == "arn:aws:iam::aws:policy/AdministratorAccess");
  auto findings =
      testing::check_string(text, {"PRIVILEGE-010", "NETWORK-001", "S3-005"}, std::nullopt, "template.json");
  CHECK(testing::codes(findings) == std::vector<std::string>{"PRIVILEGE-010", "S3-005", "NETWORK-001"});
}

TEST_CASE("cloudformation: sizes are measured on the document IAM receives", "[cloudformation]") {
  // YAML indentation and comments are not part of the policy; the compact JSON CloudFormation sends is.
  std::string text =
      "Resources:\n  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
      "      PolicyDocument:\n        Version: '2012-10-17'\n        # " +
      std::string(7000, 'x') +
      "\n        Statement:\n"
      "          - {Effect: Allow, Action: s3:GetObject,      Resource: 'arn:aws:s3:::a/*'}\n";
  ParsedFile parsed = parse_policies(text, "template.yaml");
  REQUIRE(parsed.policies.size() == 1);
  std::string sent =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}]})";
  CHECK(parsed.policies[0].size_without_whitespace == sent.size());
  CHECK(testing::check_string(text, {"POLICY-012"}, std::nullopt, "template.yaml").empty());
}

TEST_CASE("cloudformation: broken YAML is POLICY-001 with its line; other YAML is not a policy file",
          "[cloudformation]") {
  auto findings =
      testing::check_string("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [1, 2\n  B: 3\n", {},
                            std::nullopt, "template.yaml");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "POLICY-001");
  CHECK_THAT(findings[0].message, Catch::StartsWith("the file is not valid YAML: "));
  CHECK(findings[0].start.line == 4);
  ParsedFile compose = parse_policies("services:\n  web:\n    image: nginx\n", "compose.yml");
  CHECK_FALSE(compose.recognized);
  CHECK_FALSE(compose.syntax_error);
  // Not YAML and not JSON either: the JSON parser's error, as before.
  CHECK(parse_policies("Statement", "policy.json").syntax_error);
}

TEST_CASE("cloudformation: each branch of an Fn::If that can deploy is judged, and named",
          "[cloudformation]") {
  std::string text =
      "Conditions:\n"
      "  Writable: !Equals [!Ref AWS::Region, us-east-1]\n"
      "Resources:\n"
      "  Policy:\n"
      "    Type: AWS::IAM::ManagedPolicy\n"
      "    Properties:\n"
      "      PolicyDocument:\n"
      "        Version: '2012-10-17'\n"
      "        Statement:\n"
      "          - !If\n"
      "            - Writable\n"
      "            - {Effect: Allow, Action: athena:StartQueryExecution, Resource: '*'}\n"
      "            - !Ref AWS::NoValue\n"
      "          - Effect: Allow\n"
      "            Action: s3:GetObject\n"
      "            Resource: !If [Writable, 'arn:aws:s3:::lake/*', '*']\n"
      "            Condition: !If [Writable, {Bool: {aws:SecureTransport: 'true'}}, !Ref AWS::NoValue]\n";
  ParsedFile parsed = parse_policies(text, "template.yaml");
  REQUIRE(parsed.policies.size() == 1);
  const auto& statements = parsed.policies.front().statements;
  REQUIRE(statements.size() == 3);  // the statement of one branch, and both variants of the other
  CHECK(statements[0].deploy_condition == "condition Writable holds");
  CHECK(statements[1].resource.values.at(0).value == "arn:aws:s3:::lake/*");
  CHECK(statements[1].conditions.size() == 1);
  CHECK(statements[2].deploy_condition == "condition Writable does not hold");
  CHECK(statements[2].resource.values.at(0).value == "*");
  CHECK(statements[2].conditions.empty());
  CHECK(parsed.policies.front().defects.empty());  // no "statement 0 is a string"

  auto findings = testing::check_string(text, {"S3-001", "ATHENA-001"}, std::nullopt, "template.yaml");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].code == "ATHENA-001");
  CHECK(findings[0].message.ends_with("(the statement exists when condition Writable holds)"));
  CHECK(findings[1].code == "S3-001");
  CHECK(findings[1].message.ends_with("(the statement exists when condition Writable does not hold)"));

  // Under the resource's own condition, only the branches that agree with it deploy.
  std::string conditional = text;
  conditional.replace(conditional.find("    Properties:"), 0, "    Condition: Writable\n");
  findings = testing::check_string(conditional, {"S3-001", "ATHENA-001"}, std::nullopt, "template.yaml");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "ATHENA-001");
  CHECK(findings[0].message.ends_with("(the policy exists when condition Writable holds)"));
}

TEST_CASE("cloudformation: the work a template can ask for is bounded", "[cloudformation]") {
  // Twenty elements each under an Fn::If: a million variants of one statement, of which about 1,024 are
  // judged (1,024 and the branches already under way, one per level).
  std::string text =
      "Resources:\n"
      "  Policy:\n"
      "    Type: AWS::IAM::ManagedPolicy\n"
      "    Properties:\n"
      "      PolicyDocument:\n"
      "        Version: '2012-10-17'\n"
      "        Statement:\n"
      "          - Effect: Allow\n"
      "            Action: s3:GetObject\n"
      "            Resource: '*'\n";
  for (int i = 0; i < 20; ++i) text += fmt::format("            Sid{}: !If [C{}, a, b]\n", i, i);
  ParsedFile parsed = parse_policies(text, "template.yaml");
  REQUIRE(parsed.policies.size() == 1);
  CHECK(parsed.policies.front().statements.size() <= 1024 + 20);
  // Names that each join the one before twice: 2^40 strings if expanded, unknown past the bound.
  std::string chain = scopecop::testing::doubling_names(40);
  chain +=
      "  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
      "        Version: '2012-10-17'\n        Statement: [{Effect: Allow, Action: s3:GetObject, "
      "Resource: !Sub 'arn:aws:s3:::${N40}/*'}]\n";
  parsed = parse_policies(chain, "template.yaml");
  REQUIRE(parsed.policies.size() == 1);
  CHECK(parsed.policies.front().statements.at(0).resource.unknown == 1);
}

TEST_CASE("cloudformation: a template's policies name the principals they apply to", "[cloudformation]") {
  std::string text = R"(
Resources:
  Analysts: {Type: AWS::IAM::Group}
  Admins: {Type: AWS::IAM::Group}
  Ana:
    Type: AWS::IAM::User
    Properties: {Groups: [!Ref Analysts]}
  Bo: {Type: AWS::IAM::User}
  BoIsAdmin:
    Type: AWS::IAM::UserToGroupAddition
    Properties: {GroupName: !Ref Admins, Users: [!Ref Bo]}
  Etl:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: glue.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [!Ref Lake, arn:aws:iam::aws:policy/ReadOnlyAccess]
      Policies:
        - PolicyName: own
          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
  Lake:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Groups: [!Ref Analysts]
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
  AdminPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: admin
      Groups: [!Ref Admins]
      Roles: [existing-role]
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]}
  EtlExtra:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref Etl
      PolicyName: extra
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:ListBucket, Resource: "*"}]}
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [!Ref Lake, {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}]
  Bucket:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: lake
      PolicyDocument: {Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "arn:aws:s3:::lake/*"}]}
)";
  ParsedFile parsed = parse_policies(text, "template.yaml");
  REQUIRE_FALSE(parsed.syntax_error);
  std::map<std::string, std::vector<std::string>> receivers;
  for (const Policy& p : parsed.policies) receivers[p.name] = p.receivers;
  using V = std::vector<std::string>;
  CHECK(receivers["Etl inline policy own"] == V{"Etl"});
  CHECK(receivers["Etl trust policy"] == V{"Etl"});
  CHECK(receivers["EtlExtra"] == V{"Etl"});
  CHECK(receivers["Lake"] == V{"Ana", "Analysts", "Etl", "Ingest"});
  CHECK(receivers["AdminPolicy"] == V{"Admins", "Bo", "existing-role"});
  CHECK(receivers["Ingest policy 1"] == V{"Ingest"});
  CHECK(receivers["Bucket"].empty());
}
