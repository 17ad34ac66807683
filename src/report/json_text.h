// JSON written straight into a string, byte for byte as nlohmann::json's dump(2) writes it (with
// escape_json_invisibles after it), so that the reports stream their findings instead of building the
// whole document first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scopecop {

// `s` as a JSON string: quotes, backslashes and C0 controls escaped as nlohmann escapes them; C1 controls,
// bidirectional marks and U+2028/U+2029 as \uXXXX; invalid UTF-8 replaced with U+FFFD, as nlohmann's
// error_handler_t::replace does.
void append_json_string(std::string& out, std::string_view s);

class JsonText {
 public:
  // For a value that starts at column `indent` (its nested lines are indented from there).
  JsonText(std::string& out, std::size_t indent) : out_(out), indent_(indent) {}

  JsonText& open(char bracket);   // '{' or '['
  JsonText& close(char bracket);  // '}' or ']'; an empty one is "{}" or "[]"
  JsonText& key(std::string_view k);
  JsonText& item();  // the next value of an array
  JsonText& string(std::string_view s) {
    append_json_string(out_, s);
    return *this;
  }
  JsonText& number(std::uint64_t n);
  JsonText& field(std::string_view k, std::string_view s) { return key(k).string(s); }
  JsonText& field(std::string_view k, std::uint64_t n) { return key(k).number(n); }

 private:
  void next();

  std::string& out_;
  std::size_t indent_;
  std::vector<bool> written_;  // per open container: whether it holds a value yet
};

// A document's text with one value, written as the string `placeholder` by nlohmann::json, replaced by
// `value` (the text of an array or object at the same place): the whole document but its big part is built
// as a DOM.
struct SplitDocument {
  std::string before, after;
};
SplitDocument split_at(std::string_view document, std::string_view placeholder);

}  // namespace scopecop
