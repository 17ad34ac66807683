// What one version of a policy allows that another does not: per action, the resources that became allowed
// or stopped being allowed, each with a witness ARN and the statements on both sides (`scopecop diff`).
// Resource sets are compared exactly (wildcards, NotAction, NotResource, unconditional Deny); conditions,
// principals and policy variables are compared as written, and a change there is reported as such.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/catalog.h"
#include "scopecop/policy.h"

namespace scopecop {

enum class ChangeKind : unsigned char {
  // New access: the first three widen what the policy allows.
  Added,             // allowed now (under the statement's condition, if any), in no context before
  ConditionDropped,  // allowed before only under conditions that are no longer required
  ConditionChanged,  // allowed before under other conditions: may be new access
  DenyDropped,       // a conditional Deny that covered it before no longer does
  // Narrower.
  Removed,         // allowed before (in some context), in none now
  ConditionAdded,  // still allowed, under more conditions than before
  DenyAdded,       // a conditional Deny covers it now
};

std::string_view change_kind_name(ChangeKind kind);  // "added", "condition-dropped", ...
bool is_new_access(ChangeKind kind);

// One change for the actions of one service that changed alike (the same statements on both sides).
struct AccessChange {
  ChangeKind kind = ChangeKind::Added;
  std::vector<std::string> actions;    // sorted, as the catalog writes them
  std::vector<std::string> witnesses;  // for each action, a resource the change applies to
  // The statements that grant (or deny) it on each side: for Added, the new statement that grants it and
  // the old statements that granted these actions elsewhere; for Removed, the reverse; for condition and
  // Deny changes, the two statements compared.
  std::vector<std::size_t> new_statements, old_statements;
};

struct AccessDiff {
  std::vector<AccessChange> changes;  // new access first, then by statement and action
  // Where the search for a witness gave up (a pathological pattern), naming the actions: reported, never
  // counted as "no change".
  std::vector<std::string> undecided;
  bool adds_access() const;
};

// Compares versions of policies against one catalog; what it reads of the catalog (every action, each
// action's resource formats) serves all its comparisons. Not thread-safe.
class AccessComparer {
 public:
  explicit AccessComparer(const Catalog& catalog);
  ~AccessComparer();
  AccessComparer(const AccessComparer&) = delete;
  AccessComparer& operator=(const AccessComparer&) = delete;

  // What `after` allows that `before` does not, and the reverse. Either may be an empty policy (a policy
  // added or removed).
  AccessDiff diff(const Policy& before, const Policy& after);

 private:
  const Catalog& catalog_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

// Questions about what single statements of one policy grant, after the policy's unconditional Deny
// statements, answered with the same exact search as a diff: the guards of `never:` (GUARD-001). Reads the
// policy once for all its questions. Not thread-safe.
class GrantSearch {
 public:
  explicit GrantSearch(const Policy& policy);
  ~GrantSearch();
  GrantSearch(const GrantSearch&) = delete;
  GrantSearch& operator=(const GrantSearch&) = delete;

  // Whether the statement's Action or NotAction names the action ("s3:GetObject").
  bool names(const Statement& statement, std::string_view action_name) const;
  // A resource that the Allow `statement` allows `action_name` (`action`, when the catalog knows it) on and
  // that one of `within` (ARN patterns) matches, or with `outside` none of them; `within` empty and not
  // `outside`: any resource. nullopt when there is none.
  std::optional<std::string> find(const Statement& statement, std::string_view action_name,
                                  const Action* action, const std::vector<std::string>& within, bool outside);

 private:
  struct Grants;
  std::unique_ptr<Grants> grants_;
};

// The conditions of a statement as compared: one line per key test, e.g. `StringEquals aws:SourceVpce
// ["vpce-1"]`, sorted; principals of a resource policy as extra lines. With
// fold_keys, condition keys are lowercased, as IAM compares them.
std::vector<std::string> statement_conditions(const Policy& policy, const Statement& statement,
                                              bool fold_keys = false);

}  // namespace scopecop
