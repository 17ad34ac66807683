#include "scopecop/catalog.h"

#include <algorithm>
#include <array>
#include <deque>
#include <mutex>
#include <span>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/catalog_data.h"
#include "scopecop/arn.h"
#include "scopecop/json.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  if (s.empty()) return out;
  out.reserve(static_cast<std::size_t>(std::count(s.begin(), s.end(), sep)) + 1);
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// A condition key name as a pattern: ${TagKey} or <key> parts match any non-empty text; case is ignored. A
// few tag keys are written "ssm:resourceTag/tag-key" or "glacier:ResourceTag/": the tag key is the variable
// part.
Pattern key_pattern(std::string_view name) {
  std::vector<Token> tokens;
  std::string normalized;
  if (name.ends_with("/tag-key") || name.ends_with("/")) {
    normalized = std::string(name.substr(0, name.rfind('/') + 1)) + "${TagKey}";
    name = normalized;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    std::size_t close = std::string_view::npos;
    if (name.compare(i, 2, "${") == 0) close = name.find('}', i);
    if (name[i] == '<') close = name.find('>', i);
    if (close != std::string_view::npos) {
      tokens.push_back({Token::One, 0, 0});
      tokens.push_back({Token::Star, 0, 0});
      i = close;
      continue;
    }
    tokens.push_back({Token::Literal, name[i], 0});
  }
  return Pattern(std::move(tokens), true);
}

// A resource type's ARN formats as patterns, with the names rules/catalog/names-with-colons.tsv lists for it.
void add_patterns(std::string_view service, const ResourceType& type, std::vector<Pattern>& out) {
  std::array<std::string_view, 4> names;
  std::size_t n = 0;
  for (const catalog_data::NameWithColons& row : catalog_data::kNamesWithColons) {
    if (row.service == service && row.type == type.name && n < names.size()) names[n++] = row.variable;
  }
  for (std::string_view format : type.arn_formats)
    out.push_back(arn_format_pattern(format, std::span(names.data(), n)));
}

// Each resource type's patterns, kept in `storage` (reserved for all of them, so that the views stay valid).
void set_patterns(std::string_view service, std::span<ResourceType> types, std::vector<Pattern>& storage) {
  std::size_t total = 0;
  for (const ResourceType& t : types) total += t.arn_formats.size();
  storage.reserve(storage.size() + total);
  for (ResourceType& t : types) {
    std::size_t first = storage.size();
    add_patterns(service, t, storage);
    t.patterns = std::span(storage).subspan(first);
  }
}

}  // namespace

std::span<const ConditionKey> web_identity_keys() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const catalog_data::KeyRow& row : catalog_data::kWebIdentityKeys)
      names.push_back("${Provider}:" + std::string(row.name));
    return names;
  }();
  static const std::vector<ConditionKey> kKeys = [] {
    std::vector<ConditionKey> keys;
    for (std::size_t i = 0; i < kNames.size(); ++i)
      keys.push_back({kNames[i], catalog_data::kWebIdentityKeys[i].type, key_pattern(kNames[i])});
    return keys;
  }();
  return kKeys;
}

std::span<const ListedAction> actions_outside_package() {
  return catalog_data::kActionsOutsidePackage;
}

const ConditionKey* web_identity_key(std::string_view key) {
  std::size_t colon = key.rfind(':');
  if (colon == std::string_view::npos) return nullptr;
  std::string_view provider = key.substr(0, colon);
  if (provider.find(':') != std::string_view::npos ||
      provider.substr(0, provider.find('/')).find('.') == std::string_view::npos) {
    return nullptr;  // aws:, saml:, s3:, kms:EncryptionContext:... name no provider
  }
  for (const ConditionKey& k : web_identity_keys()) {
    if (iequals(k.name.substr(k.name.find(':') + 1), key.substr(colon + 1))) return &k;
  }
  return nullptr;
}

