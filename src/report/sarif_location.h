// The SARIF pieces that the check and diff reports share.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "scopecop/report.h"

namespace scopecop {

// An artifactLocation: a relative path against %SRCROOT%, the directory scopecop ran in; an absolute one as
// a file:// URI of its own (SARIF1004 forbids a base for it).
inline nlohmann::ordered_json sarif_artifact(std::string_view path) {
  nlohmann::ordered_json a{{"uri", sarif_uri(path)}};
  if (sarif_relative(path)) a["uriBaseId"] = "%SRCROOT%";
  return a;
}

// A rule's documentation URL where the build publishes it on the web (SCOPECOP_DOCS_URL, https); a file://
// or empty base gives none, and the embedded help.markdown stands alone.
inline std::string_view sarif_docs_base() {
  std::string_view base = SCOPECOP_DOCS_URL;
  return base.starts_with("https://") || base.starts_with("http://") ? base : std::string_view();
}

}  // namespace scopecop
