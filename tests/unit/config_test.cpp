#include <catch2/catch.hpp>

#include "scopecop/catalog.h"
#include "scopecop/config.h"
#include "scopecop/engine.h"
#include "scopecop/judgement.h"
#include "scopecop/parse.h"

using namespace scopecop;

namespace {

Config parse_ok(std::string_view text) {
  std::string error;
  auto config = parse_config(text, ".scopecop.yaml", error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

std::string parse_error(std::string_view text) {
  std::string error;
  CHECK_FALSE(parse_config(text, "cfg.yaml", error));
  return error;
}

bool any_matches(const std::vector<Pattern>& patterns, std::string_view arn) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const Pattern& p) { return p.matches(arn); });
}

// In the set: a whole pattern matches, or the product has lists and each of them matches.
bool any_matches(const ArnSet& set, std::string_view arn) {
  auto lists = set.field_lists();
  return any_matches(set.whole, arn) ||
         (!lists.empty() && std::all_of(lists.begin(), lists.end(),
                                        [&](const std::vector<Pattern>& l) { return any_matches(l, arn); }));
}

}  // namespace

TEST_CASE("config: the SPEC's example parses", "[config]") {
  Config c = parse_ok(R"(
fail-on: warning
select: [ALL]
ignore: [POLICY-014]
severity: {S3-007: suggestion}
scope:
  partitions: [aws]
  accounts: ["111122223333"]
  regions: [us-east-1]
  athena:
    workgroups: [analytics]
    data-catalogs: [AwsDataCatalog]
    admin: false
    results: s3://athena-results-111122223333/analytics/
  glue:
    databases: [sales, marketing]
    tables: ["sales/*", "marketing/campaigns"]
    access: read
  s3:
    buckets:
      - {name: analytics-lake, prefixes: ["curated/*"], access: read}
      - {name: athena-results-111122223333, access: write}
  network:
    source-ips: [203.0.113.10/32, 198.51.100.0/28]
    vpc-endpoints: [vpce-0123456789abcdef0]
    require: any
suppress:                                 # JSON has no comments, so suppressions live here
  - {rule: GLUE-001, file: "legacy/*.json", sid: LegacyRead, reason: "migration ticket 42", expires: 2027-03-31}
)");
  CHECK(c.fail_on == "warning");
  REQUIRE(c.suppress.size() == 1);
  const Suppression& x = c.suppress[0];
  CHECK(x.rule == "GLUE-001");
  CHECK(x.file == "legacy/*.json");
  CHECK(x.sid == "LegacyRead");
  CHECK(x.reason == "migration ticket 42");
  CHECK(x.expires == "2027-03-31");
  CHECK_FALSE(x.policy);
  CHECK_FALSE(x.statement);
  CHECK(x.line == 28);
  CHECK(x.column == 5);
  CHECK(c.ignore == std::vector<std::string>{"POLICY-014"});
  REQUIRE(c.severity.size() == 1);
  CHECK(c.severity[0].second == Severity::Suggestion);
  REQUIRE(c.scope);
  const Scope& s = *c.scope;
  CHECK(s.athena);
  CHECK_FALSE(s.athena_admin);
  CHECK(s.glue_access == Access::Read);
  REQUIRE(s.buckets.size() == 2);
  CHECK(s.buckets[0].access == Access::Read);
  CHECK(s.buckets[1].access == Access::Write);
  CHECK(s.require == "any");
}

