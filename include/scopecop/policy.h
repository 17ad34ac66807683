// The normalized policy model that every rule reads: statements as lists, never "a string or a list", and
// every element with its source span and JSON pointer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/source.h"

namespace scopecop {

enum class PolicyType : unsigned char { Identity, Bucket, Resource, Endpoint, Trust, Scp };

std::string_view policy_type_name(PolicyType t);
std::optional<PolicyType> parse_policy_type(std::string_view name);

// Which identity-policy quota applies; a bare policy file does not say, its container may.
enum class IdentityKind : unsigned char { Unknown, Managed, InlineRole, InlineUser, InlineGroup };

// A string (or a number or boolean, as text) written in the policy, with where it stands.
struct Text {
  std::string value;
  Span span;
  std::string pointer;
};

// A key as written in an object, for checks on unknown or missing elements.
struct Key {
  std::string name;
  Span span;
  std::string pointer;  // pointer to the key's value
};

// Structural problems found while normalizing; each kind feeds one POLICY rule.
enum class DefectKind : unsigned char { InvalidJson, DuplicateKey, WrongType, EmptyValue };

struct Defect {
  DefectKind kind;
  Span span;
  std::string pointer;
  std::string message;
  std::string help;
  std::optional<std::size_t> statement;
};

// Action, NotAction, Resource or NotResource: always a list once normalized.
struct ListElement {
  bool present = false;
  Span key_span;
  std::string pointer;
  std::vector<Text> values;
  std::size_t unknown = 0;  // values the file does not determine (CloudFormation), left out of `values`
};

struct PrincipalEntry {
  Text type;  // "AWS", "Service", "Federated", "CanonicalUser", or what was written
  Text value;
};

struct PrincipalElement {
  bool present = false;
  Span key_span;
  std::string pointer;
  std::optional<Text> wildcard;  // the bare string form, "Principal": "*"
  std::vector<PrincipalEntry> entries;
  std::size_t unknown = 0;  // values the file does not determine, left out of `entries`
};

enum class SetQualifier : unsigned char { None, ForAllValues, ForAnyValue };

// One key test inside a condition operator block: {"StringEquals": {"aws:SourceVpce": ["vpce-1"]}}.
struct Condition {
  Text op;  // as written, e.g. "ForAnyValue:StringLikeIfExists"
  SetQualifier qualifier = SetQualifier::None;
  std::string qualifier_text;  // what stood before ':' when anything did, as written
  std::string base;            // the operator without qualifier and IfExists, e.g. "StringLike"
  bool if_exists = false;
  Text key;
  std::vector<Text> values;
  std::size_t unknown = 0;  // values the file does not determine, left out of `values`
};

enum class Effect : unsigned char { Allow, Deny, Invalid };

struct Statement {
  std::size_t index = 0;
  Span span;
  std::string pointer;
  std::vector<Key> keys;
  std::optional<Text> sid;
  std::optional<Text> effect_text;
  Effect effect = Effect::Invalid;
  ListElement action, not_action, resource, not_resource;
  PrincipalElement principal, not_principal;
  std::vector<Text> condition_operators;  // every operator block's name, even an empty block's
  std::vector<Condition> conditions;
  // When the statement exists only under its template's condition (one branch of an Fn::If): its name,
  // or "not NAME" for the other branch.
  std::string deploy_condition;
  // In a principal's policies viewed as one (Policy::parts): which of them the statement is from.
  std::size_t part = 0;

  const Key* key(std::string_view key_name) const;
  // Whether a value of Action, NotAction, Resource or NotResource is not determined by the file: the
  // statement may then grant more than its known values, which absence rules must allow for.
  bool has_unknown() const {
    return action.unknown || not_action.unknown || resource.unknown || not_resource.unknown;
  }
};

struct Policy {
  std::string name;  // what reports call it: a file name, or a name from its container
  std::string deploy_condition;  // the template's condition its resource is created under, if any
  PolicyType type = PolicyType::Identity;
  bool type_declared = false;  // from a container or --policy-type, not guessed
  IdentityKind identity_kind = IdentityKind::Unknown;
  Span span;
  std::string pointer;  // of the document within its file ("" for a bare policy file)
  std::vector<Key> keys;
  std::optional<Text> version;
  std::optional<Text> id;
  std::vector<Statement> statements;
  std::vector<Defect> defects;
  std::size_t size_with_whitespace = 0;     // code points of the document text
  std::size_t size_without_whitespace = 0;  // the same, white space left out, as IAM counts

  // A document stored as a JSON string in its container (a Terraform plan, a CLI output): its spans refer to
  // the decoded string, and findings point at the string itself, this span of the file.
  std::optional<Span> anchor;

  // The users, groups and roles the policy applies to, where its container says (an account dump: the owner
  // of an inline policy, the principals a managed policy is attached to, and the members of those groups).
  std::vector<std::string> receivers;
  // The account the policy's principal or resource belongs to, where its container says (a role's, in an
  // account dump): an account trusting itself is no other party.
  std::string own_account;

  // A container's record of the managed policies attached to one principal (no document of its own): only
  // the rules about attachments read it.
  bool attachments_only = false;
  std::vector<Text> attachments;  // policy ARNs

  // An AWS managed policy (arn:aws:iam::aws:policy/...), which the account cannot change.
  bool aws_managed = false;

  // The identity policies of one principal viewed as one, for the rules that judge what they grant together
  // (Rule::across), in file order. Empty for a policy of the file.
  struct Part {
    std::string name;
    bool aws_managed = false;
  };
  std::vector<Part> parts;

  const Key* key(std::string_view key_name) const;
};

}  // namespace scopecop
