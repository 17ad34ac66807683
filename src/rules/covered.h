// Reporting list entries that another entry of the same list already covers (ACTION-005, RESOURCE-007).
#pragma once

#include <optional>
#include <vector>

#include <fmt/format.h>

#include "scopecop/rule.h"
#include "scopecop/text.h"

namespace scopecop::rules {

// `covering[i]` is the entry that covers entry i (see covering_entries). Entries equal as written (ignoring
// case when `ignore_case`) are "listed twice".
inline void report_covered(const Statement& s, const std::vector<Text>& values,
                           const std::vector<std::optional<std::size_t>>& covering, bool ignore_case,
                           FindingSink& sink, std::string Finding::*field) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!covering[i]) continue;
    const Text& other = values[*covering[i]];
    bool same = ignore_case ? iequals(values[i].value, other.value) : values[i].value == other.value;
    std::string message =
        same ? fmt::format("\"{}\" is listed twice", values[i].value)
             : fmt::format("\"{}\" is already covered by \"{}\"", values[i].value, other.value);
    Finding& f = sink.add(s, values[i], std::move(message));
    f.*field = values[i].value;
    f.help = fmt::format("remove \"{}\"", values[i].value);
  }
}

}  // namespace scopecop::rules
