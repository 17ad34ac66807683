#include "scopecop/config.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "core/scope_values.h"
#include "scopecop/arn.h"
#include "scopecop/ip.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

using namespace scope_values;

// Thrown inside this file only; parse_config turns it into the error line.
struct Bad {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void bad(const YAML::Node& node, std::string message) {
  throw Bad{node.Mark(), std::move(message)};
}

// A key written twice in one mapping: YAML parsers keep one or the other, so the setting is not what it
// reads.
void check_unique(const YAML::Node& map) {
  std::map<std::string, int> lines;
  for (const auto& kv : map) {
    auto [it, first] = lines.emplace(kv.first.as<std::string>(), kv.first.Mark().line + 1);
    if (!first)
      bad(kv.first, fmt::format("\"{}\" is set twice (also on line {}); keep one", it->first, it->second));
  }
}

void check_keys(const YAML::Node& map, std::string_view where,
                std::initializer_list<std::string_view> known) {
  if (!map.IsMap()) bad(map, fmt::format("{} must be a mapping", where));
  check_unique(map);
  std::vector<std::string_view> names(known);
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>();
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    std::string message = fmt::format("unknown key \"{}\" in {}", key, where);
    if (auto best = did_you_mean(key, names)) message += fmt::format("; did you mean \"{}\"?", *best);
    bad(kv.first, message);
  }
}

std::string scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) bad(node, fmt::format("{} must be a string", what));
  return node.as<std::string>();
}

bool boolean(const YAML::Node& node, std::string_view what) {
  std::string v = to_lower(scalar(node, what));
  if (v == "true") return true;
  if (v == "false") return false;
  bad(node, fmt::format("{} must be true or false", what));
}

std::vector<std::string> strings(const YAML::Node& node, std::string_view what,
                                 std::string (*check)(std::string_view) = nullptr) {
  if (!node.IsSequence()) bad(node, fmt::format("{} must be a list", what));
  std::vector<std::string> out;
  for (const auto& item : node) {
    std::string v = scalar(item, fmt::format("an entry of {}", what));
    if (check) {
      if (std::string problem = check(v); !problem.empty())
        bad(item, fmt::format("{}: \"{}\" {}", what, v, problem));
    }
    out.push_back(v);
  }
  return out;
}

Access access(const YAML::Node& node, std::string_view what) {
  std::string v = scalar(node, what);
  if (v == "read") return Access::Read;
  if (v == "write") return Access::Write;
  bad(node, fmt::format("{} must be read or write", what));
}

