#include "scopecop/resolve.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "core/text_table.h"
#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

// How a Resource value (as `p`, its arn_pattern) stands against the ARN formats of its service.
ArnJudgement judge_arn(std::string_view value, const Pattern& p, const Catalog& catalog) {
  if (value == "*" || !arn_syntax_problem(value).empty()) return {};
  ArnParts parts = *split_arn(value);
  if (has_wildcard(parts.service) || has_variable(parts.service)) return {};
  auto owners = catalog.services_for_arn(parts.service);
  if (owners.empty()) {
    if (catalog.service(parts.service)) return {};  // a service whose actions all take "*"
    return {ArnVerdict::UnknownService, {}, {}};
  }
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
  Pattern r = arn_pattern_within_fields(
      fmt::format("arn:{}:{}:*:*:{}", parts.partition, parts.service, parts.resource));
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
      if (common < best.first) continue;
      // Of as long a common beginning, only a smaller distance counts.
      std::size_t d =
          edit_distance(parts.resource, resource, common > best.first ? std::string::npos : best.second);
      if (common > best.first || d < best.second) {
        best = {common, d};
        closest = f;
      }
    }
  }
  return {ArnVerdict::NoFormat, fmt::format("the closest {} ARN format is {}", parts.service, closest),
          closest};
}

// What the Action entry `v` names; its lists are kept in `lists`.
ResolutionCache::Names names_of(std::string_view v, const Catalog& catalog, Arena& lists) {
  ResolutionCache::Names n;
  if (v == "*") {
    n.everything = true;
    n.wildcard = true;
    return n;
  }
  auto colon = v.find(':');
  if (colon == std::string_view::npos) {
    n.malformed = true;
    return n;
  }
  std::string_view service_part = v.substr(0, colon), action_part = v.substr(colon + 1);
  n.wildcard = has_wildcard(v);
  std::vector<const Service*> services;
  if (has_wildcard(service_part)) {
    Pattern service = Pattern::glob(service_part, true);
    for (std::string_view prefix : catalog.prefixes()) {
      if (service.matches(prefix)) services.push_back(catalog.service(prefix));
    }
  } else if (const Service* s = catalog.service(service_part)) {
    services.push_back(s);
  }
  std::vector<const Action*> actions;
  if (!has_wildcard(action_part)) {
    for (const Service* s : services) {
      if (const Action* a = s->action(action_part)) actions.push_back(a);
    }
  } else {
    Pattern name = Pattern::glob(action_part, true);
    for (const Service* s : services) {
      auto found = s->matching(name);
      actions.insert(actions.end(), found.begin(), found.end());
    }
  }
  n.services = lists.copy(std::span<const Service* const>(services));
  n.actions = lists.copy(std::span<const Action* const>(actions));
  return n;
}

}  // namespace

std::vector<const Action*> actions_named(std::string_view entry, const Catalog& catalog) {
  Arena lists;
  ResolutionCache::Names n = names_of(entry, catalog, lists);
  return {n.actions.begin(), n.actions.end()};
}

std::vector<Pattern> resource_patterns(const std::vector<Text>& entries) {
  std::vector<Pattern> out;
  out.reserve(entries.size());
  for (const Text& t : entries) out.push_back(arn_pattern(t.value));
  return out;
}

ResourceMatcher::ResourceMatcher(std::vector<Pattern> resources)
    : resources_(std::move(resources)),
      everything_(std::any_of(resources_.begin(), resources_.end(),
                              [](const Pattern& r) { return r.matches_everything(); })) {}

namespace {

std::vector<Pattern> resource_patterns(const std::vector<Text>& entries, ResolutionCache& cache) {
  std::vector<Pattern> out;
  out.reserve(entries.size());
  for (const Text& t : entries) out.push_back(cache.resource_pattern(t.value));
  return out;
}

}  // namespace

ResourceMatcher::ResourceMatcher(const std::vector<Text>& entries, ResolutionCache& cache)
    : ResourceMatcher(resource_patterns(entries, cache)) {
  entries_ = &entries;
  cache_ = &cache;
}

namespace {

bool overlaps_type(const Pattern& resource, const ResourceType& type) {
  return std::any_of(type.patterns.begin(), type.patterns.end(),
                     [&](const Pattern& format) { return arn_overlaps(resource, format); });
}

}  // namespace