TEST_CASE("config: names expand to ARN patterns with partitions, accounts and regions", "[config]") {
  Config c = parse_ok(R"(
scope:
  partitions: [aws, aws-cn]
  accounts: ["418295730264", "111111111111"]
  athena: {workgroups: [analytics, "arn:aws:athena:eu-west-1:418295730264:workgroup/eu-*"]}
  glue: {databases: [sales], tables: ["sales/orders"]}
  s3: {buckets: [{name: lake, prefixes: ["curated/"]}, {name: results}]}
)");
  const Scope& s = *c.scope;
  auto wg = s.workgroup_arns();
  CHECK(any_matches(wg, "arn:aws:athena:us-west-2:418295730264:workgroup/analytics"));
  CHECK(any_matches(wg, "arn:aws-cn:athena:cn-north-1:111111111111:workgroup/analytics"));
  CHECK(any_matches(wg, "arn:aws:athena:eu-west-1:418295730264:workgroup/eu-sales"));
  CHECK_FALSE(any_matches(wg, "arn:aws:athena:us-west-2:222222222222:workgroup/analytics"));
  CHECK_FALSE(any_matches(wg, "arn:aws:athena:us-west-2:418295730264:workgroup/analytics2"));
  auto glue = s.glue_arns();
  CHECK(any_matches(glue, "arn:aws:glue:us-east-1:418295730264:catalog"));
  CHECK(any_matches(glue, "arn:aws:glue:us-east-1:418295730264:database/sales"));
  CHECK(any_matches(glue, "arn:aws:glue:us-east-1:418295730264:table/sales/orders"));
  CHECK_FALSE(any_matches(glue, "arn:aws:glue:us-east-1:418295730264:table/sales/customers"));
  CHECK_FALSE(any_matches(glue, "arn:aws:athena:us-east-1:418295730264:database/sales"));
  auto s3 = s.s3_arns();
  CHECK(any_matches(s3, "arn:aws:s3:::lake"));
  CHECK(any_matches(s3, "arn:aws-cn:s3:::lake"));
  CHECK_FALSE(any_matches(s3, "arn:aws-us-gov:s3:::lake"));
  CHECK_FALSE(any_matches(s3, "arn:aws:s3:eu-west-1::lake"));
  CHECK(any_matches(s3, "arn:aws:s3:::lake/curated/a.parquet"));
  CHECK_FALSE(any_matches(s3, "arn:aws:s3:::lake/raw/a.parquet"));
  CHECK(any_matches(s3, "arn:aws:s3:::results/anything"));
}

TEST_CASE("config: no workgroups and no accounts or regions means no workgroup scope", "[config]") {
  Config c = parse_ok("scope:\n  athena: {admin: true}\n");
  CHECK(c.scope->workgroup_arns().empty());
  CHECK(c.scope->athena_admin);
  Config d = parse_ok("scope:\n  regions: [eu-west-1]\n");
  auto wg = d.scope->workgroup_arns();
  CHECK(any_matches(wg, "arn:aws:athena:eu-west-1:418295730264:workgroup/x"));
  CHECK_FALSE(any_matches(wg, "arn:aws:athena:us-east-1:418295730264:workgroup/x"));
}

TEST_CASE("config: an empty file is an empty configuration", "[config]") {
  Config c = parse_ok("");
  CHECK_FALSE(c.scope);
  CHECK(c.select.empty());
}

