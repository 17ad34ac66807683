// Reporting list entries that another entry of the same list already covers (ACTION-005, RESOURCE-007).
#pragma once

#include <algorithm>
#include <array>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "scopecop/rule.h"
#include "scopecop/text.h"

namespace scopecop::rules {

// covering_entries for lists whose entries are all plain text (none holds one of `special`): such an entry
// covers another only when they are equal, so sorting answers what building patterns would. Nullopt when
// some entry is not plain.
inline std::optional<std::vector<std::optional<std::size_t>>> covering_plain(const std::vector<Text>& values,
                                                                             bool ignore_case,
                                                                             std::string_view special) {
  std::vector<std::optional<std::size_t>> out(values.size());
  if (values.size() < 2) return out;
  std::array<bool, 256> is_special{};
  for (char c : special) is_special[static_cast<unsigned char>(c)] = true;
  for (const Text& t : values) {
    for (char c : t.value) {
      if (is_special[static_cast<unsigned char>(c)]) return std::nullopt;
    }
  }
  // A short list (most are) is compared pair by pair: each entry with the first equal one before it.
  if (values.size() <= 16) {
    for (std::size_t i = 1; i < values.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        const std::string& a = values[i].value;
        const std::string& b = values[j].value;
        if (ignore_case ? iequals(a, b) : a == b) {
          out[i] = j;
          break;
        }
      }
    }
    return out;
  }
  // The entries as compared, folded when case is ignored, one after another in one buffer.
  std::string buffer;
  for (const Text& t : values) buffer += t.value;
  if (ignore_case) {
    for (char& c : buffer) c = fold_ascii(c);
  }
  std::vector<std::string_view> keys;
  keys.reserve(values.size());
  for (std::size_t i = 0, at = 0; i < values.size(); at += values[i++].value.size()) {
    keys.push_back(std::string_view(buffer).substr(at, values[i].value.size()));
  }
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Of equal entries, each later one is covered by the first (as covering_entries answers).
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  for (std::size_t k = 1, first = order[0]; k < order.size(); ++k) {
    if (keys[order[k]] == keys[first]) {
      out[order[k]] = first;
    } else {
      first = order[k];
    }
  }
  return out;
}

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