Scope parse_scope(const YAML::Node& node) {
  check_keys(node, "scope",
             {"partitions", "accounts", "regions", "athena", "glue", "s3", "redshift", "kms", "network"});
  Scope s;
  if (node["partitions"]) s.partitions = strings(node["partitions"], "scope.partitions", check_partition);
  if (node["accounts"]) s.accounts = strings(node["accounts"], "scope.accounts", check_account);
  if (node["regions"]) s.regions = strings(node["regions"], "scope.regions", check_region);
  if (const YAML::Node a = node["athena"]) {
    check_keys(a, "scope.athena", {"workgroups", "data-catalogs", "admin", "results", "results-key"});
    s.athena = true;
    if (a["workgroups"])
      s.workgroups = strings(a["workgroups"], "scope.athena.workgroups", check_arn_or_name);
    if (a["data-catalogs"]) {
      s.data_catalogs = strings(a["data-catalogs"], "scope.athena.data-catalogs", check_arn_or_name);
    }
    if (a["admin"]) s.athena_admin = boolean(a["admin"], "scope.athena.admin");
    if (a["results-key"]) {
      s.athena_results_key = scalar(a["results-key"], "scope.athena.results-key");
      if (std::string problem = check_kms_key_not_alias(s.athena_results_key); !problem.empty()) {
        bad(a["results-key"], fmt::format("scope.athena.results-key: \"{}\" {} (an alias does not "
                                          "authorize kms:Decrypt; name the key)",
                                          s.athena_results_key, problem));
      }
    }
    if (a["results"]) {
      s.athena_results = scalar(a["results"], "scope.athena.results");
      if (s.athena_results != "managed" && !s.athena_results.starts_with("s3://")) {
        bad(a["results"], "scope.athena.results must be an s3:// location or \"managed\"");
      }
      if (s.athena_results.starts_with("s3://")) {
        std::string_view rest = std::string_view(s.athena_results).substr(5);
        if (std::string problem = check_bucket(rest.substr(0, rest.find('/'))); !problem.empty()) {
          bad(a["results"], fmt::format("scope.athena.results: the bucket {}", problem));
        }
      }
    }
  }
  if (const YAML::Node g = node["glue"]) {
    check_keys(g, "scope.glue", {"databases", "tables", "access"});
    s.glue = true;
    if (g["databases"]) s.databases = strings(g["databases"], "scope.glue.databases", check_arn_or_name);
    if (g["tables"]) s.tables = strings(g["tables"], "scope.glue.tables", check_table);
    if (g["access"]) s.glue_access = access(g["access"], "scope.glue.access");
  }
  if (const YAML::Node b = node["s3"]) {
    check_keys(b, "scope.s3", {"buckets"});
    s.s3 = true;
    if (const YAML::Node list = b["buckets"]) {
      if (!list.IsSequence()) bad(list, "scope.s3.buckets must be a list");
      for (const auto& item : list) {
        check_keys(item, "a bucket of scope.s3.buckets", {"name", "prefixes", "access"});
        if (!item["name"]) bad(item, "a bucket of scope.s3.buckets needs a name");
        BucketScope bucket;
        bucket.name = scalar(item["name"], "name");
        if (std::string problem = check_bucket(bucket.name); !problem.empty()) {
          bad(item["name"], fmt::format("\"{}\" {}", bucket.name, problem));
        }
        if (item["prefixes"]) bucket.prefixes = strings(item["prefixes"], "prefixes");
        if (item["access"]) bucket.access = access(item["access"], "access");
        s.buckets.push_back(std::move(bucket));
      }
    }
  }
  if (const YAML::Node r = node["redshift"]) {
    check_keys(r, "scope.redshift",
               {"clusters", "workgroups", "namespaces", "databases", "users", "groups", "access"});
    s.redshift = true;
    if (r["clusters"]) s.clusters = strings(r["clusters"], "scope.redshift.clusters", check_cluster);
    if (r["workgroups"])
      s.redshift_workgroups = strings(r["workgroups"], "scope.redshift.workgroups", check_serverless_id);
    if (r["namespaces"])
      s.namespaces = strings(r["namespaces"], "scope.redshift.namespaces", check_serverless_id);
    if (r["databases"])
      s.redshift_databases = strings(r["databases"], "scope.redshift.databases", check_database_name);
    if (r["users"]) s.redshift_users = strings(r["users"], "scope.redshift.users", check_database_name);
    if (r["groups"]) s.redshift_groups = strings(r["groups"], "scope.redshift.groups", check_database_name);
    if (r["access"]) s.redshift_access = access(r["access"], "scope.redshift.access");
  }
  if (const YAML::Node k = node["kms"]) {
    check_keys(k, "scope.kms", {"keys", "via-services", "admin"});
    s.kms = true;
    if (k["keys"]) s.keys = strings(k["keys"], "scope.kms.keys", check_kms_key);
    if (k["via-services"])
      s.via_services = strings(k["via-services"], "scope.kms.via-services", check_service_prefix);
    if (k["admin"]) s.kms_admin = boolean(k["admin"], "scope.kms.admin");
  }
  if (const YAML::Node n = node["network"]) {
    check_keys(n, "scope.network", {"source-ips", "vpc-endpoints", "require"});
    s.network = true;
    if (n["source-ips"]) s.source_ips = strings(n["source-ips"], "scope.network.source-ips", check_cidr);
    if (n["vpc-endpoints"])
      s.vpc_endpoints = strings(n["vpc-endpoints"], "scope.network.vpc-endpoints", check_vpce);
    if (n["require"]) {
      s.require = scalar(n["require"], "scope.network.require");
      if (s.require != "none" && s.require != "any")
        bad(n["require"], "scope.network.require must be none or any");
    }
  }
  return s;
}

