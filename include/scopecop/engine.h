// Checks one file's text: finds its policies, runs the selected rules, and returns located findings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scopecop/catalog.h"
#include "scopecop/config.h"
#include "scopecop/finding.h"
#include "scopecop/selection.h"
#include "scopecop/source.h"

namespace scopecop {

class ResolutionCache;

struct CheckOptions {
  RuleSelection rules;
  const Catalog* catalog = nullptr;       // unset: the embedded snapshot
  std::optional<PolicyType> policy_type;  // --policy-type; unset means from the container or guessed
  const Scope* scope = nullptr;           // the configuration's scope: section, if any
  const std::vector<Guard>* never = nullptr;                     // the configuration's never: list, if any
  std::vector<std::pair<const RuleMeta*, Severity>> severities;  // the configuration's severity: map
  unsigned jobs = 1;  // threads for the policies of one file (an account dump holds thousands)
  // --exclude-aws-managed: no findings in AWS managed policies, which the account cannot change; they still
  // count in what their principals are granted together with the account's own policies.
  bool exclude_aws_managed = false;
};

struct FileResult {
  std::string path;
  std::shared_ptr<const SourceText> source;
  bool recognized = false;  // holds policies, or was meant to (invalid JSON is a finding, not a skip)
  std::size_t policies = 0;
  std::size_t statements = 0;
  std::vector<std::string> policy_names;  // every policy checked, findings or not (JUnit test cases)
  std::vector<Finding> findings;
  std::vector<Note> notes;  // policies of the file that were not checked
  // The file's own suppressions (InlineSuppression) that can apply, and "PATH:LINE:COLUMN: why" for those
  // that cannot.
  std::vector<Suppression> suppressions;
  std::vector<std::string> suppression_problems;
};

// `cache`: shared by the files of a check (for the options' catalog; otherwise, or unset, the file gets its
// own).
FileResult check_text(std::string path, std::string text, const CheckOptions& options,
                      ResolutionCache* cache = nullptr);

// The policy type to use when neither the container nor the user says (SPEC §3).
PolicyType guess_policy_type(const Policy& policy);

}  // namespace scopecop
