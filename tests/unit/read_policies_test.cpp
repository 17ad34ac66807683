// README "What scopecop reads" lists the resource types whose policies are read: the table is the code's.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "parse/containers.h"
#include "support/files.h"

using namespace scopecop;

namespace {

// The rows "| `type` | `property` | policy type |" between the two markers.
std::set<std::string> readme_rows(const std::string& readme, const std::string& table) {
  std::string begin = "<!-- begin: " + table + " -->", end = "<!-- end: " + table + " -->";
  auto from = readme.find(begin), to = readme.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  std::set<std::string> rows;
  std::istringstream lines(readme.substr(from, to - from));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("| `")) rows.insert(line);
  }
  return rows;
}

std::set<std::string> code_rows(const std::vector<ReadPolicy>& policies) {
  std::set<std::string> rows;
  for (const ReadPolicy& p : policies) {
    rows.insert("| `" + std::string(p.resource_type) + "` | `" + std::string(p.property) + "` | " +
                std::string(policy_type_name(p.type)) + " |");
  }
  return rows;
}

}  // namespace

TEST_CASE("README: the tables of what scopecop reads are the code's", "[readme]") {
  auto readme = testing::read_file(testing::kSourceDir / "README.md");
  REQUIRE(readme);
  CHECK(readme_rows(*readme, "cloudformation types") == code_rows(cloudformation_policies()));
  CHECK(readme_rows(*readme, "terraform types") == code_rows(terraform_policies()));
}
