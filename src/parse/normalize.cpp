#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "scopecop/catalog.h"
#include "scopecop/parse.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

// A value its file does not determine: one a template left unknown, a CloudFormation dynamic reference
// ({{resolve:ssm:...}}), or a placeholder of a template engine (Terraform's templatefile: "${bucket_arn}"),
// which IAM's own variables never look like: theirs hold a ':' ("${aws:username}") or are "${*}", "${?}",
// "${$}". A name that is a global key's without its "aws:" ("${username}") is a mistake POLICY-015 reports.
bool undetermined(const json::Value& v) {
  if (v.unknown) return true;
  if (!v.is(json::Kind::String)) return false;
  std::string_view s = v.text;
  if (s.find("{{resolve:") != std::string_view::npos) return true;
  for (std::size_t at = s.find("${"); at != std::string_view::npos; at = s.find("${", at + 2)) {
    std::size_t close = s.find('}', at);
    if (close == std::string_view::npos) break;
    std::string_view name = s.substr(at + 2, close - at - 2);
    if (!name.empty() && name.find(':') == std::string_view::npos && name != "*" && name != "?" &&
        name != "$" && !Catalog::embedded().global_key("aws:" + std::string(name)))
      return true;
  }
  return false;
}
const Key* find_key(const std::vector<Key>& keys, std::string_view name) {
  for (const Key& k : keys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}
}  // namespace

const Key* Statement::key(std::string_view key_name) const {
  return find_key(keys, key_name);
}
const Key* Policy::key(std::string_view key_name) const {
  return find_key(keys, key_name);
}

namespace {

using json::Kind;
using json::Value;

std::string child(std::string_view pointer, std::string_view key) {
  return json::child_pointer(pointer, key);
}

std::string child(std::string_view pointer, std::size_t index) {
  char digits[24];
  char* end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  std::string out;
  out.reserve(pointer.size() + 1 + static_cast<std::size_t>(end - digits));
  out.append(pointer).append(1, '/').append(digits, end);
  return out;
}

std::string quoted(std::string_view s) {  // "Action", for messages
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '"').append(s).append(1, '"');
  return out;
}

bool is_scalar(const Value& v) {
  return v.is(Kind::String) || v.is(Kind::Number) || v.is(Kind::Boolean);
}

std::string scalar_text(const Value& v) {
  if (v.is(Kind::Boolean)) return v.boolean ? "true" : "false";
  return v.text;
}

class Normalizer {
 public:
  Normalizer(Policy& policy) : policy_(policy) {}

  void document(const Value& root) {
    policy_.span = root.span;
    std::vector<Step> path;
    find_duplicates(root, path, false);
    if (!root.is(Kind::Object)) {
      wrong_type(root, policy_.pointer, "the policy document", "an object");
      return;
    }
    for (const json::Member& m : root.members) {
      std::string p = child(policy_.pointer, m.key);
      policy_.keys.push_back({m.key, m.key_span, p});
      if (m.key == "Version") {
        policy_.version = string_element(m.value, p, "Version", false);
      } else if (m.key == "Id") {
        policy_.id = string_element(m.value, p, "Id", true);
      }
    }
    if (const json::Member* m = root.find_member("Statement"))
      statements(m->value, child(policy_.pointer, m->key));
  }

 private:
  void defect(DefectKind kind, Span span, std::string pointer, std::string message, std::string help = {}) {
    policy_.defects.push_back(
        {kind, span, std::move(pointer), std::move(message), std::move(help), statement_});
  }

  void wrong_type(const Value& v, const std::string& pointer, std::string_view what,
                  std::string_view expected) {
    if (undetermined(v)) return;  // what the template leaves open has no type yet
    defect(DefectKind::WrongType, v.span, pointer,
           fmt::format("{} is {}, not {}", what, json::kind_name(v.kind), expected),
           fmt::format("IAM accepts only {} here", expected));
  }

