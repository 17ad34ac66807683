// POLICY rules on statement elements: Effect, Sid, condition operators.
#include <algorithm>
#include <map>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "rules/checks.h"
#include "scopecop/text.h"

namespace scopecop::rules {

void invalid_effect(const Policy& policy, const RuleContext&, FindingSink& sink) {
  constexpr std::string_view kEffects[] = {"Allow", "Deny"};
  for (const Statement& s : policy.statements) {
    if (!s.effect_text || s.effect != Effect::Invalid) continue;
    const Text& e = *s.effect_text;
    if (e.value.empty()) continue;  // POLICY-009
    Finding& f = sink.add(s, e, fmt::format("\"{}\" is not a valid Effect", e.value));
    if (auto best = did_you_mean(e.value, kEffects)) {
      f.help = fmt::format("use \"{}\" (Effect is case-sensitive)", *best);
    } else {
      f.help = "Effect must be exactly \"Allow\" or \"Deny\"";
    }
  }
}

void invalid_sid(const Policy& policy, const RuleContext&, FindingSink& sink) {
  std::map<std::string, const Text*> seen;
  for (const Statement& s : policy.statements) {
    if (!s.sid || s.sid->value.empty()) continue;
    const Text& sid = *s.sid;
    if (auto [it, inserted] = seen.emplace(sid.value, &sid); !inserted) {
      Finding& f =
          sink.add(s, sid, fmt::format("Sid \"{}\" is used by another statement of this policy", sid.value));
      f.help = "give every statement its own Sid";
      continue;
    }
    // IAM (identity policies and SCPs) accepts only ASCII letters and digits; resource policies are laxer.
    if (policy.type != PolicyType::Identity && policy.type != PolicyType::Scp) continue;
    auto bad = std::find_if(sid.value.begin(), sid.value.end(), [](char c) {
      return !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    });
    if (bad != sid.value.end()) {
      Finding& f = sink.add(s, sid,
                            fmt::format("Sid \"{}\" has characters IAM rejects in {} policies", sid.value,
                                        policy_type_name(policy.type)));
      f.help = "use only letters A-Z, a-z and digits 0-9";
    }
  }
}

void invalid_condition_operator(const Policy& policy, const RuleContext&, FindingSink& sink) {
  std::span<const RuleValue> operators = sink.rule().values;
  constexpr std::string_view kQualifiers[] = {"ForAllValues", "ForAnyValue"};
  for (const Statement& s : policy.statements) {
    for (const Text& op : s.condition_operators) {
      std::string_view rest = op.value;
      std::string_view qualifier;
      if (auto colon = rest.find(':'); colon != std::string_view::npos) {
        qualifier = rest.substr(0, colon);
        rest.remove_prefix(colon + 1);
      }
      bool if_exists = rest.ends_with("IfExists");
      std::string_view base = if_exists ? rest.substr(0, rest.size() - 8) : rest;
      if (!qualifier.empty() && qualifier != "ForAllValues" && qualifier != "ForAnyValue") {
        Finding& f =
            sink.add(s, op, fmt::format("unknown set qualifier \"{}\" in \"{}\"", qualifier, op.value));
        auto best = did_you_mean(qualifier, kQualifiers);
        f.help = best ? fmt::format("did you mean \"{}\"?", *best)
                      : std::string("the qualifiers are \"ForAllValues:\" and \"ForAnyValue:\"");
        continue;
      }
      if (std::none_of(operators.begin(), operators.end(),
                       [&](const RuleValue& o) { return o.value == base; })) {
        Finding& f = sink.add(s, op, fmt::format("unknown condition operator \"{}\"", op.value));
        // Suggestions are drawn from every written form, so that "StringEqualsIfExist" finds
        // "StringEqualsIfExists".
        std::vector<std::string> if_exists_forms;
        for (const RuleValue& o : operators) if_exists_forms.push_back(std::string(o.value) + "IfExists");
        std::vector<std::string_view> written;
        for (const RuleValue& o : operators) written.push_back(o.value);
        written.insert(written.end(), if_exists_forms.begin(), if_exists_forms.end());
        auto best = did_you_mean(rest, written);
        f.help = best
                     ? fmt::format("did you mean \"{}{}{}\"?", qualifier, qualifier.empty() ? "" : ":", *best)
                     : std::string(
                           "see the IAM condition operators: String*, Numeric*, Date*, Bool, Binary*, "
                           "IpAddress, NotIpAddress, Arn*, Null");
        continue;
      }
      if (base == "Null" && if_exists) {
        Finding& f = sink.add(s, op, fmt::format("\"{}\": the Null operator takes no IfExists", op.value));
        f.help = "use \"Null\"; it already tests whether the key is present";
      }
    }
  }
}

}  // namespace scopecop::rules