TEST_CASE("config: mistakes name the file, line and column", "[config]") {
  struct Case {
    std::string text;
    std::string expected;
  };
  auto c = GENERATE(values<Case>({
      {"fail-on: warning\nselct: [ALL]\n",
       "cfg.yaml:2:1: unknown key \"selct\" in the configuration; did you mean \"select\"?"},
      {"scope:\n  athena:\n    workgroup: [x]\n",
       "cfg.yaml:3:5: unknown key \"workgroup\" in scope.athena; did you mean \"workgroups\"?"},
      {"scope:\n  accounts: [\"4182957302\"]\n",
       "cfg.yaml:2:14: scope.accounts: \"4182957302\" is not a 12-digit account id"},
      {"scope:\n  regions: [us-east1]\n",
       "cfg.yaml:2:13: scope.regions: \"us-east1\" is not a region name such as us-east-1"},
      {"scope:\n  s3:\n    buckets:\n      - {name: Lake_1}\n",
       "cfg.yaml:4:16: \"Lake_1\" is not an S3 bucket name"},
      {"scope:\n  s3:\n    buckets:\n      - {prefixes: [a/*]}\n",
       "cfg.yaml:4:9: a bucket of scope.s3.buckets needs a name"},
      {"scope:\n  network:\n    source-ips: [10.0.0.0/33]\n",
       "cfg.yaml:3:18: scope.network.source-ips: \"10.0.0.0/33\" is not an IP address"},
      {"scope:\n  network:\n    vpc-endpoints: [vpce-12]\n",
       "cfg.yaml:3:21: scope.network.vpc-endpoints: \"vpce-12\" is not a VPC endpoint id"},
      {"scope:\n  glue:\n    tables: [orders]\n",
       "cfg.yaml:3:14: scope.glue.tables: \"orders\" is not database/table"},
      {"scope:\n  glue:\n    access: readonly\n", "cfg.yaml:3:13: scope.glue.access must be read or write"},
      {"scope:\n  athena:\n    admin: maybe\n", "cfg.yaml:3:12: scope.athena.admin must be true or false"},
      {"scope:\n  athena:\n    results: /tmp/results\n",
       "cfg.yaml:3:14: scope.athena.results must be an s3:// location"},
      {"scope:\n  athena:\n    results-key: alias/athena\n",
       "cfg.yaml:3:18: scope.athena.results-key: \"alias/athena\" is not a key id or a key ARN (an alias "
       "does not"},
      {"scope:\n  redshift:\n    cluster: [analytics]\n",
       "cfg.yaml:3:5: unknown key \"cluster\" in scope.redshift; did you mean \"clusters\"?"},
      {"scope:\n  redshift:\n    clusters: [Analytics_1]\n",
       "cfg.yaml:3:16: scope.redshift.clusters: \"Analytics_1\" is not a cluster identifier"},
      {"scope:\n  redshift:\n    workgroups: [analytics]\n",
       "cfg.yaml:3:18: scope.redshift.workgroups: \"analytics\" is not an id such as"},
      {"scope:\n  redshift:\n    clusters: [\"arn:aws:athena:us-east-1:418295730264:workgroup/x\"]\n",
       "cfg.yaml:3:16: scope.redshift.clusters: \"arn:aws:athena:us-east-1:418295730264:workgroup/x\" is not "
       "an ARN of redshift"},
      {"scope:\n  redshift:\n    users: [\"a/b\"]\n",
       "cfg.yaml:3:13: scope.redshift.users: \"a/b\" is not a database, user or group name"},
      {"scope:\n  redshift:\n    access: readonly\n",
       "cfg.yaml:3:13: scope.redshift.access must be read or write"},
      {"scope:\n  kms:\n    keys: [my-key]\n",
       "cfg.yaml:3:12: scope.kms.keys: \"my-key\" is not a key id, a key ARN, alias/NAME or an alias ARN"},
      {"scope:\n  kms:\n    via-services: [S3]\n",
       "cfg.yaml:3:20: scope.kms.via-services: \"S3\" is not a service prefix"},
      {"scope:\n  kms:\n    admins: true\n",
       "cfg.yaml:3:5: unknown key \"admins\" in scope.kms; did you mean \"admin\"?"},
      {"fail-on: sometimes\n", "cfg.yaml:1:10: fail-on must be error, security, warning, suggestion or none"},
      {"severity: {S3-007: low}\n", "cfg.yaml:1:20: \"low\" is not error, security, warning or suggestion"},
      {"select: POLICY\n", "cfg.yaml:1:9: select must be a list"},
      {"suppress:\n  - {rule: GLUE-001}\n", "cfg.yaml:2:5: a suppression needs a reason"},
      {"suppress:\n  - {reason: x}\n", "cfg.yaml:2:5: a suppression needs a rule"},
      {"suppress:\n  - {rule: GLUE-001, reason: x, expires: soon}\n",
       "cfg.yaml:2:42: expires must be a date"},
      {"suppress:\n  - {rule: GLUE-001, reason: x, statement: first}\n", "cfg.yaml:2:44: statement must be"},
      {"suppress:\n  - {rule: GLUE-001, reason: x, sids: A}\n",
       "cfg.yaml:2:33: unknown key \"sids\" in a suppression; did you mean \"sid\"?"},
      {"suppress: {rule: GLUE-001}\n", "cfg.yaml:1:11: suppress must be a list"},
      {"scope: [1, 2]\n", "cfg.yaml:1:8: scope must be a mapping"},
      {"fail-on: [x\n", "cfg.yaml:2:1: "},
  }));
  INFO(c.text);
  CHECK_THAT(parse_error(c.text), Catch::StartsWith(c.expected));
}

