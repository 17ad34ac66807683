// The writers of `scopecop diff` (see diff_report.h); the JSON schema is docs/schema/diff-v1.schema.json.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/sarif_location.h"
#include "scopecop/diff_report.h"
#include "scopecop/report.h"
#include "scopecop/text.h"
#include "scopecop/version.h"

namespace scopecop {

namespace {

using ordered = nlohmann::ordered_json;

// Where a statement of one version stands in its file.
struct StatementAt {
  const PolicyVersion* version;
  const Statement* statement;
  Position position;
};

StatementAt at(const PolicyVersion& v, std::size_t index) {
  const Statement& s = v.policy->statements[index];
  std::size_t offset = v.policy->anchor ? v.policy->anchor->begin : s.span.begin;
  return {&v, &s, v.source->position(offset)};
}

std::string joined(const std::vector<Text>& values) {
  std::string out;
  for (const Text& t : values) out += (out.empty() ? "" : ", ") + t.value;
  return out;
}

// "after.json:7:5 statement 0 (ReadLake): Resource arn:aws:s3:::lake/*"
std::string describe(const StatementAt& s) {
  std::string out = fmt::format("{}:{}:{} statement {}", s.version->file, s.position.line, s.position.column,
                                s.statement->index);
  if (s.statement->sid) out += fmt::format(" ({})", s.statement->sid->value);
  const Statement& st = *s.statement;
  if (st.resource.present) {
    out += ": Resource " + joined(st.resource.values);
  } else if (st.not_resource.present) {
    out += ": NotResource " + joined(st.not_resource.values);
  }
  return escape_control(out);
}

std::string when(const PolicyVersion& v, const Statement& s) {
  auto lines = statement_conditions(*v.policy, s);
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : " and ") + l;
  return escape_control(out);
}

// When a conditional Deny applies: under its conditions, or to the principals (or the values of the policy
// variables) it names.
std::string guard_when(const PolicyVersion& v, const Statement& s) {
  std::string condition = when(v, s);
  return condition.empty() ? "for the principals it names" : "when " + condition;
}

std::string action_list(const std::vector<std::string>& actions, std::size_t most) {
  std::string out;
  std::size_t shown = actions.size() > most ? most - 1 : actions.size();
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + actions[i];
  if (shown < actions.size()) out += fmt::format(" and {} more", actions.size() - shown);
  return escape_control(out);
}

// The resources a change applies to: "arn:aws:s3:::lake/x", or with several "arn:aws:s3:::lake
// (s3:ListBucket), arn:aws:s3:::lake/x (s3:GetObject, s3:GetObjectVersion)".
std::string witness_text(const AccessChange& c) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_resource;
  for (std::size_t i = 0; i < c.actions.size(); ++i) {
    auto it = std::find_if(by_resource.begin(), by_resource.end(),
                           [&](const auto& r) { return r.first == c.witnesses[i]; });
    if (it == by_resource.end()) it = by_resource.insert(by_resource.end(), {c.witnesses[i], {}});
    it->second.push_back(c.actions[i]);
  }
  if (by_resource.size() == 1) return by_resource[0].first;
  std::string out;
  std::size_t shown = std::min<std::size_t>(by_resource.size(), 3);
  for (std::size_t i = 0; i < shown; ++i)
    out +=
        fmt::format("{}{} ({})", i ? ", " : "", by_resource[i].first, action_list(by_resource[i].second, 3));
  if (shown < by_resource.size()) out += fmt::format(" and {} other resources", by_resource.size() - shown);
  return out;
}

// The change in one sentence, and the statements that show it, one line each.
struct Explained {
  std::string message;
  std::vector<std::string> lines;
};

