// CONDITION rules: condition keys, operators and values read against the catalog's keys and types.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "rules/checks.h"
#include "scopecop/arn.h"
#include "scopecop/ip.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

enum class Family { String, Numeric, Date, Bool, Binary, Ip, Arn, Null, Unknown };

Family family_of(std::string_view base) {
  if (base.starts_with("String")) return Family::String;
  if (base.starts_with("Numeric")) return Family::Numeric;
  if (base.starts_with("Date")) return Family::Date;
  if (base == "Bool") return Family::Bool;
  if (base.starts_with("Binary")) return Family::Binary;
  if (base == "IpAddress" || base == "NotIpAddress") return Family::Ip;
  if (base.starts_with("Arn")) return Family::Arn;
  if (base == "Null") return Family::Null;
  return Family::Unknown;
}

std::string_view family_name(Family f) {
  switch (f) {
    case Family::String:
      return "a string";
    case Family::Numeric:
      return "a number";
    case Family::Date:
      return "a date";
    case Family::Bool:
      return "a boolean";
    case Family::Binary:
      return "binary data";
    case Family::Ip:
      return "an IP address";
    case Family::Arn:
      return "an ARN";
    default:
      return "a value";
  }
}

// The key's type without "ArrayOf": String, ARN, Bool, Numeric, Date, IPAddress, ...
std::string_view scalar_type(const ConditionKey& key) {
  std::string_view t = key.type;
  if (t.starts_with("ArrayOf")) t.remove_prefix(7);
  return t;
}

bool is_global(std::string_view key) {
  return iequals(key.substr(0, 4), "aws:");
}

template <class F>
void for_each_condition(const Policy& policy, F&& visit) {
  for (const Statement& s : policy.statements) {
    for (const Condition& c : s.conditions) visit(s, c);
  }
}

bool is_number(std::string_view v) {
  if (v.empty()) return false;
  std::size_t i = v[0] == '-' || v[0] == '+' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < v.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(v[i]))) {
      digits = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

bool is_date(std::string_view v) {
  // Epoch seconds, or ISO 8601: YYYY-MM-DD, optionally Thh:mm[:ss[.fff]] and Z or +hh:mm.
  if (!v.empty() &&
      std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return true;
  }
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > v.size()) return false;
    return std::all_of(v.begin() + at, v.begin() + at + n,
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (!digits(0, 4) || v.size() < 10 || v[4] != '-' || !digits(5, 2) || v[7] != '-' || !digits(8, 2))
    return false;
  if (v.size() == 10) return true;
  if (v[10] != 'T' || !digits(11, 2) || v.size() < 16 || v[13] != ':' || !digits(14, 2)) return false;
  std::size_t i = 16;
  if (i < v.size() && v[i] == ':') {
    if (!digits(i + 1, 2)) return false;
    i += 3;
    if (i < v.size() && v[i] == '.') {
      ++i;
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
    }
  }
  if (i == v.size()) return true;
  if (v[i] == 'Z') return i + 1 == v.size();
  return (v[i] == '+' || v[i] == '-') && v.size() == i + 6 && digits(i + 1, 2) && v[i + 3] == ':' &&
         digits(i + 4, 2);
}

bool is_base64(std::string_view v) {
  if (v.empty() || v.size() % 4 != 0) return false;
  std::size_t pad = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '=') {
      if (++pad > 2 || i < v.size() - 2) return false;
      continue;
    }
    if (pad || !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) return false;
  }
  return true;
}

