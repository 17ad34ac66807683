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
