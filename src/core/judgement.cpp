#include "scopecop/judgement.h"

#include <algorithm>
#include <iterator>

#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

// aws:ResourceTag/..., secretsmanager:ResourceTag/..., s3:ExistingObjectTag/...
bool is_tag_key(std::string_view key) {
  std::size_t colon = key.find(':');
  std::string_view name = colon == std::string_view::npos ? std::string_view() : key.substr(colon + 1);
  return iequals(name.substr(0, 12), "ResourceTag/") || iequals(name.substr(0, 18), "ExistingObjectTag/");
}

// The pattern of every ARN of `format` in the partition, region and account fields `resource` names (each
// within its field, as real ARNs have them); nullopt when it names an empty region or account where every ARN
// of the format has one (arn:aws:kms:*::* reaches no key).
std::optional<Pattern> every_arn(std::string_view format, std::string_view resource_text) {
  auto format_parts = split_arn(format);
  auto parts = split_arn(resource_text);
  std::string_view partition = parts ? parts->partition : "*";
  std::string_view region = parts ? parts->region : "*";
  std::string_view account = parts ? parts->account : "*";
  if ((!format_parts->region.empty() && region.empty()) ||
      (!format_parts->account.empty() && account.empty()))
    return std::nullopt;
  std::string out = "arn:" + std::string(partition) + ":" + std::string(format_parts->service) + ":";
  out += (format_parts->region.empty() ? std::string() : std::string(region)) + ":";
  out += (format_parts->account.empty() ? std::string() : std::string(account)) + ":";
  // Every variable of the resource part becomes '*'.
  std::string_view r = format_parts->resource;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r.compare(i, 2, "${") == 0) {
      out += '*';
      i = r.find('}', i);
      if (i == std::string_view::npos) break;
    } else {
      out += r[i];
    }
  }
  return arn_pattern_within_fields(out);
}

// The key, named for a message, when a test of `key` bounds an Allow.
std::optional<std::string> bounding_key(std::string_view key) {
  // iam:PolicyARN and iam:PermissionsBoundary bound which policies an IAM principal may attach or must carry;
  // aws:CalledVia* and kms:ViaService allow the action only through the named service, s3:DataAccessPoint*
  // only through access points, kms:EncryptionContext:... only for data of that context, kms:ResourceAliases
  // and kms:RequestAlias only for keys of those aliases.
  static constexpr std::string_view kBounding[] = {"aws:SourceVpce",        "aws:SourceVpc",
                                                   "aws:PrincipalOrgID",    "aws:CalledVia",
                                                   "aws:CalledViaFirst",    "aws:CalledViaLast",
                                                   "iam:PolicyARN",         "iam:PermissionsBoundary",
                                                   "s3:DataAccessPointArn", "s3:DataAccessPointAccount",
                                                   "kms:ViaService",        "kms:ResourceAliases",
                                                   "kms:RequestAlias"};
  for (std::string_view bounding : kBounding) {
    if (iequals(key, bounding)) return std::string(bounding);
  }
  // Any service's own account and tag keys as well as the global ones: aws:ResourceAccount,
  // s3:ResourceAccount, aws:ResourceTag/..., secretsmanager:ResourceTag/..., s3:ExistingObjectTag/...
  if (is_tag_key(key) || iequals(key.substr(std::min(key.size(), key.find(':') + 1)), "ResourceAccount") ||
      iequals(key.substr(0, 22), "kms:EncryptionContext:"))
    return std::string(key);
  return std::nullopt;
}

// The key a conditional Deny on every resource requires: one negated test ("StringNotLike":
// {"kms:ViaService": ...}) of a bounding key denies wherever the test fails, so that the action is allowed
// only where it holds. With several conditions the Deny needs them all and may not apply.
std::optional<std::string> deny_unless(const Statement& s) {
  bool everywhere = std::any_of(s.resource.values.begin(), s.resource.values.end(),
                                [](const Text& r) { return r.value == "*"; });
  if (!everywhere || s.conditions.size() != 1 || s.condition_operators.size() != 1) return std::nullopt;
  const Condition& c = s.conditions.front();
  if (c.base.find("Not") == std::string::npos || c.qualifier != SetQualifier::None || c.unknown != 0)
    return std::nullopt;
  return bounding_key(c.key.value);
}

}  // namespace

