#include "scopecop/judgement.h"

#include <algorithm>

#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

bool names_action(const std::vector<ActionMatch>& matches, const Action& action) {
  return std::any_of(matches.begin(), matches.end(), [&](const ActionMatch& m) {
    return m.everything || std::find(m.actions.begin(), m.actions.end(), &action) != m.actions.end();
  });
}

// The pattern of every ARN of `format` in the partition, region and account fields `resource` names (each
// within its field, as real ARNs have them).
Pattern every_arn(std::string_view format, std::string_view resource_text) {
  auto format_parts = split_arn(format);
  auto parts = split_arn(resource_text);
  std::string_view partition = parts ? parts->partition : "*";
  std::string_view region = parts ? parts->region : "*";
  std::string_view account = parts ? parts->account : "*";
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

}  // namespace

Carve carve_for(const Policy& policy, const Resolution& resolved, const Action& action) {
  Carve carve;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Deny || !s.conditions.empty() || !s.condition_operators.empty()) continue;
    bool applies = s.action.present ? names_action(resolved.actions(s), action)
                                    : s.not_action.present && !names_action(resolved.not_actions(s), action);
    if (!applies) continue;
    carve.from.push_back(static_cast<std::size_t>(&s - policy.statements.data()));
    if (s.resource.present) {
      for (const Pattern& p : resolved.resources(s).patterns()) {
        if (p.matches("*") && p.tokens().size() == 1) carve.everything = true;
        carve.denied.push_back(p);
      }
    } else if (s.not_resource.present) {
      carve.kept_within.push_back(resource_patterns(s.not_resource.values));
    }
  }
  return carve;
}

bool reaches_every(const Pattern& resource, std::string_view resource_text, const ResourceType& type,
                   const Carve& carve) {
  if (carve.everything) return false;
  for (std::string_view format : type.arn_formats) {
    Pattern every = every_arn(format, resource_text);
    if (!covered_by(every, std::span(&resource, 1))) continue;
    // A Deny of all of them, or an allow-list left by NotResource that does not hold them all, bounds it.
    bool denied = std::any_of(carve.denied.begin(), carve.denied.end(),
                              [&](const Pattern& d) { return covered_by(every, std::span(&d, 1)); });
    bool kept = std::all_of(carve.kept_within.begin(), carve.kept_within.end(),
                            [&](const std::vector<Pattern>& within) { return covered_by(every, within); });
    if (!denied && kept) return true;
  }
  return false;
}

std::optional<Uncovered> reach_outside(const Pattern& resource, const ResourceType& type,
                                       std::span<const Pattern> allowed, const Carve& carve) {
  if (carve.everything) return std::nullopt;
  std::vector<Pattern> outside_of(allowed.begin(), allowed.end());
  outside_of.insert(outside_of.end(), carve.denied.begin(), carve.denied.end());
  // With NotResource Denies, what stays allowed lies in one entry of each list: try each combination.
  std::vector<std::vector<const Pattern*>> choices{{}};
  for (const auto& within : carve.kept_within) {
    std::vector<std::vector<const Pattern*>> next;
    for (const auto& chosen : choices) {
      for (const Pattern& w : within) {
        next.push_back(chosen);
        next.back().push_back(&w);
      }
    }
    choices = std::move(next);
  }
  for (const Pattern& format : type.patterns) {
    for (const auto& chosen : choices) {
      std::vector<Pattern> all{resource, format};
      for (const Pattern* w : chosen) all.push_back(*w);
      if (auto found = example_outside_all(all, outside_of)) return found;
    }
  }
  return std::nullopt;
}

std::optional<std::string> bounding_condition(const Statement& statement) {
  static constexpr std::string_view kBounding[] = {"aws:SourceVpce", "aws:SourceVpc", "aws:PrincipalOrgID",
                                                   "aws:ResourceAccount"};
  for (const Condition& c : statement.conditions) {
    if (c.base.find("Not") != std::string::npos || c.base == "Null") continue;
    for (std::string_view key : kBounding) {
      if (iequals(c.key.value, key)) return std::string(key);
    }
    if (iequals(std::string_view(c.key.value).substr(0, 16), "aws:ResourceTag/")) return c.key.value;
  }
  for (const Text& r : statement.resource.values) {
    if (auto at = r.value.find("${"); at != std::string::npos) {
      return r.value.substr(at, r.value.find('}', at) - at + 1) + " in the ARN";
    }
  }
  return std::nullopt;
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
