// The IAM catalog: every service's actions (access level, accepted resource types, condition keys), resource
// types (ARN formats) and condition keys (types). It comes from the snapshot compiled at build time into
// ready tables (tools/catalog_embed.cpp), which a check reads in place: a service's first use only builds
// its patterns and its key index. AWS service-reference files (--catalog DIR) can replace services.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/glob.h"
#include "scopecop/text.h"

namespace scopecop {

enum AccessLevel : std::uint8_t { kRead = 1, kList = 2, kWrite = 4, kTagging = 8, kPermissions = 16 };
std::string access_level_names(std::uint8_t levels);  // e.g. "Tagging, Write"

struct ResourceType;

// Lists are views: of the compiled tables for the embedded snapshot, of the Catalog for a service it read.
using Names = std::span<const std::string_view>;

struct ActionResource {
  std::string_view type;
  bool required = false;
  Names condition_keys;
  const ResourceType* resolved = nullptr;  // the service's resource type of that name, if it has one
};

struct Action {
  std::string_view service;
  std::string_view name;
  std::uint8_t access = 0;
  std::span<const ActionResource> resources;  // empty: the action accepts only "*"
  Names condition_keys;
  Names dependent_actions;

  bool wildcard_only() const { return resources.empty(); }
  std::string full_name() const { return std::string(service) + ":" + std::string(name); }
};

struct ResourceType {
  std::string_view name;
  Names arn_formats;
  std::span<const Pattern> patterns;  // arn_format_pattern of each format, made on the service's first use
  Names condition_keys;
};

struct ConditionKey {
  std::string_view name;  // as the catalog writes it, e.g. aws:ResourceTag/${TagKey}
  std::string_view type;  // String, ArrayOfString, ARN, Bool, Numeric, Date, IPAddress, ...
  Pattern pattern;        // case-insensitive; ${TagKey} and <key> match any non-empty text

  bool multivalued() const { return type.starts_with("ArrayOf"); }
};

struct Service {
  std::string_view prefix;
  std::string_view name;
  std::span<const Action> actions;  // sorted by name, ignoring case
  std::span<const ResourceType> resource_types;
  std::vector<ConditionKey> condition_keys;
  FoldedIndex action_index, key_index;  // of actions, of condition_keys

  const Action* action(std::string_view action_name) const;  // ignores case
  const ResourceType* resource_type(std::string_view type) const;
  const ConditionKey* condition_key(std::string_view key) const;  // ignores case, matches ${TagKey} parts
  std::vector<const Action*> matching(const Pattern& action_name) const;
};

// A condition key of web identity federation, PROVIDER:CLAIM (token.actions.githubusercontent.com:sub), which
// IAM names after whatever OIDC provider a role trusts; the provider is a host name, with a path for some
// (oidc.eks.REGION.amazonaws.com/id/ID). nullptr for other keys.
const ConditionKey* web_identity_key(std::string_view key);
std::span<const ConditionKey> web_identity_keys();  // ${Provider}:aud, ${Provider}:sub, ...

// Action patterns of live services that AWS's service reference lists and the snapshot's package leaves out
// (rules/catalog/actions-outside-package.tsv), each with what it is: they exist, and nothing more is known.
struct ListedAction {
  std::string_view pattern;
  std::string_view what;
};
std::span<const ListedAction> actions_outside_package();

class Catalog {
 public:
  // The snapshot compiled into the binary; a service's patterns are made on its first use (thread-safe).
  static const Catalog& embedded();

  // A catalog whose services are the embedded ones, except those replaced by AWS service-reference documents
  // added with add_service_reference.
  static std::unique_ptr<Catalog> overlay();

  // Adds one AWS service-reference document (the JSON served at /v1/<service>/<service>.json). Returns an
  // error message, or "" when the service was added. Resource types missing from AWS's format keep the
  // required flags of the embedded snapshot where it knows the same action and resource type.
  std::string add_service_reference(std::string_view json_text);

  // The embedded snapshot's: known without building the catalog.
  static std::string_view package();
  static std::string_view version();
  static std::string_view date();
  const std::vector<std::string_view>& prefixes() const { return prefixes_; }  // sorted
  std::size_t overridden() const { return own_.size(); }

  const Service* service(std::string_view prefix) const;  // ignores case
  const ConditionKey* global_key(std::string_view key) const;
  // A condition key anywhere in the catalog: global, or defined by any service (saml:sub is defined by sts).
  const ConditionKey* condition_key(std::string_view key) const;
  // Catalog services whose resource types have ARNs with this service field ("kafka": kafka, kafka-cluster).
  std::vector<std::string_view> services_for_arn(std::string_view arn_service) const;

  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;
  ~Catalog();

 private:
  Catalog();
  struct Lazy;
  const Catalog* base_ = nullptr;                        // set for an overlay
  std::unique_ptr<Lazy> lazy_;                           // embedded: per-service slots
  std::map<std::string, std::unique_ptr<Service>> own_;  // overlay: replaced services
  struct Storage;
  std::unique_ptr<Storage> storage_;  // overlay: what own_'s views see
  std::vector<ConditionKey> global_keys_;
  std::vector<std::string_view> prefixes_;
  void add_prefix(std::string_view prefix);
};

}  // namespace scopecop
