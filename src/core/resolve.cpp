#include "scopecop/resolve.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

// How a Resource value stands against the ARN formats of its service.
ArnJudgement judge_arn(std::string_view value, const Catalog& catalog) {
  if (value == "*" || !arn_syntax_problem(value).empty()) return {};
  ArnParts parts = *split_arn(value);
  if (has_wildcard(parts.service) || has_variable(parts.service)) return {};
  auto owners = catalog.services_for_arn(parts.service);
  if (owners.empty()) {
    if (catalog.service(parts.service)) return {};  // a service whose actions all take "*"
    return {ArnVerdict::UnknownService, {}, {}};
  }
  Pattern p = arn_pattern(value);
  std::vector<const ResourceType*> types;
  for (std::string_view owner : owners) {
    const Service* s = catalog.service(owner);
    if (!s) continue;
    for (const ResourceType& t : s->resource_types) {
      for (const Pattern& f : t.patterns) {
        if (arn_overlaps(p, f)) return {ArnVerdict::Fine, {}, {}};
      }
      types.push_back(&t);
    }
  }
  // Would it match with other region and account fields? Then those fields are the problem.
  std::string relaxed = fmt::format("arn:{}:{}:*:*:{}", parts.partition, parts.service, parts.resource);
  Pattern r = arn_pattern(relaxed);
  for (const ResourceType* t : types) {
    for (std::size_t i = 0; i < t->patterns.size(); ++i) {
      if (!arn_overlaps(r, t->patterns[i])) continue;
      ArnParts format = *split_arn(t->arn_formats[i]);
      std::string detail;
      if (format.region.empty() && !parts.region.empty()) {
        detail = fmt::format("{} ARNs have no region, but this one has \"{}\"", t->name, parts.region);
      } else if (!format.region.empty() && parts.region.empty()) {
        detail = fmt::format("{} ARNs need a region", t->name);
      } else if (format.account.empty() && !parts.account.empty()) {
        detail = fmt::format("{} ARNs have no account, but this one has \"{}\"", t->name, parts.account);
      } else {
        detail = fmt::format("{} ARNs need an account", t->name);
      }
      return {ArnVerdict::FieldProblem, detail, t->arn_formats[i]};
    }
  }
  // No format fits: name the closest, by the resource part's common beginning, then by edit distance.
  std::string_view closest;
  std::pair<std::size_t, std::size_t> best{0, std::string::npos};
  for (const ResourceType* t : types) {
    for (std::string_view f : t->arn_formats) {
      std::string_view resource = split_arn(f) ? split_arn(f)->resource : f;
      std::size_t common = 0;
      while (common < resource.size() && common < parts.resource.size() &&
             resource[common] == parts.resource[common] && resource[common] != '$') {
        ++common;
      }
      std::size_t d = edit_distance(parts.resource, resource);
      if (common > best.first || (common == best.first && d < best.second)) {
        best = {common, d};
        closest = f;
      }
    }
  }
  return {ArnVerdict::NoFormat, fmt::format("the closest {} ARN format is {}", parts.service, closest),
          closest};
}

}  // namespace

ActionMatch match_action(const Text& entry, const Catalog& catalog) {
  ActionMatch m;
  m.text = &entry;
  std::string_view v = entry.value;
  if (v == "*") {
    m.everything = true;
    m.wildcard = true;
    return m;
  }
  auto colon = v.find(':');
  if (colon == std::string_view::npos) {
    m.malformed = true;
    return m;
  }
  m.service_part = v.substr(0, colon);
  m.action_part = v.substr(colon + 1);
  m.wildcard = has_wildcard(v);
  if (has_wildcard(m.service_part)) {
    Pattern service = Pattern::glob(m.service_part, true);
    for (std::string_view prefix : catalog.prefixes()) {
      if (service.matches(prefix)) m.services.push_back(catalog.service(prefix));
    }
  } else if (const Service* s = catalog.service(m.service_part)) {
    m.services.push_back(s);
  }
  if (!has_wildcard(m.action_part)) {
    for (const Service* s : m.services) {
      if (const Action* a = s->action(m.action_part)) m.actions.push_back(a);
    }
    return m;
  }
  Pattern name = Pattern::glob(m.action_part, true);
  for (const Service* s : m.services) {
    auto found = s->matching(name);
    m.actions.insert(m.actions.end(), found.begin(), found.end());
  }
  return m;
}

std::vector<Pattern> resource_patterns(const std::vector<Text>& entries) {
  std::vector<Pattern> out;
  out.reserve(entries.size());
  for (const Text& t : entries) out.push_back(arn_pattern(t.value));
  return out;
}