bool is_id(std::string_view v, std::string_view prefix, std::size_t min_hex, std::size_t max_hex) {
  if (!v.starts_with(prefix)) return false;
  std::string_view hex = v.substr(prefix.size());
  return hex.size() >= min_hex && hex.size() <= max_hex && std::all_of(hex.begin(), hex.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

// Why a value cannot be right for the operator and key, or "".
std::string value_problem(const Condition& c, Family family, std::string_view v) {
  if (has_variable(v)) return {};
  bool like = c.base.find("Like") != std::string::npos;
  switch (family) {
    case Family::Ip:
      return parse_cidr(v) ? std::string() : std::string("is not an IP address or CIDR range");
    case Family::Numeric:
      return is_number(v) ? std::string() : std::string("is not a number");
    case Family::Date:
      return is_date(v) ? std::string()
                        : std::string("is not a date (ISO 8601, e.g. 2026-12-31T23:59:59Z) or epoch time");
    case Family::Bool:
    case Family::Null:
      return iequals(v, "true") || iequals(v, "false") ? std::string() : std::string("is not true or false");
    case Family::Binary:
      return is_base64(v) ? std::string() : std::string("is not base64");
    case Family::String:
      if (like && has_wildcard(v)) return {};
      if (iequals(c.key.value, "aws:SourceVpce") && !is_id(v, "vpce-", 8, 17)) {
        return "is not a VPC endpoint id (vpce- and 8 or 17 hexadecimal digits)";
      }
      if (iequals(c.key.value, "aws:SourceVpc") && !is_id(v, "vpc-", 8, 17)) {
        return "is not a VPC id (vpc- and 8 or 17 hexadecimal digits)";
      }
      return {};
    default:
      return {};
  }
}

// A service that deprecated-action (ACTION-004) lists as retired as a whole ("deepracer:*"): the catalog no
// longer knows its condition keys either.
bool retired_service(std::string_view prefix) {
  const auto& values = find_rule_meta("deprecated-action")->values;
  return std::any_of(values.begin(), values.end(), [&](const RuleValue& v) {
    return v.value.ends_with(":*") && iequals(v.value.substr(0, v.value.size() - 2), prefix);
  });
}

}  // namespace

void unknown_condition_key(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    const std::string& key = c.key.value;
    if (key.empty() || has_variable(key) || context.resolved.condition_key(key)) return;
    if (retired_service(std::string_view(key).substr(0, key.find(':')))) return;  // ACTION-004 says so
    Finding& f = sink.add(s, c.key, fmt::format("unknown condition key \"{}\"", key));
    std::vector<std::string_view> candidates;
    std::string_view prefix = std::string_view(key).substr(0, key.find(':'));
    if (is_global(key)) {
      for (std::string_view g : {"aws:SourceIp",
                                 "aws:SourceVpce",
                                 "aws:SourceVpc",
                                 "aws:PrincipalOrgID",
                                 "aws:PrincipalArn",
                                 "aws:PrincipalAccount",
                                 "aws:ResourceAccount",
                                 "aws:SecureTransport",
                                 "aws:RequestedRegion",
                                 "aws:CalledVia",
                                 "aws:SourceArn",
                                 "aws:SourceAccount",
                                 "aws:MultiFactorAuthPresent",
                                 "aws:ViaAWSService",
                                 "aws:VpcSourceIp",
                                 "aws:PrincipalTag",
                                 "aws:ResourceTag",
                                 "aws:RequestTag",
                                 "aws:TagKeys",
                                 "aws:CurrentTime",
                                 "aws:userid",
                                 "aws:username"}) {
        candidates.push_back(g);
      }
    } else if (const Service* service = context.catalog.service(prefix)) {
      for (const ConditionKey& k : service->condition_keys) candidates.push_back(k.name);
    }
    // A web identity provider's key: the claims IAM knows, after the same provider.
    std::vector<std::string> claims;
    std::string_view provider = std::string_view(key).substr(0, key.rfind(':'));
    if (web_identity_key(std::string(provider) + ":aud")) {
      for (const ConditionKey& k : web_identity_keys())
        claims.push_back(std::string(provider) + std::string(k.name.substr(k.name.find(':'))));
      candidates.assign(claims.begin(), claims.end());
    }
    auto best = did_you_mean(key, candidates);
    if (best) {
      f.help = fmt::format("did you mean \"{}\"?", *best);
    } else if (!claims.empty()) {
      f.help = fmt::format("the keys of a web identity provider are {}", fmt::join(claims, ", "));
    } else {
      f.help = "`scopecop catalog SERVICE` lists a service's condition keys";
    }
  });
}

