// Findings a team has accepted: `suppress:` entries of the configuration and a baseline file of the findings
// that existed when scopecop was adopted. Both only remove findings from a run's results.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/config.h"
#include "scopecop/engine.h"
#include "scopecop/selection.h"

namespace scopecop {

struct Suppressed {
  std::size_t count = 0;
  std::vector<std::string> warnings;  // "PATH:LINE:COLUMN: ..." for expired entries and unused ones
};

// Why the entry's rule is not a code, name or prefix of any rule (with a "did you mean"), or "".
std::string rule_problem(const Suppression& s);
// An error naming the entry whose rule is not a code, name or prefix of any rule, or "".
std::string check_suppressions(const std::vector<Suppression>& entries, std::string_view config_path);

// Removes the findings an unexpired entry matches (`config_path` is where the entries are written: a
// configuration file, or the checked file of its own suppressions). `today` is YYYY-MM-DD. An entry is
// reported unused only when its rule ran and its file pattern (if any) matched a checked file, so that a run
// over some files (a pre-commit hook) does not call the others' entries unused.
Suppressed apply_suppressions(std::span<FileResult> files, const std::vector<Suppression>& entries,
                              std::string_view config_path, const RuleSelection& ran, std::string_view today);

// Today's date in UTC, YYYY-MM-DD.
std::string today_utc();

// The baseline: findings keyed by file, policy, code, statement (its Sid, or its index when it has none),
// action and resource, never by line, so that moving a policy within its file keeps it.
std::string write_baseline(const std::vector<FileResult>& files);

class Baseline {
 public:
  // Parses a baseline file's text; on failure returns nullopt and sets `error` to "PATH: reason".
  static std::optional<Baseline> parse(std::string_view text, std::string_view path, std::string& error);
  // Removes the findings the baseline holds (each entry accounts for one finding); returns how many.
  std::size_t apply(std::vector<FileResult>& files) const;

 private:
  std::vector<std::string> keys_;  // sorted
};

}  // namespace scopecop
