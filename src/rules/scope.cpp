// Data-lake rules that judge a policy against the configured scope (.scopecop.yaml scope:) and the
// whole-policy Athena checks: ATHENA-002, -003, -005, -006, GLUE-002, -003, S3-002, -003, -007.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/action_list.h"
#include "rules/checks.h"
#include "rules/common.h"
#include "rules/scoping.h"
#include "scopecop/arn.h"
#include "scopecop/config.h"
#include "scopecop/judgement.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

bool accepts_any(const Action& a, const std::vector<std::string_view>& types) {
  return std::any_of(a.resources.begin(), a.resources.end(), [&](const ActionResource& r) {
    return std::find(types.begin(), types.end(), r.type) != types.end();
  });
}

}  // namespace

void report_outside(const Policy& policy, const RuleContext& context, FindingSink& sink,
                    const ScopeKind& kind, const ArnSet& allowed) {
  const Service* service = context.catalog.service(kind.service);
  if (!service || allowed.empty()) return;
  std::vector<const ResourceType*> types;
  for (std::string_view t : kind.types) {
    if (const ResourceType* type = service->resource_type(t)) types.push_back(type);
  }
  struct Reach {
    std::optional<Uncovered> found;
    bool fieldwise = false;
  };
  // The same entry under the same carve-out gives the same answer, in every statement: remember it by the
  // entry's text (a NotResource list by its statement), the type and the Deny statements of the carve-out.
  std::map<std::tuple<std::string, const ResourceType*, std::vector<std::size_t>>, Reach> memo;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !(s.resource.present || s.not_resource.present)) continue;
    const auto groups = allowed_action_groups(s, context.resolved, *service);
    if (groups.empty()) continue;
    for_each_reach(
        s, context.resolved,
        [&](const Text* resource, const Pattern& pattern, std::span<const Pattern> left_out, Span span,
            const std::string& pointer) {
          std::string entry = resource ? resource->value : fmt::format("\x1F{}", s.index);
          ArnSet outside_of = allowed;
          outside_of.whole.insert(outside_of.whole.end(), left_out.begin(), left_out.end());
          // Witnesses are taken from the entry read field by field where it can, so that they look like the
          // ARNs of real resources; only a '*' that spans a colon reaches others.
          const Pattern fieldwise = resource ? arn_pattern_within_fields(resource->value) : pattern;
          std::vector<std::string> labels;
          std::vector<const Action*> all_outside;
          bool one_action_entry = true;  // "reaches" only for one plain Action entry
          std::string example;
          bool example_fieldwise = false;
          for (const ActionGroup& group : groups) {
            std::vector<const Action*> outside;
            for (const Action* a : group.actions) {
              if (!accepts_any(*a, kind.types)) continue;
              const Carve& carve = context.carves.of(a);
              for (const ResourceType* type : types) {
                bool accepted = std::any_of(a->resources.begin(), a->resources.end(),
                                            [&](const ActionResource& r) { return r.type == type->name; });
                if (!accepted) continue;
                auto key = std::tuple{entry, type, carve.from};
                auto it = memo.find(key);
                if (it == memo.end()) {
                  Reach reach{reach_outside(fieldwise, *type, outside_of, carve), true};
                  if (!reach.found) reach = {reach_outside(pattern, *type, outside_of, carve), false};
                  it = memo.emplace(key, std::move(reach)).first;
                }
                if (!it->second.found) continue;
                if (example.empty() || (it->second.fieldwise && !example_fieldwise)) {
                  example = it->second.found->example;
                  example_fieldwise = it->second.fieldwise;
                }
                outside.push_back(a);
                break;
              }
            }
            if (outside.empty()) continue;
            labels.push_back(group_label(group, outside));
            one_action_entry = labels.size() == 1 && group.match && !group.match->wildcard;
            all_outside.insert(all_outside.end(), outside.begin(), outside.end());
          }
          if (labels.empty()) return;
          auto bound = allow_bound(s, resource, context.carves, all_outside);
          std::string message = fmt::format("{} reach{} {} ARNs outside {}", join_labels(labels),
                                            one_action_entry ? "es" : "", kind.what, kind.scope_key);
          if (!example.empty()) message += fmt::format(", such as {}", example);
          if (bound) message += fmt::format(" (bounded only by {})", *bound);
          Finding& f = sink.add(s, span, pointer, std::move(message));
          if (bound) f.severity = one_lower(f.severity);
          if (all_outside.size() == 1) f.action = all_outside.front()->full_name();
          if (resource) f.resource = resource->value;
          f.help = fmt::format("narrow the resource to what {} allows, or widen the scope in .scopecop.yaml",
                               kind.scope_key);
        });
  }
}