Carve carve_for(const Policy& policy, const Resolution& resolved, const Action& action) {
  Carve carve;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Deny) continue;
    bool applies = s.action.present ? any_names(resolved.actions(s), action)
                                    : s.not_action.present && !any_names(resolved.not_actions(s), action);
    if (!applies) continue;
    if (!s.conditions.empty() || !s.condition_operators.empty()) {
      if (!carve.bounded_by) carve.bounded_by = deny_unless(s);
      continue;
    }
    carve.from.push_back(static_cast<std::size_t>(&s - policy.statements.data()));
    if (s.resource.present) {
      const auto& patterns = resolved.resources(s).patterns();
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        // A policy variable stands for one value per request: such an entry removes nothing for certain.
        if (has_variable(s.resource.values[i].value)) continue;
        if (s.resource.values[i].value == "*") carve.everything = true;
        carve.denied.push_back(patterns[i]);
      }
    } else if (s.not_resource.present) {
      carve.kept_within.push_back(resource_patterns(s.not_resource.values));
      std::vector<Text> certain;
      std::copy_if(s.not_resource.values.begin(), s.not_resource.values.end(), std::back_inserter(certain),
                   [](const Text& t) { return !has_variable(t.value); });
      carve.kept_certainly.push_back(resource_patterns(certain));
      for (const Text& t : certain) carve.narrowed_to.push_back(t.value);
    }
  }
  return carve;
}

namespace {

// Whether all of `every` stays allowed after the carve-out: no Deny takes them all away, and every allow-list
// a NotResource Deny leaves holds them all.
bool kept_after(const Pattern& every, const Carve& carve) {
  bool denied = std::any_of(carve.denied.begin(), carve.denied.end(),
                            [&](const Pattern& d) { return covered_by(every, std::span(&d, 1)); });
  return !denied &&
         std::all_of(carve.kept_certainly.begin(), carve.kept_certainly.end(),
                     [&](const std::vector<Pattern>& within) { return covered_by(every, within); });
}

// Every ARN of a format where `text` names them, and where a NotResource Deny narrows them to (a grant on
// "*" kept to one account still reaches every workgroup of that account).
std::vector<Pattern> every_candidates(std::string_view format, std::string_view text, const Carve& carve) {
  std::vector<Pattern> out;
  if (auto every = every_arn(format, text)) out.push_back(std::move(*every));
  for (const std::string& kept : carve.narrowed_to) {
    if (auto every = every_arn(format, kept)) out.push_back(std::move(*every));
  }
  return out;
}

}  // namespace

bool reaches_every(const Pattern& resource, std::string_view resource_text, const ResourceType& type,
                   const Carve& carve) {
  // A policy variable makes an entry one resource per request, never every resource.
  if (carve.everything || has_variable(resource_text)) return false;
  for (std::string_view format : type.arn_formats) {
    for (const Pattern& every : every_candidates(format, resource_text, carve)) {
      if (covered_by(every, std::span(&resource, 1)) && kept_after(every, carve)) return true;
    }
  }
  return false;
}

bool reaches_every_but(const std::vector<Text>& not_resource, const ResourceType& type, const Carve& carve) {
  if (carve.everything) return false;
  std::vector<Pattern> left_out = resource_patterns(not_resource);
  for (std::string_view format : type.arn_formats) {
    // Every ARN of the type in the partition, region and account its entries name (a policy that leaves out
    // arn:aws:s3:::*/* is not about objects of another partition).
    std::vector<Pattern> candidates;
    for (const Text& t : not_resource) {
      auto more = every_candidates(format, t.value, carve);
      candidates.insert(candidates.end(), more.begin(), more.end());
    }
    for (const Pattern& every : candidates) {
      // As with a Deny, leaving out some of them (workgroup/admin) still grants the kind unscoped.
      if (!covered_by(every, left_out) && kept_after(every, carve)) return true;
    }
  }
  return false;
}

