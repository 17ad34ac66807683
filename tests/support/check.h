// Test helpers: check a policy given as a string, in process, with chosen rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scopecop/engine.h"
#include "scopecop/parse.h"
#include "scopecop/report.h"

namespace scopecop::testing {

// Findings of the rules selected by `select` (all rules when empty), in report order.
inline std::vector<Finding> check_string(std::string_view text, std::vector<std::string> select = {},
                                         std::optional<PolicyType> type = std::nullopt,
                                         std::string path = "policy.json", const Scope* scope = nullptr,
                                         const std::vector<Guard>* never = nullptr) {
  CheckOptions options;
  options.scope = scope;
  options.never = never;
  std::string problem = RuleSelection::resolve(select, {}, options.rules);
  if (!problem.empty()) throw std::runtime_error(problem);
  options.policy_type = type;
  FileResult result = check_text(std::move(path), std::string(text), options);
  std::sort(result.findings.begin(), result.findings.end(), finding_less);
  return result.findings;
}

inline std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.emplace_back(f.code);
  return out;
}

// The one policy in `text`; the test fails through an exception if there is not exactly one.
inline Policy parse_one(std::string_view text) {
  ParsedFile parsed = parse_policies(text, "policy.json");
  if (parsed.syntax_error || parsed.policies.size() != 1) throw std::runtime_error("expected one policy");
  return std::move(parsed.policies.front());
}

}  // namespace scopecop::testing
