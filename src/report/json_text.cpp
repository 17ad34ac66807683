#include "report/json_text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scopecop/text.h"

namespace scopecop {

void append_json_string(std::string& out, std::string_view s) {
  std::size_t start = out.size();
  out += '"';
  auto plain = [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  };
  for (std::size_t i = 0; i < s.size();) {
    // Most of a string needs no escaping: appended a run at a time.
    std::size_t run = i;
    while (run < s.size() && plain(s[run])) ++run;
    out.append(s, i, run - i);
    if (run == s.size()) break;
    i = run;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t len = utf8_length(s, i);
      if (len == 0) {
        // Not UTF-8: nlohmann's replacement, the rare way.
        out.resize(start);
        out += escape_json_invisibles(
            nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
      }
      std::string_view unit = s.substr(i, len);
      if (std::uint32_t cp = invisible_control(unit)) {
        fmt::format_to(std::back_inserter(out), "\\u{:04x}", cp);
      } else {
        out += unit;
      }
      i += len;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

JsonText& JsonText::open(char bracket) {
  out_ += bracket;
  written_.push_back(false);
  indent_ += 2;
  return *this;
}

JsonText& JsonText::close(char bracket) {
  indent_ -= 2;
  if (written_.back()) {
    out_ += '\n';
    out_.append(indent_, ' ');
  }
  out_ += bracket;
  written_.pop_back();
  return *this;
}

void JsonText::next() {
  out_ += written_.back() ? ",\n" : "\n";
  written_.back() = true;
  out_.append(indent_, ' ');
}

JsonText& JsonText::key(std::string_view k) {
  next();
  append_json_string(out_, k);
  out_ += ": ";
  return *this;
}

JsonText& JsonText::item() {
  next();
  return *this;
}

JsonText& JsonText::number(std::uint64_t n) {
  fmt::format_to(std::back_inserter(out_), "{}", n);
  return *this;
}

SplitDocument split_at(const nlohmann::ordered_json& document, std::string_view placeholder) {
  std::string text =
      escape_json_invisibles(document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  std::string quoted;
  append_json_string(quoted, placeholder);
  std::size_t at = text.find(quoted);
  return {text.substr(0, at), text.substr(at + quoted.size())};
}

}  // namespace scopecop
