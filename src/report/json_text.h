// JSON written straight into a string, byte for byte as nlohmann::json's dump(2) writes it (with
// escape_json_invisibles after it), so that the reports stream their findings instead of building the
// whole document first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/findings_in_blocks.h"
#include "scopecop/report.h"

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

// `document` as nlohmann::json dumps it (2 spaces, invalid UTF-8 replaced, invisibles escaped), cut where the
// string `placeholder` is.
struct SplitDocument {
  std::string before, after;
};
SplitDocument split_at(const nlohmann::ordered_json& document, std::string_view placeholder);

// A report's document with its findings streamed into it: in `document` the findings list is the string
// `placeholder`, its items at `indent` columns; `item(JsonText&, const Finding&)` writes one finding. Only
// the findings' part of the report is ever held, block by block.
template <class Item>
void write_with_findings(std::ostream& out, const nlohmann::ordered_json& document,
                         std::string_view placeholder, std::size_t indent, const Report& report,
                         unsigned jobs, Item&& item) {
  SplitDocument parts = split_at(document, placeholder);
  out << parts.before << (report.ordered.empty() ? "[" : "[\n");
  write_findings(out, report, jobs, [&](std::string& text, const LocatedFinding& lf) {
    if (&lf != &report.ordered.front()) text += ",\n";
    text.append(indent, ' ');
    JsonText j(text, indent);
    item(j, *lf.finding);
  });
  if (!report.ordered.empty()) out << '\n' << std::string(indent - 2, ' ');
  out << ']' << parts.after << '\n';
}

}  // namespace scopecop