std::vector<Suppression> parse_suppressions(const YAML::Node& node) {
  if (!node.IsSequence()) bad(node, "suppress must be a list");
  std::vector<Suppression> out;
  for (const auto& item : node) {
    check_keys(item, "a suppression",
               {"rule", "file", "policy", "sid", "statement", "action", "resource", "reason", "expires"});
    Suppression s;
    s.line = item.Mark().line + 1;
    s.column = item.Mark().column + 1;
    if (!item["rule"]) bad(item, "a suppression needs a rule (a code, name or prefix)");
    s.rule = scalar(item["rule"], "rule");
    if (!item["reason"] || scalar(item["reason"], "reason").empty()) {
      bad(item, "a suppression needs a reason, so that the next reader knows why the finding is accepted");
    }
    s.reason = scalar(item["reason"], "reason");
    auto optional = [&](std::string_view key, std::optional<std::string>& field) {
      if (item[std::string(key)]) field = scalar(item[std::string(key)], key);
    };
    optional("file", s.file);
    optional("policy", s.policy);
    optional("sid", s.sid);
    optional("action", s.action);
    optional("resource", s.resource);
    optional("expires", s.expires);
    if (s.expires && !is_date(*s.expires)) bad(item["expires"], "expires must be a date such as 2027-03-31");
    if (const YAML::Node index = item["statement"]) {
      std::string v = scalar(index, "statement");
      if (v.empty() || v.size() > 6 ||
          !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        bad(index, "statement must be a statement's 0-based index");
      }
      s.statement = std::stoul(v);
    }
    out.push_back(std::move(s));
  }
  return out;
}

// A string or a list of strings.
std::vector<std::string> one_or_more(const YAML::Node& node, std::string_view what,
                                     std::string (*check)(std::string_view) = nullptr) {
  if (node.IsSequence()) return strings(node, what, check);
  std::string v = scalar(node, what);
  if (check) {
    if (std::string problem = check(v); !problem.empty())
      bad(node, fmt::format("{}: \"{}\" {}", what, v, problem));
  }
  return {v};
}

std::string action_problem(std::string_view action) {
  if (action == "*") return "";
  std::size_t colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size())
    return "is not an action (service:Action, with * and ? as wildcards)";
  return "";
}

std::string resource_problem(std::string_view resource) {
  if (resource == "*") return "";
  std::string problem = arn_syntax_problem(resource);
  return problem.empty() ? "" : "is not an ARN pattern: " + problem;
}

std::vector<Guard> parse_never(const YAML::Node& node) {
  if (!node.IsSequence()) bad(node, "never must be a list of accesses: {action: ..., resource: ...}");
  std::vector<Guard> out;
  for (const auto& item : node) {
    check_keys(item, "a never: entry", {"action", "resource", "not-resource", "reason"});
    Guard g;
    g.line = item.Mark().line + 1;
    g.column = item.Mark().column + 1;
    if (!item["action"]) bad(item, "a never: entry needs an action (s3:DeleteBucket, kms:*, ...)");
    g.actions = one_or_more(item["action"], "action", action_problem);
    if (item["resource"] && item["not-resource"])
      bad(item, "a never: entry has resource or not-resource, not both");
    if (const YAML::Node r = item["resource"]) g.resources = one_or_more(r, "resource", resource_problem);
    if (const YAML::Node r = item["not-resource"]) {
      g.resources = one_or_more(r, "not-resource", resource_problem);
      g.not_resource = true;
    }
    if (item["reason"]) g.reason = scalar(item["reason"], "reason");
    out.push_back(std::move(g));
  }
  return out;
}

// The ARNs of `service` named by `names` (ARNs, or resource names after `resource_prefix` in the scope's
// partitions, regions and accounts).
ArnSet arn_set(const Scope& s, std::string service, const std::vector<std::string>& names,
               std::string_view resource_prefix) {
  ArnSet out{std::move(service), s.partitions, s.regions, s.accounts, {}, {}};
  if (out.regions.empty()) out.regions = {"*"};
  if (out.accounts.empty()) out.accounts = {"*"};
  for (const std::string& n : names) {
    if (n.starts_with("arn:")) {
      out.whole.push_back(arn_pattern_within_fields(n));
    } else {
      out.resources.push_back(fmt::format("{}{}", resource_prefix, n));
    }
  }
  return out;
}

}  // namespace

ArnSet Scope::workgroup_arns() const {
  if (workgroups.empty())
    return limits_accounts_or_regions() ? arn_set(*this, "athena", {"*"}, "workgroup/") : ArnSet{};
  return arn_set(*this, "athena", workgroups, "workgroup/");
}