Explained explain(const PolicyDiff& d, const AccessChange& c) {
  Explained e;
  std::string w = escape_control(witness_text(c));
  auto news = [&](std::size_t i) { return at(d.after, c.new_statements[i]); };
  auto olds = [&](std::size_t i) { return at(d.before, c.old_statements[i]); };
  switch (c.kind) {
    case ChangeKind::Added: {
      const StatementAt s = news(0);
      std::string condition = when(d.after, *s.statement);
      e.message = fmt::format("now allowed on {}{}", w, condition.empty() ? "" : " when " + condition);
      e.lines.push_back("granted by " + describe(s));
      if (c.old_statements.empty()) e.lines.push_back("before: not allowed on any resource");
      for (std::size_t i = 0; i < c.old_statements.size(); ++i)
        e.lines.push_back("before only: " + describe(olds(i)));
      break;
    }
    case ChangeKind::Removed: {
      e.message = fmt::format("no longer allowed on {}", w);
      e.lines.push_back("was granted by " + describe(olds(0)));
      if (c.new_statements.empty()) e.lines.push_back("now: not allowed on any resource");
      for (std::size_t i = 0; i < c.new_statements.size(); ++i)
        e.lines.push_back("now only: " + describe(news(i)));
      break;
    }
    case ChangeKind::ConditionDropped:
    case ChangeKind::ConditionChanged:
    case ChangeKind::ConditionAdded: {
      const StatementAt s = news(0), t = olds(0);
      std::string now = when(d.after, *s.statement), before = when(d.before, *t.statement);
      if (c.kind == ChangeKind::ConditionDropped) {
        e.message = fmt::format("now allowed on {} {}; before only when {}", w,
                                now.empty() ? "with no condition" : "when " + now, before);
      } else if (c.kind == ChangeKind::ConditionAdded) {
        e.message = fmt::format("now allowed on {} only when {}; before {}", w, now,
                                before.empty() ? "with no condition" : "when " + before);
      } else {
        e.message = fmt::format("now allowed on {} when {}; before when {}", w, now, before);
      }
      e.lines.push_back("now: " + describe(s));
      e.lines.push_back("before: " + describe(t));
      break;
    }
    case ChangeKind::DenyDropped:
    case ChangeKind::DenyAdded: {
      // Dropped: the Deny is the old statement; added: the new one.
      bool dropped = c.kind == ChangeKind::DenyDropped;
      const StatementAt s = news(0), t = olds(0);
      const StatementAt& deny = dropped ? t : s;
      const StatementAt& allow = dropped ? s : t;
      e.message = fmt::format("{} on {} {}", dropped ? "no longer denied" : "now denied", w,
                              guard_when(dropped ? d.before : d.after, *deny.statement));
      e.lines.push_back((dropped ? "the Deny was " : "by ") + describe(deny));
      e.lines.push_back((dropped ? "allowed by " : "allowed before by ") + describe(allow));
      break;
    }
  }
  return e;
}

// The statement a change is reported at: the one that grants (or denies) now, else the one that did.
StatementAt anchor(const PolicyDiff& d, const AccessChange& c) {
  if (!c.new_statements.empty() && c.kind != ChangeKind::Removed) return at(d.after, c.new_statements[0]);
  return at(d.before, c.old_statements[0]);
}

ordered statement_json(const PolicyVersion& v, std::size_t index) {
  StatementAt s = at(v, index);
  ordered j;
  j["file"] = escape_invalid_utf8(v.file);
  j["line"] = s.position.line;
  j["column"] = s.position.column;
  j["pointer"] = s.statement->pointer;
  j["index"] = index;
  if (s.statement->sid) j["sid"] = s.statement->sid->value;
  j["effect"] = s.statement->effect == Effect::Allow ? "Allow" : "Deny";
  auto values = [](const std::vector<Text>& texts) {
    ordered a = ordered::array();
    for (const Text& t : texts) a.push_back(t.value);
    return a;
  };
  if (s.statement->resource.present) j["resources"] = values(s.statement->resource.values);
  if (s.statement->not_resource.present) j["not_resources"] = values(s.statement->not_resource.values);
  j["conditions"] = statement_conditions(*v.policy, *s.statement);
  return j;
}

}  // namespace

bool DiffReport::adds_access() const {
  return std::any_of(policies.begin(), policies.end(),
                     [](const PolicyDiff& p) { return p.diff.adds_access() || !p.diff.undecided.empty(); });
}

void write_diff_text(std::ostream& out, const DiffReport& report, bool color) {
  auto paint = [&](std::string_view code, const std::string& s) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  };
  std::size_t added = 0, narrowed = 0;
  for (const PolicyDiff& d : report.policies) {
    // The file, and the policy's name in it when its container gives one.
    const std::string& file = d.after.policy ? d.after.file : d.before.file;
    bool named_by_file = d.name == file || file.starts_with(d.name + "@");  // "role.json@main"
    std::string name = escape_control(named_by_file ? d.name : file + ": " + d.name);
    if (d.before.policy && d.after.policy && d.before.file != d.after.file && d.name == d.after.file)
      name = escape_control(d.before.file + " -> " + d.after.file);
    if (!d.before.policy) name += " (new policy)";
    if (!d.after.policy) name += " (policy removed)";
    out << paint("1", name) << '\n';
    for (const AccessChange& c : d.diff.changes) {
      bool widens = is_new_access(c.kind);
      (widens ? added : narrowed)++;
      Explained e = explain(d, c);
      out << "  "
          << paint(widens ? "31" : "32", fmt::format("{} {}", widens ? '+' : '-', change_kind_name(c.kind)))
          << "  " << action_list(c.actions, 8) << '\n';
      out << "      " << e.message << '\n';
      for (const std::string& l : e.lines) out << "      " << l << '\n';
    }
    if (!d.diff.undecided.empty()) {
      out << "  " << paint("33", "? undecided") << "  " << action_list(d.diff.undecided, 8)
          << "\n      the search for a changed resource hit its limit: review these by hand\n";
    }
  }
  for (const std::string& n : report.notes) out << "note: " << escape_control(n) << '\n';
  out << fmt::format("{} polic{} compared: {} change{} that add access, {} that narrow it\n", report.compared,
                     report.compared == 1 ? "y" : "ies", added, added == 1 ? "" : "s", narrowed);
}

