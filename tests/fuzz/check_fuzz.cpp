// libFuzzer target: the whole check of one file, with every rule and a scope so that the scoping rules run,
// then every output format.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "scopecop/config.h"
#include "scopecop/engine.h"
#include "scopecop/report.h"

namespace {

constexpr const char* kConfig = R"(
scope:
  accounts: ["123456789012"]
  regions: [us-east-1]
  athena:
    workgroups: [analytics]
    data-catalogs: [AwsDataCatalog]
    results: s3://athena-results/analytics/
  glue:
    databases: [sales]
    tables: [sales/orders]
    access: read
  s3:
    buckets:
      - {name: analytics-lake, prefixes: [curated/*]}
      - {name: athena-results, prefixes: [analytics/*], access: write}
  network:
    source-ips: [203.0.113.0/24]
    vpc-endpoints: [vpce-0a1b2c3d4e5f67890]
)";

// Every rule and the scope above, set up once for all inputs.
const scopecop::CheckOptions& options() {
  static const scopecop::Config config = [] {
    std::string error;
    auto c = scopecop::parse_config(kConfig, "fuzz.yaml", error);
    if (!c) __builtin_trap();
    return *c;
  }();
  static const scopecop::CheckOptions checked = [] {
    scopecop::CheckOptions o;
    std::vector<std::string> all{"ALL"};
    if (!scopecop::RuleSelection::resolve(all, {}, o.rules).empty()) __builtin_trap();
    o.scope = &*config.scope;
    return o;
  }();
  return checked;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<scopecop::FileResult> files;
  files.push_back(
      scopecop::check_text("fuzz.json", std::string(reinterpret_cast<const char*>(data), size), options()));
  scopecop::Report report = scopecop::make_report(std::move(files));
  std::ostringstream out;
  scopecop::write_text(out, report, {});
  scopecop::write_concise(out, report, {});
  scopecop::write_json(out, report);
  scopecop::write_sarif(out, report);
  scopecop::write_junit(out, report);
  scopecop::write_github(out, report);
  return 0;
}
