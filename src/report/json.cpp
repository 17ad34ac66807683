// The JSON format: the versioned scopecop/findings/v1 schema of SPEC §4. The findings are written as they are
// formatted, on the --jobs threads, into the document nlohmann::json lays out around them.
#include <nlohmann/json.hpp>

#include "report/json_text.h"
#include "scopecop/report.h"
#include "scopecop/text.h"
#include "scopecop/version.h"

namespace scopecop {

namespace {

using ordered = nlohmann::ordered_json;

constexpr std::string_view kFindings = "\x01scopecop:findings\x01";

void write_finding(JsonText& j, const Finding& f) {
  j.open('{');
  j.field("code", f.code).field("name", f.name).field("severity", severity_name(f.severity));
  j.field("message", f.message);
  if (!f.help.empty()) j.field("help", f.help);
  j.field("file", escape_invalid_utf8(f.file));
  j.field("line", f.start.line).field("column", f.start.column);
  j.field("end_line", f.end.line).field("end_column", f.end.column);
  j.field("pointer", f.pointer);
  if (!f.policy.empty()) j.field("policy", escape_invalid_utf8(f.policy));
  if (f.policy_type) j.field("policy_type", policy_type_name(*f.policy_type));
  if (f.statement) j.field("statement", *f.statement);
  if (!f.sid.empty()) j.field("sid", f.sid);
  if (!f.action.empty()) j.field("action", f.action);
  if (!f.resource.empty()) j.field("resource", f.resource);
  if (!f.principals.empty()) {
    j.key("principals").open('[');
    for (const std::string& p : f.principals) j.item().string(p);
    j.close(']');
  }
  j.close('}');
}

}  // namespace

void write_json(std::ostream& out, const Report& report, unsigned jobs) {
  ordered doc;
  doc["schema"] = "scopecop/findings/v1";
  doc["tool"] = {{"name", "scopecop"}, {"version", std::string(version())}};
  if (!report.catalog.empty()) doc["tool"]["catalog"] = report.catalog;
  doc["findings"] = kFindings;
  ordered notes = ordered::array();
  for (const Note* n : report.notes) {
    notes.push_back({{"message", n->message},
                     {"file", escape_invalid_utf8(n->file)},
                     {"line", n->start.line},
                     {"column", n->start.column},
                     {"pointer", n->pointer},
                     {"policy", escape_invalid_utf8(n->policy)}});
  }
  doc["notes"] = std::move(notes);
  const Summary& s = report.summary;
  ordered by_severity;
  for (Severity sev : kAllSeverities)
    by_severity[std::string(severity_name(sev))] = s.by_severity[static_cast<std::size_t>(sev)];
  doc["summary"] = {{"files", s.files},          {"policies", s.policies},     {"statements", s.statements},
                    {"findings", s.findings},    {"suppressed", s.suppressed}, {"not_checked", s.not_checked},
                    {"by_severity", by_severity}};
  if (s.hidden) doc["summary"]["hidden"] = s.hidden;
  write_with_findings(out, doc, kFindings, 4, report, jobs, write_finding);
}

}  // namespace scopecop
