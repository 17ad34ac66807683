// ARN syntax: arn:partition:service:region:account:resource, split and checked field by field.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/glob.h"

namespace scopecop {

struct ArnParts {
  std::string_view partition, service, region, account, resource;
};

// Splits at the first five colons; nullopt when the text does not start with "arn:" or has fewer fields,
// unless it ends in a '*' after the service field ("arn:aws:athena:*"): that '*' spans the colons, and the
// fields left out are "*" (such an ARN matches what its six-field form matches, and a few non-ARNs).

std::optional<ArnParts> split_arn(std::string_view arn);

// Why `arn` is not a well-formed ARN (pattern), or "" when it is. Wildcards and policy variables are accepted
// in every field, as IAM accepts them in Resource.
std::string arn_syntax_problem(std::string_view arn);

// A Resource value as the set of ARNs it matches, with IAM's rules: '*' and '?' stay within one of the first
// five fields, except a '*' that ends the region or account field, which also matches ':' (so
// "arn:aws:athena:*" matches every Athena ARN); in the resource part they span '/' and ':'; a bare "*"
// matches everything; a policy variable
// such as ${aws:username} stands for an unknown value (matched like '*'); ${*}, ${?} and ${$} are the
// literal characters.
Pattern arn_pattern(std::string_view value);

// The same, except that every wildcard of the first five fields stays within its field: scopecop's own ARN
// patterns (the scope of .scopecop.yaml, targets built from its names), where "arn:*:s3:::lake" means the
// bucket "lake" in any partition.
Pattern arn_pattern_within_fields(std::string_view value);

// A set of ARNs of one service chosen field by field, every partition x region x account x resource part
// listed, together with ARN patterns taken whole: the scope of .scopecop.yaml, which would take accounts x
// regions x names patterns to spell out.
struct ArnSet {
  std::string service;
  std::vector<std::string> partitions, regions, accounts;  // "*": any; "": the field is empty
  std::vector<std::string> resources;                      // resource parts; '*' and '?' are wildcards
  std::vector<Pattern> whole;                              // ARNs written whole

  bool empty() const { return whole.empty() && !has_product(); }
  bool has_product() const {
    return !partitions.empty() && !regions.empty() && !accounts.empty() && !resources.empty();
  }
  // The product as one list per field that limits it, resource part first: the ARNs whose field is one of
  // the listed values, any other field. An ARN is in the product exactly when every list matches it, so an
  // ARN outside the set is one that some list, and no whole pattern, leaves out. The service's list is
  // always there, so that a product that limits no other field is still one list.
  std::vector<std::vector<Pattern>> field_lists() const;
};

// A catalog ARN format such as arn:${Partition}:s3:::${BucketName}/${ObjectName} as a pattern: every variable
// matches a non-empty text without ':', except those of the resource part named in `names_with_colons`
// (object keys, the Glue database "aws:cloudtrail"); in the resource part a variable may hold '/' (paths),
// except that a resource part made of a single variable (a bucket or topic name) holds no '/'.
Pattern arn_format_pattern(std::string_view format, std::span<const std::string_view> names_with_colons = {});

// overlaps(a, b) for ARN patterns (arn_pattern, arn_format_pattern), answered at once when two of the six
// fields cannot meet: their literal beginnings differ ("database/" against "table/"). Rules ask this of
// every ARN format of a service, and nearly all of them differ that way.
bool arn_overlaps(const Pattern& a, const Pattern& b);

// A Resource value as separately matched fields for set questions (see covering_entries): "*" is one field,
// an ARN its six fields, anything else one field.
Fields arn_fields(std::string_view value);

bool has_wildcard(std::string_view s);
bool has_variable(std::string_view s);
bool is_account_id(std::string_view s);

}  // namespace scopecop
