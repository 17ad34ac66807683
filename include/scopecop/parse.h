// From text to the policy model: find the policy documents in a file's text and normalize each one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/json.h"
#include "scopecop/policy.h"

namespace scopecop {

// A policy a file holds that is not read (a document its container does not determine, a resource type
// scopecop does not know): reports name it in a note, so that nothing is skipped silently.
struct Unread {
  Span span;
  std::string pointer;
  std::string name;    // what it is called in its container: a logical id, a Terraform address
  std::string reason;  // why it is not read
};

// A suppression written where the policy lives: in a YAML template, a comment
// `# scopecop: ignore[CODE,...] reason (expires YYYY-MM-DD)` on an element's line or on the lines above it;
// in any template, a resource's `Metadata: {scopecop: {ignore: [{code, reason, expires}]}}`. It accepts the
// findings that start inside the element (within a policy statement: the statement; the resource).
struct InlineSuppression {
  std::string rule;  // a code, name or prefix, as --select takes
  std::string reason;
  std::optional<std::string> expires;  // YYYY-MM-DD, the last day it applies
  Span at;                             // the comment, or the Metadata entry
  Span covers;
  std::string problem;  // why it cannot apply, or ""
};

struct ParsedFile {
  std::optional<json::SyntaxError> syntax_error;
  bool recognized = false;  // the text holds policy documents
  bool yaml = false;        // the text was read as YAML (a CloudFormation template)
  std::vector<Policy> policies;
  std::vector<Unread> unread;
  std::vector<InlineSuppression> suppressions;
};

// What a CloudFormation template's pseudo parameters stand for where the stack is deployed, as far as the
// configuration's scope determines it (one account, one region); unknown values are left unresolved.
struct Deployment {
  std::string partition = "aws";
  std::optional<std::string> account;
  std::optional<std::string> region;
  // The scope allows any account (region): in a Resource ARN's account (region) field, the stack's own is
  // then "*" for the rules.
  bool any_account = true;
  bool any_region = true;
};

// `name` is what findings call a policy that its container does not name (usually the file's path). JSON is
// read as JSON; a CloudFormation template in YAML as YAML. The documents of a container are normalized on up
// to `jobs` threads.
ParsedFile parse_policies(std::string_view text, std::string_view name, const Deployment& deployment = {},
                          unsigned jobs = 1);

// Whether a parsed JSON value looks like a policy document: a Statement (or a near miss), or a policy
// Version.
bool looks_like_policy(const json::Value& root);

// Normalizes one policy document; `text` is the text its spans refer to.
Policy normalize_policy(const json::Value& document, std::string_view text, std::string pointer,
                        std::string name);

// Sets the policy's sizes from the document's text as IAM receives it.
void measure_document(Policy& policy, std::string_view document_text);

}  // namespace scopecop