namespace {

// Builds the lookup tables of a finished service.
void index_names(Service& s) {
  s.action_index = FoldedIndex(s.actions.size(), [&](std::size_t i) { return s.actions[i].name; });
  s.key_index = FoldedIndex(s.condition_keys.size(), [&](std::size_t i) { return s.condition_keys[i].name; });
}

// One service of the compiled snapshot, on its first use: the tables are read in place; only the patterns
// (of its resource types' ARN formats and of its condition keys) and the key index are made.
std::unique_ptr<Service> open_service(const catalog_data::ServiceTables& tables,
                                      std::vector<Pattern>& patterns) {
  auto s = std::make_unique<Service>();
  s->prefix = tables.prefix;
  s->name = tables.name;
  s->actions = tables.actions;
  std::span<ResourceType> types(catalog_data::kResourceTypes + tables.first_type, tables.type_count);
  set_patterns(tables.prefix, types, patterns);
  s->resource_types = types;
  s->condition_keys.reserve(tables.condition_keys.size());
  for (const catalog_data::KeyRow& k : tables.condition_keys)
    s->condition_keys.push_back({k.name, k.type, key_pattern(k.name)});
  index_names(*s);
  return s;
}

}  // namespace

std::string access_level_names(std::uint8_t levels) {
  std::vector<std::string_view> names;
  if (levels & kRead) names.push_back("Read");
  if (levels & kList) names.push_back("List");
  if (levels & kPermissions) names.push_back("Permissions management");
  if (levels & kTagging) names.push_back("Tagging");
  if (levels & kWrite) names.push_back("Write");
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

const Action* Service::action(std::string_view action_name) const {
  auto at = action_index.find(action_name, [&](std::size_t i) { return actions[i].name; });
  return at ? &actions[*at] : nullptr;
}

const ResourceType* Service::resource_type(std::string_view type) const {
  for (const ResourceType& r : resource_types) {
    if (r.name == type) return &r;
  }
  return nullptr;
}

const ConditionKey* Service::condition_key(std::string_view key) const {
  if (auto at = key_index.find(key, [&](std::size_t i) { return condition_keys[i].name; }))
    return &condition_keys[*at];
  for (const ConditionKey& k : condition_keys) {
    if (!k.pattern.is_literal() && k.pattern.matches(key)) return &k;  // literal ones: compared above
  }
  return nullptr;
}

std::vector<const Action*> Service::matching(const Pattern& action_name) const {
  // Actions are sorted ignoring case, so a case-folding pattern's literal beginning ("Describe" of
  // "Describe*") selects one run of them; only that run is matched.
  auto begin = actions.begin(), end = actions.end();
  if (action_name.fold_case()) {
    std::string literal;
    for (const Token& t : action_name.tokens()) {
      if (t.kind != Token::Literal) break;
      literal += t.c;
    }
    begin = std::lower_bound(
        actions.begin(), actions.end(), literal,
        [](const Action& a, const std::string& l) { return compare_ignoring_case(a.name, l) < 0; });
    end = std::find_if(begin, actions.end(), [&](const Action& a) {
      return compare_ignoring_case(a.name.substr(0, literal.size()), literal) != 0;
    });
  }
  std::vector<const Action*> out;
  // "Describe*": every action of the run matches.
  auto tokens = action_name.tokens();
  const bool prefix_star =
      action_name.fold_case() && !tokens.empty() && tokens.back().kind == Token::Star &&
      tokens.back().excluded == 0 &&
      std::all_of(tokens.begin(), tokens.end() - 1, [](const Token& t) { return t.kind == Token::Literal; });
  for (auto it = begin; it != end; ++it) {
    if (prefix_star || action_name.matches(it->name)) out.push_back(&*it);
  }
  return out;
}

struct Catalog::Lazy {
  struct Slot {
    std::once_flag once;
    std::unique_ptr<Service> service;
    std::vector<Pattern> patterns;  // what its resource types' patterns view
  };
  std::vector<Slot> slots{catalog_data::kServices.size()};
  FoldedIndex prefixes{catalog_data::kServices.size(),
                       [](std::size_t i) { return catalog_data::kServices[i].prefix; }};
};

// What an overlay's services view: they are read from JSON rather than compiled in.
struct Catalog::Storage {
  std::deque<std::string> strings;
  std::deque<std::vector<std::string_view>> names;
  std::deque<std::vector<ActionResource>> resources;
  std::deque<std::vector<Action>> actions;
  std::deque<std::vector<ResourceType>> types;
  std::deque<std::vector<Pattern>> patterns;
};

Catalog::Catalog() = default;
Catalog::~Catalog() = default;

const Catalog& Catalog::embedded() {
  static const Catalog* catalog = [] {
    auto* c = new Catalog();
    c->lazy_ = std::make_unique<Lazy>();
    c->prefixes_.reserve(catalog_data::kServices.size());
    for (const catalog_data::ServiceTables& s : catalog_data::kServices) c->prefixes_.push_back(s.prefix);
    for (const catalog_data::KeyRow& k : catalog_data::kGlobalKeys)
      c->global_keys_.push_back({k.name, k.type, key_pattern(k.name)});
    return c;
  }();
  return *catalog;
}

std::unique_ptr<Catalog> Catalog::overlay() {
  std::unique_ptr<Catalog> c(new Catalog());
  c->base_ = &embedded();
  c->prefixes_ = c->base_->prefixes_;
  return c;
}

std::string_view Catalog::package() {
  return catalog_data::kPackage;
}
std::string_view Catalog::version() {
  return catalog_data::kVersion;
}
std::string_view Catalog::date() {
  return catalog_data::kDate;
}

void Catalog::add_prefix(std::string_view prefix) {
  auto at = std::lower_bound(prefixes_.begin(), prefixes_.end(), prefix);
  if (at == prefixes_.end() || *at != prefix) prefixes_.insert(at, prefix);
}

const Service* Catalog::service(std::string_view prefix) const {
  if (base_) {
    auto it = own_.find(to_lower(prefix));
    return it != own_.end() ? it->second.get() : base_->service(prefix);
  }
  auto at = lazy_->prefixes.find(prefix, [](std::size_t i) { return catalog_data::kServices[i].prefix; });
  if (!at) return nullptr;
  Lazy::Slot& slot = lazy_->slots[*at];
  std::call_once(slot.once,
                 [&] { slot.service = open_service(catalog_data::kServices[*at], slot.patterns); });
  return slot.service.get();
}

const ConditionKey* Catalog::global_key(std::string_view key) const {
  const auto& keys = base_ ? base_->global_keys_ : global_keys_;
  for (const ConditionKey& k : keys) {
    if (iequals(k.name, key)) return &k;
  }
  for (const ConditionKey& k : keys) {
    if (!k.pattern.is_literal() && k.pattern.matches(key)) return &k;  // literal ones: compared above
  }
  return nullptr;
}

const ConditionKey* Catalog::condition_key(std::string_view key) const {
  if (const ConditionKey* global = global_key(key)) return global;
  if (const ConditionKey* federated = web_identity_key(key)) return federated;
  std::string prefix = to_lower(key.substr(0, key.find(':')));
  for (const auto& [own_prefix, service] : own_) {
    if (const ConditionKey* k = service->condition_key(key)) return k;
  }
  // The few key prefixes with a ${...} part, as patterns built once.
  static const std::vector<std::optional<Pattern>> kPrefixPatterns = [] {
    std::vector<std::optional<Pattern>> out(catalog_data::kKeyPrefixes.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::string_view p = catalog_data::kKeyPrefixes[i].arn_service;
      if (p.find("${") != std::string_view::npos) out[i] = key_pattern(p);
    }
    return out;
  }();
  for (std::size_t i = 0; i < catalog_data::kKeyPrefixes.size(); ++i) {
    const catalog_data::ArnService& entry = catalog_data::kKeyPrefixes[i];
    bool candidate =
        entry.arn_service == prefix || (kPrefixPatterns[i] && kPrefixPatterns[i]->matches(prefix));
    if (!candidate) continue;
    for (std::string_view owner : split(entry.catalog_services, ',')) {
      if (const Service* s = service(owner)) {
        if (const ConditionKey* k = s->condition_key(key)) return k;
      }
    }
  }
  return nullptr;
}

std::vector<std::string_view> Catalog::services_for_arn(std::string_view arn_service) const {
  std::vector<std::string_view> out;
  const auto* begin = catalog_data::kArnServices.data();
  const auto* end = begin + catalog_data::kArnServices.size();
  const auto* it = std::lower_bound(
      begin, end, arn_service,
      [](const catalog_data::ArnService& a, std::string_view s) { return a.arn_service < s; });
  if (it != end && it->arn_service == arn_service) out = split(it->catalog_services, ',');
  for (const auto& [prefix, service] : own_) {
    bool uses = std::any_of(
        service->resource_types.begin(), service->resource_types.end(), [&](const ResourceType& r) {
          return std::any_of(r.arn_formats.begin(), r.arn_formats.end(), [&](std::string_view f) {
            auto parts = split_arn(f);
            return parts && parts->service == arn_service;
          });
        });
    if (uses && std::find(out.begin(), out.end(), service->prefix) == out.end())
      out.push_back(service->prefix);
  }
  return out;
}

std::string Catalog::add_service_reference(std::string_view json_text) {
  if (!base_) return "the embedded catalog cannot be changed; use Catalog::overlay()";
  // scopecop's own parser bounds the nesting first: nlohmann's recursion would overflow the stack.
  if (auto error = json::parse(json_text).error) return "not valid JSON: " + error->message;
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return "not a JSON object";
  if (!doc.contains("Name") || !doc["Name"].is_string()) return "no \"Name\" (the service prefix)";
  if (!storage_) storage_ = std::make_unique<Storage>();
  Storage& store = *storage_;
  auto keep = [&](const nlohmann::json& v) -> std::string_view {
    return store.strings.emplace_back(v.is_string() ? v.get<std::string>() : std::string());
  };
  auto strings = [&](const nlohmann::json& obj, const char* key) -> Names {
    std::vector<std::string_view> out;
    if (obj.contains(key) && obj[key].is_array()) {
      for (const auto& v : obj[key]) out.push_back(keep(v));
    }
    return store.names.emplace_back(std::move(out));
  };
  auto s = std::make_unique<Service>();
  s->prefix = keep(doc["Name"]);
  if (s->prefix.empty() || to_lower(s->prefix) != s->prefix)
    return "\"Name\" is not a lowercase service prefix";
  const Service* known = base_->service(s->prefix);
  s->name = known ? known->name : s->prefix;
  std::vector<ResourceType>& types = store.types.emplace_back();
  std::vector<Action>& actions = store.actions.emplace_back();
  try {
    for (const auto& r : doc.value("Resources", nlohmann::json::array())) {
      ResourceType& type = types.emplace_back();
      type.name = keep(r.at("Name"));
      type.arn_formats = strings(r, "ARNFormats");
      type.condition_keys = strings(r, "ConditionKeys");
    }
    for (const auto& k : doc.value("ConditionKeys", nlohmann::json::array())) {
      std::string_view name = keep(k.at("Name"));
      auto types_of = strings(k, "Types");
      s->condition_keys.push_back(
          {name, types_of.empty() ? std::string_view("String") : types_of.front(), key_pattern(name)});
    }
    for (const auto& a : doc.value("Actions", nlohmann::json::array())) {
      Action& action = actions.emplace_back();
      action.service = s->prefix;
      action.name = keep(a.at("Name"));
      const auto props =
          a.value("Annotations", nlohmann::json::object()).value("Properties", nlohmann::json::object());
      if (props.value("IsList", false)) action.access |= kList;
      if (props.value("IsPermissionManagement", false)) action.access |= kPermissions;
      if (props.value("IsTaggingOnly", false)) action.access |= kTagging;
      if (props.value("IsWrite", false)) action.access |= kWrite;
      if (action.access == 0) action.access = kRead;
      action.condition_keys = strings(a, "ActionConditionKeys");
      const Action* before = known ? known->action(action.name) : nullptr;
      std::vector<ActionResource>& accepted = store.resources.emplace_back();
      for (const auto& r : a.value("Resources", nlohmann::json::array())) {
        ActionResource& ar = accepted.emplace_back();
        ar.type = keep(r.at("Name"));
        ar.condition_keys = strings(r, "ConditionKeys");
        if (before) {
          for (const ActionResource& b : before->resources) {
            if (b.type == ar.type) ar.required = b.required;
          }
        }
        for (const ResourceType& t : types) {
          if (t.name == ar.type) ar.resolved = &t;
        }
      }
      action.resources = accepted;
    }
  } catch (const nlohmann::json::exception& e) {
    return fmt::format("malformed service reference: {}", e.what());
  }
  // Service reference files need not list actions in order; Service::matching takes runs of sorted ones.
  std::sort(actions.begin(), actions.end(),
            [](const Action& a, const Action& b) { return compare_ignoring_case(a.name, b.name) < 0; });
  set_patterns(s->prefix, types, store.patterns.emplace_back());
  s->actions = actions;
  s->resource_types = types;
  index_names(*s);
  std::string prefix(s->prefix);
  add_prefix(s->prefix);
  own_[prefix] = std::move(s);
  return {};
}

}  // namespace scopecop
