// REDSHIFT rules: temporary database credentials, the Data API's reach and statement ownership, resources
// outside scope.redshift, and network-isolation changes under a read-only scope.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "rules/action_list.h"
#include "rules/checks.h"
#include "rules/common.h"
#include "rules/scoping.h"
#include "scopecop/config.h"
#include "scopecop/judgement.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

// Whether a condition of the statement names the values of `key` it allows: a positive string test whose
// values are not all "*" (a policy variable, "${aws:userid}", pins one value per caller).
bool pins(const Statement& s, std::string_view key) {
  return std::any_of(s.conditions.begin(), s.conditions.end(), [&](const Condition& c) {
    return iequals(c.key.value, key) && c.base.starts_with("String") &&
           c.base.find("Not") == std::string::npos && !c.if_exists && c.unknown == 0 && !c.values.empty() &&
           std::none_of(c.values.begin(), c.values.end(), [](const Text& v) { return v.value == "*"; });
  });
}

struct Credentials {
  std::string_view service, action, type;
  std::string_view pinned_by;  // the condition key that names the users or databases, if any
  std::string_view every;      // "every database user of", followed by the cluster
  bool per_cluster;            // judged cluster by cluster: all users of one cluster include its admin
  std::string_view help;
};

constexpr Credentials kCredentials[] = {
    {"redshift", "GetClusterCredentials", "dbuser", "redshift:DbUser", "every database user of", true,
     "name the users in the ARN (dbuser:CLUSTER/USER), or pin them with a redshift:DbUser condition such as "
     "\"${aws:userid}\""},
    {"redshift", "GetClusterCredentialsWithIAM", "dbname", "redshift:DbName",
     "every database of every cluster", false,
     "name the databases in the ARN (dbname:CLUSTER/DATABASE), or with a redshift:DbName condition"},
    {"redshift-serverless", "GetCredentials", "workgroup", "", "every Serverless workgroup", false,
     "name the workgroups: arn:aws:redshift-serverless:REGION:ACCOUNT:workgroup/ID"},
};

// The cluster a dbuser entry names ("analytics", "ana*"), or "" when it names none.
std::string cluster_of(std::string_view resource, std::string_view type) {
  std::string marker = fmt::format(":{}:", type);
  std::size_t at = resource.find(marker);
  if (at == std::string_view::npos) return "";
  std::string_view rest = resource.substr(at + marker.size());
  std::size_t slash = rest.find('/');
  return slash == std::string_view::npos ? "" : std::string(rest.substr(0, slash));
}

}  // namespace

