// Suppressions written in a template beside the policies they accept (see InlineSuppression).
#pragma once

#include <string_view>
#include <vector>

#include "scopecop/json.h"
#include "scopecop/parse.h"

namespace scopecop {

// A template's suppressions: its resources' Metadata and, when it was read as YAML, its `# scopecop:`
// comments. Entries that cannot apply carry their problem.
std::vector<InlineSuppression> inline_suppressions(const json::Value& root, std::string_view text, bool yaml);

}  // namespace scopecop
