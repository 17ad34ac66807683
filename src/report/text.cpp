// The text and concise formats: compiler-style first lines, then the source line with carets and help.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/findings_in_blocks.h"
#include "report/markup.h"
#include "scopecop/parallel.h"
#include "scopecop/report.h"
#include "scopecop/text.h"

namespace scopecop {

std::string policy_in_container(const Finding& f) {
  if (f.policy.empty() || f.policy == f.file) return {};
  // A policy that its container names after the file ("dump.json (vpce-0a1b)"): the part the file lacks.
  std::string out = f.policy;
  if (out.starts_with(f.file + " (") && out.ends_with(")"))
    out = out.substr(f.file.size() + 2, out.size() - f.file.size() - 3);
  if (f.statement) {
    out += fmt::format(", statement {}", *f.statement);
    if (!f.sid.empty()) out += fmt::format(" ({})", f.sid);
  }
  return out;
}

Report make_report(std::vector<FileResult> files) {
  Report report;
  report.files = std::move(files);
  for (const FileResult& file : report.files) {
    ++report.summary.files;
    report.summary.policies += file.policies;
    report.summary.statements += file.statements;
    for (const Finding& f : file.findings) {
      report.ordered.push_back({&f, &file});
      ++report.summary.by_severity[static_cast<std::size_t>(f.severity)];
    }
    for (const Note& n : file.notes) report.notes.push_back(&n);
  }
  report.summary.not_checked = report.notes.size();
  report.summary.findings = report.ordered.size();
  std::stable_sort(
      report.ordered.begin(), report.ordered.end(),
      [](const LocatedFinding& a, const LocatedFinding& b) { return finding_less(*a.finding, *b.finding); });
  return report;
}

namespace {

struct Colors {
  bool on;
  std::string paint(std::string_view code, std::string_view s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
  // The same, appended to `out`, with `s` made safe for a terminal.
  void paint_escaped(std::string& out, std::string_view code, std::string_view s) const {
    if (on) out.append("\x1b[").append(code).append("m");
    append_escaped(out, s);
    if (on) out.append("\x1b[0m");
  }
};

std::string_view severity_color(Severity s) {
  switch (s) {
    case Severity::Error:
      return "1;31";
    case Severity::Security:
      return "1;35";
    case Severity::Warning:
      return "1;33";
    case Severity::Suggestion:
      return "1;36";
  }
  return "1";
}

// file:line:column: severity CODE message, appended to `out` (a report writes thousands of them).
void append_first_line(std::string& out, const Finding& f, const Colors& c) {
  c.paint_escaped(out, "1", f.file);
  fmt::format_to(std::back_inserter(out), ":{}:{}: ", f.start.line, f.start.column);
  c.paint_escaped(out, severity_color(f.severity), severity_name(f.severity));
  out += ' ';
  c.paint_escaped(out, "1", f.code);
  out += ' ';
  append_escaped(out, f.message);
}

// The source line of `f` with carets under its span, appended to `out`.
void append_source(std::string& out, const Finding& f, const FileResult& file, const Colors& c) {
  if (!file.source || f.start.line == 0) return;
  const SourceText& source = *file.source;
  auto [length, from, to, begin, end] = excerpt_of(f, source);
  std::string_view line = source.line(f.start.line);
  std::string_view rest = line.substr(source.line_byte_offset(f.start.line, from));
  std::string shown = from > 0 ? "…" : "";
  std::string carets(from > 0 ? 1 : 0, ' ');
  // Each code point shown safely (tabs as one space, so that carets stay aligned), a caret or a space under
  // each of its columns.
  std::size_t i = from;
  for (std::size_t at = 0; at < rest.size() && i < to; ++i) {
    char ascii = rest[at];
    if (ascii >= 0x20 && ascii < 0x7F) {  // most of a policy: shown as it is, one column
      shown += ascii;
      carets += i >= begin && i < end ? '^' : ' ';
      ++at;
      continue;
    }
    std::size_t len = 1;
    if (static_cast<unsigned char>(rest[at]) >= 0xC0) {
      while (at + len < rest.size() && (static_cast<unsigned char>(rest[at + len]) & 0xC0) == 0x80) ++len;
    }
    std::string_view unit = rest.substr(at, len);
    std::size_t before = shown.size();
    if (unit == "\t") {
      shown += ' ';
    } else {
      append_escaped(shown, unit);
    }
    carets.append(count_code_points(std::string_view(shown).substr(before)),
                  i >= begin && i < end ? '^' : ' ');
    at += len;
  }
  to = i;                              // invalid UTF-8 can split into fewer units than code points
  if (begin >= length) carets += '^';  // a span at the end of the line (end of file)
  if (to < length) shown += "…";
  while (!carets.empty() && carets.back() == ' ') carets.pop_back();
  out += c.paint("34", fmt::format("{:>5} |", f.start.line));
  out.append(1, ' ').append(shown).append(1, '\n');
  out += c.paint("34", "      |");
  out.append(1, ' ').append(c.paint(severity_color(f.severity), carets)).append(1, '\n');
}

// One line per policy that was not checked, after the findings: never left out, not even by --quiet.
void write_notes(std::ostream& out, const Report& report, const Colors& c) {
  std::string text;
  for (const Note* n : report.notes) {
    c.paint_escaped(text, "1", n->file);
    fmt::format_to(std::back_inserter(text), ":{}:{}: ", n->start.line, n->start.column);
    c.paint_escaped(text, "36", "note");
    text += ' ';
    append_escaped(text, n->message);
    text += '\n';
  }
  out << text;
}

void write_summary(std::ostream& out, const Report& report) {
  out << summary_line(report) << '\n';
  if (report.summary.findings)
    out << "Run `scopecop rule CODE` for what a rule checks and how to fix its findings.\n";
}

}  // namespace

std::string summary_line(const Report& report) {
  const Summary& s = report.summary;
  std::string counts = fmt::format("{} {}, {} {}, {} {}", s.files, s.files == 1 ? "file" : "files",
                                   s.policies, s.policies == 1 ? "policy" : "policies", s.statements,
                                   s.statements == 1 ? "statement" : "statements");
  std::string also;
  if (s.not_checked)
    also += fmt::format("; {} {} not checked", s.not_checked, s.not_checked == 1 ? "policy" : "policies");
  if (s.suppressed) also += fmt::format("; {} suppressed", s.suppressed);
  if (s.hidden) also += fmt::format("; {} below --severity not shown", s.hidden);
  if (s.findings == 0) return fmt::format("No findings ({} checked{}).", counts, also);
  std::vector<std::string> parts;
  for (Severity sev : kAllSeverities) {
    std::size_t n = s.by_severity[static_cast<std::size_t>(sev)];
    if (n) parts.push_back(fmt::format("{} {}", n, severity_name(sev)));
  }
  return fmt::format("Found {} {} ({}; {} checked{}).", s.findings, s.findings == 1 ? "finding" : "findings",
                     fmt::join(parts, ", "), counts, also);
}

void write_text(std::ostream& out, const Report& report, const TextStyle& style) {
  Colors c{style.color};
  write_findings(out, report, style.jobs, [&](std::string& text, const LocatedFinding& lf) {
    const Finding& f = *lf.finding;
    append_first_line(text, f, c);
    text += '\n';
    append_source(text, f, *lf.file, c);
    // In a template, plan or dump the file's line may be far from the policy's name (or, for a policy held
    // in a JSON string, one long line): say which policy and statement.
    if (std::string in = policy_in_container(f); !in.empty()) {
      text.append("      ").append(c.paint("36", "= in:")).append(1, ' ');
      append_escaped(text, in);
      text += '\n';
    }
    // An inline or trust policy applies to the principal its name starts with: said once is enough.
    bool own = f.principals.size() == 1 && f.policy.starts_with(f.principals.front() + " ");
    if (!f.principals.empty() && !own) {
      text.append("      ").append(c.paint("36", "= applies to:")).append(1, ' ');
      append_escaped(text, fmt::format("{}", fmt::join(f.principals, ", ")));
      text += '\n';
    }
    if (!f.help.empty()) {
      text.append("      ").append(c.paint("36", "= help:")).append(1, ' ');
      append_escaped(text, f.help);
      text += '\n';
    }
    text += '\n';
  });
  write_notes(out, report, c);
  if (!style.quiet) write_summary(out, report);
}

void write_concise(std::ostream& out, const Report& report, const TextStyle& style) {
  Colors c{style.color};
  write_findings(out, report, style.jobs, [&](std::string& text, const LocatedFinding& lf) {
    append_first_line(text, *lf.finding, c);
    if (std::string in = policy_in_container(*lf.finding); !in.empty()) {
      text += " (in ";
      append_escaped(text, in);
      text += ')';
    }
    text += '\n';
  });
  write_notes(out, report, c);
  if (!style.quiet) write_summary(out, report);
}

}  // namespace scopecop