bool granted(const Policy& policy, const RuleContext& context, std::string_view action, const Pattern* target,
             std::string_view type) {
  std::string_view service_name = action.substr(0, action.find(':'));
  const Service* service = context.catalog.service(service_name);
  const Action* a = service ? service->action(action.substr(action.find(':') + 1)) : nullptr;
  const ResourceType* rt = service ? service->resource_type(type) : nullptr;
  if (!a || !rt) return false;
  // What the policy's unconditional Denies take away is not granted: a Deny of kms:Decrypt on the results
  // key makes queries fail as surely as no Allow.
  const Carve& carve = context.carves.of(a);
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !s.action.present || !s.resource.present) continue;
    if (s.has_unknown()) return true;  // values the template does not determine may grant it
    if (!any_names(context.resolved.actions(s), *a)) continue;
    for (const Pattern& r : context.resolved.resources(s).patterns()) {
      if (reach_outside(r, *rt, std::span<const Pattern>{}, carve, target)) return true;
    }
  }
  return false;
}

std::vector<std::pair<const Statement*, const ActionMatch*>> query_grants(const Policy& policy,
                                                                          const RuleContext& context) {
  std::vector<std::pair<const Statement*, const ActionMatch*>> out;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !s.action.present) continue;
    for (const ActionMatch& m : context.resolved.actions(s)) {
      bool names = std::any_of(m.actions.begin(), m.actions.end(), [](const Action* a) {
        return a->service == "athena" && a->name == "StartQueryExecution";
      });
      if (names) out.emplace_back(&s, &m);
    }
  }
  return out;
}

void athena_workgroup_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope) return;
  report_outside(policy, context, sink,
                 {"athena", {"workgroup"}, "Athena workgroup", "scope.athena.workgroups"},
                 context.scope->workgroup_arns());
}

void athena_admin_action(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || !context.scope->athena || context.scope->athena_admin) return;
  static const ActionList admin(sink.rule().values);  // static metadata: built once
  report_actions(
      policy, context, sink, "athena",
      [&](const Action& a, const Statement&) { return admin.covering(a) != nullptr; },
      "administers Athena workgroups or data catalogs, and scope.athena.admin is false",
      "administer Athena workgroups or data catalogs, and scope.athena.admin is false",
      "remove the administration actions, or set scope.athena.admin: true if the principal runs Athena");
}

void athena_results_unwritable(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Identity) return;
  std::string results = context.scope ? context.scope->athena_results : "";
  if (results == "managed") return;
  auto grants = query_grants(policy, context);
  if (grants.empty()) return;
  std::optional<Pattern> objects, bucket;
  if (results.starts_with("s3://")) {
    std::string_view location = std::string_view(results).substr(5);
    std::string name(location.substr(0, location.find('/')));
    std::string prefix(
        location.find('/') == std::string_view::npos ? "" : location.substr(location.find('/') + 1));
    objects = arn_pattern_within_fields(fmt::format("arn:*:s3:::{}/{}*", name, prefix));
    bucket = arn_pattern_within_fields(fmt::format("arn:*:s3:::{}", name));
  }
  std::vector<std::string> missing;
  if (!granted(policy, context, "s3:PutObject", objects ? &*objects : nullptr, "object"))
    missing.push_back("s3:PutObject");
  if (!granted(policy, context, "s3:GetBucketLocation", bucket ? &*bucket : nullptr, "bucket")) {
    missing.push_back("s3:GetBucketLocation");
  }
  if (missing.empty()) return;
  auto [s, m] = grants.front();
  std::string where = results.starts_with("s3://") ? fmt::format("the query-result location {}", results)
                                                   : std::string("any query-result location");
  Finding& f =
      sink.add(*s, *m->text,
               fmt::format("athena:StartQueryExecution is allowed, but no statement allows {} on {}, "
                           "so queries fail when they write their results",
                           join_labels(missing), where));
  f.action = "athena:StartQueryExecution";
  f.help =
      "allow s3:PutObject on the results prefix (arn:aws:s3:::BUCKET/PREFIX/*) and s3:GetBucketLocation on "
      "its "
      "bucket, or set scope.athena.results: managed for workgroups with managed query results";
}