bool ResourceMatcher::receives(const ResourceType& type) const {
  if (auto it = memo_.find(&type); it != memo_.end()) return it->second;
  bool answer = std::any_of(resources_.begin(), resources_.end(), [&](const Pattern& r) {
    return std::any_of(type.patterns.begin(), type.patterns.end(),
                       [&](const Pattern& f) { return arn_overlaps(r, f); });
  });
  memo_.emplace(&type, answer);
  return answer;
}

std::vector<const ActionResource*> ResourceMatcher::received_types(const Service& service,
                                                                   const Action& action) const {
  std::vector<const ActionResource*> out;
  for (const ActionResource& r : action.resources) {
    const ResourceType* type = service.resource_type(r.type);
    if (type && receives(*type)) out.push_back(&r);
  }
  return out;
}

bool ResourceMatcher::receives_any(const Service& service, const Action& action) const {
  return std::any_of(action.resources.begin(), action.resources.end(), [&](const ActionResource& r) {
    const ResourceType* type = service.resource_type(r.type);
    return type && receives(*type);
  });
}

struct Resolution::Entry {
  std::optional<std::vector<ActionMatch>> actions, not_actions;
  std::optional<ResourceMatcher> resources;
};

ActionMatch ResolutionCache::action(const Text& entry) {
  auto bind = [&](ActionMatch m) {  // the remembered answer, told about this entry's text
    m.text = &entry;
    if (!m.everything && !m.malformed) {
      std::string_view v = entry.value;
      m.service_part = v.substr(0, v.find(':'));
      m.action_part = v.substr(m.service_part.size() + 1);
    }
    return m;
  };
  if (auto it = actions_.find(entry.value); it != actions_.end()) return bind(it->second);
  ActionMatch m = match_action(entry, catalog_);
  ActionMatch kept = m;
  kept.text = nullptr;
  kept.service_part = kept.action_part = {};
  actions_.emplace(entry.value, std::move(kept));
  return m;
}

const ArnJudgement& ResolutionCache::arn(const std::string& value) {
  auto it = arns_.find(value);
  if (it == arns_.end()) it = arns_.emplace(value, judge_arn(value, catalog_)).first;
  return it->second;
}

Resolution::Resolution(const Policy& policy, ResolutionCache& cache)
    : policy_(policy), cache_(cache), entries_(policy.statements.size()) {}
Resolution::~Resolution() = default;

const Resolution::Entry& Resolution::entry(const Statement& s) const {
  auto index = static_cast<std::size_t>(&s - policy_.statements.data());
  auto& slot = entries_.at(index);
  if (!slot) slot = std::make_unique<Entry>();
  return *slot;
}

const std::vector<ActionMatch>& Resolution::actions(const Statement& s) const {
  auto& e = const_cast<Entry&>(entry(s));
  if (!e.actions) e.actions = match(s.action.values);
  return *e.actions;
}

const std::vector<ActionMatch>& Resolution::not_actions(const Statement& s) const {
  auto& e = const_cast<Entry&>(entry(s));
  if (!e.not_actions) e.not_actions = match(s.not_action.values);
  return *e.not_actions;
}

const ResourceMatcher& Resolution::resources(const Statement& s) const {
  auto& e = const_cast<Entry&>(entry(s));
  if (!e.resources) e.resources.emplace(resource_patterns(s.resource.values));
  return *e.resources;
}

std::vector<ActionMatch> Resolution::match(const std::vector<Text>& entries) const {
  std::vector<ActionMatch> out;
  out.reserve(entries.size());
  for (const Text& t : entries) out.push_back(cache_.action(t));
  return out;
}

const ArnJudgement& Resolution::arn(const std::string& value) const {
  return cache_.arn(value);
}

bool grants_wildcard_resource(std::span<const Pattern> resources) {
  return std::any_of(resources.begin(), resources.end(), [](const Pattern& r) { return r.matches("*"); });
}

bool condition_key_applies(const Service& service, const Action& action, std::string_view key) {
  auto listed = [&](const std::vector<std::string_view>& keys) {
    return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) {
      if (iequals(k, key)) return true;
      const ConditionKey* known = service.condition_key(k);
      return known && known->pattern.matches(key);
    });
  };
  if (listed(action.condition_keys)) return true;
  for (const ActionResource& r : action.resources) {
    if (listed(r.condition_keys)) return true;
    const ResourceType* type = service.resource_type(r.type);
    if (type && listed(type->condition_keys)) return true;
  }
  return false;
}

}  // namespace scopecop
