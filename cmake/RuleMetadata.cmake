# Rule metadata lives as YAML under rules/; a small host tool turns it into a C++ table at build time, so
# the binary needs no YAML parsing (and no file access) to know its rules.
add_executable(scopecop_rulegen tools/rulegen.cpp)
target_link_libraries(scopecop_rulegen PRIVATE yaml-cpp scopecop_warnings)

file(GLOB SCOPECOP_RULE_YAML CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rules/*.yaml)
set(SCOPECOP_RULE_METADATA_CPP ${PROJECT_BINARY_DIR}/generated/rule_metadata.cpp)
add_custom_command(
  OUTPUT ${SCOPECOP_RULE_METADATA_CPP}
  COMMAND scopecop_rulegen ${SCOPECOP_RULE_METADATA_CPP} ${SCOPECOP_RULE_YAML}
  DEPENDS scopecop_rulegen ${SCOPECOP_RULE_YAML}
  COMMENT "Generating rule metadata from rules/*.yaml"
  VERBATIM)
