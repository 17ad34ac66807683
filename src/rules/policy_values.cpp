// POLICY rules on values anywhere in a policy: placeholders, policy variables, ARN syntax.
#include <array>

#include <fmt/format.h>

#include "rules/checks.h"
#include "rules/walk.h"
#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop {

const RuleValue* documented_placeholder(std::string_view v) {
  static const std::span<const RuleValue> placeholders = find_rule_meta("POLICY-014")->values;
  // Built once, as the list is static metadata: the plain placeholders by their first byte, so that one pass
  // over a value finds them all; a glob for those with wildcards.
  struct Lookup {
    std::array<std::vector<std::size_t>, 256> by_first;
    std::vector<std::pair<std::size_t, std::string>> globs;
  };
  static const Lookup lookup = [&] {
    Lookup out;
    for (std::size_t i = 0; i < placeholders.size(); ++i) {
      std::string_view p = placeholders[i].value;
      if (has_wildcard(p)) {
        out.globs.emplace_back(i, fmt::format("*{}*", p));
      } else if (!p.empty()) {
        out.by_first[static_cast<unsigned char>(p[0])].push_back(i);
      }
    }
    return out;
  }();
  std::size_t first = placeholders.size();  // the first of the list found in the value
  for (std::size_t at = 0; at < v.size(); ++at) {
    for (std::size_t i : lookup.by_first[static_cast<unsigned char>(v[at])]) {
      if (i < first && v.substr(at).starts_with(placeholders[i].value)) first = i;
    }
  }
  for (const auto& [i, glob] : lookup.globs) {
    if (i < first && glob_match(glob, v)) first = i;
  }
  return first == placeholders.size() ? nullptr : &placeholders[first];
}

}  // namespace scopecop

namespace scopecop::rules {

namespace {

bool substitutes_variables(Field field) {
  return field == Field::Resource || field == Field::NotResource || field == Field::ConditionValue;
}

std::string_view field_name(Field field) {
  switch (field) {
    case Field::Action:
      return "Action";
    case Field::NotAction:
      return "NotAction";
    case Field::Resource:
      return "Resource";
    case Field::NotResource:
      return "NotResource";
    case Field::Principal:
      return "Principal";
    case Field::NotPrincipal:
      return "NotPrincipal";
    case Field::ConditionKey:
      return "a condition key";
    case Field::ConditionValue:
      return "a condition value";
  }
  return "";
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// Why the text between "${" and "}" is not a policy variable, or "" when it is one.
std::string variable_problem(std::string_view inner) {
  if (inner == "*" || inner == "?" || inner == "$") return {};  // escapes for literal characters
  std::string_view name = inner;
  if (auto comma = inner.find(','); comma != std::string_view::npos) {
    name = inner.substr(0, comma);
    std::string_view fallback = inner.substr(comma + 1);
    while (!fallback.empty() && is_space(fallback.front())) fallback.remove_prefix(1);
    while (!fallback.empty() && is_space(fallback.back())) fallback.remove_suffix(1);
    if (fallback.size() < 2 || fallback.front() != '\'' || fallback.back() != '\'' ||
        fallback.substr(1, fallback.size() - 2).find('\'') != std::string_view::npos) {
      return "a default value is written in single quotes, as in ${aws:username, 'none'}";
    }
    while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
  }
  if (name.empty()) return "the variable has no name";
  if (is_space(name.front())) return "the variable name starts with white space";
  auto colon = name.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == name.size()) {
    return "a variable name is a condition key with its prefix, such as aws:username";
  }
  for (char c : name.substr(0, colon)) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return fmt::format("'{}' cannot stand in a condition key prefix", c);
  }
  if (name.find_first_of("${'\"") != std::string_view::npos)
    return "the variable name has '$', '{', or a quote in it";
  return {};
}

}  // namespace

const Text* first_variable(const Policy& policy) {
  const Text* found = nullptr;
  for_each_text(policy, [&](const Statement&, Field field, const Text& t) {
    if (!found && substitutes_variables(field) && has_variable(t.value)) found = &t;
  });
  return found;
}

void placeholder_value(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for_each_text(policy, [&](const Statement& s, Field field, const Text& t) {
    if (field == Field::Action || field == Field::NotAction || field == Field::ConditionKey) return;
    const RuleValue* placeholder = documented_placeholder(t.value);
    if (!placeholder) return;
    Finding& f = sink.add(
        s, t,
        fmt::format("\"{}\" looks like a documentation placeholder ({})", t.value, placeholder->reason));
    f.help = "replace it with the real value";
  });
}

void invalid_policy_variable(const Policy& policy, const RuleContext&, FindingSink& sink) {
  // Before 2012-10-17 (and without a Version) "${" is literal text; POLICY-006 says so.
  if (!policy.version || policy.version->value != "2012-10-17") return;
  for_each_text(policy, [&](const Statement& s, Field field, const Text& t) {
    std::string_view v = t.value;
    for (auto open = v.find("${"); open != std::string_view::npos; open = v.find("${", open + 2)) {
      if (!substitutes_variables(field)) {
        Finding& f = sink.add(s, t, fmt::format("policy variable in {}: \"{}\"", field_name(field), t.value));
        f.help = "IAM substitutes policy variables only in Resource, NotResource and condition values";
        return;
      }
      auto close = v.find('}', open + 2);
      std::string problem = close == std::string_view::npos
                                ? std::string("\"${\" is never closed by \"}\"")
                                : variable_problem(v.substr(open + 2, close - open - 2));
      if (!problem.empty()) {
        std::string_view shown = v.substr(open, close == std::string_view::npos ? v.npos : close - open + 1);
        Finding& f = sink.add(s, t, fmt::format("malformed policy variable \"{}\": {}", shown, problem));
        f.help = "write variables as ${aws:username}; to write a literal \"$\", use ${$}";
        return;
      }
    }
  });
}

void invalid_arn(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for_each_text(policy, [&](const Statement& s, Field field, const Text& t) {
    if (field != Field::Resource && field != Field::NotResource) return;
    if (t.value.empty() || t.value == "*") return;
    std::string problem = arn_syntax_problem(t.value);
    if (problem.empty()) return;
    Finding& f = sink.add(s, t, fmt::format("\"{}\" is not a valid ARN: {}", t.value, problem));
    f.resource = t.value;
    f.help = "write arn:partition:service:region:account:resource, e.g. arn:aws:s3:::my-bucket/*, or \"*\"";
  });
}

}  // namespace scopecop::rules
