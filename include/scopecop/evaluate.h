// One request evaluated offline the way IAM decides it (`scopecop can`): identity policies, resource
// policies, permission boundaries and SCPs, explicit and implicit deny, same- and cross-account access,
// condition operators against a given context. A condition key (or principal) the request does not give
// makes the answer "depends", naming it; it is never guessed.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "scopecop/policy.h"

namespace scopecop {

struct Request {
  std::string action;     // "s3:GetObject"
  std::string resource;   // an ARN, or "*" for an action that accepts no other
  std::string principal;  // the caller's ARN; "" when not given
  std::map<std::string, std::vector<std::string>> context;  // condition keys, lowercased, and their values
};

// The policies that apply to the request, by the part they play.
struct PolicySet {
  std::vector<const Policy*> identity;  // the principal's identity policies
  std::vector<const Policy*> resource;  // the resource's policy (a bucket policy, a key policy, ...)
  std::vector<const Policy*> boundary;  // the principal's permission boundary (none: no boundary)
  std::vector<const Policy*> scp;       // service control policies (none: not in an organization's scope)
};

enum class Decision : unsigned char { Allowed, ExplicitlyDenied, ImplicitlyDenied, Depends };

struct StatementRef {
  const Policy* policy = nullptr;
  std::size_t statement = 0;
};

struct Evaluation {
  Decision decision = Decision::ImplicitlyDenied;
  // The statements that decide: the Allow statements that grant it, the Deny statements that deny it, or
  // those whose conditions depend on what the request does not say.
  std::vector<StatementRef> deciding;
  std::vector<std::string> depends_on;  // condition keys (or "the principal") the answer depends on
  std::string reason;                   // why, in a sentence (implicit deny: what is missing)
};

Evaluation evaluate(const Request& request, const PolicySet& policies);

std::string_view decision_name(Decision d);  // "allowed", "explicitly-denied", "implicitly-denied", "depends"

}  // namespace scopecop
