#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "rules/checks.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

struct Registration {
  std::string_view code;
  CheckFn check;
  bool across = false;  // see Rule::across
};

// The one place where a rule's logic is bound to its code; keep it sorted by code.
constexpr Registration kRegistrations[] = {
    {"ACTION-001", rules::unknown_service},
    {"ACTION-002", rules::unknown_action},
    {"ACTION-003", rules::action_pattern_matches_nothing},
    {"ACTION-004", rules::deprecated_action},
    {"ACTION-005", rules::redundant_action},
    {"ATHENA-001", rules::athena_workgroup_unscoped},
    {"ATHENA-002", rules::athena_workgroup_not_allowed},
    {"ATHENA-003", rules::athena_admin_action},
    {"ATHENA-004", rules::athena_datacatalog_unscoped},
    {"ATHENA-005", rules::athena_results_unwritable},
    {"ATHENA-006", rules::athena_catalog_unreadable},
    {"ATHENA-007", rules::athena_results_key_unusable},
    {"CONDITION-001", rules::unknown_condition_key},
    {"CONDITION-002", rules::condition_type_mismatch},
    {"CONDITION-003", rules::invalid_condition_value},
    {"CONDITION-004", rules::forallvalues_single_valued_key},
    {"CONDITION-005", rules::missing_set_qualifier},
    {"CONDITION-006", rules::wildcard_without_like},
    {"CONDITION-007", rules::condition_key_not_applicable},
    {"CONDITION-008", rules::s3_prefix_in_negative_context},
    {"CONDITION-009", rules::private_source_ip},
    {"CONDITION-010", rules::mfa_condition_bypassable},
    {"GLUE-001", rules::glue_catalog_unscoped},
    {"GLUE-002", rules::glue_resource_not_allowed},
    {"GLUE-003", rules::glue_catalog_write},
    {"GUARD-001", rules::access_never_allowed},
    {"KMS-001", rules::kms_key_unscoped},
    {"KMS-002", rules::kms_key_not_allowed},
    {"KMS-003", rules::kms_via_service_missing},
    {"KMS-004", rules::kms_key_administration},
    {"NETWORK-001", rules::endpoint_policy_full_access},
    {"NETWORK-002", rules::endpoint_policy_unscoped},
    {"NETWORK-003", rules::source_ip_with_endpoint},
    {"NETWORK-004", rules::source_ip_not_allowed},
    {"NETWORK-005", rules::network_condition_missing},
    {"POLICY-001", rules::invalid_json},
    {"POLICY-002", rules::duplicate_key},
    {"POLICY-003", rules::unknown_element},
    {"POLICY-004", rules::missing_element},
    {"POLICY-005", rules::conflicting_elements},
    {"POLICY-006", rules::invalid_version},
    {"POLICY-007", rules::invalid_effect},
    {"POLICY-008", rules::invalid_value_type},
    {"POLICY-009", rules::empty_value},
    {"POLICY-010", rules::invalid_sid},
    {"POLICY-011", rules::invalid_principal},
    {"POLICY-012", rules::policy_too_large},
    {"POLICY-013", rules::invalid_condition_operator},
    {"POLICY-014", rules::placeholder_value},
    {"POLICY-015", rules::invalid_policy_variable},
    {"POLICY-016", rules::invalid_arn},
    {"PRIVILEGE-001", rules::full_admin},
    {"PRIVILEGE-002", rules::service_wildcard},
    {"PRIVILEGE-003", rules::allow_with_notaction},
    {"PRIVILEGE-004", rules::allow_with_notresource},
    {"PRIVILEGE-005", rules::allow_with_notprincipal},
    {"PRIVILEGE-006", rules::unscoped_write},
    {"PRIVILEGE-007", rules::privilege_escalation},
    {"PRIVILEGE-008", rules::resource_exposure},
    {"PRIVILEGE-009", rules::credentials_exposure},
    {"PRIVILEGE-010", rules::broad_managed_policy},
    {"PRIVILEGE-011", rules::public_resource_policy},
    {"PRIVILEGE-012", rules::privilege_escalation_path, true},
    {"PRIVILEGE-013", rules::data_exfiltration},
    {"PRIVILEGE-014", rules::delete_through_lifecycle},
    {"REDSHIFT-001", rules::redshift_credentials_any_user},
    {"REDSHIFT-002", rules::redshift_data_api_unscoped},
    {"REDSHIFT-003", rules::redshift_statement_results_unowned},
    {"REDSHIFT-004", rules::redshift_resource_not_allowed},
    {"REDSHIFT-005", rules::redshift_network_isolation_change},
    {"RESOURCE-001", rules::resource_type_mismatch},
    {"RESOURCE-002", rules::resource_level_not_supported},
    {"RESOURCE-003", rules::missing_required_resource},
    {"RESOURCE-004", rules::unknown_resource_type},
    {"RESOURCE-005", rules::arn_field_not_allowed},
    {"RESOURCE-006", rules::unrelated_resource},
    {"RESOURCE-007", rules::redundant_resource},
    {"S3-001", rules::s3_bucket_unscoped},
    {"S3-002", rules::s3_bucket_not_allowed},
    {"S3-003", rules::s3_write_to_read_only},
    {"S3-004", rules::s3_missing_secure_transport},
    {"S3-005", rules::s3_public_principal},
    {"S3-006", rules::s3_tls_version_not_enforced},
    {"S3-007", rules::s3_list_unscoped_prefix},
    {"TRUST-001", rules::trust_open_to_anyone},
    {"TRUST-002", rules::trust_third_party_without_external_id},
    {"TRUST-003", rules::trust_federation_unbounded},
    {"TRUST-004", rules::trust_session_tags_from_outside},
};

std::vector<Rule> build_rules() {
  std::vector<Rule> rules;
  auto meta = rule_metadata();
  for (const RuleMeta& m : meta) {
    auto it = std::find_if(std::begin(kRegistrations), std::end(kRegistrations),
                           [&](const Registration& r) { return r.code == m.code; });
    if (it == std::end(kRegistrations)) {
      // A rule that is documented must also run; this is a build mistake, caught by the meta-tests.
      std::fprintf(stderr, "scopecop: internal error: rule %.*s has metadata but no check\n",
                   static_cast<int>(m.code.size()), m.code.data());
      std::abort();
    }
    rules.push_back({&m, it->check, it->across});
  }
  if (rules.size() != std::size(kRegistrations)) {
    std::fprintf(stderr, "scopecop: internal error: a registered check has no metadata in rules/\n");
    std::abort();
  }
  return rules;
}

}  // namespace

std::span<const Rule> all_rules() {
  static const std::vector<Rule> rules = build_rules();
  return rules;
}

const RuleMeta* find_rule_meta(std::string_view code_or_name) {
  for (const RuleMeta& m : rule_metadata()) {
    if (iequals(m.code, code_or_name) || m.name == code_or_name) return &m;
  }
  return nullptr;
}

std::string_view rule_family(std::string_view code) {
  return code.substr(0, code.find('-'));
}

}  // namespace scopecop
