// Output writers, one per format, over the results of a run.
#pragma once

#include <array>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/engine.h"

namespace scopecop {

struct Summary {
  std::size_t files = 0;
  std::size_t policies = 0;
  std::size_t statements = 0;
  std::size_t findings = 0;
  std::size_t suppressed = 0;
  std::size_t not_checked = 0;               // policies named in notes
  std::size_t hidden = 0;                    // findings below --severity, not shown
  std::array<std::size_t, 4> by_severity{};  // indexed by Severity
};

struct LocatedFinding {
  const Finding* finding;
  const FileResult* file;
};

struct Report {
  std::vector<FileResult> files;
  std::vector<LocatedFinding> ordered;  // sorted by file, line, column, code
  std::vector<const Note*> notes;       // in file order
  Summary summary;
  std::string_view catalog;  // the catalog snapshot date, for the JSON tool block
};

Report make_report(std::vector<FileResult> files);

// The policy a finding in a container is about, with its statement ("module.lake.aws_iam_policy.x, statement
// 2 (ReadLake)"); empty for a policy file of its own.
std::string policy_in_container(const Finding& f);

struct TextStyle {
  bool color = false;
  bool quiet = false;  // findings only, no summary
  unsigned jobs = 1;   // threads that format the findings
};

// The summary of the report in one line: "Found 3 findings (1 error, 2 warning; 2 files, ... checked)." or
// "No findings (...)."
std::string summary_line(const Report& report);
void write_text(std::ostream& out, const Report& report, const TextStyle& style);
void write_concise(std::ostream& out, const Report& report, const TextStyle& style);
// The findings of JSON and SARIF are formatted on `jobs` threads, as the text formats' are.
void write_json(std::ostream& out, const Report& report, unsigned jobs = 1);
// SARIF 2.1.0: one run, the rules' metadata as reporting descriptors, one result per finding.
void write_sarif(std::ostream& out, const Report& report, unsigned jobs = 1);
// JUnit XML: one test case per policy, one failure per finding.
void write_junit(std::ostream& out, const Report& report);
// One self-contained HTML page: the summary, each finding with its source, the rules' pages, and filters.
void write_html(std::ostream& out, const Report& report);
// GitHub Actions workflow commands (::error file=...::message), one per finding.
void write_github(std::ostream& out, const Report& report);
// A workflow command's message (github_data) and property values (github_property), escaped.
std::string github_data(std::string_view s);
std::string github_property(std::string_view s);

// A path as a SARIF artifact URI: unreserved characters and '/' stay, the rest is percent-encoded; an
// absolute path becomes a file:// URI, a relative one a reference against %SRCROOT% (sarif_relative).
std::string sarif_uri(std::string_view path);
bool sarif_relative(std::string_view path);

}  // namespace scopecop
