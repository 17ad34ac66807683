// The embedded catalog against AWS's own service reference (../shared/iam-reference; absent in a user's
// clone: skipped with a message). Loading those files through add_service_reference also tests --catalog's
// reader.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "scopecop/catalog.h"
#include "support/files.h"

using namespace scopecop;

namespace {

std::filesystem::path reference_dir() {
  return testing::kSourceDir.parent_path() / "shared" / "iam-reference";
}

std::set<std::string> names(const std::vector<std::string_view>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

TEST_CASE("reference: the catalog agrees with AWS's service reference for the data-lake services",
          "[reference]") {
  auto path = reference_dir() / "aws-service-reference.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent (it ships beside the repository, not in it)");
    return;
  }
  const std::set<std::string> services = {
      "athena", "glue",          "s3",       "kms",           "sts",
      "iam",    "lakeformation", "redshift", "redshift-data", "redshift-serverless"};
  auto reference = Catalog::overlay();
  std::ifstream in(path);
  std::size_t loaded = 0;
  for (std::string line; std::getline(in, line);) {
    auto name = nlohmann::json::parse(line)["Name"].get<std::string>();
    if (!services.count(name)) continue;
    INFO(name);
    REQUIRE(reference->add_service_reference(line).empty());
    ++loaded;
  }
  REQUIRE(loaded == services.size());

  const Catalog& embedded = Catalog::embedded();
  for (const std::string& prefix : services) {
    INFO(prefix);
    const Service* ours = embedded.service(prefix);
    const Service* aws = reference->service(prefix);
    REQUIRE(ours);
    REQUIRE(aws);
    REQUIRE(ours != aws);
    std::set<std::string> our_actions, aws_actions;
    for (const Action& a : ours->actions) our_actions.emplace(a.name);
    for (const Action& a : aws->actions) aws_actions.emplace(a.name);
    CHECK(our_actions == aws_actions);
    for (const Action& a : aws->actions) {
      const Action* o = ours->action(a.name);
      if (!o) continue;
      INFO(prefix << ":" << a.name);
      CHECK(access_level_names(o->access) == access_level_names(a.access));
      std::set<std::string> our_types, aws_types;
      for (const ActionResource& r : o->resources) our_types.emplace(r.type);
      for (const ActionResource& r : a.resources) aws_types.emplace(r.type);
      CHECK(our_types == aws_types);
      // The catalog is a month newer than the reference: it may know more condition keys, never fewer.
      auto our_keys = names(o->condition_keys), aws_keys = names(a.condition_keys);
      CHECK(std::includes(our_keys.begin(), our_keys.end(), aws_keys.begin(), aws_keys.end()));
    }
    std::set<std::string> our_types, aws_types;
    for (const ResourceType& r : ours->resource_types) our_types.emplace(r.name);
    for (const ResourceType& r : aws->resource_types) aws_types.emplace(r.name);
    CHECK(our_types == aws_types);
    for (const ResourceType& r : aws->resource_types) {
      const ResourceType* o = ours->resource_type(r.name);
      if (!o) continue;
      INFO(r.name);
      // The embedded catalog may add forms AWS omits (rules/catalog/aws-owned-arn-formats.tsv), never drop
      // one.
      for (std::string_view f : r.arn_formats) {
        CHECK(std::find(o->arn_formats.begin(), o->arn_formats.end(), f) != o->arn_formats.end());
      }
    }
  }
}

TEST_CASE("reference: required resource types agree with the package's required flags", "[reference]") {
  auto path = reference_dir() / "required-resource-types.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent");
    return;
  }
  std::ifstream in(path);
  std::size_t compared = 0;
  for (std::string line; std::getline(in, line);) {
    auto doc = nlohmann::json::parse(line);
    const Service* s = Catalog::embedded().service(doc["service"].get<std::string>());
    if (!s) continue;
    for (const auto& [action, required] : doc["required"].items()) {
      const Action* a = s->action(action);
      if (!a) continue;
      INFO(s->prefix << ":" << action);
      std::set<std::string> ours, theirs;
      for (const ActionResource& r : a->resources) {
        if (r.required) ours.emplace(r.type);
      }
      for (const auto& r : required) theirs.insert(r.get<std::string>());
      CHECK(ours == theirs);
      ++compared;
    }
  }
  CHECK(compared > 20000);
}