void write_diff_json(std::ostream& out, const DiffReport& report) {
  ordered doc;
  doc["schema"] = "scopecop/diff/v1";
  doc["tool"] = {{"name", "scopecop"}, {"version", std::string(version())}};
  ordered policies = ordered::array();
  std::size_t added = 0, narrowed = 0;
  for (const PolicyDiff& d : report.policies) {
    ordered p;
    p["name"] = escape_invalid_utf8(d.name);
    p["before"] = d.before.policy ? ordered(escape_invalid_utf8(d.before.file)) : ordered(nullptr);
    p["after"] = d.after.policy ? ordered(escape_invalid_utf8(d.after.file)) : ordered(nullptr);
    ordered changes = ordered::array();
    for (const AccessChange& c : d.diff.changes) {
      (is_new_access(c.kind) ? added : narrowed)++;
      ordered j;
      j["kind"] = change_kind_name(c.kind);
      j["new_access"] = is_new_access(c.kind);
      j["actions"] = c.actions;
      j["resources"] = c.witnesses;
      j["message"] = explain(d, c).message;
      ordered now = ordered::array(), before = ordered::array();
      for (std::size_t i : c.new_statements) now.push_back(statement_json(d.after, i));
      for (std::size_t i : c.old_statements) before.push_back(statement_json(d.before, i));
      j["after_statements"] = std::move(now);
      j["before_statements"] = std::move(before);
      changes.push_back(std::move(j));
    }
    p["changes"] = std::move(changes);
    p["undecided"] = d.diff.undecided;
    policies.push_back(std::move(p));
  }
  doc["policies"] = std::move(policies);
  doc["notes"] = report.notes;
  doc["summary"] = {{"policies", report.compared},
                    {"changes_adding_access", added},
                    {"changes_narrowing_access", narrowed},
                    {"adds_access", report.adds_access()}};
  out << escape_json_invisibles(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) << '\n';
}

void write_diff_sarif(std::ostream& out, const DiffReport& report) {
  ordered rules = ordered::array();
  for (ChangeKind k :
       {ChangeKind::Added, ChangeKind::ConditionDropped, ChangeKind::ConditionChanged,
        ChangeKind::DenyDropped, ChangeKind::Removed, ChangeKind::ConditionAdded, ChangeKind::DenyAdded}) {
    rules.push_back(
        {{"id", change_kind_name(k)},
         {"shortDescription",
          {{"text", is_new_access(k) ? "The change adds access." : "The change narrows access."}}},
         {"defaultConfiguration", {{"level", is_new_access(k) ? "error" : "note"}}}});
  }
  ordered results = ordered::array();
  for (const PolicyDiff& d : report.policies) {
    for (const AccessChange& c : d.diff.changes) {
      StatementAt s = anchor(d, c);
      Explained e = explain(d, c);
      std::string text = action_list(c.actions, 20) + ": " + e.message;
      for (const std::string& l : e.lines) text += "; " + l;
      results.push_back(
          {{"ruleId", change_kind_name(c.kind)},
           {"level", is_new_access(c.kind) ? "error" : "note"},
           {"message", {{"text", text}}},
           {"locations",
            ordered::array(
                {{{"physicalLocation",
                   {{"artifactLocation", sarif_artifact(s.version->file)},
                    {"region", {{"startLine", s.position.line}, {"startColumn", s.position.column}}}}}}})},
           {"properties",
            {{"policy", escape_invalid_utf8(d.name)}, {"actions", c.actions}, {"resources", c.witnesses}}}});
    }
  }
  ordered run;
  run["tool"] = {{"driver", {{"name", "scopecop"}, {"version", std::string(version())}, {"rules", rules}}}};
  run["columnKind"] = "unicodeCodePoints";
  run["originalUriBaseIds"] = {
      {"%SRCROOT%", {{"description", {{"text", "The directory scopecop was run in."}}}}}};
  run["results"] = std::move(results);
  ordered doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = ordered::array({run});
  out << escape_json_invisibles(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) << '\n';
}

void write_diff_github(std::ostream& out, const DiffReport& report) {
  for (const PolicyDiff& d : report.policies) {
    for (const AccessChange& c : d.diff.changes) {
      StatementAt s = anchor(d, c);
      Explained e = explain(d, c);
      std::string text = action_list(c.actions, 20) + ": " + e.message;
      for (const std::string& l : e.lines) text += "\n" + l;
      out << fmt::format(
          "::{} file={},line={},col={},title={}::{}\n", is_new_access(c.kind) ? "error" : "notice",
          github_property(s.version->file), s.position.line, s.position.column,
          github_property("scopecop diff: " + std::string(change_kind_name(c.kind))), github_data(text));
    }
  }
}

}  // namespace scopecop
