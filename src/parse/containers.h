// Policies inside containers: AWS CLI outputs (get-policy-version, get-bucket-policy,
// describe-vpc-endpoints), account authorization details and Terraform plan JSON. CloudFormation is not read
// yet.
#pragma once

#include <string_view>

#include "scopecop/json.h"
#include "scopecop/parse.h"

namespace scopecop {

// Adds the policies (and attachment records) `root` holds to `out`; returns whether `root` is a container.
bool read_containers(const json::Value& root, std::string_view text, std::string_view name, ParsedFile& out);

}  // namespace scopecop
