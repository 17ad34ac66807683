// Small helpers several rule files share.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "scopecop/catalog.h"
#include "scopecop/policy.h"
#include "scopecop/resolve.h"

namespace scopecop::rules {

// "Principal": "*" or {"AWS": "*"}: everyone, anonymous users included.
inline bool everyone(const PrincipalElement& p) {
  if (p.wildcard && p.wildcard->value == "*") return true;
  return std::any_of(p.entries.begin(), p.entries.end(),
                     [](const PrincipalEntry& e) { return e.type.value == "AWS" && e.value.value == "*"; });
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
// action).
struct ActionGroup {
  const ActionMatch* match = nullptr;  // the Action entry, or nullptr for the actions NotAction leaves
  std::vector<const Action*> actions;
};

inline std::vector<ActionGroup> allowed_action_groups(const Statement& s, const Resolution& resolved,
                                                      const Service& service) {
  std::vector<ActionGroup> out;
  if (s.action.present) {
    for (const ActionMatch& m : resolved.actions(s)) {
      if (!m.malformed) out.push_back({&m, named_actions(m, service)});
    }
  } else if (s.not_action.present) {
    const auto& excluded = resolved.not_actions(s);
    ActionGroup left;
    for (const Action& a : service.actions) {
      bool named = std::any_of(excluded.begin(), excluded.end(), [&](const ActionMatch& m) {
        return m.everything || std::find(m.actions.begin(), m.actions.end(), &a) != m.actions.end();
      });
      if (!named) left.actions.push_back(&a);
    }
    out.push_back(std::move(left));
  }
  return out;
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
