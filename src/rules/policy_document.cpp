// POLICY rules on the document's shape: JSON, keys, required and conflicting elements, version, size.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks.h"
#include "rules/walk.h"
#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

// The opening brace: where a finding about a whole object points.
Span opening(Span s) {
  return {s.begin, s.begin + 1};
}

void forward(const Policy& policy, FindingSink& sink, DefectKind kind) {
  for (const Defect& d : policy.defects) {
    if (d.kind != kind) continue;
    Finding& f = sink.add(d.span, d.pointer, d.message);
    f.help = d.help;
    f.statement = d.statement;
  }
}

constexpr std::array<std::string_view, 3> kPolicyElements = {"Version", "Id", "Statement"};
constexpr std::array<std::string_view, 9> kStatementElements = {"Sid",          "Effect",      "Principal",
                                                                "NotPrincipal", "Action",      "NotAction",
                                                                "Resource",     "NotResource", "Condition"};

template <std::size_t N>
void unknown_keys(const std::vector<Key>& keys, const std::array<std::string_view, N>& known,
                  std::string_view level, FindingSink& sink, const Statement* statement) {
  for (const Key& k : keys) {
    if (std::find(known.begin(), known.end(), std::string_view(k.name)) != known.end()) continue;
    std::string message = fmt::format("unknown {} element \"{}\"", level, k.name);
    std::string help;
    if (auto best = did_you_mean(k.name, known)) {
      help = fmt::format("did you mean \"{}\"?", *best);
    } else {
      help = fmt::format("{} elements are {}", level, fmt::join(known, ", "));
    }
    Finding& f = statement ? sink.add(*statement, k.span, k.pointer, std::move(message))
                           : sink.add(k.span, k.pointer, std::move(message));
    f.help = std::move(help);
  }
}

bool needs_principal(PolicyType t) {
  return t == PolicyType::Bucket || t == PolicyType::Resource || t == PolicyType::Endpoint ||
         t == PolicyType::Trust;
}

}  // namespace

void invalid_json(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for (const Defect& d : policy.defects) {
    if (d.kind != DefectKind::InvalidJson) continue;
    Finding& f = sink.add(d.span, d.pointer, d.message);
    f.help = !d.help.empty() ? d.help
                             : "IAM accepts strict JSON only: no comments, no trailing commas, keys and "
                               "strings in double quotes";
  }
}

void duplicate_key(const Policy& policy, const RuleContext&, FindingSink& sink) {
  forward(policy, sink, DefectKind::DuplicateKey);
}
void invalid_value_type(const Policy& policy, const RuleContext&, FindingSink& sink) {
  forward(policy, sink, DefectKind::WrongType);
}
void empty_value(const Policy& policy, const RuleContext&, FindingSink& sink) {
  forward(policy, sink, DefectKind::EmptyValue);
}

void unknown_element(const Policy& policy, const RuleContext&, FindingSink& sink) {
  unknown_keys(policy.keys, kPolicyElements, "policy", sink, nullptr);
  for (const Statement& s : policy.statements) {
    unknown_keys(s.keys, kStatementElements, "statement", sink, &s);
    if (policy.type != PolicyType::Trust) continue;
    // A role trust policy governs who may assume the role; the role is its only resource.
    for (std::string_view element : {"Resource", "NotResource"}) {
      if (const Key* k = s.key(element)) {
        Finding& f = sink.add(s, k->span, k->pointer, fmt::format("\"{}\" in a role trust policy", element));
        f.help = "remove it: a trust policy applies to the role it is attached to";
      }
    }
  }
}

