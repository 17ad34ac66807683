// What the data-lake families (ATHENA, GLUE, S3, REDSHIFT, KMS) share: actions allowed on every resource
// of a kind, resources outside the configured scope, actions a scope forbids, and whether a policy grants
// an action at all.
#pragma once

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/action_list.h"
#include "rules/common.h"
#include "scopecop/arn.h"
#include "scopecop/judgement.h"
#include "scopecop/rule.h"

namespace scopecop::rules {

struct UnscopedKind {
  std::string_view service;
  std::vector<std::string_view> types;  // resource types of that service
  std::string_view what;                // "Athena workgroup"
  std::string_view help;
  const ActionList* only = nullptr;  // the actions judged; nullptr: every action of the service
};

// Allow entries granting actions of the kind on every resource of its types (after the policy's Deny
// carve-outs), one finding per Resource entry or NotResource element.
void report_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink,
                     const UnscopedKind& kind);

struct ScopeKind {
  std::string_view service;
  std::vector<std::string_view> types;
  std::string_view what;       // "Athena workgroup"
  std::string_view scope_key;  // "scope.athena.workgroups"
};

// Allow statements whose resources reach ARNs of the kind outside `allowed`, after Deny carve-outs.
void report_outside(const Policy& policy, const RuleContext& context, FindingSink& sink,
                    const ScopeKind& kind, const ArnSet& allowed);

// Allow entries naming actions of `service` that `pick` selects, but those the policy denies on every
// resource. `does` and `do_` are the message's verb phrase for one action and for several ("changes ...",
// "change ...").
template <class Pick>
void report_actions(const Policy& policy, const RuleContext& context, FindingSink& sink,
                    std::string_view service_name, Pick&& pick, std::string_view does, std::string_view do_,
                    std::string_view help) {
  const Service* service = context.catalog.service(service_name);
  if (!service) return;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow) continue;
    for (const ActionGroup& group : allowed_action_groups(s, context.resolved, *service)) {
      std::vector<const Action*> picked;
      for (const Action* a : group.actions) {
        if (pick(*a, s) && !context.carves.of(a).everything) picked.push_back(a);
      }
      if (picked.empty()) continue;
      bool several = !group.match || group.match->wildcard;
      std::string message = fmt::format("{} {}", group_label(group, picked), several ? do_ : does);
      Finding& f = add_for_group(sink, s, group, std::move(message));
      if (picked.size() == 1) f.action = picked.front()->full_name();
      f.help = std::string(help);
    }
  }
}

// Whether an Allow statement of the policy grants `action` on a resource of `type` that `target` (when
// given) can reach, after the policy's unconditional Denies; a statement with values the file does not
// determine may.
bool granted(const Policy& policy, const RuleContext& context, std::string_view action, const Pattern* target,
             std::string_view type);

// The Action entries of Allow statements that name athena:StartQueryExecution.
std::vector<std::pair<const Statement*, const ActionMatch*>> query_grants(const Policy& policy,
                                                                          const RuleContext& context);

}  // namespace scopecop::rules