std::optional<Uncovered> reach_outside(const Pattern& resource, const ResourceType& type,
                                       std::span<const Pattern> allowed, const Carve& carve,
                                       const Pattern* within) {
  if (carve.everything) return std::nullopt;
  std::vector<Pattern> outside_of(allowed.begin(), allowed.end());
  outside_of.insert(outside_of.end(), carve.denied.begin(), carve.denied.end());
  // With NotResource Denies, what stays allowed lies in one entry of each list: try each combination whose
  // entries can meet (and meet the resource); past kMaxChoices the answer is "not proven covered", so that a
  // policy of many such Denies costs a bounded search (their combinations grow exponentially).
  constexpr std::size_t kMaxChoices = 1024;
  std::vector<std::vector<const Pattern*>> choices{{}};
  for (const auto& kept : carve.kept_within) {
    std::vector<std::vector<const Pattern*>> next;
    for (const auto& chosen : choices) {
      for (const Pattern& w : kept) {
        if (!overlaps(resource, w) ||
            std::any_of(chosen.begin(), chosen.end(), [&](const Pattern* c) { return !overlaps(*c, w); }))
          continue;  // no ARN lies in both
        if (next.size() == kMaxChoices) return Uncovered{"", false};
        next.push_back(chosen);
        next.back().push_back(&w);
      }
    }
    choices = std::move(next);
    if (choices.empty()) return std::nullopt;  // the Denies leave nothing of it allowed
  }
  for (const Pattern& format : type.patterns) {
    for (const auto& chosen : choices) {
      std::vector<Pattern> all{resource, format};
      if (within) all.push_back(*within);
      for (const Pattern* w : chosen) all.push_back(*w);
      if (auto found = example_outside_all(all, outside_of)) return found;
    }
  }
  return std::nullopt;
}

std::optional<Uncovered> reach_outside(const Pattern& resource, const ResourceType& type,
                                       const ArnSet& allowed, const Carve& carve) {
  std::vector<std::vector<Pattern>> lists = allowed.field_lists();
  if (lists.empty()) return reach_outside(resource, type, allowed.whole, carve);
  std::optional<Uncovered> unproven;
  for (std::vector<Pattern>& list : lists) {
    list.insert(list.end(), allowed.whole.begin(), allowed.whole.end());
    auto found = reach_outside(resource, type, list, carve);
    if (found && found->proven) return found;
    if (found && !unproven) unproven = std::move(found);
  }
  return unproven;
}

std::optional<std::string> bounding_condition(const Statement& statement, const Text* resource) {
  for (const Condition& c : statement.conditions) {
    if (c.base == "Null") {
      // "Null": "false" on a tag key asks that the resource carry the tag.
      bool present = !c.values.empty() && c.unknown == 0 &&
                     std::all_of(c.values.begin(), c.values.end(),
                                 [](const Text& v) { return iequals(v.value, "false"); });
      if (is_tag_key(c.key.value) && present) return c.key.value;
      continue;
    }
    if (c.base.find("Not") != std::string::npos) continue;
    if (auto key = bounding_key(c.key.value)) return key;
  }
  // A variable bounds the entry it is in; a whole statement only when every entry has one.
  const auto& values = statement.resource.values;
  auto without = [](const Text& r) { return !has_variable(r.value); };
  if (!resource) {
    if (values.empty() || std::any_of(values.begin(), values.end(), without)) return std::nullopt;
    resource = &values.front();
  }
  std::size_t at = resource->value.find("${");
  if (at == std::string::npos) return std::nullopt;
  return resource->value.substr(at, resource->value.find('}', at) - at + 1) + " in the ARN";
}

std::optional<std::string> allow_bound(const Statement& statement, const Text* resource, const Carves& carves,
                                       std::span<const Action* const> actions) {
  if (auto bound = bounding_condition(statement, resource)) return bound;
  std::optional<std::string> key;
  for (const Action* a : actions) {
    const auto& by = carves.of(a).bounded_by;
    if (!by) return std::nullopt;
    if (!key) key = *by;
  }
  if (!key) return std::nullopt;
  return *key + ", which a Deny requires";
}

Severity one_lower(Severity s) {
  switch (s) {
    case Severity::Error:
      return Severity::Security;
    case Severity::Security:
      return Severity::Warning;
    default:
      return Severity::Suggestion;
  }
}

}  // namespace scopecop