ArnSet Scope::glue_arns() const {
  ArnSet out = arn_set(*this, "glue", {"catalog"}, "");
  auto add = [&](const std::vector<std::string>& names, std::string_view prefix) {
    ArnSet more = arn_set(*this, "glue", names, prefix);
    out.resources.insert(out.resources.end(), more.resources.begin(), more.resources.end());
    out.whole.insert(out.whole.end(), more.whole.begin(), more.whole.end());
  };
  std::vector<std::string> dbs =
      databases.empty() && limits_accounts_or_regions() ? std::vector<std::string>{"*"} : databases;
  add(dbs, "database/");
  std::vector<std::string> table_names = tables;
  if (table_names.empty()) {
    for (const std::string& d : dbs) table_names.push_back(d + "/*");
  }
  add(table_names, "table/");
  std::vector<std::string> functions;
  for (const std::string& d : dbs) functions.push_back(d + "/*");
  add(functions, "userDefinedFunction/");
  return out;
}

ArnSet Scope::s3_arns() const {
  ArnSet out{"s3", partitions, {""}, {""}, {}, {}};
  for (const BucketScope& b : buckets) {
    out.resources.push_back(b.name);
    if (b.prefixes.empty()) out.resources.push_back(b.name + "/*");
    for (const std::string& prefix : b.prefixes)
      out.resources.push_back(fmt::format("{}/{}", b.name, prefix.ends_with('*') ? prefix : prefix + "*"));
  }
  return out;
}

namespace {

// Every ARN of the set's product, written out: for a set of another service that joins this one.
std::vector<Pattern> written_out(const ArnSet& set) {
  std::vector<Pattern> out = set.whole;
  if (!set.has_product()) return out;
  for (const std::string& p : set.partitions)
    for (const std::string& r : set.regions)
      for (const std::string& a : set.accounts)
        for (const std::string& resource : set.resources)
          out.push_back(
              arn_pattern_within_fields(fmt::format("arn:{}:{}:{}:{}:{}", p, set.service, r, a, resource)));
  return out;
}

}  // namespace

ArnSet Scope::redshift_arns() const {
  bool named = !clusters.empty() || !redshift_workgroups.empty() || !namespaces.empty();
  if (!named && !limits_accounts_or_regions()) return {};
  std::vector<std::string> cluster_names = named ? clusters : std::vector<std::string>{"*"};
  auto or_any = [](const std::vector<std::string>& v) {
    return v.empty() ? std::vector<std::string>{"*"} : v;
  };
  ArnSet out = arn_set(*this, "redshift", {}, "");
  for (const std::string& c : cluster_names) {
    // A cluster given by its ARN keeps its partition, region and account for its databases and users.
    auto arn = c.starts_with("arn:") ? split_arn(c) : std::nullopt;
    std::string name = arn ? std::string(arn->resource.substr(arn->resource.find(':') + 1)) : c;
    auto add = [&](std::string resource) {
      if (arn) {
        out.whole.push_back(arn_pattern_within_fields(
            fmt::format("arn:{}:redshift:{}:{}:{}", arn->partition, arn->region, arn->account, resource)));
      } else {
        out.resources.push_back(std::move(resource));
      }
    };
    add("cluster:" + name);
    for (const std::string& d : or_any(redshift_databases)) add(fmt::format("dbname:{}/{}", name, d));
    for (const std::string& u : or_any(redshift_users)) add(fmt::format("dbuser:{}/{}", name, u));
    for (const std::string& g : or_any(redshift_groups)) add(fmt::format("dbgroup:{}/{}", name, g));
  }
  // Serverless ARNs belong to another service: written out whole beside the clusters' product.
  auto serverless = [&](const std::vector<std::string>& ids, std::string_view prefix) {
    auto more = written_out(
        arn_set(*this, "redshift-serverless", named ? ids : std::vector<std::string>{"*"}, prefix));
    out.whole.insert(out.whole.end(), more.begin(), more.end());
  };
  serverless(redshift_workgroups, "workgroup/");
  serverless(namespaces, "namespace/");
  return out;
}

ArnSet Scope::kms_arns() const {
  if (keys.empty())
    return limits_accounts_or_regions() ? arn_set(*this, "kms", {"key/*", "alias/*"}, "") : ArnSet{};
  std::vector<std::string> names;
  for (const std::string& k : keys)
    names.push_back(k.starts_with("arn:") || k.starts_with("alias/") ? k : "key/" + k);
  return arn_set(*this, "kms", names, "");
}

