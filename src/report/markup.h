// Text for the markup formats (JUnit's XML, the HTML report).
#pragma once

#include <string>
#include <string_view>

#include "scopecop/finding.h"
#include "scopecop/source.h"

namespace scopecop {

// XML 1.0 (and HTML) text: markup characters escaped; control characters, which XML 1.0 cannot carry and
// which could make a page show something else than what is there, made visible.
std::string markup(std::string_view s);

// The part of a finding's source line a report shows, in code points: about 120 around the finding, so that
// a minified multi-megabyte line costs the window, not the line, per finding.
struct Excerpt {
  std::size_t length = 0;          // of the line
  std::size_t from = 0, to = 0;    // the window
  std::size_t begin = 0, end = 0;  // the finding's columns, 0-based, begin < end (begin may be past the line)
};
Excerpt excerpt_of(const Finding& f, const SourceText& source);

}  // namespace scopecop
