// TRUST rules: who may assume a role.
#include <algorithm>

#include "rules/checks.h"
#include "rules/common.h"
#include "scopecop/config.h"
#include "scopecop/judgement.h"
#include "scopecop/resolve.h"

namespace scopecop::rules {

namespace {

// Whether an Allow grants the sts action `name`, by name, pattern, "*" or what a NotAction leaves.
bool allows_sts(const Statement& s, const RuleContext& context, std::string_view name) {
  const Service* sts = context.catalog.service("sts");
  const Action* action = sts ? sts->action(name) : nullptr;
  return action && s.effect == Effect::Allow && granting(s, context.resolved, action);
}

// The account an AWS principal names (an account id, or the account field of an IAM or STS ARN); "" for
// "*" and values whose account is not written out.
std::string_view principal_account(std::string_view value) {
  if (is_account_id(value)) return value;
  auto parts = split_arn(value);
  return parts && is_account_id(parts->account) ? parts->account : std::string_view();
}

// An account that counts as another party's, as a finding names it: one outside scope.accounts, or any
// account when the scope names none, which is a guess that makes the finding one severity lower. The
// policy's own account (a role's, in an account dump) never does.
struct Outside {
  std::string who;  // "" for an account of the scope
  bool guessed = false;
};

Outside outside_account(const Policy& policy, const RuleContext& context, std::string_view account) {
  if (account == policy.own_account) return {};
  if (!context.scope || context.scope->accounts.empty())
    return {fmt::format("account {} (scope.accounts names no accounts of yours, so any may be another "
                        "party's)",
                        account),
            true};
  const auto& mine = context.scope->accounts;
  if (std::find(mine.begin(), mine.end(), account) != mine.end()) return {};
  return {fmt::format("account {}, which is not in scope.accounts,", account)};
}

// A condition that requires `key` (no IfExists, not negated) with values `good` accepts (an unknown value
// is given and accepted).
template <class Good>
bool requires_key(const Statement& s, std::string_view key, Good&& good) {
  return std::any_of(s.conditions.begin(), s.conditions.end(), [&](const Condition& c) {
    bool positive = c.base == "StringEquals" || c.base == "StringEqualsIgnoreCase" || c.base == "StringLike";
    if (!positive || c.if_exists || c.qualifier == SetQualifier::ForAllValues || !iequals(c.key.value, key))
      return false;
    if (c.values.empty() && !c.unknown) return false;
    return std::all_of(c.values.begin(), c.values.end(),
                       [&](const Text& v) { return good(v.value, c.base == "StringLike"); });
  });
}

// A '*' or '?' that StringLike reads as a wildcard (other operators compare them literally).
bool like_wildcard(std::string_view v, bool like) {
  return like && v.find_first_of("*?") != std::string_view::npos;
}

bool any_value(std::string_view, bool) {
  return true;
}

bool not_wildcard(std::string_view v, bool like) {
  return !like_wildcard(v, like);
}

// A GitHub Actions subject that names one repository ("repo:org/name:ref:refs/heads/main",
// "repo:org/name:*"): no wildcard before the repository's name ends.
bool names_a_repository(std::string_view v, bool like) {
  if (!like) return true;
  // A customized subject ("repository_owner_id:123:..."): no wildcard in its first field.
  if (!v.starts_with("repo:")) return !like_wildcard(v, like) || v.find_first_of("*?") > v.find(':');
  std::string_view repo = v.substr(5);
  std::size_t end = repo.find(':');
  return !like_wildcard(repo.substr(0, end), like) && repo.substr(0, end).find('/') != std::string_view::npos;
}

}  // namespace

void trust_open_to_anyone(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Trust) return;
  // The other AssumeRole* actions are federated principals' and need a provider in the Principal.
  report_open_to_everyone(
      policy, sink,
      "anyone, in any AWS account, can assume this role: sts:AssumeRole is allowed to \"*\" "
      "without a condition that limits who",
      "name the accounts or roles that may assume it (for a third party: its account, with an "
      "sts:ExternalId condition), or limit \"*\" with aws:PrincipalOrgID or "
      "aws:PrincipalAccount",
      "sts:AssumeRole", [&](const Statement& s) { return allows_sts(s, context, "AssumeRole"); });
}

void trust_third_party_without_external_id(const Policy& policy, const RuleContext& context,
                                           FindingSink& sink) {
  if (policy.type != PolicyType::Trust) return;
  for (const Statement& s : policy.statements) {
    if (!allows_sts(s, context, "AssumeRole")) continue;
    // An organisation's accounts are not a third party; a guessable or optional ExternalId is no guard.
    if (requires_key(s, "sts:ExternalId", not_wildcard) || requires_key(s, "aws:PrincipalOrgID", any_value) ||
        requires_key(s, "aws:PrincipalOrgPaths", any_value))
      continue;
    for (const PrincipalEntry& e : s.principal.entries) {
      if (e.type.value != "AWS") continue;
      std::string_view account = principal_account(e.value.value);
      if (account.empty()) continue;
      Outside outside = outside_account(policy, context, account);
      if (outside.who.empty()) continue;
      Finding& f =
          sink.add(s, e.value.span, e.value.pointer,
                   fmt::format("{} may assume this role without an sts:ExternalId condition, the guard "
                               "against a confused deputy",
                               outside.who));
      if (outside.guessed) f.severity = one_lower(f.severity);
      f.action = "sts:AssumeRole";
      f.help =
          "require the external id the third party gave you: \"Condition\": {\"StringEquals\": "
          "{\"sts:ExternalId\": \"...\"}}; if the account is yours, list it in scope.accounts";
    }
  }
}

