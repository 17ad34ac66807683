// The JUnit XML format: a test case per finding (a failure), per policy without findings, per policy not
// checked (skipped).
#include <map>

#include <fmt/format.h>

#include "report/markup.h"
#include "scopecop/report.h"
#include "scopecop/text.h"

namespace scopecop {

void write_junit(std::ostream& out, const Report& report) {
  // Findings by file and policy, in report order.
  std::map<std::pair<const FileResult*, std::string>, std::vector<const Finding*>> by_policy;
  for (const LocatedFinding& lf : report.ordered)
    by_policy[{lf.file, lf.finding->policy}].push_back(lf.finding);
  // A test case per finding, so that CI dashboards count and track each one (its name holds no line, which
  // edits move); a policy without findings is one passing case, one that was not checked a skipped case.
  auto cases = [&](const FileResult& file) {
    std::size_t n = file.notes.size();
    for (const std::string& name : file.policy_names) {
      auto it = by_policy.find({&file, name});
      n += it == by_policy.end() ? 1 : it->second.size();
    }
    return n;
  };
  std::size_t tests = 0;
  for (const FileResult& file : report.files) tests += cases(file);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"scopecop\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n", tests,
                     report.summary.findings, report.summary.not_checked);
  for (const FileResult& file : report.files) {
    std::size_t failures = 0;
    for (const std::string& name : file.policy_names) {
      auto it = by_policy.find({&file, name});
      failures += it == by_policy.end() ? 0 : it->second.size();
    }
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
                       markup(file.path), cases(file), failures, file.notes.size());
    for (const std::string& name : file.policy_names) {
      auto it = by_policy.find({&file, name});
      if (it == by_policy.end()) {
        out << fmt::format("    <testcase classname=\"{}\" name=\"{}\"/>\n", markup(file.path), markup(name));
        continue;
      }
      for (const Finding* f : it->second) {
        out << fmt::format(
            "    <testcase classname=\"{}\" name=\"{} {} {}\">\n"
            "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} {} {}{}</failure>\n"
            "    </testcase>\n",
            markup(file.path), f->code, markup(name), markup(f->pointer), f->code, markup(f->message),
            markup(f->file), f->start.line, f->start.column, severity_name(f->severity), f->code,
            markup(f->message), f->help.empty() ? "" : " (" + markup(f->help) + ")");
      }
    }
    // A policy that was not checked is a skipped test case.
    for (const Note& n : file.notes) {
      out << fmt::format(
          "    <testcase classname=\"{}\" name=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
          markup(file.path), markup(n.policy), markup(n.message));
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

std::string github_data(std::string_view s) {
  // Workflow commands: '%', CR and LF are escaped everywhere, ':' and ',' also in properties.
  std::string o;
  for (char c : escape_control(s)) {
    if (c == '%')
      o += "%25";
    else if (c == '\r')
      o += "%0D";
    else if (c == '\n')
      o += "%0A";
    else
      o += c;
  }
  return o;
}

std::string github_property(std::string_view s) {
  std::string o;
  for (char c : github_data(s)) {
    if (c == ':')
      o += "%3A";
    else if (c == ',')
      o += "%2C";
    else
      o += c;
  }
  return o;
}

void write_github(std::ostream& out, const Report& report) {
  auto data = github_data;
  auto property = github_property;
  for (const LocatedFinding& lf : report.ordered) {
    const Finding& f = *lf.finding;
    std::string_view command = f.severity == Severity::Warning      ? "warning"
                               : f.severity == Severity::Suggestion ? "notice"
                                                                    : "error";
    out << fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{} {}{}", command,
                       property(f.file), f.start.line, f.start.column, f.end.line, f.end.column,
                       property(std::string(f.code) + " " + std::string(f.name)), severity_name(f.severity),
                       data(f.message), f.help.empty() ? "" : data(" (" + f.help + ")"));
    if (std::string in = policy_in_container(f); !in.empty()) out << data(" [in " + in + "]");
    out << '\n';
  }
  for (const Note* n : report.notes) {
    out << fmt::format("::notice file={},line={},col={},title=not checked::{}\n", property(n->file),
                       n->start.line, n->start.column, data(n->message));
  }
}

}  // namespace scopecop
