#include "scopecop/json.h"

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "scopecop/parallel.h"

namespace scopecop::json {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Boolean:
      return "a boolean";
    case Kind::Number:
      return "a number";
    case Kind::String:
      return "a string";
    case Kind::Array:
      return "a list";
    case Kind::Object:
      return "an object";
  }
  return "a value";
}

const Member* Value::find_member(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

const Value* Value::find(std::string_view key) const {
  const Member* m = find_member(key);
  return m ? &m->value : nullptr;
}

namespace {

void append_token(std::string& out, std::string_view key) {
  std::size_t plain = 0;  // the start of the run of characters copied as they are
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] != '~' && key[i] != '/') continue;
    out.append(key.substr(plain, i - plain)).append(key[i] == '~' ? "~0" : "~1");
    plain = i + 1;
  }
  out.append(key.substr(plain));
}

}  // namespace

std::string pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  append_token(out, key);
  return out;
}

std::string child_pointer(std::string_view pointer, std::string_view key) {
  std::string out;
  out.reserve(pointer.size() + 1 + key.size());
  out.append(pointer).append(1, '/');
  append_token(out, key);
  return out;
}

namespace {

// Thrown only inside this file; parse() turns it into Document::error.
struct Failure {
  std::size_t offset;
  std::string message;
};

std::string describe_byte(unsigned char c) {
  if (c >= 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
  return fmt::format("byte 0x{:02X}", c);
}

// Below this size a file is parsed by one thread: finding the elements of its lists first costs more than
// sharing them saves.
constexpr std::size_t kParallelBytes = std::size_t{1} << 20;

class Parser {
 public:
  Parser(std::string_view text, std::size_t max_depth, unsigned threads = 1)
      : s_(text), max_depth_(max_depth), threads_(text.size() >= kParallelBytes ? threads : 1) {
    if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  }

  Value run() {
    skip_ws();
    if (pos_ == s_.size()) fail(pos_, "the file is empty; expected a JSON value");
    Value v = value(0);
    skip_ws();
    if (pos_ != s_.size()) fail(pos_, fmt::format("unexpected {} after the end of the JSON value", here()));
    return v;
  }

 private:
  [[noreturn]] void fail(std::size_t at, std::string message) { throw Failure{at, std::move(message)}; }

  std::string here() const {
    if (pos_ >= s_.size()) return "end of file";
    return describe_byte(static_cast<unsigned char>(s_[pos_]));
  }

  // Eight bytes of the text as one word, for scanning runs a word at a time (the order of the bytes in it
  // does not matter: only "does any byte..." is asked).
  std::uint64_t word_at(std::size_t at) const {
    std::uint64_t w;
    std::memcpy(&w, s_.data() + at, sizeof w);
    return w;
  }
  static constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
  // Whether some byte of `w` is below n (n <= 128).
  static constexpr std::uint64_t has_less(std::uint64_t w, std::uint64_t n) {
    return (w - kOnes * n) & ~w & kHighs;
  }
  static constexpr std::uint64_t has_byte(std::uint64_t w, char c) {
    return has_less(w ^ (kOnes * static_cast<unsigned char>(c)), 1);
  }
  // Where in its word the first byte flagged by `mask` (of the tests above, or'ed) is. Their lowest flag is
  // exact (a wrong one only follows a right one); the order of a word's bytes in memory tells which byte it
  // is. Without that order, 0: the caller goes on byte by byte.
  static std::size_t first_flagged(std::uint64_t mask) {
    if constexpr (std::endian::native == std::endian::little) {
      return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
    } else {
      return 0;
    }
  }

  void skip_ws() {
    // Indentation comes in runs of spaces.
    while (pos_ + 8 <= s_.size() && word_at(pos_) == kOnes * ' ') pos_ += 8;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
  }

  Value value(std::size_t depth) {
    if (depth >= max_depth_) fail(pos_, fmt::format("nesting deeper than {} levels", max_depth_));
    if (pos_ >= s_.size()) fail(pos_, "unexpected end of file; expected a value");
    Value v;
    v.span.begin = pos_;
    switch (s_[pos_]) {
      case '{':
        object(v, depth);
        break;
      case '[':
        // The lists of the top level (an account dump's roles, users, groups and policies) hold nearly all
        // of a large file.
        if (threads_ > 1 && depth <= 1 && shared_array(v, depth)) break;
        array(v, depth);
        break;
      case '"':
        v.kind = Kind::String;
        v.text = string();
        break;
      case 't':
        literal("true", v, Kind::Boolean, true);
        break;
      case 'f':
        literal("false", v, Kind::Boolean, false);
        break;
      case 'n':
        literal("null", v, Kind::Null, false);
        break;
      default:
        if (s_[pos_] == '-' || (s_[pos_] >= '0' && s_[pos_] <= '9')) {
          number(v);
        } else {
          fail(pos_, fmt::format("unexpected {}; expected a value", here()));
        }
    }
    v.span.end = pos_;
    return v;
  }

  void literal(std::string_view word, Value& v, Kind kind, bool b) {
    if (s_.substr(pos_, word.size()) != word)
      fail(pos_, fmt::format("unexpected {}; expected a value", here()));
    pos_ += word.size();
    v.kind = kind;
    v.boolean = b;
  }

  void digits() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    if (pos_ == start) fail(pos_, fmt::format("unexpected {} in a number; expected a digit", here()));
  }

  void number(Value& v) {
    std::size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else {
      digits();
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      digits();
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      digits();
    }
    v.kind = Kind::Number;
    v.text = std::string(s_.substr(start, pos_ - start));
  }

  unsigned hex4() {
    if (pos_ + 4 > s_.size()) fail(pos_, "incomplete \\u escape");
    unsigned u = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      u <<= 4;
      if (c >= '0' && c <= '9')
        u |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        u |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        u |= static_cast<unsigned>(c - 'A' + 10);
      else
        fail(pos_ - 1, "invalid hex digit in a \\u escape");
    }
    return u;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Validates one UTF-8 sequence starting at pos_ and appends it.
  void utf8_sequence(std::string& out) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s_[i]); };
    unsigned char c = byte(pos_);
    std::size_t len = 0;
    unsigned cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      fail(pos_, fmt::format("invalid UTF-8 ({})", describe_byte(c)));
    }
    if (pos_ + len > s_.size()) fail(pos_, "invalid UTF-8 (truncated sequence)");
    for (std::size_t i = 1; i < len; ++i) {
      unsigned char d = byte(pos_ + i);
      if ((d & 0xC0) != 0x80) fail(pos_, fmt::format("invalid UTF-8 ({})", describe_byte(c)));
      cp = (cp << 6) | (d & 0x3Fu);
    }
    bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      fail(pos_, "invalid UTF-8 (overlong form or surrogate)");
    }
    out.append(s_.substr(pos_, len));
    pos_ += len;
  }

  std::string string() {
    std::size_t open = pos_;
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) fail(open, "unterminated string");
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail(pos_, fmt::format("unescaped control character ({}) in a string", describe_byte(c)));
      if (c >= 0x80) {
        utf8_sequence(out);
        continue;
      }
      if (c != '\\') {
        // A run of plain ASCII characters is copied at once; it is found eight bytes at a time, then byte by
        // byte.
        std::size_t end = pos_ + 1;
        for (; end + 8 <= s_.size(); end += 8) {
          std::uint64_t w = word_at(end);
          if (std::uint64_t m = has_byte(w, '"') | has_byte(w, '\\') | has_less(w, 0x20) | (w & kHighs)) {
            end += first_flagged(m);
            break;
          }
        }
        while (end < s_.size()) {
          auto d = static_cast<unsigned char>(s_[end]);
          if (d == '"' || d == '\\' || d < 0x20 || d >= 0x80) break;
          ++end;
        }
        out.append(s_.data() + pos_, end - pos_);
        pos_ = end;
        continue;
      }
      std::size_t escape = pos_++;
      if (pos_ >= s_.size()) fail(open, "unterminated string");
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_, 2) != "\\u") fail(escape, "lone UTF-16 surrogate in a \\u escape");
            pos_ += 2;
            unsigned low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail(escape, "invalid UTF-16 surrogate pair in a \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(escape, "lone UTF-16 surrogate in a \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          fail(escape, fmt::format("invalid escape '\\{}' in a string", e));
      }
    }
  }

  void array(Value& v, std::size_t depth) {
    v.kind = Kind::Array;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return;
    }
    for (;;) {
      skip_ws();
      v.items.push_back(value(depth + 1));
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return;
      }
      fail(pos_, fmt::format("unexpected {} in a list; expected ',' or ']'", here()));
    }
  }

  // The offset of the ',' or ']' that ends the list element at `at`, found by its brackets and quotes alone
  // (strings eight bytes at a time), or npos if the text ends first.
  std::size_t skip_element(std::size_t at) const {
    std::size_t depth = 0;
    while (at < s_.size()) {
      switch (s_[at++]) {
        case '"':
          for (;;) {
            for (; at + 8 <= s_.size(); at += 8) {
              std::uint64_t w = word_at(at);
              if (std::uint64_t m = has_byte(w, '"') | has_byte(w, '\\')) {
                at += first_flagged(m);
                break;
              }
            }
            if (at >= s_.size()) return std::string_view::npos;
            char c = s_[at++];
            if (c == '"') break;
            if (c == '\\') ++at;
          }
          break;
        case '[':
        case '{':
          ++depth;
          break;
        case ']':
        case '}':
          if (depth == 0) return at - 1;
          --depth;
          break;
        case ',':
          if (depth == 0) return at - 1;
          break;
        default:
          break;
      }
    }
    return std::string_view::npos;
  }

  // Parses the list at pos_ with its elements shared among the threads: where each ends is found first, then
  // each is parsed on its own. The result is the one array() gives; when the two disagree (the text is not
  // valid JSON), false with nothing consumed, and array() finds the error.
  bool shared_array(Value& v, std::size_t depth) {
    const std::size_t open = pos_;
    std::vector<std::size_t> begins, ends;  // an element's first byte; the ',' or ']' after it
    pos_ = open + 1;
    for (;;) {
      skip_ws();
      std::size_t end = skip_element(pos_);
      if (end == std::string_view::npos) break;
      begins.push_back(pos_);
      ends.push_back(end);
      pos_ = end + 1;
      if (s_[end] != ',') break;
    }
    if (begins.size() < 64 || s_[ends.back()] != ']') {
      pos_ = open;
      return false;
    }
    std::vector<Value> items(begins.size());
    std::atomic<bool> agree{true};
    share_out(begins.size(), threads_, [&](std::size_t, std::size_t i) {
      if (!agree) return;
      Parser element(s_, max_depth_);
      element.pos_ = begins[i];
      try {
        items[i] = element.value(depth + 1);
        element.skip_ws();
        if (element.pos_ != ends[i]) agree = false;
      } catch (...) {  // the error, or running out of memory, is met again by array() on this thread
        agree = false;
      }
    });
    if (!agree) {
      threads_ = 1;
      pos_ = open;
      return false;
    }
    v.kind = Kind::Array;
    v.items = std::move(items);
    return true;
  }

  void object(Value& v, std::size_t depth) {
    v.kind = Kind::Object;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return;
    }
    for (;;) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') {
        fail(pos_, fmt::format("unexpected {} in an object; expected a quoted key", here()));
      }
      Member m;
      m.key_span.begin = pos_;
      m.key = string();
      m.key_span.end = pos_;
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') {
        fail(pos_, fmt::format("unexpected {} after key \"{}\"; expected ':'", here(), m.key));
      }
      ++pos_;
      skip_ws();
      m.value = value(depth + 1);
      v.members.push_back(std::move(m));
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return;
      }
      fail(pos_, fmt::format("unexpected {} in an object; expected ',' or '}}'", here()));
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t max_depth_;
  unsigned threads_;
};

}  // namespace

Document parse(std::string_view text, std::size_t max_depth, unsigned threads) {
  Document doc;
  try {
    doc.root = Parser(text, max_depth, threads).run();
  } catch (const Failure& f) {
    doc.error = SyntaxError{f.offset, f.message};
    doc.root = Value{};
  }
  return doc;
}

}  // namespace scopecop::json
