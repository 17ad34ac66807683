#include "parse/inline_suppressions.h"

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "scopecop/text.h"

namespace scopecop {

namespace {

constexpr std::string_view kBlanks = " \t";
constexpr std::string_view kMarker = "scopecop:";
constexpr std::string_view kUsage = "write `# scopecop: ignore[CODE] reason`";

std::string_view trim(std::string_view s) {
  std::size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

// The reason after ignore[...], and a trailing "(expires YYYY-MM-DD)".
void read_reason(std::string_view rest, InlineSuppression& s) {
  rest = trim(rest);
  constexpr std::string_view kExpires = "(expires";
  if (std::size_t open = rest.rfind(kExpires); open != std::string_view::npos && rest.ends_with(')')) {
    std::string_view date =
        trim(rest.substr(open + kExpires.size(), rest.size() - 1 - open - kExpires.size()));
    if (!is_date(date)) {
      s.problem = fmt::format("\"{}\" is not a date such as 2027-03-31", escape_control(date));
      return;
    }
    s.expires = std::string(date);
    rest = trim(rest.substr(0, open));
  }
  if (rest.empty()) {
    s.problem =
        "a suppression needs a reason after ignore[...], so that the next reader knows why the "
        "finding is accepted";
    return;
  }
  s.reason = std::string(rest);
}

// The suppressions of one `# scopecop: ...` comment (its text after the '#'); one per code.
std::vector<InlineSuppression> read_comment(std::string_view comment, Span at) {
  InlineSuppression s;
  s.at = at;
  std::string_view body = trim(comment);
  body.remove_prefix(kMarker.size());
  body = trim(body);
  std::size_t close = body.find(']');
  if (!body.starts_with("ignore[") || close == std::string_view::npos) {
    s.problem = fmt::format("not a scopecop directive: {}", kUsage);
    return {s};
  }
  std::string_view list = body.substr(7, close - 7);
  read_reason(body.substr(close + 1), s);
  std::vector<InlineSuppression> out;
  while (true) {
    std::size_t comma = list.find(',');
    std::string_view code = trim(list.substr(0, comma));
    InlineSuppression one = s;
    one.rule = std::string(code);
    if (code.empty() && one.problem.empty()) one.problem = fmt::format("ignore[] names no rule: {}", kUsage);
    out.push_back(std::move(one));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

// Line starts of a text, to tell which line an offset is on.
class Lines {
 public:
  explicit Lines(std::string_view text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  std::size_t of(std::size_t offset) const {
    return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                                    starts_.begin()) -
           1;
  }
  std::size_t start(std::size_t line) const { return starts_[line]; }
  std::size_t count() const { return starts_.size(); }

 private:
  std::vector<std::size_t> starts_;
};

// What a comment can be attached to: a mapping entry (its key to the end of its value) or a list item, the
// outermost starting on each line. Inside a policy statement that is the whole statement: a rule reports a
// statement's grant where it sees it (S3-001 at the Resource), while a reader annotates the line that
// explains it (the Action entry), and the comment names the rule.
void collect(const json::Value& v, const Lines& lines, std::vector<Span>& by_line, std::vector<Span>& scalars,
             std::optional<Span> statement = std::nullopt) {
  auto mark = [&](Span element, std::optional<Span> within) {
    Span& slot = by_line[lines.of(element.begin)];
    if (slot.begin == slot.end && element.begin < element.end) slot = within.value_or(element);
  };
  if (!v.is(json::Kind::Object) && !v.is(json::Kind::Array)) {
    scalars.push_back(v.span);
    return;
  }
  for (const json::Member& m : v.members) {
    mark({m.key_span.begin, std::max(m.key_span.end, m.value.span.end)}, statement);
    scalars.push_back(m.key_span);
    bool statements = m.key == "Statement" && !statement;
    if (statements && m.value.is(json::Kind::Array)) {
      for (const json::Value& item : m.value.items) {
        mark(item.span, item.span);
        collect(item, lines, by_line, scalars, item.span);
      }
    } else {
      collect(m.value, lines, by_line, scalars, statements ? std::optional(m.value.span) : statement);
    }
  }
  for (const json::Value& item : v.items) {
    mark(item.span, statement);
    collect(item, lines, by_line, scalars, statement);
  }
}

void read_comments(const json::Value& root, std::string_view text, std::vector<InlineSuppression>& out) {
  if (text.find(kMarker) == std::string_view::npos) return;
  Lines lines(text);
  std::vector<Span> by_line(lines.count());
  std::vector<Span> scalars;
  collect(root, lines, by_line, scalars);
  auto in_scalar = [&](std::size_t offset) {
    return std::any_of(scalars.begin(), scalars.end(),
                       [&](Span s) { return s.begin <= offset && offset < s.end; });
  };
  for (std::size_t at = text.find(kMarker); at != std::string_view::npos; at = text.find(kMarker, at + 1)) {
    // A comment is '#' at a line's start or after a blank, outside every scalar, then the marker.
    std::size_t line = lines.of(at);
    std::size_t hash = at;
    while (hash > lines.start(line) && kBlanks.find(text[hash - 1]) != std::string_view::npos) --hash;
    if (hash == lines.start(line) || text[hash - 1] != '#') continue;
    --hash;
    if (hash > lines.start(line) && kBlanks.find(text[hash - 1]) == std::string_view::npos) continue;
    if (in_scalar(hash)) continue;
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    Span comment{hash, end};
    // On a line of its own it is about the first line below that is not a comment; after an element, about
    // the element on its line.
    std::size_t target = line;
    if (trim(text.substr(lines.start(line), hash - lines.start(line))).empty()) {
      target = line + 1;
      while (target < lines.count()) {
        std::size_t next_end = target + 1 < lines.count() ? lines.start(target + 1) : text.size();
        std::string_view content = trim(text.substr(lines.start(target), next_end - lines.start(target)));
        if (!content.empty() && content.front() != '#') break;
        ++target;
      }
    }
    for (InlineSuppression& s : read_comment(text.substr(hash + 1, end - hash - 1), comment)) {
      if (target < by_line.size() && by_line[target].begin < by_line[target].end) {
        s.covers = by_line[target];
      } else if (s.problem.empty()) {
        s.problem = "the suppression is above no element: put it on the element's line or the line above it";
      }
      out.push_back(std::move(s));
    }
    at = end;
  }
}

const json::Value* member(const json::Value& v, std::string_view key) {
  return v.is(json::Kind::Object) ? v.find(key) : nullptr;
}

void read_metadata(const json::Value& root, std::vector<InlineSuppression>& out) {
  const json::Value* resources = member(root, "Resources");
  if (!resources || !resources->is(json::Kind::Object)) return;
  for (const json::Member& resource : resources->members) {
    const json::Value* metadata = member(resource.value, "Metadata");
    const json::Value* ours = metadata ? member(*metadata, "scopecop") : nullptr;
    if (!ours) continue;
    Span covers{resource.key_span.begin, std::max(resource.key_span.end, resource.value.span.end)};
    auto refuse = [&](const json::Value& where, std::string problem) {
      InlineSuppression s;
      s.at = where.span;
      s.covers = covers;
      s.problem = std::move(problem);
      out.push_back(std::move(s));
    };
    const json::Value* ignore = member(*ours, "ignore");
    if (!ignore || !ignore->is(json::Kind::Array) || ours->members.size() != 1) {
      refuse(*ours, "Metadata scopecop must be {ignore: [{code: ..., reason: ...}]}");
      continue;
    }
    for (const json::Value& entry : ignore->items) {
      if (!entry.is(json::Kind::Object)) {
        refuse(entry, "an ignore entry is {code: ..., reason: ..., expires: ...}");
        continue;
      }
      InlineSuppression s;
      s.at = entry.span;
      s.covers = covers;
      constexpr std::array<std::string_view, 3> kKeys = {"code", "reason", "expires"};
      for (const json::Member& m : entry.members) {
        if (std::find(kKeys.begin(), kKeys.end(), m.key) != kKeys.end()) continue;
        auto near = did_you_mean(m.key, kKeys);
        s.problem = fmt::format("unknown key \"{}\" in an ignore entry{}", escape_control(m.key),
                                near ? fmt::format(" (did you mean \"{}\"?)", *near) : "");
      }
      const json::Value* code = entry.find("code");
      const json::Value* reason = entry.find("reason");
      const json::Value* expires = entry.find("expires");
      if (code && code->is(json::Kind::String)) s.rule = code->text;
      if (reason && reason->is(json::Kind::String)) s.reason = std::string(trim(reason->text));
      if (s.problem.empty() && s.rule.empty())
        s.problem = "an ignore entry needs a code (a rule's code, name or prefix)";
      if (s.problem.empty() && s.reason.empty())
        s.problem =
            "an ignore entry needs a reason, so that the next reader knows why the finding is accepted";
      if (s.problem.empty() && expires) {
        if (expires->is(json::Kind::String) && is_date(expires->text)) {
          s.expires = expires->text;
        } else {
          s.problem = "expires must be a date such as 2027-03-31";
        }
      }
      out.push_back(std::move(s));
    }
  }
}

}  // namespace

std::vector<InlineSuppression> inline_suppressions(const json::Value& root, std::string_view text,
                                                   bool yaml) {
  std::vector<InlineSuppression> out;
  read_metadata(root, out);
  if (yaml) read_comments(root, text, out);
  std::stable_sort(out.begin(), out.end(), [](const InlineSuppression& a, const InlineSuppression& b) {
    return a.at.begin < b.at.begin;
  });
  return out;
}

}  // namespace scopecop
