// A policy a Terraform plan leaves to apply time because it is the `json` of an aws_iam_policy_document data
// source whose reading waits for values that do not exist yet (a bucket's ARN before the bucket). The plan
// still holds the data source's statements, with what is known and what is not: the policy is rebuilt from
// them as the provider renders it, each unknown value an unknown element.
#include <fmt/format.h>

#include "parse/containers.h"

namespace scopecop {

namespace {

using json::Kind;
using json::Value;

constexpr std::string_view kDataSource = "data.aws_iam_policy_document.";

bool is_true(const Value* v) {
  return v && v->is(Kind::Boolean) && v->boolean;
}

// The length of a module path at the start of a Terraform address ("module.a[0].module.b."), and the module
// names along it.
std::size_t module_path(std::string_view address, std::vector<std::string_view>* names = nullptr) {
  std::size_t at = 0;
  while (address.compare(at, 7, "module.") == 0) {
    std::size_t i = at + 7;
    while (i < address.size() && address[i] != '.' && address[i] != '[') ++i;
    std::string_view name = address.substr(at + 7, i - at - 7);
    if (i < address.size() && address[i] == '[') {  // an instance key: a number or a quoted string
      bool quoted = false;
      for (++i; i < address.size() && (quoted || address[i] != ']'); ++i) {
        if (quoted && address[i] == '\\') {
          ++i;
        } else if (address[i] == '"') {
          quoted = !quoted;
        }
      }
      ++i;
    }
    if (i >= address.size() || address[i] != '.') break;
    if (names) names->push_back(name);
    at = i + 1;
  }
  return at;
}

// The address without the instance key of its last part: aws_iam_policy.x[0] -> aws_iam_policy.x.
std::string_view without_key(std::string_view address) {
  if (!address.ends_with(']')) return address;
  std::size_t open = address.rfind('[');
  return open == std::string_view::npos ? address : address.substr(0, open);
}

// The configuration of the module a resource address is in, or nullptr.
const Value* module_configuration(const Value& plan, std::string_view address) {
  const Value* config = plan.find("configuration");
  const Value* module = config ? config->find("root_module") : nullptr;
  std::vector<std::string_view> names;
  module_path(address, &names);
  for (std::string_view name : names) {
    const Value* calls = module ? module->find("module_calls") : nullptr;
    const Value* call = calls ? calls->find(name) : nullptr;
    module = call ? call->find("module") : nullptr;
  }
  return module;
}

// The data source a resource's attribute is the `json` of, as the configuration references it
// ("data.aws_iam_policy_document.x" or "...x[0]"); empty when it is something else.
std::string referenced_document(const Value& plan, std::string_view address, std::string_view attribute) {
  const Value* module = module_configuration(plan, address);
  const Value* resources = module ? module->find("resources") : nullptr;
  if (!resources || !resources->is(Kind::Array)) return {};
  std::string_view local = without_key(address.substr(module_path(address)));
  for (const Value& r : resources->items) {
    const Value* a = r.find("address");
    if (!a || a->text != local) continue;
    const Value* expressions = r.find("expressions");
    const Value* expression = expressions ? expressions->find(attribute) : nullptr;
    const Value* references = expression ? expression->find("references") : nullptr;
    if (!references || !references->is(Kind::Array)) return {};
    for (const Value& ref : references->items) {
      std::string_view s = ref.text;
      if (s.starts_with(kDataSource) && s.ends_with(".json")) return std::string(s.substr(0, s.size() - 5));
    }
  }
  return {};
}

// A set of strings of the data source (actions, resources, identifiers, values): the known ones as they
// are, each unknown one (or the whole set) as an unknown string standing where the set is.
std::optional<Value> string_set(const Value* after, const Value* unknown, Span at) {
  auto unknown_value = [](Span span) {
    Value v;
    v.kind = Kind::String;
    v.text = "(known after apply)";
    v.unknown = true;
    v.span = span;
    return v;
  };
  if (is_true(unknown)) return unknown_value(after ? after->span : at);
  if (!after || !after->is(Kind::Array) || after->items.empty()) return std::nullopt;
  Value out = *after;
  for (std::size_t i = 0; i < out.items.size(); ++i) {
    bool later =
        unknown && unknown->is(Kind::Array) && i < unknown->items.size() && is_true(&unknown->items[i]);
    if (later || !out.items[i].is(Kind::String)) out.items[i] = unknown_value(out.items[i].span);
  }
  return out;
}

// A string of a block that decides the document's shape (an effect, a principal type, a condition's test
// or variable): nullopt when the plan does not know it.
std::optional<std::string> known_text(const Value& block, const Value* unknown, std::string_view key) {
  if (unknown && is_true(unknown->find(key))) return std::nullopt;
  const Value* v = block.find(key);
  if (!v || v->is(Kind::Null)) return std::string();
  if (!v->is(Kind::String)) return std::nullopt;
  return v->text;
}

const Value* item(const Value* list, std::size_t i) {
  return list && list->is(Kind::Array) && i < list->items.size() ? &list->items[i] : nullptr;
}

// Where a block's `key` is written: its value, or the block when the plan leaves the key out.
Span value_span(const Value& block, std::string_view key) {
  const json::Member* m = block.find_member(key);
  return m ? m->value.span : block.span;
}

// The member of `object` with this key, added (holding `empty`) when there is none.
json::Member& member(Value& object, const std::string& key, Span key_span, Value empty) {
  for (json::Member& m : object.members) {
    if (m.key == key) return m;
  }
  return object.members.emplace_back(json::Member{key, key_span, std::move(empty)});
}

// Adds the strings of a set, or the one unknown string standing for it, to a list.
void append(Value& list, Value values) {
  if (values.is(Kind::Array)) {
    list.items.insert(list.items.end(), values.items.begin(), values.items.end());
  } else {
    list.items.push_back(std::move(values));
  }
}

Value array_at(Span span) {
  Value v;
  v.kind = Kind::Array;
  v.span = span;
  return v;
}

// principals / not_principals blocks as an IAM Principal: {"AWS": [...], "Service": [...]} or "*"; nullopt
// when a type is not known.
std::optional<Value> principal(const Value& blocks, const Value* unknown) {
  Value out = member_object({}, blocks.span);
  for (std::size_t i = 0; i < blocks.items.size(); ++i) {
    const Value& block = blocks.items[i];
    const Value* later = item(unknown, i);
    std::optional<std::string> type = known_text(block, later, "type");
    if (!type || type->empty()) return std::nullopt;
    std::optional<Value> values =
        string_set(block.find("identifiers"), later ? later->find("identifiers") : nullptr, block.span);
    if (!values) continue;
    // The provider writes type "*" with identifier "*" as the bare wildcard.
    if (*type == "*") return string_value("*", values->span);
    Value& merged = member(out, *type, value_span(block, "type"), array_at(values->span)).value;
    append(merged, std::move(*values));
  }
  return out;
}

// condition blocks as an IAM Condition: {"test": {"variable": [values]}}.
std::optional<Value> condition(const Value& blocks, const Value* unknown) {
  Value out = member_object({}, blocks.span);
  for (std::size_t i = 0; i < blocks.items.size(); ++i) {
    const Value& block = blocks.items[i];
    const Value* later = item(unknown, i);
    std::optional<std::string> test = known_text(block, later, "test");
    std::optional<std::string> variable = known_text(block, later, "variable");
    if (!test || !variable || test->empty() || variable->empty()) return std::nullopt;
    std::optional<Value> values =
        string_set(block.find("values"), later ? later->find("values") : nullptr, block.span);
    if (!values) continue;
    Value& keys = member(out, *test, value_span(block, "test"), member_object({}, block.span)).value;
    Value& merged = member(keys, *variable, value_span(block, "variable"), array_at(values->span)).value;
    append(merged, std::move(*values));
  }
  return out;
}

// One statement block as an IAM statement; the reason when the plan does not determine its shape.
std::optional<Value> statement(const Value& block, const Value* unknown, std::string& why) {
  Value out = member_object({}, block.span);
  auto key_span = [&](std::string_view key) {
    const json::Member* m = block.find_member(key);
    return m ? m->key_span : block.span;
  };
  std::optional<std::string> sid = known_text(block, unknown, "sid");
  if (sid && !sid->empty())
    out.members.push_back({"Sid", key_span("sid"), string_value(*sid, value_span(block, "sid"))});
  std::optional<std::string> effect = known_text(block, unknown, "effect");
  if (!effect) {
    why = "the effect of a statement is known only after apply";
    return std::nullopt;
  }
  out.members.push_back({"Effect", key_span("effect"),
                         string_value(effect->empty() ? "Allow" : *effect, value_span(block, "effect"))});
  static constexpr std::pair<std::string_view, std::string_view> kSets[] = {{"actions", "Action"},
                                                                            {"not_actions", "NotAction"},
                                                                            {"resources", "Resource"},
                                                                            {"not_resources", "NotResource"}};
  for (auto [tf, iam] : kSets) {
    if (auto v = string_set(block.find(tf), unknown ? unknown->find(tf) : nullptr, block.span))
      out.members.push_back({std::string(iam), key_span(tf), std::move(*v)});
  }
  for (auto [tf, iam] : {std::pair<std::string_view, std::string_view>{"principals", "Principal"},
                         {"not_principals", "NotPrincipal"}}) {
    if (unknown && is_true(unknown->find(tf))) {
      why = fmt::format("the {} of a statement are known only after apply", tf);
      return std::nullopt;
    }
    const Value* blocks = block.find(tf);
    if (!blocks || !blocks->is(Kind::Array) || blocks->items.empty()) continue;
    std::optional<Value> p = principal(*blocks, unknown ? unknown->find(tf) : nullptr);
    if (!p) {
      why = fmt::format("a type of the {} of a statement is known only after apply", tf);
      return std::nullopt;
    }
    out.members.push_back({std::string(iam), key_span(tf), std::move(*p)});
  }
  if (unknown && is_true(unknown->find("condition"))) {
    why = "the conditions of a statement are known only after apply";
    return std::nullopt;
  }
  if (const Value* blocks = block.find("condition");
      blocks && blocks->is(Kind::Array) && !blocks->items.empty()) {
    std::optional<Value> c = condition(*blocks, unknown ? unknown->find("condition") : nullptr);
    if (!c) {
      why = "a condition's test or key is known only after apply";
      return std::nullopt;
    }
    if (!c->members.empty()) out.members.push_back({"Condition", key_span("condition"), std::move(*c)});
  }
  return out;
}

}  // namespace

std::optional<PlannedDocument> planned_policy_document(const Value& plan, std::string_view address,
                                                       std::string_view attribute, std::string& why) {
  std::string source = referenced_document(plan, address, attribute);
  if (source.empty()) return std::nullopt;
  std::string module(address.substr(0, module_path(address)));
  const Value* changes = plan.find("resource_changes");
  if (!changes || !changes->is(Kind::Array)) return std::nullopt;
  // The data source as referenced; when the reference names no instance, the one of the resource's own key.
  std::string with_key = address.ends_with(']') && !source.ends_with(']')
                             ? source + std::string(address.substr(address.rfind('[')))
                             : std::string();
  for (std::size_t i = 0; i < changes->items.size(); ++i) {
    const Value& change = changes->items[i];
    const Value* a = change.find("address");
    const Value* mode = change.find("mode");
    if (!a || !mode || mode->text != "data") continue;
    if (a->text != module + source && (with_key.empty() || a->text != module + with_key)) continue;
    why = fmt::format("it is the json of {}, ", a->text);
    const Value* c = change.find("change");
    const Value* after = c ? c->find("after") : nullptr;
    const Value* unknown = c ? c->find("after_unknown") : nullptr;
    if (!after || !after->is(Kind::Object)) {
      why += "whose statements the plan does not hold";
      return std::nullopt;
    }
    for (std::string_view merged :
         {"source_policy_documents", "override_policy_documents", "source_json", "override_json"}) {
      const Value* v = after->find(merged);
      bool later = unknown && unknown->is(Kind::Object) && unknown->find(merged) &&
                   !(unknown->find(merged)->is(Kind::Boolean) && !unknown->find(merged)->boolean);
      if (later || (v && !v->is(Kind::Null) && !(v->is(Kind::Array) && v->items.empty()) &&
                    !(v->is(Kind::String) && v->text.empty()))) {
        why += fmt::format("which merges {} that only the provider renders", merged);
        return std::nullopt;
      }
    }
    const Value* statements = after->find("statement");
    const Value* statements_unknown = unknown ? unknown->find("statement") : nullptr;
    if (is_true(statements_unknown) || !statements || !statements->is(Kind::Array)) {
      why += "whose statements are known only after apply";
      return std::nullopt;
    }
    Value list;
    list.kind = Kind::Array;
    list.span = statements->span;
    for (std::size_t k = 0; k < statements->items.size(); ++k) {
      std::string reason;
      std::optional<Value> s = statement(statements->items[k], item(statements_unknown, k), reason);
      if (!s) {
        why += "and " + reason;
        return std::nullopt;
      }
      list.items.push_back(std::move(*s));
    }
    const Value* version = after->find("version");
    Value document = member_object({}, after->span);
    document.members.push_back(
        {"Version", after->span,
         string_value(
             version && version->is(Kind::String) && !version->text.empty() ? version->text : "2012-10-17",
             version ? version->span : after->span)});
    if (const Value* id = after->find("policy_id"); id && id->is(Kind::String) && !id->text.empty())
      document.members.push_back({"Id", id->span, *id});
    document.members.push_back({"Statement", statements->span, std::move(list)});
    return PlannedDocument{std::move(document), fmt::format("/resource_changes/{}/change/after", i), a->text};
  }
  return std::nullopt;
}

}  // namespace scopecop
