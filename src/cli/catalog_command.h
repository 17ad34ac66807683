// `scopecop catalog [SERVICE[:ACTION]]` and the loading of --catalog directories.
#pragma once

#include <memory>
#include <string>

#include "scopecop/catalog.h"

namespace scopecop::cli {

// The embedded catalog with the AWS service-reference files of `dir` (*.json) on top. On failure, returns
// nullptr and sets `error` to a line naming the file and the reason.
std::unique_ptr<Catalog> load_catalog_dir(const std::string& dir, std::string& error);

int run_catalog(const Catalog& catalog, const std::string& what);

}  // namespace scopecop::cli
