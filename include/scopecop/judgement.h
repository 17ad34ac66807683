// Deny- and condition-aware judgement of what an Allow statement really grants, shared by the scoping rules
// (ATHENA, GLUE, S3) and the least-privilege rules: an Allow cut back by a Deny of the same policy is judged
// by what is left, and an Allow bounded by a restricting condition is reported one severity lower.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scopecop/arn.h"
#include "scopecop/catalog.h"
#include "scopecop/glob.h"
#include "scopecop/policy.h"
#include "scopecop/resolve.h"
#include "scopecop/severity.h"

namespace scopecop {

// What the policy's unconditional Deny statements take away from Allows of one action. A Resource entry with
// a policy variable takes away nothing for certain (it is one unknown value per request), so it is left out.
struct Carve {
  bool everything = false;                        // a Deny of the action on "*"
  std::vector<Pattern> denied;                    // Deny ... "Resource": these ARNs
  std::vector<std::vector<Pattern>> kept_within;  // Deny ... "NotResource": only these ARNs stay allowed
  std::vector<std::vector<Pattern>> kept_certainly;  // the same lists without entries holding a variable
  std::vector<std::string> narrowed_to;              // the entries of kept_certainly as written
  std::vector<std::size_t> from;                  // the indices of those Deny statements: equal carves
  // A Deny on every resource unless a bounding condition holds ("StringNotLike": {"kms:ViaService": ...}):
  // the key, for the message; every Allow of the action is then bounded by it.
  std::optional<std::string> bounded_by;
};

Carve carve_for(const Policy& policy, const Resolution& resolved, const Action& action);

// The carve-outs of one policy, each computed once per action, for all the rules that ask (RuleContext). Not
// thread-safe: one policy is checked on one thread.
class Carves {
 public:
  Carves(const Policy& policy, const Resolution& resolved) : policy_(policy), resolved_(resolved) {}
  const Carve& of(const Action* a) const {
    auto it = by_action_.find(a);
    if (it == by_action_.end()) it = by_action_.emplace(a, carve_for(policy_, resolved_, *a)).first;
    return it->second;
  }

 private:
  const Policy& policy_;
  const Resolution& resolved_;
  mutable std::map<const Action*, Carve> by_action_;
};

// Whether `resource` (after the carve-out) reaches every ARN of a resource type within the partition, region
// and account it names: "*", "arn:aws:athena:*:*:workgroup/*", "arn:aws:s3:::*/*".
bool reaches_every(const Pattern& resource, std::string_view resource_text, const ResourceType& type,
                   const Carve& carve);

// The same for an Allow with NotResource: whether what `not_resource` leaves reaches every ARN of the type,
// but those it lists (judged as a Deny of them would be: only leaving them all out bounds it).
bool reaches_every_but(const std::vector<Text>& not_resource, const ResourceType& type, const Carve& carve);

// An ARN of `type` that `resource` reaches after the carve-out, that `within` matches (when given) and that
// none of `allowed` covers; nullopt when there is none. An empty example with proven=false means the search
// hit its limit.
std::optional<Uncovered> reach_outside(const Pattern& resource, const ResourceType& type,
                                       std::span<const Pattern> allowed, const Carve& carve,
                                       const Pattern* within = nullptr);
// The same outside a set given field by field: one search per field that limits the set, so the cost
// grows with the number of values, not of their combinations. The first field that leaves an ARN out gives
// the example (the resource part first).
std::optional<Uncovered> reach_outside(const Pattern& resource, const ResourceType& type,
                                       const ArnSet& allowed, const Carve& carve);

// The condition that bounds an Allow (aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID, aws:ResourceAccount,
// aws:ResourceTag/...), named for the message; or a ${aws:username}-style variable in `resource`, the entry
// a finding is about (without one: in every Resource entry of the statement).
std::optional<std::string> bounding_condition(const Statement& statement, const Text* resource = nullptr);

// What bounds an Allow of `actions` in `statement` (for `resource`): its own condition, or else a Deny of
// each of them on every resource unless a bounding condition holds (Carve::bounded_by).
std::optional<std::string> allow_bound(const Statement& statement, const Text* resource, const Carves& carves,
                                       std::span<const Action* const> actions);

Severity one_lower(Severity s);

}  // namespace scopecop
