// KMS rules: the keys an identity may use for data (every key, keys outside scope.kms, use outside the
// services that should call KMS for it) and key administration. Key policies are resource policies: their
// "Resource": "*" is the key itself, so these rules judge identity policies only; a key policy open to
// everyone is PRIVILEGE-011.
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
#include "scopecop/rule.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

// The data-key actions (kms:Decrypt, kms:GenerateDataKey*, kms:ReEncrypt*), listed once in KMS-001's
// metadata and used by KMS-003 as well.
const ActionList& data_key_actions() {
  static const ActionList list(find_rule_meta("KMS-001")->values);
  return list;
}

bool positive(const Condition& c) {
  return c.base.find("Not") == std::string::npos && c.base != "Null";
}

}  // namespace

void kms_key_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Identity) return;
  report_unscoped(
      policy, context, sink,
      {"kms",
       {"key"},
       "KMS key",
       "name the keys it uses (arn:aws:kms:REGION:ACCOUNT:key/ID), or limit it with kms:ViaService "
       "to the services that call KMS for it",
       &data_key_actions()});
}

void kms_key_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || policy.type != PolicyType::Identity) return;
  report_outside(policy, context, sink, {"kms", {"key", "alias"}, "KMS key or alias", "scope.kms.keys"},
                 context.scope->kms_arns());
}

void kms_via_service_missing(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || context.scope->via_services.empty() || policy.type != PolicyType::Identity) return;
  const std::vector<std::string>& services = context.scope->via_services;
  const Service* kms = context.catalog.service("kms");
  if (!kms) return;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow) continue;
    std::vector<std::string> labels;
    const ActionGroup* first = nullptr;
    const auto groups = allowed_action_groups(s, context.resolved, *kms);
    for (const ActionGroup& group : groups) {
      std::vector<const Action*> used;
      for (const Action* a : group.actions) {
        if (data_key_actions().covering(*a) && !context.carves.of(a).everything) used.push_back(a);
      }
      if (used.empty()) continue;
      labels.push_back(group_label(group, used));
      if (!first) first = &group;
    }
    if (!first) continue;
    bool via = false;
    for (const Condition& c : s.conditions) {
      if (!positive(c)) continue;
      if (iequals(c.key.value.substr(0, 22), "kms:EncryptionContext:")) via = true;
      if (!iequals(c.key.value, "kms:ViaService")) continue;
      via = true;
      for (const Text& v : c.values) {
        // SERVICE.REGION.amazonaws.com: the service is what stands before the first dot.
        std::string service(v.value.substr(0, v.value.find('.')));
        if (std::find(services.begin(), services.end(), service) != services.end()) continue;
        Finding& f = sink.add(s, v,
                              fmt::format("kms:ViaService \"{}\" lets {} call KMS for the principal, and "
                                          "scope.kms.via-services lists only {}",
                                          v.value, service, join_labels(services)));
        f.help = "allow only the services of scope.kms.via-services, or add this one to it";
      }
    }
    if (via) continue;
    Finding& f = add_for_group(sink, s, *first,
                               fmt::format("{} can use keys directly, not only through {}, as "
                                           "scope.kms.via-services says",
                                           join_labels(labels), join_labels(services)));
    f.help = fmt::format(
        "add \"Condition\": {{\"StringEquals\": {{\"kms:ViaService\": [\"{}.REGION.amazonaws.com\"]}}}}",
        services.front());
  }
}

void kms_key_administration(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || !context.scope->kms || context.scope->kms_admin ||
      policy.type != PolicyType::Identity)
    return;
  static const ActionList admin(sink.rule().values);  // static metadata: built once
  report_actions(
      policy, context, sink, "kms",
      [&](const Action& a, const Statement& s) {
        if (!admin.covering(a)) return false;
        // A grant that AWS services make for their resources (EBS, RDS, Redshift) hands no key to a person.
        bool for_aws_resource = std::any_of(s.conditions.begin(), s.conditions.end(), [](const Condition& c) {
          return iequals(c.key.value, "kms:GrantIsForAWSResource") && c.base == "Bool" &&
                 std::all_of(c.values.begin(), c.values.end(),
                             [](const Text& v) { return iequals(v.value, "true"); }) &&
                 !c.values.empty();
        });
        return !(a.name == "CreateGrant" && for_aws_resource);
      },
      "administers KMS keys, and scope.kms.admin is false",
      "administer KMS keys, and scope.kms.admin is false",
      "leave key policies, grants and key deletion to the key's administrators, or set scope.kms.admin: "
      "true");
}

}  // namespace scopecop::rules
