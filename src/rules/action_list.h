// A rule's curated list of action patterns ("athena:RunQuery", "glue:*"), each with its reason.
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "scopecop/catalog.h"
#include "scopecop/glob.h"
#include "scopecop/rule.h"
#include "scopecop/text.h"

namespace scopecop::rules {

class ActionList {
 public:
  explicit ActionList(std::span<const RuleValue> values) {
    for (const RuleValue& v : values) {
      std::string_view service = v.value.substr(0, v.value.find(':'));
      std::string_view name = v.value.substr(std::min(v.value.size(), service.size() + 1));
      auto group = std::lower_bound(by_service_.begin(), by_service_.end(), service, before);
      if (group == by_service_.end() || !iequals(group->service, service))
        group = by_service_.insert(group, {service, {}});
      group->entries.push_back(entries_.size());
      entries_.push_back({&v, service, Pattern::glob(v.value, true), Pattern::glob(name, true)});
    }
  }

  // The service prefixes the list names, in order.
  std::vector<std::string_view> services() const {
    std::vector<std::string_view> out;
    for (const Group& g : by_service_) out.push_back(g.service);
    return out;
  }

  // The entries that name actions of one service prefix (none: its actions need not be asked about).
  struct Candidates {
    std::string_view service;
    std::span<const std::size_t> entries;
  };
  Candidates of_service(std::string_view prefix) const {
    auto it = std::lower_bound(by_service_.begin(), by_service_.end(), prefix, before);
    if (it == by_service_.end() || !iequals(it->service, prefix)) return {prefix, {}};
    return {prefix, it->entries};
  }

  // The listed entry that names this action of the catalog, if any, among the candidates of its service
  // (the actions of a wildcard entry come service by service: they share one lookup).
  const RuleValue* covering(const Action& action, const Candidates& candidates) const {
    for (std::size_t i : candidates.entries) {
      if (entries_[i].name.matches(action.name)) return entries_[i].value;
    }
    return nullptr;
  }
  const RuleValue* covering(const Action& action) const {
    return covering(action, of_service(action.service));
  }

  // The listed entry that covers every action `action` (a name or a pattern) can name, if any. Listed entries
  // name their service literally.
  const RuleValue* covering(std::string_view action) const {
    std::string_view service = action.substr(0, action.find(':'));
    std::optional<Pattern> pattern;
    for (std::size_t i : of_service(service).entries) {
      const Entry& e = entries_[i];
      if (!pattern) pattern = Pattern::glob(action, true);
      if (covered_by(*pattern, std::span(&e.pattern, 1))) return e.value;
    }
    return nullptr;
  }

 private:
  struct Entry {
    const RuleValue* value;
    std::string_view service;
    Pattern pattern;
    Pattern name;  // the part after "service:"
  };
  // The entries of one service prefix, in list order: an action is compared only with its own service's.
  struct Group {
    std::string_view service;
    std::vector<std::size_t> entries;
  };
  static bool before(const Group& g, std::string_view service) {
    return compare_ignoring_case(g.service, service) < 0;
  }

  std::vector<Entry> entries_;
  std::vector<Group> by_service_;  // sorted by prefix, ignoring case
};

}  // namespace scopecop::rules
