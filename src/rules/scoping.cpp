// Data-lake scoping rules that need no configuration: Athena, Glue and S3 actions allowed on every resource
// of their kind (ATHENA-001, ATHENA-004, GLUE-001, S3-001), judged after the policy's Deny carve-outs.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "rules/checks.h"
#include "rules/common.h"
#include "rules/scoping.h"
#include "scopecop/arn.h"
#include "scopecop/judgement.h"
#include "scopecop/resolve.h"

namespace scopecop::rules {

void report_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink,
                     const UnscopedKind& kind) {
  // Endpoint policies and SCPs limit what other policies grant; AWS's default of each allows everything.
  // Theirs are NETWORK-001 and NETWORK-002.
  if (policy.type == PolicyType::Endpoint || policy.type == PolicyType::Scp) return;
  const Service* service = context.catalog.service(kind.service);
  if (!service) return;
  std::vector<const ResourceType*> types;
  for (std::string_view t : kind.types) {
    if (const ResourceType* type = service->resource_type(t)) types.push_back(type);
  }
  // The same entry under the same carve-out gives the same answer, in every statement: remember it by the
  // entry's text (a NotResource list by its statement) and the Deny statements the carve-out comes from.
  std::map<std::tuple<std::string, const ResourceType*, std::vector<std::size_t>>, bool> memo;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !(s.resource.present || s.not_resource.present)) continue;
    const auto groups = allowed_action_groups(s, context.resolved, *service);
    if (groups.empty()) continue;
    // One finding per Resource entry, or one on NotResource: what it leaves out is all it does not grant.
    for_each_reach(s, context.resolved,
                   [&](const Text* resource, const Pattern& pattern, std::span<const Pattern>, Span span,
                       const std::string& pointer) {
                     std::string entry = resource ? resource->value : fmt::format("\x1F{}", s.index);
                     auto reaches = [&](const ResourceType* type, const Carve& c) {
                       auto key = std::tuple{entry, type, c.from};
                       auto it = memo.find(key);
                       if (it == memo.end()) {
                         bool every = resource ? reaches_every(pattern, resource->value, *type, c)
                                               : reaches_every_but(s.not_resource.values, *type, c);
                         it = memo.emplace(key, every).first;
                       }
                       return it->second;
                     };
                     std::vector<std::string> labels;
                     std::vector<const Action*> all_unscoped;
                     bool carved = false;  // a Deny takes some of them away: the message says so
                     for (const ActionGroup& group : groups) {
                       std::vector<const Action*> unscoped;
                       for (const Action* a : group.actions) {
                         if (kind.only && !kind.only->covering(*a)) continue;
                         const Carve& c = context.carves.of(a);
                         bool every = std::any_of(types.begin(), types.end(), [&](const ResourceType* type) {
                           bool accepted =
                               std::any_of(a->resources.begin(), a->resources.end(),
                                           [&](const ActionResource& r) { return r.type == type->name; });
                           return accepted && reaches(type, c);
                         });
                         if (every) unscoped.push_back(a);
                         carved = carved || (every && (!c.denied.empty() || !c.kept_within.empty()));
                       }
                       if (unscoped.empty()) continue;
                       labels.push_back(group_label(group, unscoped));
                       all_unscoped.insert(all_unscoped.end(), unscoped.begin(), unscoped.end());
                     }
                     if (labels.empty()) return;
                     auto bound = allow_bound(s, resource, context.carves, all_unscoped);
                     bool single = all_unscoped.size() == 1;
                     std::string message = fmt::format("{} {} allowed on every {}", join_labels(labels),
                                                       single ? "is" : "are", kind.what);
                     if (!resource && carved) {
                       message += " but those NotResource lists and the policy's Denies take away";
                     } else if (!resource) {
                       message += " but those NotResource lists";
                     } else if (carved) {
                       message += " but those the policy's Denies take away";
                     }
                     if (bound) message += fmt::format(", bounded only by {}", *bound);
                     Finding& f = sink.add(s, span, pointer, std::move(message));
                     if (bound) f.severity = one_lower(f.severity);
                     if (single) f.action = all_unscoped.front()->full_name();
                     if (resource) f.resource = resource->value;
                     f.help = std::string(kind.help);
                   });
  }
}

void athena_workgroup_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  report_unscoped(policy, context, sink,
                  {"athena",
                   {"workgroup"},
                   "Athena workgroup",
                   "list the workgroups it needs: arn:aws:athena:REGION:ACCOUNT:workgroup/NAME"});
}

void athena_datacatalog_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  report_unscoped(policy, context, sink,
                  {"athena",
                   {"datacatalog"},
                   "Athena data catalog",
                   "list the data catalogs it needs: arn:aws:athena:REGION:ACCOUNT:datacatalog/NAME"});
}

void glue_catalog_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  report_unscoped(policy, context, sink,
                  {"glue",
                   {"database", "table"},
                   "Glue database or table",
                   "list the databases and tables it needs: arn:aws:glue:REGION:ACCOUNT:database/NAME, "
                   "arn:aws:glue:REGION:ACCOUNT:table/DATABASE/NAME (and the catalog, "
                   "arn:aws:glue:REGION:ACCOUNT:catalog)"});
}

void s3_bucket_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  report_unscoped(
      policy, context, sink,
      {"s3",
       {"bucket", "object"},
       "S3 bucket",
       "list the buckets and prefixes it needs: arn:aws:s3:::BUCKET, arn:aws:s3:::BUCKET/PREFIX/*"});
}

}  // namespace scopecop::rules