void condition_type_mismatch(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    const ConditionKey* key = context.resolved.condition_key(c.key.value);
    Family family = family_of(c.base);
    if (!key || family == Family::Null || family == Family::Unknown) return;
    std::string_view type = scalar_type(*key);
    bool fits = false;
    switch (family) {
      case Family::String:
        fits = type == "String" || type == "ARN";
        break;
      case Family::Numeric:
        fits = type == "Numeric" || (type == "Date" && iequals(c.key.value, "aws:EpochTime"));
        break;
      case Family::Date:
        fits = type == "Date";
        break;
      case Family::Bool:
        fits = type == "Bool";
        break;
      case Family::Binary:
        fits = type == "Binary";
        break;
      case Family::Ip:
        fits = type == "IPAddress";
        break;
      case Family::Arn:
        fits = type == "ARN";
        break;
      default:
        fits = true;
    }
    if (family == Family::String && type == "ARN" && c.base.find("Like") != std::string::npos) {
      // StringLike's '*' spans the colons between ARN fields, where ArnLike's stops at each one.
      Finding& f = sink.add(s, c.op,
                            fmt::format("\"{}\" on the ARN key \"{}\": '*' matches across ARN fields",
                                        c.op.value, c.key.value));
      f.severity = Severity::Security;
      f.help = fmt::format("use \"{}\"", c.base == "StringLike" ? "ArnLike" : "ArnNotLike");
      return;
    }
    if (fits) return;
    Finding& f = sink.add(s, c.op,
                          fmt::format("\"{}\" compares the {} key \"{}\" as {}", c.op.value, key->type,
                                      c.key.value, family_name(family)));
    f.help = fmt::format("use a condition operator for {} values", type);
  });
}

void invalid_condition_value(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    Family family = family_of(c.base);
    for (const Text& v : c.values) {
      std::string problem = value_problem(c, family, v.value);
      if (problem.empty()) continue;
      Finding& f = sink.add(
          s, v,
          fmt::format("\"{}\" {} (operator \"{}\", key \"{}\")", v.value, problem, c.op.value, c.key.value));
      f.help = "a value that cannot match makes the condition always false (or, negated, always true)";
    }
  });
}

void forallvalues_single_valued_key(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    if (c.qualifier == SetQualifier::None) return;
    const ConditionKey* key = context.resolved.condition_key(c.key.value);
    if (!key || key->multivalued()) return;
    bool open_allow = c.qualifier == SetQualifier::ForAllValues && s.effect == Effect::Allow;
    Finding& f =
        sink.add(s, c.op, fmt::format("\"{}\" on the single-valued key \"{}\"", c.op.value, c.key.value));
    if (open_allow) {
      f.message += ": ForAllValues is true when the key is absent, so requests without it are allowed";
    } else {
      f.severity = Severity::Warning;
    }
    f.help = fmt::format("use \"{}{}\" without the set qualifier", c.base, c.if_exists ? "IfExists" : "");
  });
}

void missing_set_qualifier(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    if (c.qualifier != SetQualifier::None || c.base == "Null" || !c.qualifier_text.empty()) return;
    const ConditionKey* key = context.resolved.condition_key(c.key.value);
    if (!key || !key->multivalued()) return;
    Finding& f = sink.add(s, c.op,
                          fmt::format("\"{}\" on the multivalued key \"{}\" without ForAllValues or "
                                      "ForAnyValue",
                                      c.op.value, c.key.value));
    f.help = fmt::format(
        "write \"ForAnyValue:{}\" (any value matches) or \"ForAllValues:{}\" (every value matches)",
        c.op.value, c.op.value);
  });
}

void wildcard_without_like(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    if (family_of(c.base) != Family::String || c.base.find("Like") != std::string::npos) return;
    for (const Text& v : c.values) {
      std::string literal = v.value;
      for (std::string_view escape : {"${*}", "${?}"}) {
        for (auto at = literal.find(escape); at != std::string::npos; at = literal.find(escape))
          literal.erase(at, 4);
      }
      if (!has_wildcard(literal)) continue;
      Finding& f = sink.add(s, v,
                            fmt::format("\"{}\" compares \"{}\" literally: '*' and '?' are wildcards only "
                                        "for Like operators",
                                        c.op.value, v.value));
      std::string like = c.base.find("Not") != std::string::npos ? "StringNotLike" : "StringLike";
      f.help = fmt::format("use \"{}\"", like);
    }
  });
}

