// The version of scopecop: its release tag, with the commits since (cmake/Version.cmake).
#pragma once

#include <string_view>

namespace scopecop {

std::string_view version();  // "0.2.0", or "0.2.0+3.gabc1234" three commits after it

}  // namespace scopecop
