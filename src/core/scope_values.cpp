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

namespace {

bool hex(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
}

// 8-4-4-4-12 lowercase hex digits, as AWS writes key, workgroup and namespace ids.
bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : !hex(v[i])) return false;
  }
  return true;
}

std::string arn_of(std::string_view v, std::string_view service) {
  std::string problem = arn_syntax_problem(v);
  if (!problem.empty()) return problem;
  auto arn = split_arn(v);
  if (!arn || arn->service != service) return fmt::format("is not an ARN of {}", service);
  return {};
}

}  // namespace

std::string check_cluster(std::string_view v) {
  if (v.starts_with("arn:")) return arn_of(v, "redshift");
  bool ok = !v.empty() && v.size() <= 63 && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '*' ||
           c == '?';
  });
  return ok ? std::string()
            : std::string("is not a cluster identifier (lowercase letters, digits, '-') or a cluster ARN");
}

std::string check_serverless_id(std::string_view v) {
  if (v.starts_with("arn:")) return arn_of(v, "redshift-serverless");
  return is_uuid(v) ? std::string()
                    : std::string(
                          "is not an id such as 0d5bd2f4-5bd3-4f5a-9d9c-8e1c1c1d2e3f or an "
                          "ARN: Serverless ARNs hold the id, not the name");
}

std::string check_database_name(std::string_view v) {
  bool ok = !v.empty() && v.size() <= 128 && std::none_of(v.begin(), v.end(), [](char c) {
    return c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c));
  });
  return ok ? std::string() : std::string("is not a database, user or group name (no '/', ':' or spaces)");
}

std::string check_kms_key_not_alias(std::string_view v) {
  if (v.starts_with("arn:")) {
    if (std::string problem = arn_of(v, "kms"); !problem.empty()) return problem;
    return split_arn(v)->resource.starts_with("key/") ? std::string()
                                                      : std::string("is not a key ARN (…:key/KEY-ID)");
  }
  bool mrk = v.size() == 36 && v.starts_with("mrk-") && std::all_of(v.begin() + 4, v.end(), hex);
  return is_uuid(v) || mrk ? std::string() : std::string("is not a key id or a key ARN");
}

std::string check_kms_key(std::string_view v) {
  if (v.starts_with("alias/"))
    return v.size() > 6 ? std::string() : std::string("is an alias without a name");
  if (v.starts_with("arn:")) {
    if (std::string problem = arn_of(v, "kms"); !problem.empty()) return problem;
    std::string_view resource = split_arn(v)->resource;
    return resource.starts_with("key/") || resource.starts_with("alias/")
               ? std::string()
               : std::string("is not a key or alias ARN");
  }
  return check_kms_key_not_alias(v).empty()
             ? std::string()
             : std::string("is not a key id, a key ARN, alias/NAME or an alias ARN");
}

std::string check_service_prefix(std::string_view v) {
  bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
  return ok ? std::string() : std::string("is not a service prefix such as s3 or athena");
}

}  // namespace scopecop::scope_values