void condition_key_not_applicable(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  std::vector<std::string_view> cross_service;
  for (const RuleValue& v : sink.rule().values) cross_service.push_back(v.value);
  for (const Statement& s : policy.statements) {
    if (s.conditions.empty() || !s.action.present || s.not_action.present) continue;
    const auto& actions = context.resolved.actions(s);
    bool known = std::all_of(actions.begin(), actions.end(), [](const ActionMatch& m) {
      return !m.everything && !m.malformed && !m.services.empty();
    });
    if (!known || actions.empty()) continue;
    for (const Condition& c : s.conditions) {
      const std::string& key = c.key.value;
      if (is_global(key) || has_variable(key) || !context.resolved.condition_key(key)) continue;
      if (std::any_of(cross_service.begin(), cross_service.end(),
                      [&](std::string_view k) { return iequals(k, key); })) {
        continue;
      }
      bool applies = std::any_of(actions.begin(), actions.end(), [&](const ActionMatch& m) {
        return std::any_of(m.actions.begin(), m.actions.end(), [&](const Action* a) {
          const Service* service = context.catalog.service(a->service);
          return service && condition_key_applies(*service, *a, key);
        });
      });
      if (applies) continue;
      bool deny = s.effect == Effect::Deny;
      Finding& f = sink.add(s, c.key,
                            fmt::format("no action of this statement has the condition key \"{}\", so this "
                                        "{} never {}",
                                        key, deny ? "Deny" : "Allow", deny ? "denies" : "applies"));
      if (deny) f.severity = Severity::Security;
      f.help = "check the key's spelling and which actions support it with `scopecop catalog SERVICE:ACTION`";
    }
  }
}

void s3_prefix_in_negative_context(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    if (!iequals(c.key.value, "s3:prefix")) return;
    bool deny_like = s.effect == Effect::Deny && c.base == "StringLike";
    bool allow_not_like = s.effect == Effect::Allow && c.base == "StringNotLike";
    if (!deny_like && !allow_not_like) return;
    Finding& f = sink.add(s, c.op,
                          fmt::format("{} with \"{}\" on s3:prefix: a ListBucket request without a prefix "
                                      "does not match, so {}",
                                      deny_like ? "Deny" : "Allow", c.op.value,
                                      deny_like ? "listing the whole bucket is not denied"
                                                : "listing the whole bucket is allowed"));
    f.help =
        deny_like
            ? "deny with StringNotLike on the prefixes that stay allowed, or add a Null test on s3:prefix"
            : "allow with StringLike on the prefixes that may be listed";
  });
}

void private_source_ip(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    if (!iequals(c.key.value, "aws:SourceIp") || family_of(c.base) != Family::Ip || c.values.empty()) return;
    for (const Text& v : c.values) {
      auto cidr = parse_cidr(v.value);
      if (!cidr || !is_private(*cidr)) return;
    }
    bool negated = c.base == "NotIpAddress";
    Finding& f =
        sink.add(s, c.key,
                 fmt::format("aws:SourceIp is never a private address, so \"{}\" on {} private "
                             "range{} {}",
                             c.op.value, c.values.size() == 1 ? "a" : "only", c.values.size() == 1 ? "" : "s",
                             negated ? "matches every request" : "never matches"));
    f.help = "requests through a VPC endpoint carry aws:VpcSourceIp and aws:SourceVpce; test those instead";
  });
}

void mfa_condition_bypassable(const Policy& policy, const RuleContext&, FindingSink& sink) {
  // Requests signed with long-term access keys carry no aws:MultiFactorAuthPresent: "Bool" never matches
  // them, "BoolIfExists" always does.
  for_each_condition(policy, [&](const Statement& s, const Condition& c) {
    if (!iequals(c.key.value, "aws:MultiFactorAuthPresent") || c.base != "Bool") return;
    auto has = [&](std::string_view value) {
      return std::any_of(c.values.begin(), c.values.end(),
                         [&](const Text& v) { return iequals(v.value, value); });
    };
    if (s.effect == Effect::Deny && !c.if_exists && has("false")) {
      Finding& f =
          sink.add(s, c.op,
                   "this Deny never applies to requests signed with long-term access keys: they carry no "
                   "aws:MultiFactorAuthPresent, which \"Bool\" needs to match");
      f.help = "write \"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}";
    } else if (s.effect == Effect::Allow && c.if_exists && has("true")) {
      Finding& f =
          sink.add(s, c.op,
                   "this Allow also applies to requests signed with long-term access keys without MFA: they "
                   "carry no aws:MultiFactorAuthPresent, which \"BoolIfExists\" lets through");
      f.help = "write \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}";
    }
  });
}

}  // namespace scopecop::rules