bool ResourceMatcher::receives(const ResourceType& type) const {
  if (everything_) return !type.patterns.empty();
  if (auto it = memo_.find(&type); it != memo_.end()) return it->second;
  bool answer = false;
  for (std::size_t i = 0; i < resources_.size() && !answer; ++i) {
    answer = cache_ ? cache_->denotes((*entries_)[i].value, resources_[i], type)
                    : overlaps_type(resources_[i], type);
  }
  memo_.emplace(&type, answer);
  return answer;
}

std::vector<const ActionResource*> ResourceMatcher::received_types(const Action& action) const {
  std::vector<const ActionResource*> out;
  for (const ActionResource& r : action.resources) {
    if (r.resolved && receives(*r.resolved)) out.push_back(&r);
  }
  return out;
}

bool ResourceMatcher::receives_any(const Action& action) const {
  return std::any_of(action.resources.begin(), action.resources.end(),
                     [&](const ActionResource& r) { return r.resolved && receives(*r.resolved); });
}

struct Resolution::Entry {
  std::optional<std::vector<ActionMatch>> actions, not_actions;
  std::optional<ResourceMatcher> resources;
};

struct ResolutionCache::Tables {
  explicit Tables(std::size_t buckets)
      : actions(buckets),
        arns(buckets / 4),
        patterns(buckets / 4),
        condition_keys(buckets / 16),
        denotes(buckets) {}
  Arena lists;  // of Names
  SharedTextTable<Names> actions;
  SharedTextTable<ArnJudgement> arns;
  SharedTextTable<Pattern> patterns;  // of Resource values
  SharedTextTable<const ConditionKey*> condition_keys;
  SharedTextTable<bool> denotes;  // by Resource value and resource type
};

// An account dump of the AWS managed policies asks ~16,500 different actions in 4 MB.
ResolutionCache::ResolutionCache(const Catalog& catalog, std::uintmax_t bytes)
    : catalog_(catalog),
      tables_(std::make_unique<Tables>(std::min<std::uintmax_t>(bytes / 256, std::uintmax_t{1} << 18))) {}
ResolutionCache::~ResolutionCache() = default;

ActionMatch ResolutionCache::action(const Text& entry) {
  const Names& n = tables_->actions.get(entry.value, nullptr,
                                        [&] { return names_of(entry.value, catalog_, tables_->lists); });
  ActionMatch m;
  m.text = &entry;
  m.everything = n.everything;
  m.malformed = n.malformed;
  m.wildcard = n.wildcard;
  if (!m.everything && !m.malformed) {
    std::string_view v = entry.value;
    m.service_part = v.substr(0, v.find(':'));
    m.action_part = v.substr(m.service_part.size() + 1);
  }
  m.services = n.services;
  m.actions = n.actions;
  return m;
}

const ArnJudgement& ResolutionCache::arn(const std::string& value) {
  return tables_->arns.get(value, nullptr,
                           [&] { return judge_arn(value, resource_pattern(value), catalog_); });
}

const Pattern& ResolutionCache::resource_pattern(const std::string& value) {
  return tables_->patterns.get(value, nullptr, [&] { return arn_pattern(value); });
}

const ConditionKey* ResolutionCache::condition_key(const std::string& key) {
  return tables_->condition_keys.get(key, nullptr, [&] { return catalog_.condition_key(key); });
}

bool ResolutionCache::denotes(const std::string& entry, const Pattern& pattern, const ResourceType& type) {
  return tables_->denotes.get(entry, &type, [&] { return overlaps_type(pattern, type); });
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
  if (!e.resources) e.resources.emplace(s.resource.values, cache_);
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

const ConditionKey* Resolution::condition_key(const std::string& key) const {
  return cache_.condition_key(key);
}

bool grants_wildcard_resource(std::span<const Pattern> resources) {
  return std::any_of(resources.begin(), resources.end(), [](const Pattern& r) { return r.matches("*"); });
}

bool condition_key_applies(const Service& service, const Action& action, std::string_view key) {
  auto listed = [&](Names keys) {
    return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) {
      if (iequals(k, key)) return true;
      const ConditionKey* known = service.condition_key(k);
      return known && known->pattern.matches(key);
    });
  };
  if (listed(action.condition_keys)) return true;
  // An action that takes one provider's web identity keys takes those of every provider.
  if (web_identity_key(key) &&
      std::any_of(action.condition_keys.begin(), action.condition_keys.end(),
                  [](std::string_view k) { return web_identity_key(k) != nullptr; })) {
    return true;
  }
  for (const ActionResource& r : action.resources) {
    if (listed(r.condition_keys)) return true;
    if (r.resolved && listed(r.resolved->condition_keys)) return true;
  }
  return false;
}

}  // namespace scopecop
