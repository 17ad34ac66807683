#include "scopecop/suppress.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scopecop/json.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

std::string_view shown_path(std::string_view file) {
  while (file.starts_with("./")) file.remove_prefix(2);
  return file;
}

bool glob_matches(const std::optional<std::string>& pattern, std::string_view value) {
  return !pattern || glob_match(*pattern, value);
}

bool matches(const Suppression& s, const Finding& f) {
  if (!glob_matches(s.file, shown_path(f.file)) || !glob_matches(s.policy, f.policy)) return false;
  if (s.sid && *s.sid != f.sid) return false;
  if (s.statement && f.statement != s.statement) return false;
  // Action names are case-insensitive in IAM.
  if (s.action && (f.action.empty() || !glob_match(to_lower(*s.action), to_lower(f.action)))) return false;
  if (s.resource && (f.resource.empty() || !glob_match(*s.resource, f.resource))) return false;
  if (s.within) {
    auto key = [](Position p) { return std::pair(p.line, p.column); };
    if (key(f.start) < key(s.within->first) || !(key(f.start) < key(s.within->second))) return false;
  }
  return true;
}

// The rules an entry's rule word selects; the problem with the word, or "".
std::string rules_of(const Suppression& s, RuleSelection& chosen) {
  std::vector<std::string> one{s.rule};
  return RuleSelection::resolve(one, {}, chosen);
}

}  // namespace

std::string rule_problem(const Suppression& s) {
  RuleSelection chosen;
  return rules_of(s, chosen);
}

std::string check_suppressions(const std::vector<Suppression>& entries, std::string_view config_path) {
  for (const Suppression& s : entries) {
    if (std::string problem = rule_problem(s); !problem.empty()) {
      return fmt::format("{}:{}:{}: suppress: {}", config_path, s.line, s.column, problem);
    }
  }
  return {};
}

Suppressed apply_suppressions(std::span<FileResult> files, const std::vector<Suppression>& entries,
                              std::string_view config_path, const RuleSelection& ran,
                              std::string_view today) {
  Suppressed out;
  if (entries.empty()) return out;
  std::vector<RuleSelection> rules(entries.size());
  std::vector<std::size_t> used(entries.size(), 0);
  std::vector<bool> live(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    rules_of(entries[i], rules[i]);
    live[i] = !entries[i].expires || today <= *entries[i].expires;
  }
  for (FileResult& file : files) {
    auto suppressed = [&](const Finding& f) {
      const RuleMeta* meta = find_rule_meta(f.code);
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (live[i] && meta && rules[i].enabled(*meta) && matches(entries[i], f)) {
          ++used[i];
          return true;
        }
      }
      return false;
    };
    auto end = std::remove_if(file.findings.begin(), file.findings.end(), suppressed);
    out.count += static_cast<std::size_t>(file.findings.end() - end);
    file.findings.erase(end, file.findings.end());
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Suppression& s = entries[i];
    std::string where = fmt::format("{}:{}:{}", config_path, s.line, s.column);
    if (!live[i]) {
      out.warnings.push_back(
          fmt::format("{}: the suppression of {} expired on {} and no longer applies (its reason: {})", where,
                      s.rule, *s.expires, escape_control(s.reason)));
      continue;
    }
    if (used[i]) continue;
    bool rule_ran = std::any_of(rule_metadata().begin(), rule_metadata().end(),
                                [&](const RuleMeta& m) { return rules[i].enabled(m) && ran.enabled(m); });
    bool file_checked = !s.file || std::any_of(files.begin(), files.end(), [&](const FileResult& f) {
      return glob_match(*s.file, shown_path(f.path));
    });
    if (rule_ran && file_checked) {
      out.warnings.push_back(
          fmt::format("{}: the suppression of {} matches no finding; remove it", where, s.rule));
    }
  }
  return out;
}

std::string today_utc() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::chrono::year_month_day date{days};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

