// The policy model read against the catalog: which actions an Action entry names, which ARNs a Resource entry
// can denote, which resource types an action receives. Shared by the ACTION, RESOURCE, CONDITION and later
// the least-privilege rules, so that every rule judges the same way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scopecop/catalog.h"
#include "scopecop/glob.h"
#include "scopecop/policy.h"

namespace scopecop {

struct ActionMatch {
  const Text* text = nullptr;
  bool everything = false;  // "*"
  bool malformed = false;   // no "service:" prefix
  bool wildcard = false;    // '*' or '?' in the entry
  std::string_view service_part, action_part;
  // Held by the ResolutionCache that answered.
  std::span<const Service* const> services;  // the services the prefix names
  std::span<const Action* const> actions;    // the actions the entry names (empty for "*")

  bool names(const Action& a) const {  // "*" names every action
    if (everything) return true;
    // One service's actions come in the catalog's order, which is their order in memory: "ec2:*" names 700.
    if (services.size() == 1 && actions.size() > 8)
      return std::binary_search(actions.begin(), actions.end(), &a, std::less<const Action*>());
    return std::find(actions.begin(), actions.end(), &a) != actions.end();
  }
};

// Whether one of a statement's Action or NotAction entries names `a`.
inline bool any_names(const std::vector<ActionMatch>& entries, const Action& a) {
  return std::any_of(entries.begin(), entries.end(), [&](const ActionMatch& m) { return m.names(a); });
}

// A statement's Resource entries as ARN patterns (see arn_pattern).
std::vector<Pattern> resource_patterns(const std::vector<Text>& entries);

class ResolutionCache;

// A statement's Resource entries, asked which resource types they can denote. Answers are remembered: a
// pattern such as "ec2:Describe*" asks about the same types for hundreds of actions.
class ResourceMatcher {
 public:
  explicit ResourceMatcher(std::vector<Pattern> resources);
  // The entries' answers are also remembered across policies by `cache`.
  ResourceMatcher(const std::vector<Text>& entries, ResolutionCache& cache);
  std::span<const Pattern> patterns() const { return resources_; }

  // Whether any resource pattern can denote a resource of this type.
  bool receives(const ResourceType& type) const;
  // The accepted resource types of `action` that some resource pattern can denote.
  std::vector<const ActionResource*> received_types(const Action& action) const;
  bool receives_any(const Action& action) const;  // received_types is not empty

 private:
  std::vector<Pattern> resources_;
  bool everything_ = false;  // some pattern is "*", which denotes every resource of every type
  mutable std::unordered_map<const ResourceType*, bool> memo_;
  const std::vector<Text>* entries_ = nullptr;  // with cache_: the entries resources_ were made of
  ResolutionCache* cache_ = nullptr;
};

// How a Resource value stands against the ARN formats of its service (RESOURCE-004 and RESOURCE-005).
enum class ArnVerdict { Fine, Unjudged, FieldProblem, NoFormat, UnknownService };

struct ArnJudgement {
  ArnVerdict verdict = ArnVerdict::Unjudged;
  std::string detail;
  std::string_view format;  // the ARN format that fits best
};

// What an Action entry names and how a Resource value stands against the catalog depend on nothing but the
// text: a check remembers them for all the policies it reads (an account dump names "s3:GetObject" hundreds
// of times, "arn:aws:s3:::*" as often). Thread-safe: one for all the threads of a check, which share what
// each has found out; asking takes no lock.
class ResolutionCache {
 public:
  // `bytes`: about how much policy text it will be asked about, to size its tables.
  explicit ResolutionCache(const Catalog& catalog, std::uintmax_t bytes = 0);
  ~ResolutionCache();
  const Catalog& catalog() const { return catalog_; }
  // What `entry` names; the answer's lists stay valid as long as this cache.
  ActionMatch action(const Text& entry);
  const ArnJudgement& arn(const std::string& value);  // the reference stays valid as long as this cache
  const Pattern& resource_pattern(const std::string& value);  // arn_pattern, remembered
  const ConditionKey* condition_key(const std::string& key);  // Catalog::condition_key, remembered
  // Whether the Resource value `entry` (as `pattern`) can denote a resource of `type`: ResourceMatcher's
  // question, remembered for every policy ("arn:aws:logs:*:*:*" is asked about the same types again and
  // again).
  bool denotes(const std::string& entry, const Pattern& pattern, const ResourceType& type);

  // What an Action entry names, apart from where it is written.
  struct Names {
    bool everything = false, malformed = false, wildcard = false;
    std::span<const Service* const> services;  // held by the cache
    std::span<const Action* const> actions;
  };

 private:
  const Catalog& catalog_;
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

// A policy read against the catalog once, on demand, for all the rules that ask: each statement's actions
// and resources. Not thread-safe: one policy is checked on one thread.
class Resolution {
 public:
  Resolution(const Policy& policy, ResolutionCache& cache);
  ~Resolution();
  const std::vector<ActionMatch>& actions(const Statement& s) const;      // the Action entries
  const std::vector<ActionMatch>& not_actions(const Statement& s) const;  // the NotAction entries
  const ResourceMatcher& resources(const Statement& s) const;             // the Resource entries
  const ArnJudgement& arn(const std::string& value) const;                // a Resource or NotResource value
  const ConditionKey* condition_key(const std::string& key) const;        // see Catalog::condition_key

 private:
  struct Entry;
  const Entry& entry(const Statement& s) const;
  std::vector<ActionMatch> match(const std::vector<Text>& entries) const;
  const Policy& policy_;
  ResolutionCache& cache_;
  mutable std::vector<std::unique_ptr<Entry>> entries_;
};

// The catalog actions an Action entry names, as ResolutionCache::action finds them ("s3:Get*", "*:List*"),
// without a cache: for entries that are not a policy's (the never: list, a diff's statements). "*" names
// nothing here; a caller that needs every action asks the catalog's services.
std::vector<const Action*> actions_named(std::string_view entry, const Catalog& catalog);

// Whether a resource pattern matches "*" itself, as actions without resource-level permissions require.
bool grants_wildcard_resource(std::span<const Pattern> resources);

// Every condition key that applies to `action`: its own, those of the resource types it accepts.
bool condition_key_applies(const Service& service, const Action& action, std::string_view key);

}  // namespace scopecop
