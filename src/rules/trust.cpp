// TRUST rules: who may assume a role.
#include <algorithm>

#include "rules/checks.h"
#include "rules/common.h"
#include "scopecop/resolve.h"

namespace scopecop::rules {

void trust_open_to_anyone(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Trust) return;
  const Service* sts = context.catalog.service("sts");
  const Action* assume = sts ? sts->action("AssumeRole") : nullptr;
  if (!assume) return;
  // sts:AssumeRole, by name, pattern, "*" or what a NotAction leaves; the other AssumeRole* actions are
  // federated principals' and need a provider in the Principal.
  auto assumes = [&](const Statement& s) {
    const auto groups = allowed_action_groups(s, context.resolved, *sts);
    return std::any_of(groups.begin(), groups.end(), [&](const ActionGroup& g) {
      return std::find(g.actions.begin(), g.actions.end(), assume) != g.actions.end();
    });
  };
  report_open_to_everyone(
      policy, sink,
      "anyone, in any AWS account, can assume this role: sts:AssumeRole is allowed to \"*\" "
      "without a condition that limits who",
      "name the accounts or roles that may assume it (for a third party: its account, with an "
      "sts:ExternalId condition), or limit \"*\" with aws:PrincipalOrgID or "
      "aws:PrincipalAccount",
      "sts:AssumeRole", assumes);
}

}  // namespace scopecop::rules
