#include "parse/yaml.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <yaml.h>

namespace scopecop::yaml {

namespace {

using json::Kind;
using json::Value;

// libyaml, the parser behind PyYAML and so cfn-lint, reads YAML as CloudFormation does. Its marks count code
// points from the text's start (after a byte order mark); spans are byte offsets. Marks come nearly in order,
// so a cursor walks to each from the one before: linear in the text, even on one long line.
class Offsets {
 public:
  explicit Offsets(std::string_view text)
      : text_(text), start_(text.starts_with("\xEF\xBB\xBF") ? 3 : 0), byte_(start_) {}

  std::size_t of(const yaml_mark_t& mark) const {
    auto continuation = [&](std::size_t at) {
      return (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80;
    };
    while (index_ < mark.index && byte_ < text_.size()) {
      do ++byte_;
      while (byte_ < text_.size() && continuation(byte_));
      ++index_;
    }
    while (index_ > mark.index && byte_ > start_) {
      do --byte_;
      while (byte_ > start_ && continuation(byte_));
      --index_;
    }
    return byte_;
  }

 private:
  std::string_view text_;
  std::size_t start_;
  mutable std::size_t byte_;       // the cursor: a code point's first byte
  mutable std::size_t index_ = 0;  // and its index
};

struct Refused {
  std::size_t offset;
  std::string message;
};

class Builder {
 public:
  Builder(std::string_view text, std::size_t max_depth)
      : text_(text), offsets_(text), max_depth_(max_depth), budget_(16 * text.size() + 1024) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~Builder() { yaml_parser_delete(&parser_); }
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  Value document() {
    Event e = next();
    expect(e, YAML_STREAM_START_EVENT);
    e = next();
    if (e.get().type == YAML_STREAM_END_EVENT) return Value{};  // nothing at all: null
    expect(e, YAML_DOCUMENT_START_EVENT);
    Value root = node(next(), 0);
    expect(next(), YAML_DOCUMENT_END_EVENT);
    e = next();
    if (e.get().type == YAML_DOCUMENT_START_EVENT)
      throw Refused{offsets_.of(e.get().start_mark),
                    "a second YAML document: a template is one document (remove the \"---\" and what follows "
                    "it, or split the file)"};
    expect(e, YAML_STREAM_END_EVENT);
    return root;
  }

 private:
  // One parser event, freed when it goes.
  class Event {
   public:
    Event() = default;
    Event(Event&& o) noexcept : event_(o.event_), owned_(std::exchange(o.owned_, false)) {}
    Event& operator=(Event&& o) noexcept {
      if (this != &o) {
        release();
        event_ = o.event_;
        owned_ = std::exchange(o.owned_, false);
      }
      return *this;
    }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    ~Event() { release(); }
    yaml_event_t& get() { return event_; }
    const yaml_event_t& get() const { return event_; }
    void own() { owned_ = true; }

   private:
    void release() {
      if (owned_) yaml_event_delete(&event_);
      owned_ = false;
    }
    yaml_event_t event_{};
    bool owned_ = false;
  };

  Event next() {
    Event e;
    if (!yaml_parser_parse(&parser_, &e.get())) {
      const yaml_mark_t& mark = parser_.problem_mark;
      std::string message = parser_.problem ? parser_.problem : "invalid YAML";
      if (parser_.context) message = std::string(parser_.context) + ": " + message;
      throw Refused{offsets_.of(mark), message};
    }
    e.own();
    return e;
  }

  void expect(const Event& e, yaml_event_type_t type) const {
    if (e.get().type != type) throw Refused{offsets_.of(e.get().start_mark), "unexpected YAML structure"};
  }

  static std::string_view text_of(const yaml_char_t* s) {
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
  }

