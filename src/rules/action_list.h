// A rule's curated list of action patterns ("athena:RunQuery", "glue:*"), each with its reason.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
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
      by_service_[service].push_back(entries_.size());
      entries_.push_back({&v, service, Pattern::glob(v.value, true), Pattern::glob(name, true)});
    }
  }

  // The listed entry that names this action of the catalog, if any.
  const RuleValue* covering(const Action& action) const {
    for (std::size_t i : of_service(action.service)) {
      if (entries_[i].name.matches(action.name)) return entries_[i].value;
    }
    return nullptr;
  }

  // The listed entry that covers every action `action` (a name or a pattern) can name, if any. Listed entries
  // name their service literally.
  const RuleValue* covering(std::string_view action) const {
    std::string_view service = action.substr(0, action.find(':'));
    std::optional<Pattern> pattern;
    for (std::size_t i : of_service(service)) {
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
  std::span<const std::size_t> of_service(std::string_view service) const {
    auto it = by_service_.find(service);
    return it == by_service_.end() ? std::span<const std::size_t>()
                                   : std::span<const std::size_t>(it->second);
  }

  std::vector<Entry> entries_;
  // Entries by service prefix, in list order: an action is compared only with its own service's entries.
  std::unordered_map<std::string_view, std::vector<std::size_t>, FoldedHash, FoldedEqual> by_service_;
};

}  // namespace scopecop::rules