namespace {

constexpr std::string_view kBaselineSchema = "scopecop/baseline/v1";

// A baseline is JSON, which carries only Unicode: names with bytes that are not UTF-8 are written, and so
// compared, with those bytes escaped.
std::string key(std::string_view file, std::string_view policy, std::string_view code,
                std::string_view statement, std::string_view action, std::string_view resource) {
  return escape_invalid_utf8(fmt::format("{}\x1F{}\x1F{}\x1F{}\x1F{}\x1F{}", shown_path(file), policy, code,
                                         statement, action, resource));
}

std::string statement_key(const std::string& sid, std::optional<std::size_t> index) {
  if (!sid.empty()) return "sid:" + sid;
  return index ? fmt::format("#{}", *index) : std::string();
}

std::string key_of(const Finding& f) {
  return key(f.file, f.policy, f.code, statement_key(f.sid, f.statement), f.action, f.resource);
}

}  // namespace

std::string write_baseline(const std::vector<FileResult>& files) {
  std::vector<const Finding*> all;
  for (const FileResult& file : files) {
    for (const Finding& f : file.findings) all.push_back(&f);
  }
  std::sort(all.begin(), all.end(), [](const Finding* a, const Finding* b) { return finding_less(*a, *b); });
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const Finding* f : all) {
    nlohmann::ordered_json e;
    e["file"] = escape_invalid_utf8(shown_path(f->file));
    e["policy"] = escape_invalid_utf8(f->policy);
    e["code"] = std::string(f->code);
    if (f->statement) e["statement"] = *f->statement;
    if (!f->sid.empty()) e["sid"] = escape_invalid_utf8(f->sid);
    if (!f->action.empty()) e["action"] = escape_invalid_utf8(f->action);
    if (!f->resource.empty()) e["resource"] = escape_invalid_utf8(f->resource);
    entries.push_back(std::move(e));
  }
  nlohmann::ordered_json doc;
  doc["schema"] = kBaselineSchema;
  doc["findings"] = std::move(entries);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<Baseline> Baseline::parse(std::string_view text, std::string_view path, std::string& error) {
  // scopecop's own parser bounds the nesting first: nlohmann's recursion would overflow the stack.
  nlohmann::json doc = json::parse(text).error ? nlohmann::json(nlohmann::json::value_t::discarded)
                                               : nlohmann::json::parse(text, nullptr, false);
  auto schema = doc.is_object() ? doc.find("schema") : doc.end();
  if (doc.is_discarded() || !doc.is_object() || schema == doc.end() || *schema != kBaselineSchema ||
      !doc.contains("findings") || !doc["findings"].is_array()) {
    error = fmt::format(
        "{}: not a scopecop baseline (expected a JSON object with \"schema\": \"{}\" and "
        "\"findings\"; write one with --write-baseline)",
        path, kBaselineSchema);
    return std::nullopt;
  }
  Baseline baseline;
  std::size_t index = 0;
  for (const nlohmann::json& e : doc["findings"]) {
    auto text_of = [&](const char* name) {
      const auto it = e.find(name);
      return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!e.is_object() || text_of("file").empty() || text_of("code").empty()) {
      error = fmt::format("{}: finding {} of the baseline needs a file and a code", path, index);
      return std::nullopt;
    }
    std::optional<std::size_t> statement;
    if (auto it = e.find("statement"); it != e.end() && it->is_number_unsigned())
      statement = it->get<std::size_t>();
    baseline.keys_.push_back(key(text_of("file"), text_of("policy"), text_of("code"),
                                 statement_key(text_of("sid"), statement), text_of("action"),
                                 text_of("resource")));
    ++index;
  }
  std::sort(baseline.keys_.begin(), baseline.keys_.end());
  return baseline;
}

std::size_t Baseline::apply(std::vector<FileResult>& files) const {
  std::map<std::string_view, std::size_t> left;  // each entry accounts for one finding
  for (const std::string& k : keys_) ++left[k];
  std::size_t removed = 0;
  for (FileResult& file : files) {
    auto end = std::remove_if(file.findings.begin(), file.findings.end(), [&](const Finding& f) {
      auto it = left.find(key_of(f));
      if (it == left.end() || it->second == 0) return false;
      --it->second;
      return true;
    });
    removed += static_cast<std::size_t>(file.findings.end() - end);
    file.findings.erase(end, file.findings.end());
  }
  return removed;
}

}  // namespace scopecop
