#include "scopecop/selection.h"

#include <algorithm>

#include <fmt/format.h>

#include "scopecop/text.h"

namespace scopecop {

RuleSelection::RuleSelection() : enabled_(rule_metadata().size(), true) {}

bool RuleSelection::enabled(const RuleMeta& rule) const {
  auto all = rule_metadata();
  auto index = static_cast<std::size_t>(&rule - all.data());
  return index < enabled_.size() && enabled_[index];
}

std::size_t RuleSelection::count() const {
  return static_cast<std::size_t>(std::count(enabled_.begin(), enabled_.end(), true));
}

namespace {

// A word matches a rule by code, by name, by "ALL", or as a prefix of the code ("S3", "ATHENA-00").
bool matches(std::string_view word, const RuleMeta& rule) {
  if (word == "ALL") return true;
  if (iequals(word, rule.name)) return true;
  std::string upper(word);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return rule.code.starts_with(upper);
}

std::string unknown_word(std::string_view word) {
  std::vector<std::string_view> candidates{"ALL"};
  for (const RuleMeta& r : rule_metadata()) {
    candidates.push_back(r.code);
    candidates.push_back(r.name);
    candidates.push_back(rule_family(r.code));
  }
  std::string message = fmt::format("unknown rule selector \"{}\"", escape_control(word));
  if (auto best = did_you_mean(word, candidates)) message += fmt::format("; did you mean \"{}\"?", *best);
  return message;
}

}  // namespace

std::string RuleSelection::resolve(std::span<const std::string> select, std::span<const std::string> ignore,
                                   RuleSelection& out) {
  auto all = rule_metadata();
  auto apply = [&](std::span<const std::string> words, bool value) -> std::string {
    for (const std::string& word : words) {
      if (word.empty()) continue;
      bool any = false;
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (matches(word, all[i])) {
          out.enabled_[i] = value;
          any = true;
        }
      }
      if (!any) return unknown_word(word);
    }
    return {};
  };
  out.enabled_.assign(all.size(), select.empty());
  if (std::string error = apply(select, true); !error.empty()) return error;
  return apply(ignore, false);
}

}  // namespace scopecop
