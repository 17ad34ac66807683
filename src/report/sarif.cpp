// The SARIF 2.1.0 format, for code scanning. The results are written as they are formatted, on the --jobs
// threads, into the document nlohmann::json lays out around them.
#include <cstdint>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/json_text.h"
#include "report/sarif_location.h"
#include "scopecop/report.h"
#include "scopecop/rule.h"
#include "scopecop/rule_page.h"
#include "scopecop/text.h"
#include "scopecop/version.h"

namespace scopecop {

namespace {

using ordered = nlohmann::ordered_json;

constexpr std::string_view kResults = "\x01scopecop:results\x01";

std::string_view level(Severity s) {
  switch (s) {
    case Severity::Error:
    case Severity::Security:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Suggestion:
      return "note";
  }
  return "warning";
}

ordered descriptor(const RuleMeta& m) {
  ordered d;
  d["id"] = m.code;
  d["name"] = m.name;
  d["shortDescription"] = {{"text", std::string(m.summary) + "."}};
  d["fullDescription"] = {{"text", std::string(m.why)}};
  d["help"] = {
      {"text", std::string(m.summary) + ". Run `scopecop rule " + std::string(m.code) + "` for examples."},
      {"markdown", render_rule_page(m)}};
  // SARIF wants an absolute helpUri; where the docs are published is a build setting (SCOPECOP_DOCS_URL).
  if (std::string_view base = sarif_docs_base(); !base.empty())
    d["helpUri"] = std::string(base) + rule_page_path(m);
  d["defaultConfiguration"] = {{"level", level(m.severity)}};
  ordered props;
  props["tags"] = ordered::array({std::string(rule_family(m.code))});
  if (m.severity == Severity::Security) {
    props["tags"].push_back("security");
    props["security-severity"] = "7.5";
  }
  d["properties"] = props;
  return d;
}

// 64-bit FNV-1a as 16 hex digits: stable across runs, machines and versions of scopecop.
std::string fingerprint(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace

bool sarif_relative(std::string_view path) {
  return !path.starts_with('/');
}

std::string sarif_uri(std::string_view path) {
  std::string out = sarif_relative(path) ? "" : "file://";
  for (unsigned char c : path) {
    bool keep = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void write_sarif(std::ostream& out, const Report& report, unsigned jobs) {
  auto rules = rule_metadata();
  ordered driver;
  driver["name"] = "scopecop";
  driver["version"] = std::string(version());
  driver["semanticVersion"] = std::string(version());
  if (std::string_view base = sarif_docs_base(); !base.empty())
    driver["informationUri"] = std::string(base) + "README.md";
  ordered descriptors = ordered::array();
  for (const RuleMeta& m : rules) descriptors.push_back(descriptor(m));
  driver["rules"] = descriptors;

  // A result, as an item of the results list.
  auto write_result = [&](JsonText& j, const Finding& f) {
    j.open('{');
    j.field("ruleId", f.code);
    j.field("ruleIndex", static_cast<std::size_t>(find_rule_meta(f.code) - rules.data()));
    j.field("level", level(f.severity));
    j.key("message")
        .open('{')
        .field("text", f.help.empty() ? f.message : f.message + ". " + f.help)
        .close('}');
    j.key("locations").open('[').item().open('{');
    j.key("physicalLocation").open('{');
    j.key("artifactLocation").open('{').field("uri", sarif_uri(f.file));
    if (sarif_relative(f.file)) j.field("uriBaseId", "%SRCROOT%");
    j.close('}');
    j.key("region").open('{');
    j.field("startLine", f.start.line).field("startColumn", f.start.column).field("endLine", f.end.line);
    j.field("endColumn", std::max(f.end.column, f.start.column + (f.end.line == f.start.line ? 1u : 0u)));
    j.close('}').close('}');
    // In a template, plan or account dump: the resource, role or policy that holds the statement.
    if (!f.policy.empty() && f.policy != f.file) {
      j.key("logicalLocations").open('[').item().open('{');
      j.field("fullyQualifiedName", escape_invalid_utf8(f.policy)).field("kind", "resource");
      j.close('}').close(']');
    }
    j.close('}').close(']');
    // What identifies the finding when lines move: the rule, the file, the policy, the element and the
    // action and resource it is about.
    std::string identity = fmt::format("{}\x1F{}\x1F{}\x1F{}\x1F{}\x1F{}", f.code, f.file, f.policy,
                                       f.pointer, f.action, f.resource);
    j.key("partialFingerprints").open('{').field("scopecopFinding/v1", fingerprint(identity)).close('}');
    j.key("properties").open('{').field("severity", severity_name(f.severity)).field("pointer", f.pointer);
    if (!f.policy.empty()) j.field("policy", escape_invalid_utf8(f.policy));
    if (f.policy_type) j.field("policyType", policy_type_name(*f.policy_type));
    if (!f.principals.empty()) {
      j.key("principals").open('[');
      for (const std::string& p : f.principals) j.item().string(p);
      j.close(']');
    }
    j.close('}').close('}');
  };

  ordered run;
  run["tool"] = {{"driver", driver}};
  run["columnKind"] = "unicodeCodePoints";
  run["originalUriBaseIds"] = {
      {"%SRCROOT%", {{"description", {{"text", "The directory scopecop was run in."}}}}}};
  run["results"] = kResults;
  if (!report.notes.empty()) {
    // Policies that were not checked: notifications of the run, not results of a rule.
    ordered notifications = ordered::array();
    for (const Note* n : report.notes) {
      ordered region = {{"startLine", n->start.line}, {"startColumn", n->start.column}};
      notifications.push_back(
          {{"level", "note"},
           {"message", {{"text", n->message}}},
           {"locations",
            ordered::array({{{"physicalLocation",
                              {{"artifactLocation", sarif_artifact(n->file)}, {"region", region}}}}})}});
    }
    run["invocations"] = ordered::array(
        {{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notifications)}}});
  }
  if (!report.catalog.empty()) run["properties"] = {{"catalog", report.catalog}};
  ordered doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = ordered::array({run});
  write_with_findings(out, doc, kResults, 8, report, jobs, write_result);
}

}  // namespace scopecop
