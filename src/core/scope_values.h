// What a value of the scope: section of .scopecop.yaml must look like. The config reader checks what a user
// writes, and `scopecop init --from` what it would write from names found in policies, with the same rules:
// each function returns why the value is not valid, or "" when it is.
#pragma once

#include <string>
#include <string_view>

namespace scopecop::scope_values {

std::string check_account(std::string_view v);
std::string check_region(std::string_view v);
std::string check_partition(std::string_view v);
std::string check_arn_or_name(std::string_view v);  // Athena workgroups and catalogs, Glue databases
std::string check_table(std::string_view v);        // DATABASE/TABLE
std::string check_bucket(std::string_view v);
std::string check_cidr(std::string_view v);
std::string check_vpce(std::string_view v);

}  // namespace scopecop::scope_values
