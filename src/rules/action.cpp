// ACTION rules: Action and NotAction entries read against the catalog.
#include <fmt/format.h>

#include "rules/action_list.h"
#include "rules/checks.h"
#include "rules/covered.h"
#include "scopecop/arn.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

template <class F>
void for_each_action_entry(const Policy& policy, const RuleContext& context, F&& visit) {
  for (const Statement& s : policy.statements) {
    for (const ActionMatch& m : context.resolved.actions(s)) visit(s, m);
    for (const ActionMatch& m : context.resolved.not_actions(s)) visit(s, m);
  }
}

// The deprecated-action entry ("athena:RunQuery", "deeplens:*") that covers every action this entry can name.
const RuleValue* deprecated(const ActionMatch& m) {
  static const ActionList listed(find_rule_meta("deprecated-action")->values);
  if (m.everything || m.malformed) return nullptr;
  return listed.covering(m.text->value);
}

// Whether every action this entry can name is one AWS's reference lists and the catalog's package lacks.
bool outside_package(const ActionMatch& m) {
  static const std::vector<RuleValue> kValues = [] {
    std::vector<RuleValue> values;
    for (const ListedAction& a : actions_outside_package()) values.push_back({a.pattern, a.what});
    return values;
  }();
  static const ActionList listed(kValues);
  return !m.everything && !m.malformed && listed.covering(m.text->value);
}

}  // namespace

void unknown_service(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_action_entry(policy, context, [&](const Statement& s, const ActionMatch& m) {
    if (m.everything || m.text->value.empty()) return;
    if (m.malformed) {
      Finding& f = sink.add(s, *m.text, fmt::format("\"{}\" has no service prefix", m.text->value));
      f.action = m.text->value;
      f.help = "write actions as service:action, e.g. s3:GetObject";
      return;
    }
    if (has_wildcard(m.service_part) || !m.services.empty() || deprecated(m) || outside_package(m)) return;
    Finding& f =
        sink.add(s, *m.text, fmt::format("unknown service \"{}\" in \"{}\"", m.service_part, m.text->value));
    f.action = m.text->value;
    const auto& prefixes = context.catalog.prefixes();
    if (auto best = did_you_mean(m.service_part, prefixes)) {
      f.help = fmt::format("did you mean \"{}\"?", *best);
    } else {
      f.help = "`scopecop catalog` lists the service prefixes";
    }
  });
}

void unknown_action(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_action_entry(policy, context, [&](const Statement& s, const ActionMatch& m) {
    if (m.wildcard || m.services.size() != 1 || !m.actions.empty()) return;
    if (deprecated(m) || outside_package(m)) return;  // ACTION-004 says what replaces it
    const Service& service = *m.services.front();
    Finding& f = sink.add(s, *m.text, fmt::format("unknown action \"{}\"", m.text->value));
    f.action = m.text->value;
    std::vector<std::string_view> names;
    for (const Action& a : service.actions) names.push_back(a.name);
    if (auto best = did_you_mean(m.action_part, names)) {
      f.help = fmt::format("did you mean \"{}:{}\"?", service.prefix, *best);
    } else {
      f.help = fmt::format("`scopecop catalog {}` lists its actions", service.prefix);
    }
  });
}

void action_pattern_matches_nothing(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_action_entry(policy, context, [&](const Statement& s, const ActionMatch& m) {
    if (!m.wildcard || m.everything || m.malformed || !m.actions.empty() || deprecated(m) ||
        outside_package(m))
      return;
    bool no_service = m.services.empty();
    if (no_service && !has_wildcard(m.service_part)) return;  // ACTION-001
    Finding& f = sink.add(
        s, *m.text, fmt::format("\"{}\" matches no {}", m.text->value, no_service ? "service" : "action"));
    f.help = no_service ? std::string("`scopecop catalog` lists the service prefixes")
                        : fmt::format("`scopecop catalog {}` lists its actions", m.services.front()->prefix);
  });
}

void deprecated_action(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_action_entry(policy, context, [&](const Statement& s, const ActionMatch& m) {
    const RuleValue* entry = deprecated(m);
    if (!entry) return;
    Finding& f = sink.add(s, *m.text, fmt::format("\"{}\" is deprecated", m.text->value));
    f.action = m.text->value;
    f.help = std::string(entry->reason);
  });
}

void redundant_action(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    for (const ListElement* element : {&s.action, &s.not_action}) {
      const auto& values = element->values;
      if (values.size() < 2) continue;  // one entry covers no other
      auto covering = covering_plain(values, true, "*?");
      if (!covering) {
        std::vector<Fields> entries;
        for (const Text& t : values) entries.push_back({Pattern::glob(t.value, true)});
        covering = covering_entries(entries);
      }
      report_covered(s, values, *covering, true, sink, &Finding::action);
    }
  }
}

}  // namespace scopecop::rules