TEST_CASE("config: the starter configuration is valid", "[config]") {
  Config c = parse_ok(starter_config());
  REQUIRE(c.scope);
  CHECK(c.scope->athena);
  CHECK(c.scope->athena_results == "managed");
}

TEST_CASE("config: nesting 100,000 deep is an error, not a stack overflow", "[config]") {
  CHECK_THAT(parse_error("select: " + std::string(100000, '[')), Catch::EndsWith(": nested too deeply"));
  CHECK_THAT(parse_error("select: " + std::string(100000, '{')), Catch::EndsWith(": nested too deeply"));
}

TEST_CASE("config: init --from writes names from policies only as quoted, valid values", "[config]") {
  // Names a hostile policy might carry: one that would end the string and add keys, control and bidi
  // characters, and an invalid bucket name.
  std::string text = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
    "Resource": ["arn:aws:s3:::lake\", access: read}\nfail-on: none\nignore: [ALL]\n#/x",
                 "arn:aws:s3:::good-bucket/pre\"fix\u001b]0;t\u0007\u202e/*",
                 "arn:aws:s3:::UPPER/*",
                 "arn:aws:athena:us-east-1:418295730264:workgroup/wg\u0000x"]}]})";
  ParsedFile parsed = parse_policies(text, "p.json");
  REQUIRE(parsed.policies.size() == 1);
  std::string written = config_from_policies({&parsed.policies[0]}, Catalog::embedded());
  INFO(written);
  for (char c : written) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  CHECK(written.find("\xe2\x80\xae") == std::string::npos);
  std::string error;
  auto config = parse_config(written, ".scopecop.yaml", error);
  INFO(error);
  REQUIRE(config);
  CHECK(config->fail_on == std::optional<std::string>("warning"));
  CHECK(config->ignore.empty());
  REQUIRE(config->scope);
  const Scope& s = *config->scope;
  REQUIRE(s.buckets.size() == 1);
  CHECK(s.buckets[0].name == "good-bucket");
  // The prefix comes back exactly as the policy wrote it.
  CHECK(s.buckets[0].prefixes == std::vector<std::string>{"pre\"fix\x1b]0;t\x07\xe2\x80\xae/*"});
  CHECK(s.workgroups.empty());
  CHECK(written.find("# left out of scope.s3.buckets: \"UPPER\"") != std::string::npos);
  CHECK(written.find("# left out of scope.athena.workgroups: \"wg\\x00x\"") != std::string::npos);
}

TEST_CASE("config: redshift and kms scopes expand to the ARNs they allow", "[config]") {
  Config c = parse_ok(R"(scope:
  accounts: ["418295730264"]
  regions: [us-east-1]
  redshift:
    clusters: [analytics, "arn:aws:redshift:eu-west-1:418295730264:cluster:reporting"]
    workgroups: [4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c]
    users: [report_reader]
  kms:
    keys: [4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c, alias/athena-results]
)");
  REQUIRE(c.scope);
  auto covers = [](const ArnSet& set, std::string_view arn) {
    Pattern p = arn_pattern_within_fields(arn);
    for (const Pattern& w : set.whole) {
      if (covered_by(p, std::span(&w, 1))) return true;
    }
    for (const auto& list : set.field_lists()) {
      if (!covered_by(p, list)) return false;
    }
    return set.has_product();
  };
  ArnSet redshift = c.scope->redshift_arns();
  CHECK(covers(redshift, "arn:aws:redshift:us-east-1:418295730264:cluster:analytics"));
  CHECK(covers(redshift, "arn:aws:redshift:us-east-1:418295730264:dbuser:analytics/report_reader"));
  CHECK(covers(redshift, "arn:aws:redshift:us-east-1:418295730264:dbname:analytics/dev"));
  CHECK_FALSE(covers(redshift, "arn:aws:redshift:us-east-1:418295730264:dbuser:analytics/admin"));
  CHECK_FALSE(covers(redshift, "arn:aws:redshift:us-east-1:418295730264:cluster:finance"));
  // A cluster given by ARN keeps its own region, beyond scope.regions.
  CHECK(covers(redshift, "arn:aws:redshift:eu-west-1:418295730264:dbuser:reporting/report_reader"));
  CHECK_FALSE(covers(redshift, "arn:aws:redshift:eu-west-1:418295730264:cluster:analytics"));
  CHECK(covers(
      redshift,
      "arn:aws:redshift-serverless:us-east-1:418295730264:workgroup/4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c"));
  CHECK_FALSE(covers(redshift, "arn:aws:redshift-serverless:us-east-1:418295730264:namespace/x"));
  ArnSet kms = c.scope->kms_arns();
  CHECK(covers(kms, "arn:aws:kms:us-east-1:418295730264:key/4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c"));
  CHECK(covers(kms, "arn:aws:kms:us-east-1:418295730264:alias/athena-results"));
  CHECK_FALSE(covers(kms, "arn:aws:kms:us-east-1:418295730264:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"));
  // Without names, accounts and regions alone bound the keys; without them there is nothing to judge.
  CHECK(parse_ok("scope:\n  kms: {}\n").scope->kms_arns().empty());
  CHECK(covers(parse_ok("scope:\n  accounts: ['418295730264']\n  kms: {}\n").scope->kms_arns(),
               "arn:aws:kms:eu-west-1:418295730264:key/x"));
}

