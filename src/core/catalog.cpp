#include "scopecop/catalog.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <span>
#include <unordered_map>

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

// The text of `rest` up to the first `sep` (or its end); `rest` moves past it.
std::string_view pop_until(std::string_view& rest, char sep) {
  std::size_t at = rest.find(sep);
  std::string_view piece = rest.substr(0, at);
  rest.remove_prefix(at == std::string_view::npos ? rest.size() : at + 1);
  return piece;
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
void add_patterns(std::string_view service, ResourceType& type) {
  std::array<std::string_view, 4> names;
  std::size_t n = 0;
  for (std::string_view rest = catalog_data::kNamesWithColons; !rest.empty();) {
    std::string_view line = pop_until(rest, '\n');
    if (pop_until(line, '\t') == service && pop_until(line, '\t') == type.name && n < names.size())
      names[n++] = line;
  }
  for (std::string_view format : type.arn_formats)
    type.patterns.push_back(arn_format_pattern(format, std::span(names.data(), n)));
}

}  // namespace

std::span<const ConditionKey> web_identity_keys() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (std::string_view line : split(catalog_data::kWebIdentityKeys, '\n')) {
      if (!line.empty()) names.push_back("${Provider}:" + std::string(line.substr(0, line.find('\t'))));
    }
    return names;
  }();
  static const std::vector<ConditionKey> kKeys = [] {
    std::vector<ConditionKey> keys;
    std::size_t i = 0;
    for (std::string_view line : split(catalog_data::kWebIdentityKeys, '\n')) {
      if (line.empty()) continue;
      const std::string& name = kNames[i++];
      keys.push_back({name, line.substr(line.find('\t') + 1), key_pattern(name)});
    }
    return keys;
  }();
  return kKeys;
}

std::span<const ListedAction> actions_outside_package() {
  static const std::vector<ListedAction> kListed = [] {
    std::vector<ListedAction> listed;
    for (std::string_view line : split(catalog_data::kActionsOutsidePackage, '\n')) {
      if (!line.empty())
        listed.push_back({line.substr(0, line.find('\t')), line.substr(line.find('\t') + 1)});
    }
    return listed;
  }();
  return kListed;
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

std::uint8_t parse_levels(std::string_view letters) {
  std::uint8_t levels = 0;
  for (char c : letters) {
    switch (c) {
      case 'R':
        levels |= kRead;
        break;
      case 'L':
        levels |= kList;
        break;
      case 'W':
        levels |= kWrite;
        break;
      case 'T':
        levels |= kTagging;
        break;
      case 'P':
        levels |= kPermissions;
        break;
      default:
        break;
    }
  }
  return levels;
}

// Sorts the actions and builds the lookup tables of a finished service.
void index_service(Service& s) {
  auto before = [](const Action& a, const Action& b) { return compare_ignoring_case(a.name, b.name) < 0; };
  // The snapshot lists them in order already; service-reference files need not.
  if (!std::is_sorted(s.actions.begin(), s.actions.end(), before))
    std::sort(s.actions.begin(), s.actions.end(), before);
  s.key_index.clear();
  for (std::size_t i = 0; i < s.condition_keys.size(); ++i) s.key_index.emplace(s.condition_keys[i].name, i);
  // Found once here, instead of by name each time a rule asks what an action accepts.
  for (Action& a : s.actions) {
    for (ActionResource& r : a.resources) r.resolved = s.resource_type(r.type);
  }
}

// One service of the embedded snapshot: its lines, tab-separated (see scripts/update-catalog).
std::unique_ptr<Service> parse_service(const catalog_data::ServiceBlob& blob) {
  auto s = std::make_unique<Service>();
  s->prefix = blob.prefix;
  s->name = blob.name;
  // Lines and fields are taken in place: the first use of a service is on the path of every check.
  std::array<std::string_view, 7> fields;
  for (std::string_view rest = blob.body; !rest.empty();) {
    std::string_view line = pop_until(rest, '\n');
    if (line.empty()) continue;
    std::size_t n = 0;
    for (bool more = true; more && n < fields.size();) {
      more = line.find('\t') != std::string_view::npos;
      fields[n++] = pop_until(line, '\t');
    }
    std::span<const std::string_view> f(fields.data(), n);
    if (f[0] == "resource" && f.size() == 4) {
      ResourceType& r = s->resource_types.emplace_back();
      r.name = f[1];
      r.arn_formats = split(f[2], ';');
      add_patterns(blob.prefix, r);
      r.condition_keys = split(f[3], ',');
    } else if (f[0] == "key" && f.size() == 3) {
      s->condition_keys.push_back({f[1], f[2], key_pattern(f[1])});
    } else if (f[0] == "action" && f.size() == 6) {
      Action& a = s->actions.emplace_back();
      a.service = blob.prefix;
      a.name = f[1];
      a.access = parse_levels(f[2]);
      for (std::string_view entry : split(f[3], ';')) {
        ActionResource r;
        std::string_view name = entry.substr(0, entry.find('='));
        if (name.ends_with('*')) {
          r.required = true;
          name.remove_suffix(1);
        }
        r.type = name;
        if (auto eq = entry.find('='); eq != std::string_view::npos)
          r.condition_keys = split(entry.substr(eq + 1), ',');
        a.resources.push_back(std::move(r));
      }
      a.condition_keys = split(f[4], ',');
      a.dependent_actions = split(f[5], ',');
    }
  }
  index_service(*s);
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
  // Sorted actions answer without a table to build on the first use of a service.
  auto it = std::lower_bound(
      actions.begin(), actions.end(), action_name,
      [](const Action& a, std::string_view n) { return compare_ignoring_case(a.name, n) < 0; });
  return it != actions.end() && iequals(it->name, action_name) ? &*it : nullptr;
}

const ResourceType* Service::resource_type(std::string_view type) const {
  for (const ResourceType& r : resource_types) {
    if (r.name == type) return &r;
  }
  return nullptr;
}

const ConditionKey* Service::condition_key(std::string_view key) const {
  if (auto it = key_index.find(key); it != key_index.end()) return &condition_keys[it->second];
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
  };
  std::vector<Slot> slots{catalog_data::kServiceCount};
  std::unordered_map<std::string_view, std::size_t, FoldedHash, FoldedEqual> index;  // prefix -> slot
};

