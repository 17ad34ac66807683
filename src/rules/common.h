// Small helpers several rule files share.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "scopecop/arn.h"
#include "scopecop/catalog.h"
#include "scopecop/policy.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

// "Principal": "*" or {"AWS": "*"}: everyone, anonymous users included.
inline bool everyone(const PrincipalElement& p) {
  if (p.wildcard && p.wildcard->value == "*") return true;
  return std::any_of(p.entries.begin(), p.entries.end(),
                     [](const PrincipalEntry& e) { return e.type.value == "AWS" && e.value.value == "*"; });
}

// Whether a condition limits "Principal": "*" to an organisation, an account, a principal, a network or a
// calling resource (kms:CallerAccount: AWS's own key policies for service keys limit "*" with it).
inline bool limits_everyone(const Statement& s) {
  static constexpr std::string_view kLimiting[] = {
      "aws:SourceVpce",       "aws:SourceVpc",    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
      "aws:PrincipalAccount", "aws:PrincipalArn", "aws:SourceIp",       "aws:SourceArn",
      "aws:SourceAccount",    "aws:SourceOrgID",  "aws:SourceOrgPaths", "aws:ResourceAccount",
      "aws:userid",           "aws:VpcSourceIp",  "kms:CallerAccount"};
  return std::any_of(s.conditions.begin(), s.conditions.end(), [](const Condition& c) {
    return c.base != "Null" && std::any_of(std::begin(kLimiting), std::end(kLimiting),
                                           [&](std::string_view k) { return iequals(c.key.value, k); });
  });
}

// Adds a finding on the Principal of each Allow open to everyone ("*") that no condition limits, for which
// `also` holds (S3-005, PRIVILEGE-011, TRUST-001 differ in the policies and actions they judge); `action`, if
// any, is the finding's.
template <class Also>
void report_open_to_everyone(const Policy& policy, FindingSink& sink, std::string_view message,
                             std::string_view help, std::string_view action, Also&& also) {
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !everyone(s.principal) || limits_everyone(s) || !also(s)) continue;
    Span at = s.principal.wildcard ? s.principal.wildcard->span : s.principal.key_span;
    Finding& f = sink.add(s, at, s.principal.pointer, std::string(message));
    f.help = std::string(help);
    f.action = std::string(action);
  }
}

// The actions an Action entry names in `service` ("*" names all of them).
inline std::vector<const Action*> named_actions(const ActionMatch& m, const Service& service) {
  std::vector<const Action*> out;
  if (m.everything) {
    for (const Action& a : service.actions) out.push_back(&a);
  } else if (std::find(m.services.begin(), m.services.end(), &service) != m.services.end()) {
    for (const Action* a : m.actions) {
      if (a->service == service.prefix) out.push_back(a);
    }
  }
  return out;
}

// What an Allow statement grants of one service's actions, in groups as a person reads them: each Action
// entry's actions, or for NotAction the actions it leaves out (Allow NotAction "iam:*" grants every Athena
// action). Entries that name none of the service's actions make no group.
struct ActionGroup {
  const ActionMatch* match = nullptr;  // the Action entry, or nullptr for the actions NotAction leaves
  std::vector<const Action*> actions;
};

inline std::vector<ActionGroup> allowed_action_groups(const Statement& s, const Resolution& resolved,
                                                      const Service& service) {
  std::vector<ActionGroup> out;
  if (s.action.present) {
    for (const ActionMatch& m : resolved.actions(s)) {
      if (m.malformed) continue;
      ActionGroup group{&m, named_actions(m, service)};
      if (!group.actions.empty()) out.push_back(std::move(group));
    }
  } else if (s.not_action.present) {
    const auto& excluded = resolved.not_actions(s);
    ActionGroup left;
    for (const Action& a : service.actions) {
      if (!any_names(excluded, a)) left.actions.push_back(&a);
    }
    if (!left.actions.empty()) out.push_back(std::move(left));
  }
  return out;
}

// Where an Allow statement grants one action: the Action entry that names it ("*" included), or its
// NotAction when that leaves it; nullopt when it does not grant it. The same answer as looking for the action
// in allowed_action_groups, without listing every action of its service.
inline std::optional<ActionGroup> granting(const Statement& s, const Resolution& resolved,
                                           const Action* action) {
  if (s.action.present) {
    for (const ActionMatch& m : resolved.actions(s)) {
      if (!m.malformed && m.names(*action)) return ActionGroup{&m, {action}};
    }
  } else if (s.not_action.present && !any_names(resolved.not_actions(s), *action)) {
    return ActionGroup{nullptr, {action}};
  }
  return std::nullopt;
}

// How a finding names `picked`, the actions of `group` it is about: "athena:GetQueryResults", "\"athena:*\"
// (58 actions)", or "the 58 athena actions NotAction leaves".
inline std::string group_label(const ActionGroup& group, const std::vector<const Action*>& picked) {
  std::string_view plural = picked.size() == 1 ? "" : "s";
  if (!group.match) {
    return fmt::format("the {} {} action{} NotAction leaves", picked.size(), picked.front()->service, plural);
  }
  return group.match->wildcard
             ? fmt::format("\"{}\" ({} action{})", group.match->text->value, picked.size(), plural)
             : picked.front()->full_name();
}

// Calls `judge` for each Resource entry of an Allow, or once for its NotResource, which reaches every ARN
// but those it lists: judge(entry or nullptr, the ARNs it reaches, the ARNs left out, where to report).
template <class Judge>
void for_each_reach(const Statement& s, const Resolution& resolved, Judge&& judge) {
  static const Pattern kEverything = arn_pattern("*");
  if (s.resource.present) {
    const auto& patterns = resolved.resources(s).patterns();
    for (std::size_t i = 0; i < s.resource.values.size(); ++i) {
      const Text& resource = s.resource.values[i];
      judge(&resource, patterns[i], std::span<const Pattern>{}, resource.span, resource.pointer);
    }
  } else if (const Key* key = s.key("NotResource")) {
    // An entry with a policy variable leaves out one value per request: nothing for certain.
    std::vector<Text> certain;
    for (const Text& t : s.not_resource.values) {
      if (!has_variable(t.value)) certain.push_back(t);
    }
    judge(nullptr, kEverything, std::span<const Pattern>(resource_patterns(certain)), key->span,
          key->pointer);
  }
}

// Where a finding about an action group goes: its Action entry, or the statement's NotAction element.
inline Finding& add_for_group(FindingSink& sink, const Statement& s, const ActionGroup& group,
                              std::string message) {
  if (group.match) return sink.add(s, *group.match->text, std::move(message));
  const Key* key = s.key("NotAction");
  return sink.add(s, key->span, key->pointer, std::move(message));
}

// "a, b and c", or the first three and "and N more".
inline std::string join_labels(const std::vector<std::string>& labels) {
  std::string out;
  std::size_t shown = std::min<std::size_t>(labels.size(), 3);
  for (std::size_t k = 0; k < shown; ++k) {
    out += (k == 0 ? "" : (k + 1 == shown && labels.size() <= 3) ? " and " : ", ") + labels[k];
  }
  if (labels.size() > 3) out += fmt::format(" and {} more", labels.size() - 3);
  return out;
}

}  // namespace scopecop::rules
