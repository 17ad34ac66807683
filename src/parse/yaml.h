// YAML (CloudFormation templates) read into the same tree as JSON, with byte spans into the text, so that
// a template's policies are normalized and located exactly like JSON ones.
#pragma once

#include <string_view>

#include "scopecop/json.h"

namespace scopecop::yaml {

// Parses YAML into a json::Value tree. Short-form tags become CloudFormation's long form (`!Sub s` is
// {"Fn::Sub": s}, `!Ref x` is {"Ref": x}) whose key spans the tag. Plain scalars are strings, except true,
// false and null; quoted ones are strings. Never throws; on error, `error` holds the offset and the reason.
json::Document parse(std::string_view text, std::size_t max_depth = json::kMaxDepth);

}  // namespace scopecop::yaml