  void empty(const Value& v, const std::string& pointer, std::string_view what) {
    defect(DefectKind::EmptyValue, v.span, pointer, fmt::format("{} is empty", what),
           "give it a value, or remove it if nothing was meant");
  }

  // Where find_duplicates stands: the keys and indices below the policy's pointer. The pointer itself is
  // written only for a repeated key.
  struct Step {
    std::string_view key;
    std::size_t index = 0;
    bool is_index = false;
  };
  std::string pointer_of(const std::vector<Step>& path) const {
    std::string out = policy_.pointer;
    for (const Step& step : path) out = step.is_index ? child(out, step.index) : child(out, step.key);
    return out;
  }

  // Every object in the document; inside condition operator blocks keys are compared case-insensitively,
  // because IAM treats condition key names so.
  void find_duplicates(const Value& v, std::vector<Step>& path, bool condition_block) {
    // Only objects and arrays can hold a repeated key.
    auto container = [](const Value& x) { return x.is(Kind::Array) || x.is(Kind::Object); };
    if (v.is(Kind::Array)) {
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (!container(v.items[i])) continue;
        path.push_back({{}, i, true});
        find_duplicates(v.items[i], path, false);
        path.pop_back();
      }
      return;
    }
    if (!v.is(Kind::Object)) return;
    for (std::size_t i = 0; i < v.members.size(); ++i) {
      const json::Member& m = v.members[i];
      for (std::size_t j = 0; j < i; ++j) {
        const json::Member& earlier = v.members[j];
        bool same = m.key == earlier.key;
        if (!same && !(condition_block && iequals(m.key, earlier.key))) continue;
        std::string what =
            same ? fmt::format("key \"{}\" is repeated", m.key)
                 : fmt::format("condition key \"{}\" repeats \"{}\" (condition keys ignore case)", m.key,
                               earlier.key);
        defect(DefectKind::DuplicateKey, m.key_span, child(pointer_of(path), m.key), what,
               "merge the two into one; IAM and other tools may each keep a different one");
        break;
      }
    }
    // A statement's "Condition" object: its members are operator blocks.
    bool is_condition =
        (path.empty() ? std::string_view(policy_.pointer).ends_with("/Condition")
                      : !path.back().is_index && path.back().key == "Condition") &&
        (policy_.pointer.find("/Statement") != std::string::npos ||
         std::any_of(path.begin(), path.end(), [](const Step& s) { return s.key.starts_with("Statement"); }));
    for (const json::Member& m : v.members) {
      if (!container(m.value)) continue;
      path.push_back({m.key, 0, false});
      find_duplicates(m.value, path, is_condition && m.value.is(Kind::Object));
      path.pop_back();
    }
  }

  std::optional<Text> string_element(const Value& v, const std::string& pointer, std::string_view what,
                                     bool check_empty) {
    if (!v.is(Kind::String)) {
      wrong_type(v, pointer, fmt::format("\"{}\"", what), "a string");
      return std::nullopt;
    }
    if (undetermined(v)) return std::nullopt;
    if (check_empty && v.text.empty()) empty(v, pointer, fmt::format("\"{}\"", what));
    return Text{v.text, v.span, pointer};
  }

  void statements(const Value& v, const std::string& pointer) {
    if (v.is(Kind::Object)) {
      statement(v, pointer, 0);
    } else if (v.is(Kind::Array)) {
      if (v.items.empty()) empty(v, pointer, "\"Statement\"");
      policy_.statements.reserve(v.items.size());
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        std::string p = child(pointer, i);
        if (v.items[i].is(Kind::Object)) {
          statement(v.items[i], p, i);
        } else {
          wrong_type(v.items[i], p, fmt::format("statement {}", i), "an object");
        }
      }
    } else {
      wrong_type(v, pointer, "\"Statement\"", "an object or a list of objects");
    }
  }

  void statement(const Value& v, const std::string& pointer, std::size_t index) {
    statement_ = index;
    Statement s;
    s.index = index;
    s.span = v.span;
    s.pointer = pointer;
    s.deploy_condition = v.deploy_condition;
    s.keys.reserve(v.members.size());
    for (const json::Member& m : v.members) s.keys.push_back({m.key, m.key_span, child(pointer, m.key)});
    // Elements are read from the last occurrence of each key; repeated keys are a finding of their own.
    for (std::size_t i = 0; i < v.members.size(); ++i) {
      const json::Member& m = v.members[i];
      if (v.find_member(m.key) != &m) continue;
      const std::string& p = s.keys[i].pointer;
      const Value& value = m.value;
      if (m.key == "Sid") {
        s.sid = string_element(value, p, "Sid", false);
      } else if (m.key == "Effect") {
        s.effect_text = string_element(value, p, "Effect", false);
        if (s.effect_text) {
          s.effect = s.effect_text->value == "Allow"  ? Effect::Allow
                     : s.effect_text->value == "Deny" ? Effect::Deny
                                                      : Effect::Invalid;
        }
      } else if (m.key == "Action") {
        list_element(s.action, m, p);
      } else if (m.key == "NotAction") {
        list_element(s.not_action, m, p);
      } else if (m.key == "Resource") {
        list_element(s.resource, m, p);
      } else if (m.key == "NotResource") {
        list_element(s.not_resource, m, p);
      } else if (m.key == "Principal") {
        principal_element(s.principal, m, p);
      } else if (m.key == "NotPrincipal") {
        principal_element(s.not_principal, m, p);
      } else if (m.key == "Condition") {
        condition_element(s, value, p);
      }
    }
    policy_.statements.push_back(std::move(s));
    statement_.reset();
  }

  // A string or a list of strings, kept as a list.
  void string_list(std::vector<Text>& out, const Value& v, const std::string& pointer, std::string_view what,
                   std::size_t* unknown = nullptr) {
    auto left_out = [&](const Value& item) {
      bool open = undetermined(item);
      if (open && unknown) ++*unknown;
      return open;
    };
    if (v.is(Kind::String)) {
      if (left_out(v)) return;
      if (v.text.empty()) empty(v, pointer, what);
      out.push_back({v.text, v.span, pointer});
      return;
    }
    if (!v.is(Kind::Array)) {
      wrong_type(v, pointer, what, "a string or a list of strings");
      return;
    }
    if (v.items.empty()) empty(v, pointer, what);
    out.reserve(out.size() + v.items.size());
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      const Value& item = v.items[i];
      std::string p = child(pointer, i);
      if (!item.is(Kind::String)) {
        wrong_type(item, p, fmt::format("an entry of {}", what), "a string");
        continue;
      }
      if (left_out(item)) continue;
      if (item.text.empty()) empty(item, p, fmt::format("an entry of {}", what));
      out.push_back({item.text, item.span, std::move(p)});
    }
  }

  void list_element(ListElement& e, const json::Member& m, const std::string& pointer) {
    e.present = true;
    e.key_span = m.key_span;
    e.pointer = pointer;
    string_list(e.values, m.value, pointer, quoted(m.key), &e.unknown);
  }

  void principal_element(PrincipalElement& e, const json::Member& m, const std::string& pointer) {
    e.present = true;
    e.key_span = m.key_span;
    e.pointer = pointer;
    const Value& v = m.value;
    std::string what = quoted(m.key);
    if (v.is(Kind::String)) {
      if (undetermined(v)) {
        ++e.unknown;
        return;
      }
      if (v.text.empty()) empty(v, pointer, what);
      e.wildcard = Text{v.text, v.span, pointer};
      return;
    }
    if (!v.is(Kind::Object)) {
      wrong_type(v, pointer, what, "\"*\" or an object such as {\"AWS\": [...]}");
      return;
    }
    if (v.members.empty()) empty(v, pointer, what);
    for (const json::Member& type : v.members) {
      std::string p = child(pointer, type.key);
      std::vector<Text> values;
      string_list(values, type.value, p, fmt::format("principal \"{}\"", type.key), &e.unknown);
      for (Text& value : values) e.entries.push_back({Text{type.key, type.key_span, p}, std::move(value)});
    }
  }

  void condition_element(Statement& s, const Value& v, const std::string& pointer) {
    if (!v.is(Kind::Object)) {
      wrong_type(v, pointer, "\"Condition\"", "an object");
      return;
    }
    if (v.members.empty()) empty(v, pointer, "\"Condition\"");
    for (const json::Member& block : v.members) {
      std::string op_pointer = child(pointer, block.key);
      Text op{block.key, block.key_span, op_pointer};
      s.condition_operators.push_back(op);
      if (!block.value.is(Kind::Object)) {
        wrong_type(block.value, op_pointer, fmt::format("condition operator \"{}\"", block.key),
                   "an object of condition keys");
        continue;
      }
      if (block.value.members.empty()) empty(block.value, op_pointer, fmt::format("\"{}\"", block.key));
      for (const json::Member& key : block.value.members) {
        std::string key_pointer = child(op_pointer, key.key);
        Condition c = parse_operator(op);
        c.key = Text{key.key, key.key_span, key_pointer};
        condition_values(c, key.value, key_pointer);
        s.conditions.push_back(std::move(c));
      }
    }
  }

  static Condition parse_operator(const Text& op) {
    Condition c;
    c.op = op;
    std::string_view rest = op.value;
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
      c.qualifier_text = std::string(rest.substr(0, colon));
      c.qualifier = c.qualifier_text == "ForAllValues"  ? SetQualifier::ForAllValues
                    : c.qualifier_text == "ForAnyValue" ? SetQualifier::ForAnyValue
                                                        : SetQualifier::None;
      rest.remove_prefix(colon + 1);
    }
    if (rest.ends_with("IfExists")) {
      c.if_exists = true;
      rest.remove_suffix(std::string_view("IfExists").size());
    }
    c.base = std::string(rest);
    return c;
  }

  void condition_values(Condition& c, const Value& v, const std::string& pointer) {
    // For messages only: written when there is one.
    auto what = [&] { return fmt::format("the value of condition key \"{}\"", c.key.value); };
    if (is_scalar(v)) {
      if (undetermined(v)) {
        ++c.unknown;
      } else {
        c.values.push_back({scalar_text(v), v.span, pointer});
      }
      return;
    }
    if (!v.is(Kind::Array)) {
      wrong_type(v, pointer, what(), "a string, number, boolean or a list of them");
      return;
    }
    if (v.items.empty()) empty(v, pointer, what());
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      std::string p = child(pointer, i);
      if (!is_scalar(v.items[i])) {
        wrong_type(v.items[i], p, fmt::format("an entry of {}", what()), "a string, number or boolean");
        continue;
      }
      if (undetermined(v.items[i])) {
        ++c.unknown;
        continue;
      }
      c.values.push_back({scalar_text(v.items[i]), v.items[i].span, p});
    }
  }

  Policy& policy_;
  std::optional<std::size_t> statement_;
};

}  // namespace

void measure_document(Policy& policy, std::string_view doc) {
  std::size_t all = count_code_points(doc);
  std::size_t ws = 0;
  for (char c : doc) ws += c == ' ' || c == '\t' || c == '\n' || c == '\r';
  policy.size_with_whitespace = all;
  policy.size_without_whitespace = all - ws;
}

Policy normalize_policy(const json::Value& document, std::string_view text, std::string pointer,
                        std::string name) {
  Policy policy;
  policy.name = std::move(name);
  policy.pointer = std::move(pointer);
  Normalizer(policy).document(document);
  measure_document(policy, text.substr(policy.span.begin, policy.span.end - policy.span.begin));
  return policy;
}

}  // namespace scopecop
