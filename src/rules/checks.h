// The check functions behind the rules; registry.cpp binds each to its code.
#pragma once

#include "scopecop/rule.h"

namespace scopecop::rules {

// POLICY: document structure
void invalid_json(const Policy& policy, const RuleContext&, FindingSink& sink);
void duplicate_key(const Policy& policy, const RuleContext&, FindingSink& sink);
void unknown_element(const Policy& policy, const RuleContext&, FindingSink& sink);
void missing_element(const Policy& policy, const RuleContext&, FindingSink& sink);
void conflicting_elements(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_version(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_effect(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_value_type(const Policy& policy, const RuleContext&, FindingSink& sink);
void empty_value(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_sid(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_principal(const Policy& policy, const RuleContext&, FindingSink& sink);
void policy_too_large(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_condition_operator(const Policy& policy, const RuleContext&, FindingSink& sink);
void placeholder_value(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_policy_variable(const Policy& policy, const RuleContext&, FindingSink& sink);
void invalid_arn(const Policy& policy, const RuleContext&, FindingSink& sink);

// ACTION: actions against the catalog
void unknown_service(const Policy& policy, const RuleContext& context, FindingSink& sink);
void unknown_action(const Policy& policy, const RuleContext& context, FindingSink& sink);
void action_pattern_matches_nothing(const Policy& policy, const RuleContext& context, FindingSink& sink);
void deprecated_action(const Policy& policy, const RuleContext& context, FindingSink& sink);
void redundant_action(const Policy& policy, const RuleContext& context, FindingSink& sink);

// RESOURCE: Resource entries against resource types and ARN formats
void resource_type_mismatch(const Policy& policy, const RuleContext& context, FindingSink& sink);
void resource_level_not_supported(const Policy& policy, const RuleContext& context, FindingSink& sink);
void missing_required_resource(const Policy& policy, const RuleContext& context, FindingSink& sink);
void unknown_resource_type(const Policy& policy, const RuleContext& context, FindingSink& sink);
void arn_field_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void unrelated_resource(const Policy& policy, const RuleContext& context, FindingSink& sink);
void redundant_resource(const Policy& policy, const RuleContext& context, FindingSink& sink);

// CONDITION: condition keys, operators and values
void unknown_condition_key(const Policy& policy, const RuleContext& context, FindingSink& sink);
void condition_type_mismatch(const Policy& policy, const RuleContext& context, FindingSink& sink);
void invalid_condition_value(const Policy& policy, const RuleContext& context, FindingSink& sink);
void forallvalues_single_valued_key(const Policy& policy, const RuleContext& context, FindingSink& sink);
void missing_set_qualifier(const Policy& policy, const RuleContext& context, FindingSink& sink);
void wildcard_without_like(const Policy& policy, const RuleContext& context, FindingSink& sink);
void condition_key_not_applicable(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_prefix_in_negative_context(const Policy& policy, const RuleContext& context, FindingSink& sink);
void private_source_ip(const Policy& policy, const RuleContext& context, FindingSink& sink);
void mfa_condition_bypassable(const Policy& policy, const RuleContext& context, FindingSink& sink);

// ATHENA, GLUE, S3: data-lake scoping without configuration
void athena_workgroup_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);
void athena_datacatalog_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);
void glue_catalog_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_bucket_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);

// ATHENA, GLUE, S3: against the configured scope, and whole-policy Athena checks
void athena_workgroup_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void athena_admin_action(const Policy& policy, const RuleContext& context, FindingSink& sink);
void athena_results_unwritable(const Policy& policy, const RuleContext& context, FindingSink& sink);
void athena_catalog_unreadable(const Policy& policy, const RuleContext& context, FindingSink& sink);
void athena_results_key_unusable(const Policy& policy, const RuleContext& context, FindingSink& sink);
void glue_resource_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void glue_catalog_write(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_bucket_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_write_to_read_only(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_list_unscoped_prefix(const Policy& policy, const RuleContext& context, FindingSink& sink);

// REDSHIFT: credentials, the Data API, scope.redshift
void redshift_credentials_any_user(const Policy& policy, const RuleContext& context, FindingSink& sink);
void redshift_data_api_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);
void redshift_statement_results_unowned(const Policy& policy, const RuleContext& context, FindingSink& sink);
void redshift_resource_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void redshift_network_isolation_change(const Policy& policy, const RuleContext& context, FindingSink& sink);

// KMS: key use and administration, scope.kms
void kms_key_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);
void kms_key_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void kms_via_service_missing(const Policy& policy, const RuleContext& context, FindingSink& sink);
void kms_key_administration(const Policy& policy, const RuleContext& context, FindingSink& sink);

// S3 bucket-policy guards
void s3_missing_secure_transport(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_public_principal(const Policy& policy, const RuleContext& context, FindingSink& sink);
void s3_tls_version_not_enforced(const Policy& policy, const RuleContext& context, FindingSink& sink);

// NETWORK: endpoint policies and network conditions
void endpoint_policy_full_access(const Policy& policy, const RuleContext& context, FindingSink& sink);
void endpoint_policy_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink);
void source_ip_with_endpoint(const Policy& policy, const RuleContext& context, FindingSink& sink);
void source_ip_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);
void network_condition_missing(const Policy& policy, const RuleContext& context, FindingSink& sink);
void trust_open_to_anyone(const Policy& policy, const RuleContext& context, FindingSink& sink);
void trust_third_party_without_external_id(const Policy& policy, const RuleContext& context,
                                           FindingSink& sink);
void trust_federation_unbounded(const Policy& policy, const RuleContext& context, FindingSink& sink);
void trust_session_tags_from_outside(const Policy& policy, const RuleContext& context, FindingSink& sink);

// GUARD: the configuration's never: list
void access_never_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink);

// PRIVILEGE: least privilege
void full_admin(const Policy& policy, const RuleContext& context, FindingSink& sink);
void service_wildcard(const Policy& policy, const RuleContext& context, FindingSink& sink);
void allow_with_notaction(const Policy& policy, const RuleContext& context, FindingSink& sink);
void allow_with_notresource(const Policy& policy, const RuleContext& context, FindingSink& sink);
void allow_with_notprincipal(const Policy& policy, const RuleContext& context, FindingSink& sink);
void unscoped_write(const Policy& policy, const RuleContext& context, FindingSink& sink);
void privilege_escalation(const Policy& policy, const RuleContext& context, FindingSink& sink);
void resource_exposure(const Policy& policy, const RuleContext& context, FindingSink& sink);
void credentials_exposure(const Policy& policy, const RuleContext& context, FindingSink& sink);
void data_exfiltration(const Policy& policy, const RuleContext& context, FindingSink& sink);
void delete_through_lifecycle(const Policy& policy, const RuleContext& context, FindingSink& sink);
void privilege_escalation_path(const Policy& policy, const RuleContext& context, FindingSink& sink);
void public_resource_policy(const Policy& policy, const RuleContext& context, FindingSink& sink);
void broad_managed_policy(const Policy& policy, const RuleContext& context, FindingSink& sink);

}  // namespace scopecop::rules
