// Visiting every string of a policy with the element it stands in, for rules that look at values anywhere.
#pragma once

#include "scopecop/policy.h"

namespace scopecop::rules {

enum class Field : unsigned char {
  Action,
  NotAction,
  Resource,
  NotResource,
  Principal,
  NotPrincipal,
  ConditionKey,
  ConditionValue,
};

template <class F>
void for_each_text(const Policy& policy, F&& visit) {
  for (const Statement& s : policy.statements) {
    for (const Text& t : s.action.values) visit(s, Field::Action, t);
    for (const Text& t : s.not_action.values) visit(s, Field::NotAction, t);
    for (const Text& t : s.resource.values) visit(s, Field::Resource, t);
    for (const Text& t : s.not_resource.values) visit(s, Field::NotResource, t);
    if (s.principal.wildcard) visit(s, Field::Principal, *s.principal.wildcard);
    for (const PrincipalEntry& p : s.principal.entries) visit(s, Field::Principal, p.value);
    if (s.not_principal.wildcard) visit(s, Field::NotPrincipal, *s.not_principal.wildcard);
    for (const PrincipalEntry& p : s.not_principal.entries) visit(s, Field::NotPrincipal, p.value);
    for (const Condition& c : s.conditions) {
      visit(s, Field::ConditionKey, c.key);
      for (const Text& t : c.values) visit(s, Field::ConditionValue, t);
    }
  }
}

// The first "${...}" written where IAM would substitute it (Resource, NotResource, condition values), if any.
const Text* first_variable(const Policy& policy);

}  // namespace scopecop::rules
