// The JSON format: the versioned scopecop/findings/v1 schema of SPEC §4.
#include <nlohmann/json.hpp>

#include "scopecop/report.h"
#include "scopecop/text.h"
#include "scopecop/version.h"

namespace scopecop {

namespace {

using ordered = nlohmann::ordered_json;

ordered finding_json(const Finding& f) {
  ordered j;
  j["code"] = f.code;
  j["name"] = f.name;
  j["severity"] = severity_name(f.severity);
  j["message"] = f.message;
  if (!f.help.empty()) j["help"] = f.help;
  j["file"] = escape_invalid_utf8(f.file);
  j["line"] = f.start.line;
  j["column"] = f.start.column;
  j["end_line"] = f.end.line;
  j["end_column"] = f.end.column;
  j["pointer"] = f.pointer;
  if (!f.policy.empty()) j["policy"] = escape_invalid_utf8(f.policy);
  if (f.policy_type) j["policy_type"] = policy_type_name(*f.policy_type);
  if (f.statement) j["statement"] = *f.statement;
  if (!f.sid.empty()) j["sid"] = f.sid;
  if (!f.action.empty()) j["action"] = f.action;
  if (!f.resource.empty()) j["resource"] = f.resource;
  if (!f.principals.empty()) j["principals"] = f.principals;
  return j;
}

}  // namespace

void write_json(std::ostream& out, const Report& report) {
  ordered doc;
  doc["schema"] = "scopecop/findings/v1";
  doc["tool"] = {{"name", "scopecop"}, {"version", std::string(version())}};
  if (!report.catalog.empty()) doc["tool"]["catalog"] = report.catalog;
  ordered findings = ordered::array();
  for (const LocatedFinding& lf : report.ordered) findings.push_back(finding_json(*lf.finding));
  doc["findings"] = std::move(findings);
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
  // Policy text is validated UTF-8, but a file name need not be: replace rather than fail.
  out << escape_json_invisibles(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) << '\n';
}

}  // namespace scopecop
