#include <array>

#include "parse/containers.h"
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

ParsedFile parse_policies(std::string_view text, std::string_view name) {
  ParsedFile out;
  json::Document doc = json::parse(text);
  if (doc.error) {
    out.syntax_error = std::move(doc.error);
    return out;
  }
  if (looks_like_policy(doc.root)) {
    out.recognized = true;
    out.policies.push_back(normalize_policy(doc.root, text, "", std::string(name)));
  } else {
    out.recognized = read_containers(doc.root, text, name, out);
  }
  return out;
}

}  // namespace scopecop
