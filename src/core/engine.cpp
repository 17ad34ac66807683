#include "scopecop/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "scopecop/judgement.h"
#include "scopecop/parallel.h"
#include "scopecop/parse.h"
#include "scopecop/resolve.h"
#include "scopecop/suppress.h"

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
// Statements the principals' views of one file may copy at least (see principal_views).
constexpr std::size_t kViewStatements = 100'000;

bool is_broken(const Policy& policy) {
  return std::any_of(policy.defects.begin(), policy.defects.end(),
                     [](const Defect& d) { return d.kind == DefectKind::InvalidJson; });
}

void run_rules(const Policy& policy, const CheckOptions& options, ResolutionCache& cache, FindingSink& sink) {
  const Catalog& catalog = cache.catalog();
  Resolution resolved(policy, cache);
  Carves carves(policy, resolved);
  for (const Rule& rule : all_rules()) {
    if (!options.rules.enabled(*rule.meta)) continue;
    if (!policy.parts.empty() && !rule.across) continue;
    if (policy.aws_managed && options.exclude_aws_managed) continue;
    if (is_broken(policy) && rule.meta->code != kInvalidJson) continue;
    if (policy.attachments_only != (rule.meta->code == kAttachments)) continue;
    sink.start(*rule.meta, &policy);
    rule.check(policy, RuleContext{catalog, resolved, carves, options.scope, options.never}, sink);
    sink.finish();
  }
}

// A principal's identity policies viewed as one, for the rules that judge combinations (Rule::across): the
// policies (indexes into the file's, in file order) and the principals that receive exactly those.
struct View {
  std::vector<std::size_t> policies;
  std::vector<std::string> principals;
};

// The views of the principals that receive two or more identity policies (an account dump's users with their
// groups' policies, a template's roles). Principals that receive the same policies share one. Documents
// stored as JSON strings are left out: their statements' places are in the strings, not in the file. Judging
// a view costs its statements: past a budget in proportion to the file's own, the principals left are named
// in `left_out` (a hostile dump of many users in one big group must not make the work their product).
std::vector<View> principal_views(const std::vector<Policy>& policies, bool exclude_aws_managed,
                                  std::vector<std::string>& left_out) {
  std::map<std::string_view, std::vector<std::size_t>> by_principal;
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const Policy& p = policies[i];
    if (p.type != PolicyType::Identity || p.attachments_only || p.anchor || is_broken(p)) continue;
    for (const std::string& who : p.receivers) by_principal[who].push_back(i);
  }
  std::map<std::vector<std::size_t>, std::vector<std::string>> principals_of;
  for (const auto& [who, received] : by_principal) {
    // With --exclude-aws-managed, what only AWS managed policies grant together is no finding either.
    bool changeable =
        !exclude_aws_managed || std::any_of(received.begin(), received.end(),
                                            [&](std::size_t i) { return !policies[i].aws_managed; });
    if (received.size() > 1 && changeable) principals_of[received].emplace_back(who);
  }
  std::size_t in_file = 0;
  for (const Policy& p : policies) in_file += p.statements.size();
  std::size_t budget = std::max<std::size_t>(kViewStatements, 4 * in_file);
  std::vector<View> views;
  for (auto& [received, principals] : principals_of) {
    std::size_t size = 0;
    for (std::size_t i : received) size += policies[i].statements.size();
    if (size > budget) {
      left_out.insert(left_out.end(), principals.begin(), principals.end());
      continue;
    }
    budget -= size;
    views.push_back({received, std::move(principals)});
  }
  return views;
}

// The policy rules judge for a view: copies of its policies' statements, each knowing its part.
Policy view_policy(const std::vector<Policy>& policies, const View& view) {
  Policy out;
  out.name = fmt::format("the policies of {}", fmt::join(view.principals, ", "));
  out.type_declared = true;
  out.receivers = view.principals;
  for (std::size_t part = 0; part < view.policies.size(); ++part) {
    const Policy& p = policies[view.policies[part]];
    out.parts.push_back({p.name, p.aws_managed});
    for (const Statement& s : p.statements) {
      Statement& copy = out.statements.emplace_back(s);
      copy.part = part;
      if (copy.deploy_condition.empty()) copy.deploy_condition = p.deploy_condition;
    }
  }
  return out;
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
  for (InlineSuppression& s : parsed.suppressions) {
    Position at = source->position(s.at.begin);
    Suppression kept;
    kept.rule = std::move(s.rule);
    kept.reason = std::move(s.reason);
    kept.expires = std::move(s.expires);
    kept.line = at.line;
    kept.column = at.column;
    kept.within = {source->position(s.covers.begin), source->position(s.covers.end)};
    std::string problem = s.problem.empty() ? rule_problem(kept) : std::move(s.problem);
    if (problem.empty()) {
      result.suppressions.push_back(std::move(kept));
    } else {
      result.suppression_problems.push_back(fmt::format("{}:{}:{}: this suppression does not apply: {}",
                                                        result.path, at.line, at.column, problem));
    }
  }
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
  std::vector<std::string> left_out;
  std::vector<View> views = principal_views(policies, options.exclude_aws_managed, left_out);
  if (!left_out.empty()) {
    std::sort(left_out.begin(), left_out.end());
    std::size_t named = std::min<std::size_t>(3, left_out.size());
    result.notes.push_back(
        {result.path, source->position(0), "", fmt::format("the policies of {} principals", left_out.size()),
         fmt::format("the policies of {} principals ({}{}) are not judged together for escalation paths: "
                     "together they hold more statements than scopecop judges for one file; each policy is "
                     "judged alone",
                     left_out.size(), fmt::join(left_out.begin(), left_out.begin() + named, ", "),
                     left_out.size() > named ? ", ..." : "")});
  }
  std::vector<bool> in_view(policies.size());
  for (const View& v : views) {
    for (std::size_t i : v.policies) in_view[i] = true;
  }
  std::size_t threads = threads_for(policies.size(), options.jobs);
  std::vector<std::vector<Finding>> found(policies.size() + views.size());
  share_out(policies.size(), threads, [&](std::size_t, std::size_t i) {
    FindingSink own(*source, result.path, found[i]);
    run_rules(policies[i], options, cache, own);
    // Freed by the thread that checked it, rather than all of them on one at the end; the views read theirs.
    if (!in_view[i]) policies[i] = Policy();
  });
  // Each view is built by the thread that judges it and dropped after: one view at a time per thread.
  share_out(views.size(), threads_for(views.size(), options.jobs), [&](std::size_t, std::size_t k) {
    FindingSink own(*source, result.path, found[policies.size() + k]);
    run_rules(view_policy(policies, views[k]), options, cache, own);
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
