// S3 bucket-policy guards: TLS enforced (S3-004), no unconditioned public principal (S3-005), TLS 1.2 floor
// (S3-006). They look at bucket policies only.
#include <algorithm>

#include <fmt/format.h>

#include "rules/checks.h"
#include "rules/common.h"
#include "scopecop/judgement.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

Span opening(Span s) {
  return {s.begin, s.begin + 1};
}

// A Deny of every S3 action (s3:* or *) to everyone, under `test` on condition key `key`.
template <class Test>
bool has_guard(const Policy& policy, std::string_view key, Test&& test) {
  return std::any_of(policy.statements.begin(), policy.statements.end(), [&](const Statement& s) {
    if (s.effect != Effect::Deny) return false;
    // Actions or values of `key` that the template does not determine may make this statement the guard.
    if (s.action.unknown || s.not_action.unknown ||
        std::any_of(s.conditions.begin(), s.conditions.end(),
                    [&](const Condition& c) { return c.unknown > 0 && iequals(c.key.value, key); })) {
      return true;
    }
    if (!everyone(s.principal)) return false;
    bool all_s3 = std::any_of(s.action.values.begin(), s.action.values.end(),
                              [](const Text& a) { return a.value == "*" || iequals(a.value, "s3:*"); });
    return all_s3 && std::any_of(s.conditions.begin(), s.conditions.end(), test);
  });
}

bool denies_plain_http(const Condition& c) {
  return c.base == "Bool" && c.qualifier == SetQualifier::None &&
         iequals(c.key.value, "aws:SecureTransport") &&
         std::any_of(c.values.begin(), c.values.end(),
                     [](const Text& v) { return iequals(v.value, "false"); });
}

bool denies_old_tls(const Condition& c) {
  if (!iequals(c.key.value, "s3:TlsVersion") || c.base != "NumericLessThan") return false;
  return std::any_of(c.values.begin(), c.values.end(), [](const Text& v) {
    try {
      return std::stod(v.value) >= 1.2;
    } catch (...) {
      return false;
    }
  });
}

}  // namespace

namespace {

void report_missing_guard(const Policy& policy, FindingSink& sink, std::string_view key,
                          bool (*test)(const Condition&), std::string message, std::string help) {
  if (policy.type != PolicyType::Bucket || has_guard(policy, key, test)) return;
  Finding& f = sink.add(opening(policy.span), policy.pointer, std::move(message));
  f.help = std::move(help);
}

}  // namespace

void s3_missing_secure_transport(const Policy& policy, const RuleContext&, FindingSink& sink) {
  report_missing_guard(policy, sink, "aws:SecureTransport", denies_plain_http,
                       "the bucket policy does not deny requests without TLS (aws:SecureTransport false)",
                       "add a statement: Deny, Principal \"*\", Action \"s3:*\", the bucket and its objects, "
                       "Condition {\"Bool\": {\"aws:SecureTransport\": \"false\"}}");
}

void s3_tls_version_not_enforced(const Policy& policy, const RuleContext&, FindingSink& sink) {
  report_missing_guard(policy, sink, "s3:TlsVersion", denies_old_tls,
                       "the bucket policy does not deny TLS versions below 1.2 (s3:TlsVersion)",
                       "add a statement: Deny, Principal \"*\", Action \"s3:*\", the bucket and its objects, "
                       "Condition {\"NumericLessThan\": {\"s3:TlsVersion\": \"1.2\"}}");
}

void s3_public_principal(const Policy& policy, const RuleContext&, FindingSink& sink) {
  if (policy.type != PolicyType::Bucket) return;
  report_open_to_everyone(
      policy, sink,
      "the bucket policy allows everyone (\"*\") without a condition that limits who or from where",
      "name the principals, or add a condition such as aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn",
      "", [](const Statement&) { return true; });
}

}  // namespace scopecop::rules