std::optional<Config> parse_config(std::string_view text, std::string_view path, std::string& error) {
  Config config;
  config.path = std::string(path);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull()) return config;
    check_keys(root, "the configuration",
               {"fail-on", "select", "ignore", "severity", "scope", "catalog", "suppress", "never"});
    if (root["suppress"]) config.suppress = parse_suppressions(root["suppress"]);
    if (const YAML::Node f = root["fail-on"]) {
      config.fail_on = scalar(f, "fail-on");
      if (*config.fail_on != "none" && !parse_severity(*config.fail_on)) {
        bad(f, "fail-on must be error, security, warning, suggestion or none");
      }
    }
    if (root["select"]) config.select = strings(root["select"], "select");
    if (root["ignore"]) config.ignore = strings(root["ignore"], "ignore");
    if (const YAML::Node sev = root["severity"]) {
      if (!sev.IsMap()) bad(sev, "severity must be a mapping of rule to severity");
      check_unique(sev);
      for (const auto& kv : sev) {
        std::string level = scalar(kv.second, "a severity");
        auto parsed = parse_severity(level);
        if (!parsed)
          bad(kv.second, fmt::format("\"{}\" is not error, security, warning or suggestion", level));
        config.severity.emplace_back(kv.first.as<std::string>(), *parsed);
      }
    }
    if (root["catalog"]) config.catalog = scalar(root["catalog"], "catalog");
    if (root["scope"]) config.scope = parse_scope(root["scope"]);
    if (root["never"]) config.never = parse_never(root["never"]);
  } catch (const Bad& b) {
    error = fmt::format("{}:{}:{}: {}", path, b.mark.line + 1, b.mark.column + 1, b.message);
    return std::nullopt;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp says only "bad file" here.
    error = fmt::format("{}:{}:{}: nested too deeply", path, e.mark.line + 1, e.mark.column + 1);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    error = fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg);
    return std::nullopt;
  }
  return config;
}

std::string starter_config() {
  return R"(# scopecop configuration. Documented in README.md; every key is optional.
# Findings at or above this severity make `scopecop check` exit 1: error, security, warning, suggestion, none.
fail-on: warning
# Rules to run and to leave out: codes (POLICY-014), names (placeholder-value) or prefixes (S3, ATHENA-00).
select: [ALL]
ignore: []
# Per-rule severities, e.g. {S3-007: suggestion}.
severity: {}

# What the analyzed principals may reach. The rules that check against it stay silent without it.
# Names expand to ARNs with the partitions, accounts and regions listed here.
scope:
  partitions: [aws]
  accounts: []            # e.g. ["418295730264"]
  regions: []             # e.g. [us-east-1]
  athena:
    workgroups: []        # names or ARNs, e.g. [analytics]
    data-catalogs: []     # e.g. [AwsDataCatalog]
    admin: false          # may the principals create, change or delete workgroups and data catalogs?
    results: managed      # the query-result location, e.g. s3://athena-results-418295730264/analytics/
    # results-key: the KMS key (ARN or id) of SSE-KMS query results
  glue:
    databases: []         # e.g. [sales]
    tables: []            # database/table globs, e.g. ["sales/*"]
    access: read          # read | write
  s3:
    buckets: []           # e.g. [{name: analytics-lake, prefixes: ["curated/*"], access: read}]
  redshift:
    clusters: []          # cluster identifiers or ARNs, e.g. [analytics]
    workgroups: []        # Serverless workgroup ids or ARNs (their ARNs hold the id, not the name)
    namespaces: []        # Serverless namespace ids or ARNs
    databases: []         # of the clusters, e.g. [dev]
    users: []             # database users, e.g. [redshift_data_api_user]
    groups: []            # database groups
    access: read          # read | write (write allows changing the clusters' network settings)
  kms:
    keys: []              # key ARNs or ids, alias/NAME
    via-services: []      # the keys are used only through these services, e.g. [s3, athena, glue]
    admin: false          # may the principals change key policies, grants, or delete keys?

# Accepted findings: each entry needs a rule and a reason; file, policy, sid, statement, action and resource
# narrow it, and expires (YYYY-MM-DD) ends it. Entries that match nothing are reported.
# e.g. - {rule: GLUE-001, file: "legacy/*.json", sid: LegacyRead, reason: "ticket 42", expires: 2027-03-31}
suppress: []

# Access no policy may grant (GUARD-001), each with an action pattern and optionally resource or
# not-resource ARN patterns and a reason.
# e.g. - {action: "kms:Decrypt", resource: "arn:aws:kms:*:*:key/prod-*", reason: "prod keys via the app role"}
never: []
)";
}

}  // namespace scopecop
