// A rule's documentation page (docs/rules/<CODE>.md and `scopecop rule CODE`), rendered from its metadata.
#pragma once

#include <string>

#include "scopecop/rule.h"

namespace scopecop {

std::string render_rule_page(const RuleMeta& rule);

// Where a rule's page lives in the repository, for links from SARIF and the text output.
std::string rule_page_path(const RuleMeta& rule);

}  // namespace scopecop
