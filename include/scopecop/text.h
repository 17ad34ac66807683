// Small string helpers shared by the parser, the rules and the reports.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scopecop {

// Levenshtein distance. A distance above `limit` is answered sooner, by some number above `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit = std::string_view::npos);

// The candidate closest to `word` (case-insensitively), if it is close enough to be a likely typo.
std::optional<std::string_view> did_you_mean(std::string_view word,
                                             std::span<const std::string_view> candidates);

std::string to_lower(std::string_view s);

inline char fold_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fold_ascii(a[i]) != fold_ascii(b[i])) return false;
  }
  return true;
}
// Order that ignores ASCII case: <0, 0 or >0 as a.compare(b).
inline int compare_ignoring_case(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    auto x = static_cast<unsigned char>(fold_ascii(a[i]));
    auto y = static_cast<unsigned char>(fold_ascii(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// Hash and equality that ignore ASCII case, for tables of IAM names (service prefixes, action names).
struct FoldedHash {
  std::size_t operator()(std::string_view s) const noexcept {
    std::size_t h = 14695981039346656037ull;  // FNV-1a
    for (char c : s) h = (h ^ static_cast<unsigned char>(fold_ascii(c))) * 1099511628211ull;
    return h;
  }
};
struct FoldedEqual {
  bool operator()(std::string_view a, std::string_view b) const { return iequals(a, b); }
};

// The positions of a list's names, found by name ignoring ASCII case: a table of twice as many slots as
// names, probed in turn, that holds positions only (the names stay in the list). A catalog service's actions
// are looked up here tens of thousands of times a check; a binary search missed the cache at every step.
class FoldedIndex {
 public:
  // `name(i)`: the name at position i of `count`.
  template <class Name>
  FoldedIndex(std::size_t count, Name&& name) {
    std::size_t size = 4;
    while (size < 2 * count) size *= 2;
    slots_.assign(size, 0);
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t at = FoldedHash{}(name(i)) & (size - 1);
      while (slots_[at] != 0 && !iequals(name(slots_[at] - 1), name(i))) at = (at + 1) & (size - 1);
      if (slots_[at] == 0) slots_[at] = static_cast<std::uint32_t>(i + 1);  // the first of equal names
    }
  }
  FoldedIndex() = default;

  // The position of `key` (the first of equal names), or nullopt.
  template <class Name>
  std::optional<std::size_t> find(std::string_view key, Name&& name) const {
    if (slots_.empty()) return std::nullopt;
    const std::size_t mask = slots_.size() - 1;
    const std::size_t hash = FoldedHash{}(key);
    for (std::size_t at = hash & mask; slots_[at] != 0; at = (at + 1) & mask) {
      if (iequals(name(slots_[at] - 1), key)) return slots_[at] - 1;
    }
    return std::nullopt;
  }

 private:
  std::vector<std::uint32_t> slots_;  // position + 1; 0: empty
};

// A date written YYYY-MM-DD (an expiry).
bool is_date(std::string_view v);

// IAM-style wildcard match: '*' matches any run of characters, '?' any one character.
bool glob_match(std::string_view pattern, std::string_view text);

// Replaces control characters (C0, DEL, C1), bidirectional overrides and isolates and invalid UTF-8 with
// visible escapes, so that text from a policy can never drive a terminal or reorder what it shows.
std::string escape_control(std::string_view s);
void append_escaped(std::string& out, std::string_view s);  // escape_control(s), appended to `out`
// The length of the well-formed UTF-8 character at s[i], or 0 when there is none.
std::size_t utf8_length(std::string_view s, std::size_t i);
// `s` with each byte that is not part of well-formed UTF-8 written "\xff" as escape_control writes it, and
// the rest untouched: file names for formats that carry only Unicode (JSON), told apart as they are shown.
std::string escape_invalid_utf8(std::string_view s);
// The code point of a C1 control, a bidirectional override or isolate, or U+2028/U+2029 that `utf8` (one
// character's UTF-8) encodes, or 0.
std::uint32_t invisible_control(std::string_view utf8);
// Serialized JSON with those characters written as \uXXXX escapes: valid JSON with the same strings, and
// nothing in it that makes a terminal or an editor show something else than what is there.
std::string escape_json_invisibles(std::string json);

}  // namespace scopecop
