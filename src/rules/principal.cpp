// POLICY-011: Principal and NotPrincipal where they may stand, with keys and values IAM accepts.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "rules/checks.h"
#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

constexpr std::array<std::string_view, 4> kPrincipalTypes = {"AWS", "Service", "Federated", "CanonicalUser"};

bool is_hostname(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find('.') == std::string_view::npos) return false;
  if (s.find("..") != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

// An IAM or STS principal ARN: arn:PARTITION:iam::ACCOUNT:(root|user/…|role/…|…) or
// arn:PARTITION:sts::ACCOUNT:….
std::string aws_arn_problem(std::string_view value) {
  // CloudFront origin access identities keep a legacy form.
  if (value.starts_with("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ")) return {};
  if (std::string problem = arn_syntax_problem(value); !problem.empty()) return problem;
  ArnParts arn = *split_arn(value);
  if (arn.service != "iam" && arn.service != "sts") {
    return fmt::format("an AWS principal is an IAM or STS ARN, not an ARN of \"{}\"", arn.service);
  }
  if (!arn.region.empty()) return "IAM and STS principal ARNs have no region";
  if (!is_account_id(arn.account))
    return fmt::format("account \"{}\" is not a 12-digit account id", arn.account);
  return {};
}

std::string value_problem(std::string_view type, std::string_view value) {
  if (type == "AWS") {
    if (value == "*" || is_account_id(value)) return {};
    if (value.starts_with("arn:")) return aws_arn_problem(value);
    return "an AWS principal is \"*\", a 12-digit account id, or an IAM or STS ARN";
  }
  if (type == "Service") {
    if (is_hostname(value)) return {};
    return "a service principal is a service's host name, such as \"athena.amazonaws.com\"";
  }
  if (type == "Federated") {
    if (is_hostname(value)) return {};
    if (value.starts_with("arn:")) {
      if (std::string problem = arn_syntax_problem(value); !problem.empty()) return problem;
      ArnParts arn = *split_arn(value);
      if (arn.service == "iam" &&
          (arn.resource.starts_with("saml-provider/") || arn.resource.starts_with("oidc-provider/"))) {
        return {};
      }
    }
    return "a federated principal is a SAML or OIDC provider ARN, or an identity provider's host name";
  }
  // CanonicalUser
  bool hex = value.size() == 64 && std::all_of(value.begin(), value.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
  return hex ? std::string() : std::string("a canonical user id is 64 lowercase hexadecimal digits");
}

void check_element(const Statement& s, const PrincipalElement& e, std::string_view element,
                   FindingSink& sink) {
  if (e.wildcard && e.wildcard->value != "*" && !e.wildcard->value.empty()) {
    Finding& f = sink.add(s, *e.wildcard,
                          fmt::format("\"{}\": \"{}\" is not a principal", element, e.wildcard->value));
    f.help = fmt::format("write \"{}\": {{\"AWS\": \"{}\"}} (or the matching principal type), or \"*\"",
                         element, e.wildcard->value);
  }
  for (const PrincipalEntry& p : e.entries) {
    if (std::find(kPrincipalTypes.begin(), kPrincipalTypes.end(), p.type.value) == kPrincipalTypes.end()) {
      // One finding per key, not per value under it.
      if (&p != &*std::find_if(e.entries.begin(), e.entries.end(), [&](const PrincipalEntry& q) {
            return q.type.span.begin == p.type.span.begin;
          })) {
        continue;
      }
      Finding& f = sink.add(s, p.type, fmt::format("unknown principal type \"{}\"", p.type.value));
      auto best = did_you_mean(p.type.value, kPrincipalTypes);
      f.help = best ? fmt::format("did you mean \"{}\"?", *best)
                    : std::string("principal types are AWS, Service, Federated and CanonicalUser");
      continue;
    }
    const Text& v = p.value;
    if (v.value.empty() || has_variable(v.value)) continue;  // POLICY-009, POLICY-015
    if (has_wildcard(v.value) && v.value != "*") {
      Finding& f = sink.add(
          s, v, fmt::format("principal \"{}\" has a partial wildcard, which IAM does not accept", v.value));
      f.help = "name the principals, or use \"*\" with a condition such as aws:PrincipalArn and ArnLike";
      continue;
    }
    if (v.value == "*" && p.type.value != "AWS") {
      Finding& f =
          sink.add(s, v, fmt::format("\"*\" is a principal only under \"AWS\", not \"{}\"", p.type.value));
      f.help = "write \"Principal\": \"*\" or {\"AWS\": \"*\"}";
      continue;
    }
    if (std::string problem = value_problem(p.type.value, v.value); !problem.empty()) {
      Finding& f =
          sink.add(s, v, fmt::format("malformed {} principal \"{}\": {}", p.type.value, v.value, problem));
      f.help = "see the IAM JSON policy reference for the Principal element";
    }
  }
}

}  // namespace

void invalid_principal(const Policy& policy, const RuleContext&, FindingSink& sink) {
  bool forbidden = policy.type == PolicyType::Identity || policy.type == PolicyType::Scp;
  for (const Statement& s : policy.statements) {
    for (auto [element, name] :
         {std::pair{&s.principal, "Principal"}, std::pair{&s.not_principal, "NotPrincipal"}}) {
      if (!element->present) continue;
      if (forbidden) {
        Finding& f = sink.add(s, s.key(name)->span, element->pointer,
                              fmt::format("\"{}\" in an {} policy", name, policy_type_name(policy.type)));
        f.help = policy.type == PolicyType::Identity
                     ? "an identity policy applies to whoever it is attached to; remove \"" +
                           std::string(name) + "\", or check it with --policy-type if it is a resource policy"
                     : "service control policies name no principals; remove \"" + std::string(name) + "\"";
        continue;
      }
      check_element(s, *element, name, sink);
    }
  }
}

}  // namespace scopecop::rules