void athena_results_key_unusable(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Identity || !context.scope || context.scope->athena_results_key.empty())
    return;
  auto grants = query_grants(policy, context);
  if (grants.empty()) return;
  const std::string& key = context.scope->athena_results_key;
  std::string arn = key.starts_with("arn:") ? key : fmt::format("arn:*:kms:*:*:key/{}", key);
  Pattern target = arn_pattern_within_fields(arn);
  // S3 asks KMS for a data key to encrypt each result file and decrypts it to read them back.
  std::vector<std::string> missing;
  for (std::string_view action : {"kms:GenerateDataKey", "kms:Decrypt"}) {
    if (!granted(policy, context, action, &target, "key")) missing.emplace_back(action);
  }
  if (missing.empty()) return;
  auto [s, m] = grants.front();
  Finding& f =
      sink.add(*s, *m->text,
               fmt::format("athena:StartQueryExecution is allowed, but the policy does not allow {} on "
                           "the key of the query results ({}), so queries fail when they write or read "
                           "their results",
                           join_labels(missing), key));
  f.action = "athena:StartQueryExecution";
  f.help = fmt::format(
      "allow kms:GenerateDataKey and kms:Decrypt on {}, with kms:ViaService "
      "s3.REGION.amazonaws.com if the key is used only through S3",
      arn);
}

void athena_catalog_unreadable(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Identity) return;
  auto grants = query_grants(policy, context);
  if (grants.empty()) return;
  std::vector<std::string> missing;
  for (std::string_view action : {"glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"}) {
    if (!granted(policy, context, action, nullptr, "database")) missing.emplace_back(action);
  }
  if (missing.empty()) return;
  auto [s, m] = grants.front();
  Finding& f = sink.add(*s, *m->text,
                        fmt::format("athena:StartQueryExecution is allowed, but no statement allows {}, so "
                                    "queries over tables of the Glue Data Catalog fail",
                                    join_labels(missing)));
  f.action = "athena:StartQueryExecution";
  f.help =
      "allow glue:GetDatabase, glue:GetTable and glue:GetPartitions on the catalog, databases and tables "
      "queried";
}

void glue_resource_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope) return;
  bool named = context.scope->glue && !context.scope->databases.empty();
  if (!named && !context.scope->limits_accounts_or_regions()) return;
  report_outside(policy, context, sink,
                 {"glue",
                  {"rootcatalog", "database", "table", "userdefinedfunction"},
                  "Glue Data Catalog",
                  "scope.glue"},
                 context.scope->glue_arns());
}

void glue_catalog_write(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || !context.scope->glue || context.scope->glue_access != Access::Read) return;
  const std::vector<std::string_view> catalog_types{"database", "table", "userdefinedfunction"};
  report_actions(
      policy, context, sink, "glue",
      [&](const Action& a, const Statement&) {
        return (a.access & (kWrite | kPermissions | kTagging)) != 0 && accepts_any(a, catalog_types);
      },
      "changes the Glue Data Catalog, and scope.glue.access is read",
      "change the Glue Data Catalog, and scope.glue.access is read",
      "grant only Read and List actions on the catalog, or set scope.glue.access: write");
}

void s3_bucket_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || context.scope->buckets.empty()) return;
  report_outside(policy, context, sink,
                 {"s3", {"bucket", "object"}, "S3 bucket or object", "scope.s3.buckets"},
                 context.scope->s3_arns());
}

