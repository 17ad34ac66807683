// The configuration file, .scopecop.yaml: rule selection and severities, and the allowed scope of the
// data-lake rules, with names already expanded into ARN patterns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scopecop/arn.h"
#include "scopecop/glob.h"
#include "scopecop/severity.h"
#include "scopecop/source.h"

namespace scopecop {

enum class Access : unsigned char { Read, Write };

struct BucketScope {
  std::string name;
  std::vector<std::string> prefixes;  // "curated/*"; empty: the whole bucket
  Access access = Access::Write;
};

struct Scope {
  std::vector<std::string> partitions{"aws"};
  std::vector<std::string> accounts;  // empty: any
  std::vector<std::string> regions;   // empty: any

  bool athena = false;                     // an athena: section is present
  std::vector<std::string> workgroups;     // names or ARNs, as written
  std::vector<std::string> data_catalogs;  // names or ARNs, as written
  bool athena_admin = false;
  std::string athena_results;      // "s3://bucket/prefix/", "managed", or ""
  std::string athena_results_key;  // the KMS key (ARN or id) that encrypts the query results, or ""

  bool glue = false;
  std::vector<std::string> databases;
  std::vector<std::string> tables;  // "database/table", globs allowed
  Access glue_access = Access::Write;

  bool s3 = false;
  std::vector<BucketScope> buckets;

  bool redshift = false;
  std::vector<std::string> clusters;             // provisioned cluster names or ARNs
  std::vector<std::string> redshift_workgroups;  // Serverless workgroup ids or ARNs (their ARNs hold the id)
  std::vector<std::string> namespaces;           // Serverless namespace ids or ARNs
  std::vector<std::string> redshift_databases, redshift_users, redshift_groups;  // of the clusters
  Access redshift_access = Access::Write;

  bool kms = false;
  std::vector<std::string> keys;          // key ARNs or ids, alias/NAME or alias ARNs
  std::vector<std::string> via_services;  // the keys are used only through these services (s3, athena, ...)
  bool kms_admin = false;

  bool network = false;
  std::vector<std::string> source_ips;
  std::vector<std::string> vpc_endpoints;
  std::string require = "none";  // none | any

  // The ARNs allowed, from the names above and the partitions, accounts and regions.
  ArnSet workgroup_arns() const;  // empty when neither workgroups nor accounts/regions are set
  ArnSet glue_arns() const;       // catalog, databases, tables (and their functions)
  ArnSet s3_arns() const;         // buckets and their allowed prefixes
  // Clusters with their databases, users and groups, and Serverless workgroups and namespaces; empty when
  // the redshift: section names none of them and accounts/regions are not limited.
  ArnSet redshift_arns() const;
  ArnSet kms_arns() const;  // keys and aliases; empty likewise
  bool limits_accounts_or_regions() const { return !accounts.empty() || !regions.empty(); }
};

// One `suppress:` entry: findings of `rule` that match every field given are not reported. Globs use '*'
// and '?'; `file` is matched against the path as scopecop prints it.
struct Suppression {
  std::string rule;  // a code, name or prefix, as --select takes
  std::optional<std::string> file, policy, sid, action, resource;
  std::optional<std::size_t> statement;  // 0-based index in the policy's Statement list
  std::string reason;
  std::optional<std::string> expires;  // YYYY-MM-DD, the last day it applies
  std::size_t line = 0, column = 0;    // of the entry in the configuration file (or the checked file)
  // Written in a checked file (InlineSuppression): it accepts only the findings of that file that start
  // within [from, to).
  std::optional<std::pair<Position, Position>> within;
};

// One `never:` entry: access that no policy may grant, whatever else allows it.
struct Guard {
  std::vector<std::string> actions;    // action patterns: "s3:DeleteBucket", "kms:*"
  std::vector<std::string> resources;  // ARN patterns; empty (and not not_resource): every resource
  bool not_resource = false;           // every resource but those listed
  std::string reason;
  std::size_t line = 0, column = 0;  // of the entry in the configuration file
};

struct Config {
  std::string path;
  std::optional<std::string> fail_on;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, Severity>> severity;  // rule selector -> severity
  std::optional<std::string> catalog;                      // a directory, relative to the file
  std::optional<Scope> scope;
  std::vector<Suppression> suppress;
  std::vector<Guard> never;
};

// Parses the text of a configuration file. On failure returns nullopt and sets `error` to
// "PATH:LINE:COLUMN: message" (with a "did you mean" for misspelt keys).
std::optional<Config> parse_config(std::string_view text, std::string_view path, std::string& error);

// The commented starter configuration written by `scopecop init`.
std::string starter_config();

}  // namespace scopecop

namespace scopecop {

struct Policy;
class Catalog;

// A configuration whose scope: holds the accounts, regions, workgroups, data catalogs, Glue databases and
// tables, and S3 buckets and prefixes that `policies` already name (for `scopecop init --from PATH`), so that
// a team can adopt the scoping rules on an existing repository and then tighten the result.
std::string config_from_policies(const std::vector<const Policy*>& policies, const Catalog& catalog);

}  // namespace scopecop
