#include <map>
#include <set>

#include <fmt/format.h>

#include "core/scope_values.h"
#include "scopecop/arn.h"
#include "scopecop/config.h"
#include "scopecop/policy.h"
#include "scopecop/resolve.h"
#include "scopecop/rule.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

bool literal(std::string_view s) {
  return !s.empty() && !has_wildcard(s) && !has_variable(s);
}

// A YAML double-quoted scalar: '"' and '\\' escaped, and control characters (C0, DEL, C1), bidirectional
// overrides and line separators escaped by code point (invisible_control), so that no text taken from a
// policy can end the string, add keys, or put control characters into the file. Other UTF-8 (the policy's
// text is valid UTF-8) is kept as it is.
std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    std::size_t len = u == 0xC2 ? 2 : u == 0xE2 ? 3 : 1;
    if (s[i] == '"' || s[i] == '\\') {
      out += '\\';
      out += s[i];
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else if (std::uint32_t cp = len > 1 ? invisible_control(s.substr(i, len)) : 0) {
      out += fmt::format("\\u{:04x}", cp);
      i += len - 1;
    } else {
      out += s[i];
    }
  }
  return out + "\"";
}

std::string yaml_list(const std::set<std::string>& items) {
  std::string out = "[";
  for (const std::string& i : items) out += (out.size() > 1 ? ", " : "") + yaml_quoted(i);
  return out + "]";
}

bool pattern(std::string_view name) {
  return has_wildcard(name) || has_variable(name);
}

// A table glob names its database ("sales/*"); one that does not ("*/orders") allows every database.
bool table_pattern(std::string_view table) {
  return has_variable(table) || has_wildcard(table.substr(0, table.find('/')));
}

// The names that `check` accepts (the rules the config reader applies) and that are neither patterns nor
// documentation placeholders; the others are named in a comment of `left_out`, escaped, so that a policy can
// neither break the file nor slip a value past the reader.
std::set<std::string> valid(const std::set<std::string>& names, std::string (*check)(std::string_view),
                            std::string_view key, std::string& left_out,
                            bool (*is_pattern)(std::string_view) = pattern) {
  std::set<std::string> out;
  for (const std::string& n : names) {
    std::string problem = check(n);
    // A scope lists what is allowed: a pattern would allow what the policies name and more, a documentation
    // placeholder names nothing real.
    if (problem.empty() && is_pattern(n)) problem = "is a pattern; list the names it stands for";
    if (const RuleValue* p = problem.empty() ? documented_placeholder(n) : nullptr)
      problem = fmt::format("looks like a documentation placeholder ({})", p->reason);
    if (problem.empty()) {
      out.insert(n);
    } else {
      left_out += fmt::format("# left out of {}: {} {}\n", key, yaml_quoted(n), problem);
    }
  }
  return out;
}

// Whether the statement allows an action of `service` that writes (Write, Tagging or Permissions management).
bool writes(const Statement& s, std::string_view service, ResolutionCache& resolved) {
  for (const Text& entry : s.action.values) {
    ActionMatch m = resolved.action(entry);
    if (m.everything) return true;
    for (const Action* a : m.actions) {
      if (a->service == service && (a->access & (kWrite | kTagging | kPermissions))) return true;
    }
  }
  return false;
}

// The action patterns a rule's metadata lists (REDSHIFT-005's network changes, KMS-004's key administration).
std::vector<Pattern> listed_actions(std::string_view code) {
  std::vector<Pattern> out;
  if (const RuleMeta* meta = find_rule_meta(code)) {
    for (const RuleValue& v : meta->values) out.push_back(Pattern::glob(v.value, true));
  }
  return out;
}

// Whether the statement allows one of `listed`: the scope then says write, or admin, so that the rule starts
// quiet.
bool allows_listed(const Statement& s, const std::vector<Pattern>& listed, ResolutionCache& resolved) {
  for (const Text& entry : s.action.values) {
    ActionMatch m = resolved.action(entry);
    if (m.everything) return true;
    for (const Action* a : m.actions) {
      std::string name = a->full_name();
      for (const Pattern& p : listed) {
        if (p.matches(name)) return true;
      }
    }
  }
  return false;
}

