#include "scopecop/text.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace scopecop {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t least = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
      least = std::min(least, row[j]);
    }
    // A row's least value never decreases in the rows after it.
    if (least > limit) return least;
  }
  return row[b.size()];
}

std::optional<std::string_view> did_you_mean(std::string_view word,
                                             std::span<const std::string_view> candidates) {
  // A third of the word may be wrong, at least one character, at most three.
  const std::size_t allowed = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::string lowered = to_lower(word), candidate;
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (std::string_view c : candidates) {
    // The distance is at least the difference in length: such a candidate is too far, or cannot do better.
    std::size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (gap > allowed || (best && gap >= best_distance)) continue;
    candidate.assign(c);
    for (char& ch : candidate) ch = fold_ascii(ch);
    // Only a distance below the best so far, and within what is allowed, can change the answer.
    std::size_t d = edit_distance(lowered, candidate, best ? std::min(allowed, best_distance - 1) : allowed);
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  if (best && best_distance <= allowed) return best;
  return std::nullopt;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_date(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  int month = std::stoi(std::string(v.substr(5, 2)));
  int day = std::stoi(std::string(v.substr(8, 2)));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Greedy matching with backtracking to the last '*': linear in practice, no recursion.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::uint32_t invisible_control(std::string_view utf8) {
  auto at = [&](std::size_t k) { return k < utf8.size() ? static_cast<unsigned char>(utf8[k]) : 0u; };
  if (utf8.size() == 2 && at(0) == 0xC2 && at(1) < 0xA0) return at(1);  // U+0080..U+009F
  if (utf8.size() == 3 && at(0) == 0xE2) {
    std::uint32_t cp = 0x2000 | ((at(1) & 0x3F) << 6) | (at(2) & 0x3F);
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029)
      return cp;
  }
  return 0;
}

std::string escape_json_invisibles(std::string json) {
  // A plain loop: find_first_of calls memchr once per character of the text.
  auto next = [&json](std::size_t from) {
    auto it = std::find_if(json.begin() + static_cast<std::ptrdiff_t>(from), json.end(),
                           [](char c) { return c == '\xC2' || c == '\xE2'; });
    return it == json.end() ? std::string::npos : static_cast<std::size_t>(it - json.begin());
  };
  std::size_t at = next(0);
  if (at == std::string::npos) return json;
  std::string out;
  out.reserve(json.size());
  std::size_t copied = 0;  // json[copied, at) is plain text
  for (; at != std::string::npos; at = next(at)) {
    std::size_t len = static_cast<unsigned char>(json[at]) == 0xC2 ? 2 : 3;
    std::uint32_t cp =
        at + len <= json.size() ? invisible_control(std::string_view(json).substr(at, len)) : 0;
    if (!cp) {
      ++at;
      continue;
    }
    out.append(json, copied, at - copied);
    out += fmt::format("\\u{:04x}", cp);
    at += len;
    copied = at;
  }
  out.append(json, copied, std::string::npos);
  return out;
}

std::string escape_control(std::string_view s) {
  std::string out;
  append_escaped(out, s);
  return out;
}

std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = at(0);
  if (i >= s.size()) return 0;
  if (c < 0x80) return 1;
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((at(k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 (RFC 3629).
  if ((c == 0xE0 && at(1) < 0xA0) || (c == 0xED && at(1) >= 0xA0) || (c == 0xF0 && at(1) < 0x90) ||
      (c == 0xF4 && at(1) >= 0x90))
    return 0;
  return len;
}

std::string escape_invalid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (std::size_t len = utf8_length(s, i)) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i++]));
    }
  }
  return out;
}

void append_escaped(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        out += fmt::format("\\x{:02x}", c);
        ++i;
        continue;
      }
      // A run of printable ASCII, copied at once.
      std::size_t end = i + 1;
      while (end < s.size() && s[end] >= 0x20 && s[end] < 0x7F) ++end;
      out.append(s.substr(i, end - i));
      i = end;
      continue;
    }
    std::size_t len = utf8_length(s, i);
    if (!len) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    // C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F; some terminals act on them. Bidirectional
    // overrides and isolates reorder what is shown around them.
    if (std::uint32_t cp = invisible_control(s.substr(i, len))) {
      out += fmt::format("\\u{{{:x}}}", cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
}

}  // namespace scopecop
