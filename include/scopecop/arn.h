// ARN syntax: arn:partition:service:region:account:resource, split and checked field by field.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scopecop {

struct ArnParts {
  std::string_view partition, service, region, account, resource;
};

// Splits at the first five colons; nullopt when the text does not start with "arn:" or has fewer fields.
std::optional<ArnParts> split_arn(std::string_view arn);

// Why `arn` is not a well-formed ARN (pattern), or "" when it is. Wildcards and policy variables are accepted
// in every field, as IAM accepts them in Resource.
std::string arn_syntax_problem(std::string_view arn);

bool has_wildcard(std::string_view s);
bool has_variable(std::string_view s);
bool is_account_id(std::string_view s);

}  // namespace scopecop