Catalog::Catalog() = default;
Catalog::~Catalog() = default;

const Catalog& Catalog::embedded() {
  static const Catalog* catalog = [] {
    auto* c = new Catalog();
    c->lazy_ = std::make_unique<Lazy>();
    for (std::size_t i = 0; i < catalog_data::kServiceCount; ++i) {
      c->lazy_->index.emplace(catalog_data::kServices[i].prefix, i);
      c->add_prefix(catalog_data::kServices[i].prefix);
    }
    for (std::string_view line : split(catalog_data::kGlobalKeys, '\n')) {
      auto f = split(line, '\t');
      if (f.size() == 2) c->global_keys_.push_back({f[0], f[1], key_pattern(f[0])});
    }
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

std::string_view Catalog::package() const {
  return catalog_data::kPackage;
}
std::string_view Catalog::version() const {
  return catalog_data::kVersion;
}
std::string_view Catalog::date() const {
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
  auto it = lazy_->index.find(prefix);
  if (it == lazy_->index.end()) return nullptr;
  Lazy::Slot& slot = lazy_->slots[it->second];
  std::call_once(slot.once, [&] { slot.service = parse_service(catalog_data::kServices[it->second]); });
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
    std::vector<std::optional<Pattern>> out(catalog_data::kKeyPrefixCount);
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::string_view p = catalog_data::kKeyPrefixes[i].arn_service;
      if (p.find("${") != std::string_view::npos) out[i] = key_pattern(p);
    }
    return out;
  }();
  for (std::size_t i = 0; i < catalog_data::kKeyPrefixCount; ++i) {
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
  const auto* begin = catalog_data::kArnServices;
  const auto* end = begin + catalog_data::kArnServiceCount;
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
  auto keep = [&](const nlohmann::json& v) -> std::string_view {
    return strings_.emplace_back(v.is_string() ? v.get<std::string>() : std::string());
  };
  auto strings = [&](const nlohmann::json& obj, const char* key) {
    std::vector<std::string_view> out;
    if (obj.contains(key) && obj[key].is_array()) {
      for (const auto& v : obj[key]) out.push_back(keep(v));
    }
    return out;
  };
  auto s = std::make_unique<Service>();
  s->prefix = keep(doc["Name"]);
  if (s->prefix.empty() || to_lower(s->prefix) != s->prefix)
    return "\"Name\" is not a lowercase service prefix";
  const Service* known = base_->service(s->prefix);
  s->name = known ? known->name : s->prefix;
  try {
    for (const auto& r : doc.value("Resources", nlohmann::json::array())) {
      ResourceType& type = s->resource_types.emplace_back();
      type.name = keep(r.at("Name"));
      type.arn_formats = strings(r, "ARNFormats");
      add_patterns(s->prefix, type);
      type.condition_keys = strings(r, "ConditionKeys");
    }
    for (const auto& k : doc.value("ConditionKeys", nlohmann::json::array())) {
      std::string_view name = keep(k.at("Name"));
      auto types = strings(k, "Types");
      s->condition_keys.push_back(
          {name, types.empty() ? std::string_view("String") : types.front(), key_pattern(name)});
    }
    for (const auto& a : doc.value("Actions", nlohmann::json::array())) {
      Action& action = s->actions.emplace_back();
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
      for (const auto& r : a.value("Resources", nlohmann::json::array())) {
        ActionResource& ar = action.resources.emplace_back();
        ar.type = keep(r.at("Name"));
        ar.condition_keys = strings(r, "ConditionKeys");
        if (before) {
          for (const ActionResource& b : before->resources) {
            if (b.type == ar.type) ar.required = b.required;
          }
        }
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return fmt::format("malformed service reference: {}", e.what());
  }
  index_service(*s);
  std::string prefix(s->prefix);
  add_prefix(s->prefix);
  own_[prefix] = std::move(s);
  return {};
}

}  // namespace scopecop
