// `scopecop diff`: the access two versions of policy files grant differently, from two paths or from the
// working tree against a git revision.
#pragma once

#include <string>
#include <vector>

namespace scopecop::cli {

struct DiffArgs {
  std::vector<std::string> paths;  // BEFORE AFTER; with `git`: the paths to compare (default: .)
  std::string git;                 // --git REV: each changed file against its version at REV
  bool merge_base = false;         // --merge-base: against the merge base of REV and HEAD instead
  bool to_stderr = false;          // the report goes to standard error (check --no-new-access)
  std::string format = "text";
  std::string output;
  std::string color = "auto";
  bool fail_on_new_access = true;
  unsigned jobs = 0;  // files compared in parallel (--git); 0: one per core
  std::string catalog_dir;
};

// Exit codes: 0 no access added, 1 access added (with fail_on_new_access), 2 usage or input errors.
int run_diff(const DiffArgs& args);

}  // namespace scopecop::cli
