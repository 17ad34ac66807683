#include <catch2/catch.hpp>

#include "scopecop/source.h"

using namespace scopecop;

TEST_CASE("source: offsets become 1-based lines and code-point columns", "[source]") {
  SourceText s("ab\n\xC3\xA9x\r\nlast");
  CHECK(s.line_count() == 3);
  CHECK(s.position(0).line == 1);
  CHECK(s.position(0).column == 1);
  CHECK(s.position(1).column == 2);
  // "é" is two bytes but one column.
  Position x = s.position(5);
  CHECK(x.line == 2);
  CHECK(x.column == 2);
  CHECK(s.line(2) == "\xC3\xA9x");  // the \r of CRLF is not part of the line
  CHECK(s.line(3) == "last");
  CHECK(s.line(4).empty());
  Position end = s.position(1000);  // clamped to the end
  CHECK(end.line == 3);
  CHECK(end.column == 5);
}

TEST_CASE("source: a byte order mark is not a column", "[source]") {
  SourceText s("\xEF\xBB\xBF{}");
  CHECK(s.position(3).column == 1);
  CHECK(s.line(1) == "{}");
}

TEST_CASE("source: code points are counted, not bytes", "[source]") {
  CHECK(count_code_points("abc") == 3);
  CHECK(count_code_points("\xE2\x82\xAC\xF0\x9F\x98\x80") == 2);
  // Counted a word at a time: each kind of character at every place of a word, and in the bytes after.
  for (std::string_view character : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\x7F"}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string text = std::string(at, 'a') + std::string(character) + std::string(20 - at, 'b');
      CHECK(count_code_points(text) == 21);
    }
  }
}

TEST_CASE("source: columns on long lines agree with counting from the line's start", "[source]") {
  // Multi-byte characters straddle the index's block boundaries; lines start inside blocks.
  std::string text = "\xEF\xBB\xBF";
  for (int i = 0; i < 3000; ++i) text += i % 997 == 0 ? "\n" : (i % 3 ? "a\xC3\xA9" : "\xE2\x82\xAC");
  SourceText s(text);
  for (std::size_t offset = 0; offset <= text.size(); ++offset) {
    std::size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    start = (start == std::string::npos || start >= offset) ? 3 : start + 1;
    if (offset < 3) start = offset;
    std::size_t expected = count_code_points(std::string_view(text).substr(start, offset - start)) + 1;
    INFO("offset " << offset);
    REQUIRE(s.position(offset).column == expected);
  }
}

TEST_CASE("source: code point indexes on long lines map back to bytes", "[source]") {
  std::string text = "\xEF\xBB\xBFx\n";
  for (int i = 0; i < 6000; ++i) text += i % 3 ? "a\xC3\xA9" : "\xE2\x82\xAC";
  text += "\r\nlast";
  SourceText s(text);
  std::string_view line = s.line(2);
  REQUIRE(s.line_code_points(1) == 1);
  REQUIRE(s.line_code_points(2) == count_code_points(line));
  REQUIRE(s.line_code_points(3) == 4);
  std::size_t index = 0;
  for (std::size_t byte = 0; byte < line.size(); ++byte) {
    if ((static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) continue;
    INFO("index " << index);
    REQUIRE(s.line_byte_offset(2, index) == byte);
    ++index;
  }
  CHECK(s.line_byte_offset(2, index) == line.size());
  CHECK(s.line_byte_offset(3, 4) == 4);
  CHECK(s.line_byte_offset(1, 0) == 0);
}
