// A text being checked, with a line index that turns byte offsets into 1-based lines and code-point columns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scopecop {

// Half-open byte range [begin, end) in a SourceText.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Position {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in Unicode code points
};

class SourceText {
 public:
  explicit SourceText(std::string text);

  std::string_view text() const { return text_; }
  std::size_t line_count() const { return line_starts_.size(); }
  Position position(std::size_t offset) const;
  // The 1-based line's text, without its line break.
  std::string_view line(std::uint32_t line) const;
  // The line's length in code points, and the byte offset inside line(line) of its code point `index`
  // (0-based; the line's size past its end): both cost a block's scan, not the line's.
  std::size_t line_code_points(std::uint32_t line) const;
  std::size_t line_byte_offset(std::uint32_t line, std::size_t index) const;

 private:
  // Code points before each kBlock-byte block: columns on a minified multi-megabyte line cost a block's
  // scan, not the line's.
  static constexpr std::size_t kBlock = 512;  // the index takes 1.6% of the text
  std::size_t code_points_before(std::size_t offset) const;

  std::string text_;
  std::vector<std::size_t> line_starts_;
  std::vector<std::size_t> block_code_points_;
  std::size_t bom_ = 0;  // a UTF-8 byte order mark is not a column
};

// Number of UTF-8 code points in s (continuation bytes are not counted).
std::size_t count_code_points(std::string_view s);

}  // namespace scopecop
