#include "report/markup.h"

#include <algorithm>

#include "scopecop/text.h"

namespace scopecop {

// A long line (minified JSON) is shown as a window of about kWidth code points, starting kLead before the
// span.
constexpr std::size_t kWidth = 120;
constexpr std::size_t kLead = 40;

Excerpt excerpt_of(const Finding& f, const SourceText& source) {
  Excerpt e;
  e.length = source.line_code_points(f.start.line);
  e.begin = std::min<std::size_t>(f.start.column - 1, e.length);
  e.end = f.end.line == f.start.line ? std::max<std::size_t>(f.end.column - 1, e.begin + 1) : e.length;
  e.end = std::max(std::min(e.end, e.length), e.begin + 1);
  e.to = e.length;
  if (e.length > kWidth) {
    // Never more than the window: a finding on a whole policy held in one JSON string (a plan's) shows
    // where the string starts, and the "= in:" line says which statement.
    e.from = e.begin > kLead ? e.begin - kLead : 0;
    e.to = std::min(e.length, e.from + kWidth);
  }
  return e;
}

std::string markup(std::string_view s) {
  std::string out;
  std::string visible = escape_control(s);
  for (std::size_t i = 0; i < visible.size(); ++i) {
    char c = visible[i];
    // U+FFFE and U+FFFF are no XML 1.0 characters either.
    if (visible.compare(i, 2, "\xEF\xBF") == 0 && i + 2 < visible.size() &&
        (visible[i + 2] == '\xBE' || visible[i + 2] == '\xBF')) {
      out += visible[i + 2] == '\xBE' ? "\\uFFFE" : "\\uFFFF";
      i += 2;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace scopecop