// The name after `prefix` up to `/` ("dbuser:analytics/etl" with "dbuser:" gives "analytics"), or "".
std::string_view field_after(std::string_view resource, std::string_view prefix) {
  if (!resource.starts_with(prefix)) return {};
  std::string_view rest = resource.substr(prefix.size());
  return rest.substr(0, rest.find('/'));
}

}  // namespace

std::string config_from_policies(const std::vector<const Policy*>& policies, const Catalog& catalog) {
  std::set<std::string> partitions, accounts, regions, workgroups, catalogs, databases, tables;
  std::map<std::string, std::set<std::string>> buckets;  // name -> prefixes ("" for the whole bucket)
  std::set<std::string> written_buckets;
  std::set<std::string> clusters, serverless_workgroups, namespaces, rs_databases, rs_users, rs_groups, keys;
  bool glue_writes = false, redshift_writes = false, kms_admin = false;
  ResolutionCache resolved(catalog);
  const std::vector<Pattern> network_changes = listed_actions("REDSHIFT-005"),
                             key_admin = listed_actions("KMS-004");
  for (const Policy* p : policies) {
    for (const Statement& s : p->statements) {
      if (s.effect != Effect::Allow) continue;
      bool s3_writes = writes(s, "s3", resolved);
      glue_writes = glue_writes || writes(s, "glue", resolved);
      redshift_writes = redshift_writes || allows_listed(s, network_changes, resolved);
      kms_admin = kms_admin || allows_listed(s, key_admin, resolved);
      for (const Text& r : s.resource.values) {
        auto arn = split_arn(r.value);
        if (!arn || !arn_syntax_problem(r.value).empty()) continue;
        if (literal(arn->partition)) partitions.insert(std::string(arn->partition));
        if (is_account_id(arn->account)) accounts.insert(std::string(arn->account));
        if (literal(arn->region)) regions.insert(std::string(arn->region));
        std::string_view res = arn->resource;
        if (arn->service == "athena") {
          if (res.starts_with("workgroup/"))
            workgroups.insert(std::string(res.substr(10, res.find('/', 10) - 10)));
          if (res.starts_with("datacatalog/")) catalogs.insert(std::string(res.substr(12)));
        } else if (arn->service == "glue") {
          if (res.starts_with("database/")) databases.insert(std::string(res.substr(9)));
          if (res.starts_with("table/")) {
            tables.insert(std::string(res.substr(6)));
            databases.insert(std::string(res.substr(6, res.find('/', 6) - 6)));
          }
        } else if (arn->service == "redshift") {
          // Only what the ARN names literally: a pattern would allow more than the policies use.
          auto keep = [](std::set<std::string>& into, std::string_view v) {
            if (literal(v)) into.insert(std::string(v));
          };
          std::string_view kind = res.substr(0, res.find(':') + 1);
          if (kind == "cluster:") keep(clusters, res.substr(8));
          if (kind == "dbname:" || kind == "dbuser:" || kind == "dbgroup:") {
            keep(clusters, field_after(res, kind));
            std::string_view name = res.substr(std::min(res.size(), res.find('/') + 1));
            keep(kind == "dbname:" ? rs_databases : kind == "dbuser:" ? rs_users : rs_groups, name);
          }
        } else if (arn->service == "redshift-serverless") {
          std::string_view id = res.substr(res.find('/') + 1);
          if (res.starts_with("workgroup/") && literal(id)) serverless_workgroups.insert(std::string(id));
          if (res.starts_with("namespace/") && literal(id)) namespaces.insert(std::string(id));
        } else if (arn->service == "kms") {
          if (res.starts_with("key/") && literal(res.substr(4))) keys.insert(std::string(res.substr(4)));
          if (res.starts_with("alias/") && literal(res)) keys.insert(std::string(res));
        } else if (arn->service == "s3" && !has_variable(res)) {
          std::string name(res.substr(0, res.find('/')));
          if (name.empty() || has_wildcard(name)) continue;
          auto& prefixes = buckets[name];
          if (res.find('/') != std::string_view::npos)
            prefixes.insert(std::string(res.substr(res.find('/') + 1)));
          if (s3_writes) written_buckets.insert(name);
        }
      }
    }
  }
  using namespace scope_values;
  std::string left_out;
  partitions = valid(partitions, check_partition, "scope.partitions", left_out);
  accounts = valid(accounts, check_account, "scope.accounts", left_out);
  regions = valid(regions, check_region, "scope.regions", left_out);
  workgroups = valid(workgroups, check_arn_or_name, "scope.athena.workgroups", left_out);
  catalogs = valid(catalogs, check_arn_or_name, "scope.athena.data-catalogs", left_out);
  databases = valid(databases, check_arn_or_name, "scope.glue.databases", left_out);
  tables = valid(tables, check_table, "scope.glue.tables", left_out, table_pattern);
  clusters = valid(clusters, check_cluster, "scope.redshift.clusters", left_out);
  serverless_workgroups =
      valid(serverless_workgroups, check_serverless_id, "scope.redshift.workgroups", left_out);
  namespaces = valid(namespaces, check_serverless_id, "scope.redshift.namespaces", left_out);
  rs_databases = valid(rs_databases, check_database_name, "scope.redshift.databases", left_out);
  rs_users = valid(rs_users, check_database_name, "scope.redshift.users", left_out);
  rs_groups = valid(rs_groups, check_database_name, "scope.redshift.groups", left_out);
  keys = valid(keys, check_kms_key, "scope.kms.keys", left_out);
  std::set<std::string> bucket_names;
  for (const auto& [name, prefixes] : buckets) bucket_names.insert(name);
  bucket_names = valid(bucket_names, check_bucket, "scope.s3.buckets", left_out);
  std::erase_if(buckets, [&](const auto& bucket) { return !bucket_names.count(bucket.first); });
  std::string out = fmt::format(
      "# scopecop configuration, filled from what {} polic{} already name{}. Tighten it: everything listed "
      "here is\n"
      "# allowed by the scoping rules. See README.md, \"Configuration\".\n"
      "{}fail-on: warning\n\nscope:\n",
      policies.size(), policies.size() == 1 ? "y" : "ies", policies.size() == 1 ? "s" : "", left_out);
  out += fmt::format("  partitions: {}\n",
                     yaml_list(partitions.empty() ? std::set<std::string>{"aws"} : partitions));
  if (!accounts.empty()) out += fmt::format("  accounts: {}\n", yaml_list(accounts));
  if (!regions.empty()) out += fmt::format("  regions: {}\n", yaml_list(regions));
  if (!workgroups.empty() || !catalogs.empty()) {
    out += "  athena:\n";
    if (!workgroups.empty()) out += fmt::format("    workgroups: {}\n", yaml_list(workgroups));
    if (!catalogs.empty()) out += fmt::format("    data-catalogs: {}\n", yaml_list(catalogs));
  }
  if (!databases.empty()) {
    out += fmt::format("  glue:\n    databases: {}\n", yaml_list(databases));
    if (!tables.empty()) out += fmt::format("    tables: {}\n", yaml_list(tables));
    out += fmt::format("    access: {}\n", glue_writes ? "write" : "read");
  }
  if (!clusters.empty() || !serverless_workgroups.empty() || !namespaces.empty()) {
    out += "  redshift:\n";
    auto list = [&](std::string_view key, const std::set<std::string>& items) {
      if (!items.empty()) out += fmt::format("    {}: {}\n", key, yaml_list(items));
    };
    list("clusters", clusters);
    list("workgroups", serverless_workgroups);
    list("namespaces", namespaces);
    list("databases", rs_databases);
    list("users", rs_users);
    list("groups", rs_groups);
    out += fmt::format("    access: {}\n", redshift_writes ? "write" : "read");
  }
  if (!keys.empty()) {
    out +=
        fmt::format("  kms:\n    keys: {}\n    admin: {}\n", yaml_list(keys), kms_admin ? "true" : "false");
  }
  if (!buckets.empty()) {
    out += "  s3:\n    buckets:\n";
    for (const auto& [name, prefixes] : buckets) {
      std::set<std::string> kept;
      for (const std::string& p : prefixes) {
        if (p != "*") kept.insert(p);
      }
      bool whole = prefixes.empty() || prefixes.count("*");
      out += fmt::format("      - {{name: {}{}, access: {}}}\n", yaml_quoted(name),
                         whole || kept.empty() ? "" : ", prefixes: " + yaml_list(kept),
                         written_buckets.count(name) ? "write" : "read");
    }
  }
  return out;
}

}  // namespace scopecop
