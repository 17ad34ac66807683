// The check functions behind the rules; registry.cpp binds each to its code.
#pragma once

#include "scopecop/rule.h"

namespace scopecop::rules {

// POLICY: document structure
void invalid_json(const Policy& policy, const RuleContext&, FindingSink& sink);
void duplicate_key(const Policy& policy, const RuleContext&, FindingSink& sink);
void unknown_element(const Policy& policy, const RuleContext&, FindingSink& sink);
void missing_element(const Policy& policy, const RuleContext&, FindingSink& sink);
void conflicting_elements(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_version(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_effect(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_value_type(const Policy& policy, const RuleContext&, FindingSink& sink);
void empty_value(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_sid(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_principal(const Policy& policy, const RuleContext&, FindingSink& sink);
void policy_too_large(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_condition_operator(const Policy& policy, const RuleContext&, FindingSink& sink);
void placeholder_value(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_policy_variable(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_arn(const Policy& policy, const RuleContext&, FindingSink& sink);

}  // namespace scopecop::rules
