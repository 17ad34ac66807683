// ARN syntax: arn:partition:service:region:account:resource, split and checked field by field.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scopecop/glob.h"

namespace scopecop {

struct ArnParts {
  std::string_view partition, service, region, account, resource;
};

// Splits at the first five colons; nullopt when the text does not start with "arn:" or has fewer fields.
std::optional<ArnParts> split_arn(std::string_view arn);

// Why `arn` is not a well-formed ARN (pattern), or "" when it is. Wildcards and policy variables are accepted
// in every field, as IAM accepts them in Resource.
std::string arn_syntax_problem(std::string_view arn);

// A Resource value as the set of ARNs it matches, with IAM's rules: '*' and '?' stay within one of the first
// five fields and span '/' and ':' in the resource part; a bare "*" matches everything; a policy variable
// such as
// ${aws:username} stands for an unknown value (matched like '*'); ${*}, ${?} and ${$} are the literal
// characters.
Pattern arn_pattern(std::string_view value);

// A catalog ARN format such as arn:${Partition}:s3:::${BucketName}/${ObjectName} as a pattern: ${Partition},
// ${Region} and ${Account} match a non-empty field; in the resource part a variable matches any non-empty
// text (object keys, paths, and names such as the Glue database "aws:cloudtrail" hold '/' and ':'), except
// that a resource part made of a single variable (a bucket or topic name) holds no '/'.
Pattern arn_format_pattern(std::string_view format);

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
