#include <array>

#include "scopecop/parse.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {
constexpr std::array<std::string_view, 3> kPolicyKeys = {"Version", "Statement", "Id"};
}

bool looks_like_policy(const json::Value& root) {
  if (!root.is(json::Kind::Object)) return false;
  for (const json::Member& m : root.members) {
    // A misspelt top-level key still marks a policy, so that the typo is reported rather than the file skipped.
    if (did_you_mean(m.key, kPolicyKeys)) return true;
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
  }
  return out;
}

}  // namespace scopecop
