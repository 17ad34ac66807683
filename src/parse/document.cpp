#include <array>

#include <fmt/format.h>

#include "parse/containers.h"
#include "parse/inline_suppressions.h"
#include "parse/yaml.h"
#include "scopecop/parse.h"
#include "scopecop/text.h"

namespace scopecop {

bool looks_like_policy(const json::Value& root) {
  if (!root.is(json::Kind::Object)) return false;
  constexpr std::array<std::string_view, 1> kStatement = {"Statement"};
  for (const json::Member& m : root.members) {
    // A misspelt "Statement" still marks a policy, so that the typo is reported rather than the file skipped.
    if (did_you_mean(m.key, kStatement)) return true;
    // So does a policy language version: such a document lacks only its statements.
    if (m.key == "Version" && (m.value.text == "2012-10-17" || m.value.text == "2008-10-17")) return true;
  }
  return false;
}

namespace {

bool starts_like_json(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t at = text.find_first_not_of(" \t\r\n");
  return at == std::string_view::npos || text[at] == '{' || text[at] == '[';
}

// A text that fails to parse as YAML is still reported when it was meant to be a template.
bool mentions_template(std::string_view text) {
  return text.find("AWSTemplateFormatVersion") != std::string_view::npos || text.starts_with("Resources:") ||
         text.find("\nResources:") != std::string_view::npos;
}

bool yaml_name(std::string_view name) {
  return name.ends_with(".yaml") || name.ends_with(".yml");
}

// Nothing but blank lines and YAML comments: an empty file, or a template with everything commented out.
bool holds_nothing(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    std::size_t at = line.find_first_not_of(" \t\r");
    if (at != std::string_view::npos && line[at] != '#') return false;
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return true;
}

}  // namespace

ParsedFile parse_policies(std::string_view text, std::string_view name, const Deployment& deployment,
                          unsigned jobs) {
  ParsedFile out;
  // IAM, CloudFormation and Terraform read UTF-8; a file in UTF-16 or UTF-32 is named, never misread.
  for (std::string_view bom :
       {std::string_view("\x00\x00\xFE\xFF", 4), std::string_view("\xFF\xFE\x00\x00", 4),
        std::string_view("\xFE\xFF"), std::string_view("\xFF\xFE")}) {
    if (!text.starts_with(bom)) continue;
    int bits = bom.size() == 4 ? 32 : 16;
    out.recognized = true;
    out.syntax_error = json::SyntaxError{
        0, fmt::format("the file is in UTF-{} (its byte order mark says so), but policies and templates are "
                       "UTF-8: convert it, e.g. with iconv -f UTF-{} -t UTF-8",
                       bits, bits)};
    return out;
  }
  // An empty YAML file, or one with only comments, holds nothing to check (CloudFormation rejects it as a
  // template): not recognized, so skipped in a directory. An empty JSON file is a broken policy (POLICY-001).
  if (holds_nothing(text) && (yaml_name(name) || text.find('#') != std::string_view::npos)) return out;
  if (!starts_like_json(text)) {
    // A YAML mapping is a CloudFormation template, or some other YAML file (a workflow, a compose file)
    // that holds no policy; anything else is a broken JSON file, and the JSON parser says where.
    json::Document yaml = yaml::parse(text);
    if (!yaml.error && yaml.root.is(json::Kind::Object)) {
      out.yaml = true;
      // Before the containers are read, which empties the documents' values.
      std::vector<InlineSuppression> suppressions = inline_suppressions(yaml.root, text, true);
      out.recognized = read_containers(yaml.root, text, name, deployment, out, jobs);
      if (out.recognized) out.suppressions = std::move(suppressions);
      return out;
    }
    if (yaml.error && mentions_template(text)) {
      out.yaml = true;
      out.syntax_error = std::move(yaml.error);
      return out;
    }
    // Other YAML files (a Kubernetes manifest of several documents, a workflow) hold no policy.
    if (yaml_name(name)) return out;
  }
  json::Document doc = json::parse(text, json::kMaxDepth, jobs);
  if (doc.error) {
    out.syntax_error = std::move(doc.error);
    return out;
  }
  if (looks_like_policy(doc.root)) {
    out.recognized = true;
    out.policies.push_back(normalize_policy(doc.root, text, "", std::string(name)));
  } else {
    std::vector<InlineSuppression> suppressions = inline_suppressions(doc.root, text, false);
    out.recognized = read_containers(doc.root, text, name, deployment, out, jobs);
    if (out.recognized) out.suppressions = std::move(suppressions);
  }
  return out;
}

}  // namespace scopecop
