// libFuzzer target: the JSON and YAML parsers, the container readers (CLI outputs, account dumps, Terraform
// plans, CloudFormation templates) and normalization, on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scopecop/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)scopecop::parse_policies(text, "fuzz.json");
  return 0;
}
