// libFuzzer target: the configuration loader on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scopecop/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  auto config = scopecop::parse_config(std::string_view(reinterpret_cast<const char*>(data), size),
                                       ".scopecop.yaml", error);
  if (!config && error.empty()) __builtin_trap();  // a refused file always says why
  return 0;
}
