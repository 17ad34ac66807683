// GUARD: the accesses the configuration's never: list forbids, judged with the exact search of `diff`.
#include <fmt/format.h>

#include "rules/checks.h"
#include "rules/common.h"
#include "scopecop/access.h"
#include "scopecop/config.h"
#include "scopecop/resolve.h"

namespace scopecop::rules {

namespace {

// The actions a guard names: those of the catalog its patterns match, and names the catalog does not know
// written in full (they may exist: nothing else is known of them).
std::vector<std::pair<std::string, const Action*>> guarded_actions(const Guard& guard,
                                                                   const Catalog& catalog) {
  std::vector<std::pair<std::string, const Action*>> out;
  for (const std::string& entry : guard.actions) {
    std::vector<const Action*> named;
    if (entry == "*") {
      for (std::string_view prefix : catalog.prefixes()) {
        if (const Service* s = catalog.service(prefix)) {
          for (const Action& a : s->actions) named.push_back(&a);
        }
      }
    } else {
      named = actions_named(entry, catalog);
    }
    for (const Action* a : named) out.emplace_back(a->full_name(), a);
    if (named.empty() && !has_wildcard(entry)) out.emplace_back(entry, nullptr);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Where to report: the Action entry that names the first action, or the NotAction key.
Finding& report(const Statement& s, std::string_view action, FindingSink& sink, std::string message) {
  for (const Text& t : s.action.values) {
    if (Pattern::glob(t.value, true).matches(action)) return sink.add(s, t, std::move(message));
  }
  const Key* key = s.key(s.action.present ? "Action" : "NotAction");
  return sink.add(s, key->span, key->pointer, std::move(message));
}

}  // namespace

void access_never_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.never) return;
  GrantSearch search(policy);
  for (const Guard& guard : *context.never) {
    auto actions = guarded_actions(guard, context.catalog);
    for (const Statement& s : policy.statements) {
      if (s.effect != Effect::Allow) continue;
      std::vector<std::string> granted;
      std::string witness;
      for (const auto& [name, action] : actions) {
        if (!search.names(s, name)) continue;
        auto found = search.find(s, name, action, guard.resources, guard.not_resource);
        if (!found) continue;
        if (granted.empty()) witness = *found;
        granted.push_back(name);
      }
      if (granted.empty()) continue;
      std::vector<std::string> conditions = statement_conditions(policy, s);
      std::string when;
      for (const std::string& c : conditions) when += (when.empty() ? " when " : " and ") + c;
      Finding& f = report(s, granted.front(), sink,
                          fmt::format("{} {} allowed on {}{}, which the never: entry at line {} forbids{}",
                                      join_labels(granted), granted.size() == 1 ? "is" : "are",
                                      escape_control(witness), escape_control(when), guard.line,
                                      guard.reason.empty() ? "" : " (" + escape_control(guard.reason) + ")"));
      f.help =
          guard.not_resource || !guard.resources.empty()
              ? "narrow the statement's Resource (or add a Deny) so that it leaves out what the entry names"
              : "remove the action from the statement, or add a Deny of it";
      f.action = granted.front();
      f.resource = witness;
    }
  }
}

}  // namespace scopecop::rules
