# The IAM catalog snapshot (rules/catalog/) is compiled into the binary as string literals, one per service.
add_executable(scopecop_catalog_embed tools/catalog_embed.cpp)
target_link_libraries(scopecop_catalog_embed PRIVATE scopecop_warnings)

set(SCOPECOP_CATALOG_SNAPSHOT ${PROJECT_SOURCE_DIR}/rules/catalog/snapshot.tsv)
set(SCOPECOP_CATALOG_GLOBAL_KEYS ${PROJECT_SOURCE_DIR}/rules/catalog/global-condition-keys.tsv)
set(SCOPECOP_CATALOG_AWS_OWNED ${PROJECT_SOURCE_DIR}/rules/catalog/aws-owned-arn-formats.tsv)
set(SCOPECOP_CATALOG_COLONS ${PROJECT_SOURCE_DIR}/rules/catalog/names-with-colons.tsv)
set(SCOPECOP_CATALOG_WEB_IDENTITY ${PROJECT_SOURCE_DIR}/rules/catalog/web-identity-condition-keys.tsv)
set(SCOPECOP_CATALOG_ACTION_TYPES ${PROJECT_SOURCE_DIR}/rules/catalog/action-resource-types.tsv)
set(SCOPECOP_CATALOG_OUTSIDE ${PROJECT_SOURCE_DIR}/rules/catalog/actions-outside-package.tsv)
set(SCOPECOP_SAM_TEMPLATES ${PROJECT_SOURCE_DIR}/rules/sam/policy_templates.json)
set(SCOPECOP_CATALOG_CPP ${PROJECT_BINARY_DIR}/generated/catalog_data.cpp)
add_custom_command(
  OUTPUT ${SCOPECOP_CATALOG_CPP}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/generated
  COMMAND scopecop_catalog_embed ${SCOPECOP_CATALOG_CPP} ${SCOPECOP_CATALOG_SNAPSHOT} ${SCOPECOP_CATALOG_GLOBAL_KEYS}
          ${SCOPECOP_CATALOG_AWS_OWNED} ${SCOPECOP_CATALOG_COLONS} ${SCOPECOP_CATALOG_WEB_IDENTITY}
          ${SCOPECOP_CATALOG_ACTION_TYPES} ${SCOPECOP_CATALOG_OUTSIDE} ${SCOPECOP_SAM_TEMPLATES}
  DEPENDS scopecop_catalog_embed ${SCOPECOP_CATALOG_SNAPSHOT} ${SCOPECOP_CATALOG_GLOBAL_KEYS} ${SCOPECOP_CATALOG_AWS_OWNED}
          ${SCOPECOP_CATALOG_COLONS} ${SCOPECOP_CATALOG_WEB_IDENTITY} ${SCOPECOP_CATALOG_ACTION_TYPES}
          ${SCOPECOP_CATALOG_OUTSIDE} ${SCOPECOP_SAM_TEMPLATES}
  COMMENT "Embedding the IAM catalog snapshot"
  VERBATIM)
