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
// A Redshift cluster identifier or its ARN; a Serverless workgroup or namespace id, or its ARN; a database,
// user or group name.
std::string check_cluster(std::string_view v);
std::string check_serverless_id(std::string_view v);
std::string check_database_name(std::string_view v);
std::string check_kms_key(std::string_view v);            // a key ARN or id, alias/NAME or an alias ARN
std::string check_kms_key_not_alias(std::string_view v);  // a key ARN or id
std::string check_service_prefix(std::string_view v);     // s3, athena, redshift-data
std::string check_vpce(std::string_view v);

}  // namespace scopecop::scope_values