  Value node(Event e, std::size_t depth) {
    const yaml_event_t& ev = e.get();
    std::size_t at = offsets_.of(ev.start_mark);
    if (depth > max_depth_) throw Refused{at, "the YAML is nested too deeply"};
    if (budget_-- == 0) throw Refused{at, "aliases expand the YAML beyond its size"};
    if (ev.type == YAML_ALIAS_EVENT) {
      auto it = anchors_.find(std::string(text_of(ev.data.alias.anchor)));
      if (it == anchors_.end()) throw Refused{at, "an alias of an anchor that is not defined"};
      // Aliases share nodes, so a small text can stand for a huge tree (the "billion laughs"): each copy
      // spends the budget bounded by the text's size.
      budget_ = budget_ > it->second.second ? budget_ - it->second.second : 0;
      if (budget_ == 0) throw Refused{at, "aliases expand the YAML beyond its size"};
      Value copy = it->second.first;
      return copy;
    }
    // Copies: the event's own strings go with it.
    std::string tag, anchor;
    if (ev.type == YAML_SCALAR_EVENT) {
      tag = text_of(ev.data.scalar.tag);
      anchor = text_of(ev.data.scalar.anchor);
    } else if (ev.type == YAML_SEQUENCE_START_EVENT) {
      tag = text_of(ev.data.sequence_start.tag);
      anchor = text_of(ev.data.sequence_start.anchor);
    } else if (ev.type == YAML_MAPPING_START_EVENT) {
      tag = text_of(ev.data.mapping_start.tag);
      anchor = text_of(ev.data.mapping_start.anchor);
    } else {
      throw Refused{at, "unexpected YAML structure"};
    }
    std::size_t nodes_before = budget_;
    Value v = untagged(std::move(e), depth);
    if (tag.size() > 1 && tag.front() == '!' && !tag.starts_with("!!") && !tag.starts_with("tag:")) {
      // A short-form intrinsic: {"Fn::Name": value}, the key spanning the tag.
      std::string name = tag.substr(1);
      std::size_t tag_at = text_.find(tag, at);
      if (tag_at == std::string_view::npos || tag_at > v.span.begin) tag_at = at;
      Value object;
      object.kind = Kind::Object;
      json::Member m;
      m.key = name == "Ref" || name == "Condition" ? name : "Fn::" + name;
      m.key_span = {tag_at, std::min(tag_at + tag.size(), text_.size())};
      m.value = std::move(v);
      object.span = {m.key_span.begin, std::max(m.value.span.end, m.key_span.end)};
      object.members.push_back(std::move(m));
      v = std::move(object);
    }
    if (!anchor.empty()) anchors_[anchor] = {v, nodes_before - budget_ + 1};
    return v;
  }

  Value untagged(Event e, std::size_t depth) {
    const yaml_event_t& ev = e.get();
    Value v;
    v.span = {offsets_.of(ev.start_mark), offsets_.of(ev.end_mark)};
    if (ev.type == YAML_SCALAR_EVENT) {
      v.kind = Kind::String;
      v.text.assign(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
      bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev.data.scalar.tag;
      if (plain) {
        if (v.text == "true" || v.text == "false") {
          v.kind = Kind::Boolean;
          v.boolean = v.text == "true";
        } else if (v.text.empty() || v.text == "null" || v.text == "~") {
          v.kind = Kind::Null;
        }
      }
      // A tagged value's span starts after its tag, where the value itself is written.
      if (ev.data.scalar.tag && ev.data.scalar.length) value_start(v);
      return v;
    }
    bool mapping = ev.type == YAML_MAPPING_START_EVENT;
    v.kind = mapping ? Kind::Object : Kind::Array;
    yaml_event_type_t end = mapping ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    while (true) {
      Event item = next();
      if (item.get().type == end) {
        v.span.end = std::max(v.span.end, offsets_.of(item.get().end_mark));
        break;
      }
      if (!mapping) {
        v.items.push_back(node(std::move(item), depth + 1));
        continue;
      }
      Value key = node(std::move(item), depth + 1);
      json::Member m;
      m.key = key.kind == Kind::Null ? "" : key.text;
      m.key_span = key.span;
      m.value = node(next(), depth + 1);
      // An empty value has no place of its own: it stands where its key ends.
      if (m.value.kind == Kind::Null && m.value.span.begin == m.value.span.end)
        m.value.span = {m.key_span.end, m.key_span.end};
      v.members.push_back(std::move(m));
    }
    // Block collections end where the next line starts: their last value is where they end.
    std::size_t last = v.span.begin;
    for (const Value& item : v.items) last = std::max(last, item.span.end);
    for (const json::Member& m : v.members) last = std::max(last, m.value.span.end);
    if (v.span.end > last && !flow_closed(v.span.end)) v.span.end = last;
    return v;
  }

  // Whether a collection ends with its flow bracket (then its end mark is right after it).
  bool flow_closed(std::size_t end) const {
    return end > 0 && end <= text_.size() && (text_[end - 1] == ']' || text_[end - 1] == '}');
  }

  // A tagged scalar's event starts at its tag; its value starts after the tag and the blanks after it.
  void value_start(Value& v) const {
    std::size_t at = v.span.begin;
    if (at < text_.size() && text_[at] == '!') {
      while (at < v.span.end && text_[at] != ' ' && text_[at] != '\t' && text_[at] != '\n' &&
             text_[at] != '\r')
        ++at;
      while (at < v.span.end && (text_[at] == ' ' || text_[at] == '\t')) ++at;
      v.span.begin = at;
    }
  }

  std::string_view text_;
  Offsets offsets_;
  std::size_t max_depth_;
  std::size_t budget_;
  yaml_parser_t parser_{};
  std::map<std::string, std::pair<Value, std::size_t>> anchors_;  // with the nodes each copy costs
};

}  // namespace

json::Document parse(std::string_view text, std::size_t max_depth) {
  json::Document doc;
  try {
    Builder builder(text, max_depth);
    doc.root = builder.document();
  } catch (const Refused& refused) {
    doc.error = json::SyntaxError{std::min(refused.offset, text.size()), refused.message};
  }
  return doc;
}

}  // namespace scopecop::yaml