TEST_CASE("config: init --from writes no pattern and no documentation placeholder into the scope",
          "[config]") {
  std::string text = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "athena:GetQueryResults", "Resource": [
      "arn:aws:athena:us-east-1:123456789012:workgroup/your_workgroup_name",
      "arn:aws:athena:us-east-1:418295730264:workgroup/*", "arn:aws:athena:us-east-1:418295730264:workgroup/bi"]},
    {"Effect": "Allow", "Action": "glue:GetTable", "Resource": [
      "arn:aws:glue:us-east-1:418295730264:table/sales/*", "arn:aws:glue:us-east-1:418295730264:table/*/orders"]},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::your-bucket-name/*"}]})";
  ParsedFile parsed = parse_policies(text, "p.json");
  REQUIRE(parsed.policies.size() == 1);
  std::string written = config_from_policies({&parsed.policies[0]}, Catalog::embedded());
  INFO(written);
  std::string error;
  auto config = parse_config(written, ".scopecop.yaml", error);
  REQUIRE(config);
  const Scope& s = *config->scope;
  CHECK(s.accounts == std::vector<std::string>{"418295730264"});
  CHECK(s.workgroups == std::vector<std::string>{"bi"});
  CHECK(s.databases == std::vector<std::string>{"sales"});
  CHECK(s.tables == std::vector<std::string>{"sales/*"});  // a glob within a named database is a scope's
  CHECK(s.buckets.empty());
  // Each is named, with why, in a comment.
  for (std::string_view left : {"# left out of scope.accounts: \"123456789012\" looks like a documentation "
                                "placeholder",
                                "# left out of scope.athena.workgroups: \"*\" is a pattern",
                                "# left out of scope.athena.workgroups: \"your_workgroup_name\" looks like",
                                "# left out of scope.glue.tables: \"*/orders\" is a pattern",
                                "# left out of scope.s3.buckets: \"your-bucket-name\" looks like"}) {
    CHECK_THAT(written, Catch::Contains(std::string(left)));
  }
}

