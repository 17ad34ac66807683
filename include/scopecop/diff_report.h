// Writers of `scopecop diff`: the access changes of each policy that two versions of a file (or of a set of
// files) hold, as text, JSON (scopecop/diff/v1), SARIF or GitHub workflow commands.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "scopecop/access.h"
#include "scopecop/policy.h"
#include "scopecop/source.h"

namespace scopecop {

// One version of a policy: where it is written, and the policy (nullptr when this version has none).
struct PolicyVersion {
  std::string file;
  const Policy* policy = nullptr;
  const SourceText* source = nullptr;
};

struct PolicyDiff {
  std::string name;  // what its container calls it, or its file
  PolicyVersion before, after;
  AccessDiff diff;
};

struct DiffReport {
  std::vector<PolicyDiff> policies;  // only those whose access changed
  std::size_t compared = 0;          // policies compared, changed or not
  std::vector<std::string> notes;    // what was not compared, and why: one line each, naming the file
  bool adds_access() const;
};

void write_diff_text(std::ostream& out, const DiffReport& report, bool color);
void write_diff_json(std::ostream& out, const DiffReport& report);
void write_diff_sarif(std::ostream& out, const DiffReport& report);
void write_diff_github(std::ostream& out, const DiffReport& report);

}  // namespace scopecop