void redshift_credentials_any_user(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type == PolicyType::Endpoint || policy.type == PolicyType::Scp) return;  // they grant nothing
  for (const Credentials& c : kCredentials) {
    const Service* service = context.catalog.service(c.service);
    const Action* action = service ? service->action(c.action) : nullptr;
    const ResourceType* type = service ? service->resource_type(c.type) : nullptr;
    if (!action || !type || type->arn_formats.empty()) continue;
    const Carve& carve = context.carves.of(action);
    for (const Statement& s : policy.statements) {
      if (s.effect != Effect::Allow || !(s.resource.present || s.not_resource.present)) continue;
      if (!granting(s, context.resolved, action)) continue;
      if (!c.pinned_by.empty() && pins(s, c.pinned_by)) continue;
      for_each_reach(
          s, context.resolved,
          [&](const Text* resource, const Pattern& pattern, std::span<const Pattern>, Span span,
              const std::string& pointer) {
            std::string cluster = resource && c.per_cluster ? cluster_of(resource->value, c.type) : "";
            bool every = false;
            if (!resource) {
              every = reaches_every_but(s.not_resource.values, *type, carve);
            } else {
              // Every user of the cluster the entry names: the format with that cluster in it.
              std::string format(type->arn_formats.front());
              std::size_t at = format.find("${ClusterName}");
              if (!cluster.empty() && at != std::string::npos) format.replace(at, 14, cluster);
              std::string_view formats[] = {format};
              ResourceType of_cluster{type->name, formats, {}, {}};
              every = reaches_every(pattern, resource->value, cluster.empty() ? *type : of_cluster, carve);
            }
            if (!every) return;
            std::string where;
            if (c.per_cluster) {
              where = cluster.empty() || cluster == "*" ? " every cluster"
                      : has_wildcard(cluster)           ? fmt::format(" the clusters \"{}\"", cluster)
                                                        : fmt::format(" the cluster \"{}\"", cluster);
            }
            std::string message =
                fmt::format("{}:{} is allowed for {}{}", c.service, c.action, c.every, where);
            // A Deny that takes some of them away leaves the rest: the message says so.
            bool carved = !carve.denied.empty() || !carve.kept_within.empty();
            if (carved) {
              message += " but those the policy's Denies take away";
            } else if (c.per_cluster) {
              message += ", the administrator included";
            }
            const Action* judged[] = {action};
            auto bound = allow_bound(s, resource, context.carves, judged);
            if (bound) message += fmt::format(" (bounded only by {})", *bound);
            Finding& f = sink.add(s, span, pointer, std::move(message));
            if (bound) f.severity = one_lower(f.severity);
            f.action = fmt::format("{}:{}", c.service, c.action);
            if (resource) f.resource = resource->value;
            f.help = std::string(c.help);
          });
    }
  }
}

void redshift_data_api_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  report_unscoped(policy, context, sink,
                  {"redshift-data",
                   {"cluster", "workgroup"},
                   "Redshift cluster or Serverless workgroup",
                   "name the clusters (arn:aws:redshift:REGION:ACCOUNT:cluster:NAME) and workgroups "
                   "(arn:aws:redshift-serverless:REGION:ACCOUNT:workgroup/ID) it queries"});
}

void redshift_statement_results_unowned(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Identity) return;
  static const ActionList results(sink.rule().values);  // static metadata: built once
  report_actions(
      policy, context, sink, "redshift-data",
      [&](const Action& a, const Statement& s) {
        return results.covering(a) && !pins(s, "redshift-data:statement-owner-iam-userid");
      },
      "reaches statements that other sessions ran, without a redshift-data:statement-owner-iam-userid "
      "condition",
      "reach statements that other sessions ran, without a redshift-data:statement-owner-iam-userid "
      "condition",
      "add \"Condition\": {\"StringEquals\": {\"redshift-data:statement-owner-iam-userid\": "
      "\"${aws:userid}\"}}");
}

void redshift_resource_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope) return;
  ArnSet allowed = context.scope->redshift_arns();
  if (allowed.empty()) return;
  report_outside(policy, context, sink,
                 {"redshift", {"cluster", "dbname", "dbuser", "dbgroup"}, "Redshift", "scope.redshift"},
                 allowed);
  report_outside(policy, context, sink,
                 {"redshift-serverless", {"workgroup", "namespace"}, "Redshift Serverless", "scope.redshift"},
                 allowed);
  report_outside(policy, context, sink,
                 {"redshift-data", {"cluster", "workgroup"}, "Redshift", "scope.redshift"}, allowed);
}

void redshift_network_isolation_change(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || !context.scope->redshift || context.scope->redshift_access != Access::Read) return;
  static const ActionList changes(sink.rule().values);  // static metadata: built once
  for (std::string_view service : {"redshift", "redshift-serverless"}) {
    report_actions(
        policy, context, sink, service,
        [&](const Action& a, const Statement&) { return changes.covering(a) != nullptr; },
        "can change how the data warehouse is reached from the network, and scope.redshift.access is read",
        "can change how the data warehouse is reached from the network, and scope.redshift.access is read",
        "remove them from the consumer's policy; network settings belong to the team that runs the "
        "warehouse");
  }
}

}  // namespace scopecop::rules