void missing_element(const Policy& policy, const RuleContext&, FindingSink& sink) {
  if (!policy.key("Statement")) {
    Finding& f = sink.add(opening(policy.span), policy.pointer, "the policy has no \"Statement\"");
    f.help = "add \"Statement\": [ ... ] with at least one statement";
  }
  for (const Statement& s : policy.statements) {
    auto missing = [&](std::string message, std::string help) {
      Finding& f = sink.add(s, opening(s.span), s.pointer, std::move(message));
      f.help = std::move(help);
    };
    if (!s.key("Effect"))
      missing("the statement has no \"Effect\"", "add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"");
    if (!s.key("Action") && !s.key("NotAction")) {
      missing("the statement has no \"Action\" or \"NotAction\"",
              "add \"Action\" with the actions it concerns");
    }
    // Trust policies name no resource; some resource policies need none either (an ECR repository's: the
    // repository is implied).
    if (policy.type != PolicyType::Trust && policy.type != PolicyType::Resource && !s.key("Resource") &&
        !s.key("NotResource")) {
      missing(fmt::format("the statement has no \"Resource\" or \"NotResource\", which {} policies require",
                          policy_type_name(policy.type)),
              "add \"Resource\" with the ARNs it applies to");
    }
    if (needs_principal(policy.type) && !s.key("Principal") && !s.key("NotPrincipal")) {
      missing(fmt::format("the statement has no \"Principal\", which {} policies require",
                          policy_type_name(policy.type)),
              "add \"Principal\" naming who the statement applies to");
    }
  }
}

void conflicting_elements(const Policy& policy, const RuleContext&, FindingSink& sink) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kPairs = {
      {{"Action", "NotAction"}, {"Resource", "NotResource"}, {"Principal", "NotPrincipal"}}};
  for (const Statement& s : policy.statements) {
    for (auto [a, b] : kPairs) {
      const Key* ka = s.key(a);
      const Key* kb = s.key(b);
      if (!ka || !kb) continue;
      const Key* later = ka->span.begin > kb->span.begin ? ka : kb;
      Finding& f = sink.add(s, later->span, later->pointer,
                            fmt::format("the statement has both \"{}\" and \"{}\"", a, b));
      f.help = "keep one of them; IAM rejects a statement with both";
    }
  }
}

void invalid_version(const Policy& policy, const RuleContext&, FindingSink& sink) {
  const Text* variable = first_variable(policy);
  std::string literal;
  if (variable) {
    std::string_view v = variable->value;
    auto open = v.find("${");
    auto close = v.find('}', open);
    literal = std::string(v.substr(open, close == std::string_view::npos ? v.npos : close - open + 1));
  }
  if (!policy.key("Version")) {
    std::string message = "the policy has no \"Version\", so IAM applies version 2008-10-17";
    if (variable) message += fmt::format(", which treats \"{}\" as literal text", literal);
    Finding& f = sink.add(opening(policy.span), policy.pointer, std::move(message));
    f.severity = Severity::Warning;
    f.help = "add \"Version\": \"2012-10-17\" as the first element";
    return;
  }
  if (!policy.version) return;  // not a string: POLICY-008
  const Text& v = *policy.version;
  if (v.value != "2012-10-17" && v.value != "2008-10-17") {
    Finding& f = sink.add(v, fmt::format("\"{}\" is not a policy language version", v.value));
    f.help = "use \"Version\": \"2012-10-17\"";
  } else if (v.value == "2008-10-17" && variable) {
    Finding& f = sink.add(
        v, fmt::format("version 2008-10-17 treats the policy variable \"{}\" as literal text", literal));
    f.severity = Severity::Warning;
    f.help = "use \"Version\": \"2012-10-17\"";
  }
}

void policy_too_large(const Policy& policy, const RuleContext&, FindingSink& sink) {
  struct Quota {
    std::size_t limit;
    bool counts_whitespace;
    std::string_view what;
  };
  // IAM and S3 quotas (IAM and AWS STS quotas; S3 and VPC endpoint user guides; Organizations quotas).
  std::optional<Quota> quota;
  switch (policy.type) {
    case PolicyType::Identity:
      switch (policy.identity_kind) {
        case IdentityKind::InlineRole:
          quota = Quota{10240, false, "inline role policies (all of a role's together)"};
          break;
        case IdentityKind::InlineUser:
          quota = Quota{2048, false, "inline user policies (all of a user's together)"};
          break;
        case IdentityKind::InlineGroup:
          quota = Quota{5120, false, "inline group policies (all of a group's together)"};
          break;
        case IdentityKind::Managed:
        case IdentityKind::Unknown:
          quota = Quota{6144, false, "managed policies"};
          break;
      }
      break;
    case PolicyType::Bucket:
      quota = Quota{20480, true, "S3 bucket policies"};
      break;
    case PolicyType::Endpoint:
      quota = Quota{20480, true, "VPC endpoint policies"};
      break;
    case PolicyType::Trust:
      quota = Quota{2048, false, "role trust policies (4,096 after a quota increase)"};
      break;
    case PolicyType::Scp:
      quota = Quota{5120, true, "service control policies"};
      break;
    case PolicyType::Resource:
      break;  // each service sets its own; none is known here
  }
  if (!quota) return;
  std::size_t size = quota->counts_whitespace ? policy.size_with_whitespace : policy.size_without_whitespace;
  if (size <= quota->limit) return;
  Finding& f = sink.add(
      opening(policy.span), policy.pointer,
      fmt::format("the policy has {} characters{}; {} may have at most {}", size,
                  quota->counts_whitespace ? "" : " without white space", quota->what, quota->limit));
  f.help = "split it into several policies, or merge statements and use wildcards for related actions";
}

}  // namespace scopecop::rules
