// Rules: metadata (generated from rules/*.yaml), the check functions, and the sink they report into.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/catalog.h"
#include "scopecop/finding.h"
#include "scopecop/policy.h"
#include "scopecop/severity.h"

namespace scopecop {

// A curated data entry of a rule (a placeholder pattern, an operator name, ...) with why it is listed.
struct RuleValue {
  std::string_view value;
  std::string_view reason;
};

struct RuleMeta {
  std::string_view code;
  std::string_view name;
  Severity severity;
  std::string_view summary;
  std::string_view why;
  std::string_view bad;                  // a policy the rule fires on
  std::string_view good;                 // the same policy fixed: no finding at all
  std::string_view example_policy_type;  // "" when the type guess is right for the examples
  std::string_view options;
  std::string_view example_config;  // the .scopecop.yaml both examples are checked with ("" for none)
  std::span<const RuleValue> values;
};

// All rule metadata, sorted by code (generated at build time).
std::span<const RuleMeta> rule_metadata();
const RuleMeta* find_rule_meta(std::string_view code_or_name);
std::string_view rule_family(std::string_view code);  // "POLICY" for "POLICY-001"
// The documentation placeholder POLICY-014 lists that `value` holds ("123456789012", "your_..."), if any.
const RuleValue* documented_placeholder(std::string_view value);

class FindingSink {
 public:
  FindingSink(const SourceText& source, std::string_view file, std::vector<Finding>& out)
      : source_(source), file_(file), out_(out) {}

  void start(const RuleMeta& rule, const Policy* policy) {
    rule_ = &rule;
    policy_ = policy;
    kept_ = dropped_ = 0;
  }
  // Ends a rule's run on a policy: findings past the cap are counted in the last one kept.
  void finish();

  // Findings one rule reports on one policy at most: a hostile policy of a million bad values must not
  // make memory grow with it. The rest are counted, not kept.
  static constexpr std::size_t kMaxPerRule = 1000;

  const RuleMeta& rule() const { return *rule_; }

  Finding& add(Span span, std::string_view pointer, std::string message);
  Finding& add(const Text& at, std::string message) { return add(at.span, at.pointer, std::move(message)); }
  // Sets the statement index and Sid as well.
  Finding& add(const Statement& statement, Span span, std::string_view pointer, std::string message);
  Finding& add(const Statement& statement, const Text& at, std::string message) {
    return add(statement, at.span, at.pointer, std::move(message));
  }

 private:
  const SourceText& source_;
  std::string_view file_;
  std::vector<Finding>& out_;
  const RuleMeta* rule_ = nullptr;
  const Policy* policy_ = nullptr;
  std::size_t kept_ = 0, dropped_ = 0;
  Finding overflow_;  // what a rule fills in for a finding past the cap, then forgotten
};

class Resolution;
class Carves;
struct Scope;
struct Guard;

// What a rule may read besides the policy: the catalog, the policy already read against it and what its
// Denies take away (both answered once for all the rules), and the allowed scope of the configuration
// (nullptr without one: the rules that need it stay silent).
struct RuleContext {
  const Catalog& catalog;
  const Resolution& resolved;
  const Carves& carves;
  const Scope* scope = nullptr;
  const std::vector<Guard>* never = nullptr;  // the configuration's never: list, if any
};

using CheckFn = void (*)(const Policy&, const RuleContext&, FindingSink&);

struct Rule {
  const RuleMeta* meta;
  CheckFn check;
  // Whether the check also judges a principal's policies viewed as one (Policy::parts), where it reports only
  // what no single one of them grants: the rules about combinations of actions.
  bool across = false;
};

// The registered rules, in code order. Every metadata entry has exactly one check function.
std::span<const Rule> all_rules();

}  // namespace scopecop
