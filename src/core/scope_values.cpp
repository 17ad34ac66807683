#include "core/scope_values.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "scopecop/arn.h"
#include "scopecop/ip.h"

namespace scopecop::scope_values {

std::string check_account(std::string_view v) {
  return is_account_id(v) ? std::string() : std::string("is not a 12-digit account id");
}

std::string check_region(std::string_view v) {
  std::string problem = arn_syntax_problem(fmt::format("arn:aws:athena:{}:111111111111:x", v));
  return problem.empty() && !v.empty() ? std::string()
                                       : std::string("is not a region name such as us-east-1");
}

std::string check_partition(std::string_view v) {
  std::string problem = arn_syntax_problem(fmt::format("arn:{}:s3:::x", v));
  return problem.empty() && !has_wildcard(v) ? std::string() : std::string("is not an AWS partition");
}

std::string check_arn_or_name(std::string_view v) {
  if (v.starts_with("arn:")) return arn_syntax_problem(v).empty() ? std::string() : arn_syntax_problem(v);
  bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '*' ||
           c == '?';
  });
  return ok ? std::string() : std::string("is not a name (letters, digits, '-', '_', '.') or an ARN");
}

std::string check_table(std::string_view v) {
  auto slash = v.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == v.size()) {
    return "is not database/table (a glob such as sales/* names every table of a database)";
  }
  return {};
}

std::string check_bucket(std::string_view v) {
  bool ok = v.size() >= 3 && v.size() <= 63 && std::all_of(v.begin(), v.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
            });
  return ok ? std::string()
            : std::string("is not an S3 bucket name (3-63 lowercase letters, digits, '.', '-')");
}

std::string check_cidr(std::string_view v) {
  return parse_cidr(v) ? std::string() : std::string("is not an IP address or CIDR range");
}

std::string check_vpce(std::string_view v) {
  bool ok = v.starts_with("vpce-") && v.size() >= 13 && std::all_of(v.begin() + 5, v.end(), [](char c) {
              return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
            });
  return ok ? std::string() : std::string("is not a VPC endpoint id (vpce-0123456789abcdef0)");
}

}  // namespace scopecop::scope_values
