// `scopecop check`: read the inputs, check them in parallel, write one report, choose the exit code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scopecop::cli {

// The report formats of `check`, for --format and the FORMAT: of --output.
inline constexpr std::string_view kCheckFormats[] = {"text",  "concise", "json", "sarif",
                                                     "junit", "github",  "html"};

struct CheckArgs {
  std::vector<std::string> paths{"."};
  std::string format = "text";
  // --output, repeatable: FILE (the --format report goes there instead of standard output) or FORMAT:FILE (a
  // report of that format goes there as well).
  std::vector<std::string> outputs;
  std::string fail_on = "warning";
  std::string severity;  // --severity: findings below it are not shown (empty: all are)
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string policy_type = "auto";
  std::string color = "auto";
  unsigned jobs = 0;  // 0: one per core
  bool quiet = false;
  bool strict = false;    // a policy that is not checked (a note) fails the run like a finding
  bool verbose = false;   // --verbose: the log at info level (log.h)
  std::string log_level;  // --log-level: trace, debug, info, warn, error, off
  bool skip_non_policy = false;  // named files that hold no policy are skipped, as in a directory
  bool exclude_aws_managed = false;  // no findings in AWS managed policies
  std::string catalog_dir;       // --catalog
  std::string config;            // --config; empty: for each file, the .scopecop.yaml nearest to it
  std::string baseline;          // --baseline: findings recorded there are left out
  std::string write_baseline;    // --write-baseline: this run's findings are recorded there
  std::string
      no_new_access;  // --no-new-access REF: also fail when the paths grant more than at the merge base
  bool fail_on_given = false;    // the command line overrides the configuration only where it says something
};

// Exit codes: 0 nothing at or above --fail-on (or a baseline written), 1 findings at or above it, 2 usage or
// input errors.
int run_check(const CheckArgs& args);

// Whether text output is coloured: --color always, or auto with standard output a terminal (not a file given
// by --output, NO_COLOR unset, TERM not "dumb").
bool use_color(const std::string& color, const std::string& output);

// `scopecop init`: writes a commented .scopecop.yaml into the current directory, never over an existing one.
// With `from`, the scope is filled from the policies under that path.
int run_init(const std::string& from);

}  // namespace scopecop::cli
