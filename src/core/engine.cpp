#include "scopecop/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "scopecop/parallel.h"
#include "scopecop/parse.h"
#include "scopecop/resolve.h"

namespace scopecop {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Security:
      return "security";
    case Severity::Warning:
      return "warning";
    case Severity::Suggestion:
      return "suggestion";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view name) {
  for (Severity s : kAllSeverities) {
    if (severity_name(s) == name) return s;
  }
  return std::nullopt;
}

bool finding_less(const Finding& a, const Finding& b) {
  return std::tie(a.file, a.start.line, a.start.column, a.code, a.message) <
         std::tie(b.file, b.start.line, b.start.column, b.code, b.message);
}

Finding& FindingSink::add(Span span, std::string_view pointer, std::string message) {
  if (kept_ == kMaxPerRule) {
    ++dropped_;
    overflow_ = Finding{};
    return overflow_;
  }
  ++kept_;
  if (policy_ && policy_->anchor) span = *policy_->anchor;  // the document's own spans are in its string
  Finding& f = out_.emplace_back();
  f.code = rule_->code;
  f.name = rule_->name;
  f.severity = rule_->severity;
  f.message = std::move(message);
  f.file = std::string(file_);
  f.start = source_.position(span.begin);
  f.end = source_.position(std::max(span.end, span.begin));
  f.pointer = std::string(pointer);
  if (policy_) {
    f.policy = policy_->name;
    f.policy_type = policy_->type;
    f.principals = policy_->receivers;
    if (!policy_->deploy_condition.empty())
      f.message += fmt::format(" (the policy exists when {})", policy_->deploy_condition);
  }
  return f;
}

void FindingSink::finish() {
  if (dropped_ == 0 || out_.empty()) return;
  out_.back().message += fmt::format(" ({} more {} finding{} on this policy left out: {} is the most kept)",
                                     dropped_, rule_->code, dropped_ == 1 ? "" : "s", kMaxPerRule);
}

Finding& FindingSink::add(const Statement& statement, Span span, std::string_view pointer,
                          std::string message) {
  if (!statement.deploy_condition.empty())
    message += fmt::format(" (the statement exists when {})", statement.deploy_condition);
  Finding& f = add(span, pointer, std::move(message));
  f.statement = statement.index;
  if (statement.sid) f.sid = statement.sid->value;
  return f;
}

namespace {

// A document that is not JSON has no policy to judge: only the rule that reports the syntax error applies.
// A record of attachments has no document: only the rule about attached managed policies applies.
constexpr std::string_view kInvalidJson = "POLICY-001";
constexpr std::string_view kAttachments = "PRIVILEGE-010";

bool is_broken(const Policy& policy) {
  return std::any_of(policy.defects.begin(), policy.defects.end(),
                     [](const Defect& d) { return d.kind == DefectKind::InvalidJson; });
}

void run_rules(const Policy& policy, const CheckOptions& options, ResolutionCache& cache, FindingSink& sink) {
  const Catalog& catalog = cache.catalog();
  Resolution resolved(policy, cache);
  for (const Rule& rule : all_rules()) {
    if (!options.rules.enabled(*rule.meta)) continue;
    if (is_broken(policy) && rule.meta->code != kInvalidJson) continue;
    if (policy.attachments_only != (rule.meta->code == kAttachments)) continue;
    sink.start(*rule.meta, &policy);
    rule.check(policy, RuleContext{catalog, resolved, options.scope}, sink);
    sink.finish();
  }
}

}  // namespace

FileResult check_text(std::string path, std::string text, const CheckOptions& options,
                      ResolutionCache* given_cache) {
  FileResult result;
  result.path = std::move(path);
  auto source = std::make_shared<SourceText>(std::move(text));
  result.source = source;
  const Catalog& catalog = options.catalog ? *options.catalog : Catalog::embedded();
  std::optional<ResolutionCache> own_cache;
  if (!given_cache || &given_cache->catalog() != &catalog) own_cache.emplace(catalog, source->text().size());
  ResolutionCache& cache = own_cache ? *own_cache : *given_cache;

  Deployment deployment;
  if (const Scope* scope = options.scope) {
    // The stack's account and region, when the scope allows only one.
    if (scope->partitions.size() == 1) deployment.partition = scope->partitions.front();
    if (scope->accounts.size() == 1) deployment.account = scope->accounts.front();
    if (scope->regions.size() == 1) deployment.region = scope->regions.front();
    deployment.any_account = scope->accounts.empty();
    deployment.any_region = scope->regions.empty();
  }
  ParsedFile parsed = parse_policies(source->text(), result.path, deployment, options.jobs);
  if (parsed.syntax_error) {
    // A file that is not JSON is reported through POLICY-001 like any other finding, so that it can be
    // selected, ignored and documented as one.
    result.recognized = true;
    Policy broken;
    broken.name = result.path;
    broken.type = options.policy_type.value_or(PolicyType::Identity);
    std::size_t at = parsed.syntax_error->offset;
    broken.defects.push_back(
        {DefectKind::InvalidJson,
         {at, at + 1},
         "",
         fmt::format("the file is not valid {}: {}", parsed.yaml ? "YAML" : "JSON",
                     parsed.syntax_error->message),
         parsed.yaml
             ? "CloudFormation reads YAML 1.1 with its short-form tags (!Ref, !Sub, ...); fix the syntax here"
             : "",
         {}});
    FindingSink sink(*source, result.path, result.findings);
    run_rules(broken, options, cache, sink);
    result.policy_names.push_back(broken.name);
    for (Finding& f : result.findings) f.policy_type.reset();
    return result;
  }
  result.recognized = parsed.recognized;
  for (const Unread& u : parsed.unread) {
    result.notes.push_back({result.path, source->position(u.span.begin), u.pointer, u.name,
                            fmt::format("{} is not checked: {}", u.name, u.reason)});
  }
  auto apply_severities = [&] {
    for (Finding& f : result.findings) {
      for (const auto& [meta, severity] : options.severities) {
        if (meta->code == f.code) f.severity = severity;
      }
    }
  };
  for (Policy& policy : parsed.policies) {
    // The container knows best; then --policy-type; then the guess.
    if (!policy.type_declared) policy.type = options.policy_type.value_or(guess_policy_type(policy));
    if (!policy.attachments_only) ++result.policies;
    result.statements += policy.statements.size();
    if (!policy.attachments_only) result.policy_names.push_back(policy.name);
  }
  // Policies are independent: an account dump's thousands are taken one at a time by the threads, and their
  // findings joined in policy order, as one thread would have written them.
  std::vector<Policy>& policies = parsed.policies;
  std::size_t threads = threads_for(policies.size(), options.jobs);
  std::vector<std::vector<Finding>> found(policies.size());
  share_out(policies.size(), threads, [&](std::size_t, std::size_t i) {
    FindingSink own(*source, result.path, found[i]);
    run_rules(policies[i], options, cache, own);
    policies[i] = Policy();  // freed by the thread that checked it, rather than all of them on one at the end
  });
  std::size_t total = 0;
  for (const std::vector<Finding>& part : found) total += part.size();
  result.findings.reserve(total);
  for (std::vector<Finding>& part : found) {
    result.findings.insert(result.findings.end(), std::make_move_iterator(part.begin()),
                           std::make_move_iterator(part.end()));
  }
  apply_severities();
  return result;
}

}  // namespace scopecop