TEST_CASE("config: init --from fills the redshift and kms scopes, and they read back", "[config]") {
  std::string text = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "redshift:GetClusterCredentials", "Resource": [
      "arn:aws:redshift:us-east-1:418295730264:dbuser:analytics/report_reader",
      "arn:aws:redshift:us-east-1:418295730264:dbname:analytics/dev",
      "arn:aws:redshift:us-east-1:418295730264:dbuser:*/etl"]},
    {"Effect": "Allow", "Action": "redshift-data:ExecuteStatement", "Resource":
      "arn:aws:redshift-serverless:us-east-1:418295730264:workgroup/4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c"},
    {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:CreateGrant"], "Resource": [
      "arn:aws:kms:us-east-1:418295730264:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
      "arn:aws:kms:us-east-1:418295730264:key/*"]}]})";
  ParsedFile parsed = parse_policies(text, "p.json");
  REQUIRE(parsed.policies.size() == 1);
  std::string written = config_from_policies({&parsed.policies[0]}, Catalog::embedded());
  INFO(written);
  std::string error;
  auto config = parse_config(written, ".scopecop.yaml", error);
  INFO(error);
  REQUIRE(config);
  REQUIRE(config->scope);
  const Scope& s = *config->scope;
  CHECK(s.redshift);
  CHECK(s.clusters == std::vector<std::string>{"analytics"});
  CHECK(s.redshift_workgroups == std::vector<std::string>{"4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c"});
  CHECK(s.redshift_databases == std::vector<std::string>{"dev"});
  CHECK(s.redshift_users == std::vector<std::string>{"etl", "report_reader"});
  CHECK(s.redshift_access == Access::Read);  // no network changes among the actions
  CHECK(s.keys == std::vector<std::string>{"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"});  // not "*"
  CHECK(s.kms_admin);  // kms:CreateGrant is administration: the scope starts where the policies are
  // What init wrote, the scoping rules accept, but for the entry whose cluster is a pattern.
  CheckOptions options;
  options.scope = &s;
  std::vector<std::string> select{"REDSHIFT-004"};
  REQUIRE(RuleSelection::resolve(select, {}, options.rules).empty());
  FileResult result = check_text("p.json", text, options);
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].resource == "arn:aws:redshift:us-east-1:418295730264:dbuser:*/etl");
}

TEST_CASE("config: a key set twice in one mapping is an error naming both lines", "[config]") {
  CHECK(parse_error("fail-on: error\nfail-on: warning\n") ==
        "cfg.yaml:2:1: \"fail-on\" is set twice (also on line 1); keep one");
  CHECK(parse_error("scope:\n  accounts: ['111122223333']\n  accounts: ['444455556666']\n") ==
        "cfg.yaml:3:3: \"accounts\" is set twice (also on line 2); keep one");
  CHECK(parse_error("severity:\n  S3-001: warning\n  S3-001: error\n") ==
        "cfg.yaml:3:3: \"S3-001\" is set twice (also on line 2); keep one");
}

TEST_CASE("config: never: entries", "[config]") {
  Config c = parse_ok(R"(never:
  - action: s3:DeleteBucket
  - action: [kms:Decrypt, "kms:ReEncrypt*"]
    resource: "arn:aws:kms:*:*:key/prod-*"
    reason: prod keys
  - {action: iam:PassRole, not-resource: ["arn:aws:iam::*:role/app-*"]}
)");
  REQUIRE(c.never.size() == 3);
  CHECK(c.never[0].actions == std::vector<std::string>{"s3:DeleteBucket"});
  CHECK(c.never[0].resources.empty());
  CHECK_FALSE(c.never[0].not_resource);
  CHECK(c.never[1].actions == std::vector<std::string>{"kms:Decrypt", "kms:ReEncrypt*"});
  CHECK(c.never[1].resources == std::vector<std::string>{"arn:aws:kms:*:*:key/prod-*"});
  CHECK(c.never[1].reason == "prod keys");
  CHECK(c.never[1].line == 3);
  CHECK(c.never[2].not_resource);

  CHECK(parse_error("never:\n  - resource: \"*\"\n") ==
        "cfg.yaml:2:5: a never: entry needs an action (s3:DeleteBucket, kms:*, ...)");
  CHECK(parse_error("never:\n  - {action: s3:GetObject, resource: \"*\", not-resource: \"*\"}\n") ==
        "cfg.yaml:2:5: a never: entry has resource or not-resource, not both");
  CHECK_THAT(parse_error("never:\n  - {action: DeleteBucket}\n"),
             Catch::Contains("action: \"DeleteBucket\" is not an action"));
  CHECK_THAT(parse_error("never:\n  - {action: s3:GetObject, resource: \"arn:aws\"}\n"),
             Catch::Contains("resource: \"arn:aws\" is not an ARN pattern"));
  CHECK_THAT(parse_error("never:\n  - {action: s3:GetObject, resources: \"*\"}\n"),
             Catch::Contains("did you mean \"resource\""));
  CHECK_THAT(parse_error("never: {action: s3:GetObject}\n"), Catch::Contains("never must be a list"));
}
