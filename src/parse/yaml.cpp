#include "parse/yaml.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace scopecop::yaml {

namespace {

using json::Kind;
using json::Value;

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_break(char c) {
  return c == '\n' || c == '\r';
}

// yaml-cpp gives where a node starts; where it ends is read from the text.
class Converter {
 public:
  Converter(std::string_view text, std::size_t max_depth)
      : text_(text), bom_(text.starts_with("\xEF\xBB\xBF") ? 3 : 0), max_depth_(max_depth) {
    // Aliases share nodes, so a small text can stand for a huge tree (the "billion laughs"): bound the
    // number of nodes by the text's size.
    budget_ = 16 * text.size() + 1024;
  }

  Value convert(const YAML::Node& node, std::size_t fallback, bool flow, std::size_t depth) {
    if (depth > max_depth_) throw Refused{offset_of(node, fallback), "the YAML is nested too deeply"};
    if (budget_-- == 0) throw Refused{offset_of(node, fallback), "aliases expand the YAML beyond its size"};
    std::size_t at = offset_of(node, fallback);
    const std::string& tag = node.Tag();
    if (tag.size() > 1 && tag.front() == '!' && tag != "!!str") {
      // A short-form intrinsic: {"Fn::Name": value}, the key spanning the tag.
      std::string name = tag.substr(1);
      Value object;
      object.kind = Kind::Object;
      json::Member m;
      m.key = name == "Ref" || name == "Condition" ? name : "Fn::" + name;
      m.key_span = {at, std::min(at + tag.size(), text_.size())};
      std::size_t inner = skip_blanks(m.key_span.end);
      m.value = untagged(node, inner, flow, depth);
      object.span = {at, std::max(m.value.span.end, m.key_span.end)};
      object.members.push_back(std::move(m));
      return object;
    }
    return untagged(node, at, flow, depth);
  }

  struct Refused {
    std::size_t offset;
    std::string message;
  };

 private:
  Value untagged(const YAML::Node& node, std::size_t at, bool flow, std::size_t depth) {
    Value v;
    v.span = {at, at};
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        v.kind = Kind::Null;
        break;
      case YAML::NodeType::Scalar: {
        v.span.end = scalar_end(at, flow);
        v.kind = Kind::String;
        v.text = node.Scalar();
        if (node.Tag() == "?") {  // plain, not quoted
          if (v.text == "true" || v.text == "false") {
            v.kind = Kind::Boolean;
            v.boolean = v.text == "true";
          } else if (v.text == "null" || v.text == "~") {
            v.kind = Kind::Null;
          }
        }
        break;
      }
      case YAML::NodeType::Sequence: {
        v.kind = Kind::Array;
        bool inner_flow = node.Style() == YAML::EmitterStyle::Flow;
        std::size_t end = at + 1;
        for (const YAML::Node& item : node) {
          v.items.push_back(convert(item, end, inner_flow, depth + 1));
          end = std::max(end, v.items.back().span.end);
        }
        v.span.end = inner_flow ? closing(end, ']') : end;
        break;
      }
      case YAML::NodeType::Map: {
        v.kind = Kind::Object;
        bool inner_flow = node.Style() == YAML::EmitterStyle::Flow;
        std::size_t end = at + 1;
        for (auto it = node.begin(); it != node.end(); ++it) {
          json::Member m;
          Value key = convert(it->first, end, inner_flow, depth + 1);
          m.key = key.kind == Kind::Null ? "" : key.text;
          m.key_span = key.span;
          m.value = convert(it->second, key.span.end, inner_flow, depth + 1);
          end = std::max({end, m.key_span.end, m.value.span.end});
          v.members.push_back(std::move(m));
        }
        v.span.end = inner_flow ? closing(end, '}') : end;
        break;
      }
    }
    v.span.end = std::clamp(v.span.end, v.span.begin, text_.size());
    return v;
  }

  std::size_t offset_of(const YAML::Node& node, std::size_t fallback) const {
    const YAML::Mark mark = node.Mark();
    if (mark.pos < 0) return fallback;  // an empty value has no position of its own
    return std::min(static_cast<std::size_t>(mark.pos) + bom_, text_.size());
  }

  std::size_t skip_blanks(std::size_t at) const {
    while (at < text_.size() && is_blank(text_[at])) ++at;
    return at;
  }

  std::size_t line_end(std::size_t at) const {
    while (at < text_.size() && !is_break(text_[at])) ++at;
    return at;
  }

  // After the last item of a flow collection, its closing bracket.
  std::size_t closing(std::size_t from, char bracket) const {
    std::size_t at = text_.find(bracket, from);
    return at == std::string_view::npos ? from : at + 1;
  }

  std::size_t scalar_end(std::size_t at, bool flow) const {
    if (at >= text_.size()) return at;
    char c = text_[at];
    if (c == '"') {
      for (std::size_t i = at + 1; i < text_.size(); ++i) {
        if (text_[i] == '\\') {
          ++i;
        } else if (text_[i] == '"') {
          return i + 1;
        }
      }
      return text_.size();
    }
    if (c == '\'') {
      for (std::size_t i = at + 1; i < text_.size(); ++i) {
        if (text_[i] != '\'') continue;
        if (i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;
        } else {
          return i + 1;
        }
      }
      return text_.size();
    }
    if (c == '|' || c == '>') return line_end(at);  // a block scalar: its indicator's line
    // A plain scalar: to the end of its first line, a comment, a key's colon, or a flow separator.
    std::size_t end = at;
    for (std::size_t i = at; i < text_.size() && !is_break(text_[i]); ++i) {
      char d = text_[i];
      bool next_blank = i + 1 == text_.size() || is_blank(text_[i + 1]) || is_break(text_[i + 1]);
      if (flow && (d == ',' || d == ']' || d == '}')) break;
      if (d == '#' && i > at && is_blank(text_[i - 1])) break;
      if (d == ':' && (next_blank || (flow && i + 1 < text_.size() &&
                                      std::string_view(",]}").find(text_[i + 1]) != std::string_view::npos)))
        break;
      if (!is_blank(d)) end = i + 1;
    }
    return end;
  }

  std::string_view text_;
  std::size_t bom_;
  std::size_t max_depth_;
  std::size_t budget_;
};

}  // namespace

json::Document parse(std::string_view text, std::size_t max_depth) {
  json::Document doc;
  std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Converter converter(text, max_depth);
    doc.root = converter.convert(root, bom, false, 0);
  } catch (const Converter::Refused& refused) {
    doc.error = json::SyntaxError{refused.offset, refused.message};
  } catch (const YAML::Exception& e) {
    std::size_t at = e.mark.pos < 0 ? 0 : static_cast<std::size_t>(e.mark.pos) + bom;
    doc.error = json::SyntaxError{std::min(at, text.size()), e.msg};
  }
  return doc;
}

}  // namespace scopecop::yaml
