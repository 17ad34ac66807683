#include "scopecop/source.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace scopecop {

std::size_t count_code_points(std::string_view s) {
  // Eight bytes at a time: a continuation byte (10xxxxxx) has its high bit set and the next one clear; the
  // multiplication adds the bytes' flags up in the top byte.
  constexpr std::uint64_t kHighs = 0x8080808080808080u;
  std::size_t n = 0, i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, sizeof w);
    std::uint64_t continuation = (w & ~(w << 1) & kHighs) >> 7;  // one bit per byte: 0 or 1
    n += 8 - static_cast<std::size_t>((continuation * 0x0101010101010101u) >> 56);  // their sum
  }
  for (; i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

SourceText::SourceText(std::string text) : text_(std::move(text)) {
  if (text_.starts_with("\xEF\xBB\xBF")) bom_ = 3;
  line_starts_.push_back(0);
  if (text_.find('\r') == std::string::npos) {
    for (std::size_t i = text_.find('\n'); i != std::string::npos; i = text_.find('\n', i + 1)) {
      line_starts_.push_back(i + 1);
    }
  } else {
    // A lone CR ends a line too (old Mac files; YAML counts it), as does CR LF, once.
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n' || (text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n')))
        line_starts_.push_back(i + 1);
    }
  }
  block_code_points_.reserve(text_.size() / kBlock + 2);
  std::size_t total = 0;
  for (std::size_t at = 0; at < text_.size(); at += kBlock) {
    block_code_points_.push_back(total);
    total += count_code_points(std::string_view(text_).substr(at, kBlock));
  }
  block_code_points_.push_back(total);  // so that the end of the text has a block too
}

std::size_t SourceText::code_points_before(std::size_t offset) const {
  std::size_t block = offset / kBlock;
  std::size_t from = block * kBlock;
  return block_code_points_[block] + count_code_points(std::string_view(text_).substr(from, offset - from));
}

Position SourceText::position(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::size_t start = line_starts_[index];
  if (index == 0) start = std::min(bom_, offset);
  std::size_t column = code_points_before(offset) - code_points_before(start) + 1;
  return {static_cast<std::uint32_t>(index + 1), static_cast<std::uint32_t>(column)};
}

std::string_view SourceText::line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::size_t start = line_starts_[line - 1];
  if (line == 1) start = bom_;
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  std::string_view s(text_.data() + start, end - start);
  if (s.ends_with('\r')) s.remove_suffix(1);
  return s;
}

std::size_t SourceText::line_code_points(std::uint32_t line) const {
  std::string_view s = this->line(line);
  std::size_t start = static_cast<std::size_t>(s.data() - text_.data());
  return code_points_before(start + s.size()) - code_points_before(start);
}

std::size_t SourceText::line_byte_offset(std::uint32_t line, std::size_t index) const {
  std::string_view s = this->line(line);
  std::size_t start = static_cast<std::size_t>(s.data() - text_.data());
  std::size_t target = code_points_before(start) + index;
  // The last block that starts at or before the target code point, but not before the line.
  auto it = std::upper_bound(block_code_points_.begin(), block_code_points_.end(), target);
  std::size_t block = static_cast<std::size_t>(it - block_code_points_.begin()) - 1;
  std::size_t at = std::clamp(block * kBlock, start, start + s.size());
  std::size_t seen = code_points_before(at);
  for (; at < start + s.size(); ++at) {
    if ((static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) continue;
    if (seen == target) return at - start;
    ++seen;
  }
  return s.size();
}

}  // namespace scopecop