void s3_write_to_read_only(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope) return;
  const Service* s3 = context.catalog.service("s3");
  if (!s3) return;
  for (const BucketScope& bucket : context.scope->buckets) {
    if (bucket.access != Access::Read) continue;
    std::vector<Pattern> targets;
    for (const std::string& p : context.scope->partitions) {
      targets.push_back(arn_pattern_within_fields(fmt::format("arn:{}:s3:::{}", p, bucket.name)));
      targets.push_back(arn_pattern_within_fields(fmt::format("arn:{}:s3:::{}/*", p, bucket.name)));
    }
    for (const Statement& s : policy.statements) {
      if (s.effect != Effect::Allow || !(s.resource.present || s.not_resource.present)) continue;
      const auto groups = allowed_action_groups(s, context.resolved, *s3);
      for_each_reach(s, context.resolved,
                     [&](const Text* resource, const Pattern& pattern, std::span<const Pattern> left_out,
                         Span span, const std::string& pointer) {
                       std::vector<std::string> labels;
                       for (const ActionGroup& group : groups) {
                         std::vector<const Action*> writes;
                         for (const Action* a : group.actions) {
                           if (!(a->access & (kWrite | kPermissions | kTagging))) continue;
                           const Carve& carve = context.carves.of(a);
                           if (carve.everything) continue;
                           bool reaches = false;
                           for (const ActionResource& r : a->resources) {
                             if (!r.resolved) continue;
                             for (const Pattern& t : targets) {
                               if (reach_outside(pattern, *r.resolved, left_out, carve, &t)) reaches = true;
                             }
                           }
                           if (reaches) writes.push_back(a);
                         }
                         if (!writes.empty()) labels.push_back(group_label(group, writes));
                       }
                       if (labels.empty()) return;
                       Finding& f = sink.add(
                           s, span, pointer,
                           fmt::format("{} can write to the bucket \"{}\", which scope.s3.buckets allows "
                                       "read-only",
                                       join_labels(labels), bucket.name));
                       if (resource) f.resource = resource->value;
                       f.help =
                           "grant only read actions (s3:GetObject, s3:ListBucket) on it, or set access: "
                           "write in the scope";
                     });
    }
  }
}

void s3_list_unscoped_prefix(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope) return;
  const Service* s3 = context.catalog.service("s3");
  const Action* list = s3 ? s3->action("ListBucket") : nullptr;
  const ResourceType* bucket_type = s3 ? s3->resource_type("bucket") : nullptr;
  if (!list || !bucket_type) return;
  const Carve& carve = context.carves.of(list);
  if (carve.everything) return;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !(s.resource.present || s.not_resource.present)) continue;
    const auto groups = allowed_action_groups(s, context.resolved, *s3);
    const ActionGroup* group = nullptr;  // the Action entry (or NotAction) that grants s3:ListBucket
    for (const ActionGroup& g : groups) {
      if (!group && std::find(g.actions.begin(), g.actions.end(), list) != g.actions.end()) group = &g;
    }
    bool prefix_condition = std::any_of(s.conditions.begin(), s.conditions.end(),
                                        [](const Condition& c) { return iequals(c.key.value, "s3:prefix"); });
    if (!group || prefix_condition) continue;
    for_each_reach(
        s, context.resolved,
        [&](const Text* resource, const Pattern& pattern, std::span<const Pattern> left_out, Span span,
            const std::string& pointer) {
          for (const BucketScope& bucket : context.scope->buckets) {
            if (bucket.prefixes.empty()) continue;
            bool reaches = false;
            for (const std::string& p : context.scope->partitions) {
              Pattern target = arn_pattern_within_fields(fmt::format("arn:{}:s3:::{}", p, bucket.name));
              if (reach_outside(pattern, *bucket_type, left_out, carve, &target)) reaches = true;
            }
            if (!reaches) continue;
            Finding& f =
                sink.add(s, span, pointer,
                         fmt::format("s3:ListBucket{} on \"{}\" lists every key, but scope.s3.buckets allows "
                                     "only the prefixes {}",
                                     group->match ? "" : " (NotAction leaves it allowed)", bucket.name,
                                     fmt::join(bucket.prefixes, ", ")));
            f.action = "s3:ListBucket";
            if (resource) f.resource = resource->value;
            f.help = fmt::format("add \"Condition\": {{\"StringLike\": {{\"s3:prefix\": [\"{}\"]}}}}",
                                 fmt::join(bucket.prefixes, "\", \""));
          }
        });
  }
}

}  // namespace scopecop::rules
