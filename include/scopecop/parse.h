// From text to the policy model: find the policy documents in a file's text and normalize each one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/json.h"
#include "scopecop/policy.h"

namespace scopecop {

struct ParsedFile {
  std::optional<json::SyntaxError> syntax_error;
  bool recognized = false;  // the text is JSON and holds policy documents
  std::vector<Policy> policies;
};

// `name` is what findings call a policy that its container does not name (usually the file's path).
ParsedFile parse_policies(std::string_view text, std::string_view name);

// Whether a parsed JSON value looks like a policy document: a Statement (or a near miss), or a policy
// Version.
bool looks_like_policy(const json::Value& root);

// Normalizes one policy document; `text` is the text its spans refer to.
Policy normalize_policy(const json::Value& document, std::string_view text, std::string pointer,
                        std::string name);

}  // namespace scopecop