void trust_federation_unbounded(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Trust) return;
  static constexpr std::string_view kGitHub = "token.actions.githubusercontent.com";
  for (const Statement& s : policy.statements) {
    bool web = allows_sts(s, context, "AssumeRoleWithWebIdentity");
    bool saml = allows_sts(s, context, "AssumeRoleWithSAML");
    if (!web && !saml) continue;
    auto judge = [&](std::string_view provider, Span span, const std::string& pointer) {
      std::vector<std::string> missing;
      std::string action, shown;  // the provider as the message names it: its host, or the SAML provider
      if (std::size_t saml_at = provider.find(":saml-provider/"); saml_at != std::string_view::npos) {
        if (!saml) return;
        action = "sts:AssumeRoleWithSAML";
        shown = fmt::format("the SAML provider {}", provider.substr(saml_at + 15));
        if (!requires_key(s, "SAML:aud", not_wildcard)) missing.emplace_back("SAML:aud");
      } else {
        if (!web) return;
        action = "sts:AssumeRoleWithWebIdentity";
        std::size_t at = provider.find(":oidc-provider/");
        std::string host(at == std::string_view::npos ? provider : provider.substr(at + 15));
        shown = host;
        if (iequals(host, kGitHub)) {
          if (!requires_key(s, host + ":sub", names_a_repository))
            missing.push_back(host + ":sub naming your repositories");
        } else if (iequals(host, "cognito-identity.amazonaws.com")) {
          if (!requires_key(s, host + ":aud", not_wildcard)) missing.push_back(host + ":aud");
          if (!requires_key(s, host + ":amr", any_value)) missing.push_back(host + ":amr");
        } else if (!requires_key(s, host + ":aud", not_wildcard)) {
          missing.push_back(host + ":aud");
        }
      }
      if (missing.empty()) return;
      Finding& f =
          sink.add(s, span, pointer,
                   fmt::format("every identity {} vouches for can assume this role: no condition requires {}",
                               shown, join_labels(missing)));
      f.action = action;
      f.help =
          "require the audience (your app or identity pool) and the subject: for GitHub Actions, "
          "\"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:ORG/REPO:*\"}";
    };
    bool federated = false;
    for (const PrincipalEntry& e : s.principal.entries) {
      if (e.type.value != "Federated") continue;
      federated = true;
      judge(e.value.value, e.value.span, e.value.pointer);
    }
    // A provider ARN with a placeholder for its account (a template's) is unknown, but GitHub's condition
    // keys still name the provider.
    bool github_keys = std::any_of(s.conditions.begin(), s.conditions.end(), [](const Condition& c) {
      return iequals(std::string_view(c.key.value).substr(0, kGitHub.size() + 1), std::string(kGitHub) + ":");
    });
    if (!federated && s.principal.unknown && github_keys)
      judge(kGitHub, s.principal.key_span, s.principal.pointer);
  }
}

void trust_session_tags_from_outside(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Trust) return;
  struct Kind {
    std::string_view action, what;
    std::vector<std::string_view> keys;  // conditions that limit what the caller may set ("x/": a prefix)
    std::string_view keys_label;
  };
  static const Kind kKinds[] = {
      {"TagSession", "session tags", {"aws:TagKeys", "aws:RequestTag/"}, "aws:TagKeys or aws:RequestTag/KEY"},
      {"SetSourceIdentity", "the source identity", {"sts:SourceIdentity"}, "sts:SourceIdentity"},
  };
  for (const Statement& s : policy.statements) {
    for (const Kind& kind : kKinds) {
      if (!allows_sts(s, context, kind.action)) continue;
      bool limited = std::any_of(s.conditions.begin(), s.conditions.end(), [&](const Condition& c) {
        return !c.if_exists && std::any_of(kind.keys.begin(), kind.keys.end(), [&](std::string_view k) {
          return k.ends_with('/') ? iequals(std::string_view(c.key.value).substr(0, k.size()), k)
                                  : iequals(c.key.value, k);
        });
      });
      if (limited) continue;
      for (const PrincipalEntry& e : s.principal.entries) {
        if (e.type.value != "AWS") continue;
        std::string_view account = principal_account(e.value.value);
        Outside outside = e.value.value == "*" ? Outside{limits_everyone(s) ? "" : "any AWS account"}
                          : account.empty()    ? Outside{}
                                               : outside_account(policy, context, account);
        if (outside.who.empty()) continue;
        const std::string& who = outside.who;
        Finding& f = sink.add(
            s, e.value.span, e.value.pointer,
            fmt::format("{} may set {} (sts:{}) as it assumes this role, with no condition on what it sets: "
                        "permissions that depend on them are its to choose",
                        who, kind.what, kind.action));
        f.action = fmt::format("sts:{}", kind.action);
        if (outside.guessed) f.severity = one_lower(f.severity);
        f.help = fmt::format(
            "remove sts:{} for principals outside your accounts, or allow only the values "
            "you expect with a condition on {}",
            kind.action, kind.keys_label);
      }
    }
  }
}

}  // namespace scopecop::rules
