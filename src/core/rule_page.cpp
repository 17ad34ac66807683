#include "scopecop/rule_page.h"

#include <fmt/format.h>

namespace scopecop {

namespace {
std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

std::string rule_page_path(const RuleMeta& rule) {
  return fmt::format("docs/rules/{}.md", rule.code);
}

std::string render_rule_page(const RuleMeta& rule) {
  std::string page = fmt::format("# {} {}\n\n", rule.code, rule.name);
  page += fmt::format("Severity: **{}**", severity_name(rule.severity));
  if (!rule.example_policy_type.empty())
    page += fmt::format(" · examples checked as `{}` policies", rule.example_policy_type);
  page += fmt::format("\n\n{}.\n\n## Why\n\n{}\n\n", rule.summary, trimmed(rule.why));
  if (!rule.example_config.empty())
    page += fmt::format("The examples are checked with this `.scopecop.yaml`:\n\n```yaml\n{}\n```\n\n",
                        trimmed(rule.example_config));
  page += fmt::format("## Flagged\n\n```json\n{}\n```\n\n## Not flagged\n\n```json\n{}\n```\n\n",
                      trimmed(rule.bad), trimmed(rule.good));
  page += fmt::format("## Options\n\n{}\n", rule.options.empty() ? "None." : trimmed(rule.options));
  if (!rule.values.empty()) {
    page += "\n## Data\n\n| value | why it is listed |\n| --- | --- |\n";
    for (const RuleValue& v : rule.values) page += fmt::format("| `{}` | {} |\n", v.value, v.reason);
  }
  page += fmt::format("\n<!-- Generated from rules/ by `scopecop rule {}`; do not edit. -->\n", rule.code);
  return page;
}

}  // namespace scopecop
