// Real data: the AWS managed policies in ../shared/corpus (absent in a user's clone: skipped with a message).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "support/check.h"
#include "support/files.h"

using namespace scopecop;

namespace {

std::filesystem::path corpus_file(const std::string& name) {
  return testing::kSourceDir.parent_path() / "shared" / "corpus" / name;
}

struct Entry {
  std::string name;
  nlohmann::ordered_json document;
};

std::vector<Entry> load(const std::filesystem::path& path) {
  std::vector<Entry> entries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::ordered_json::parse(line);
    entries.push_back({j["name"].get<std::string>(), j["document"]});
  }
  return entries;
}

}  // namespace

TEST_CASE("corpus: AWS managed policies are valid policies to the POLICY rules", "[corpus]") {
  auto path = corpus_file("aws-managed-policies.jsonl");
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent (it ships beside the repository, not in it)");
    return;
  }
  std::vector<Entry> entries = load(path);
  REQUIRE(entries.size() == 1594);
  std::map<std::string, std::size_t> counts;
  for (const Entry& e : entries) {
    INFO(e.name);
    std::string text = e.document.dump(2);
    ParsedFile parsed = parse_policies(text, e.name);
    REQUIRE(parsed.recognized);
    REQUIRE(parsed.policies.size() == 1);
    const auto& statement = e.document["Statement"];
    CHECK(parsed.policies[0].statements.size() == (statement.is_array() ? statement.size() : 1));
    for (const Finding& f : testing::check_string(text, {}, std::nullopt, e.name)) {
      ++counts[std::string(f.code)];
      // AWS managed policies are not held to the 6,144-character quota of customer managed policies, so
      // POLICY-012 (which measures a bare file as a customer managed policy) is expected on the large ones.
      if (f.code == "POLICY-012") {
        CHECK(e.document.dump().size() > 6144);
        continue;
      }
      FAIL_CHECK(e.name << ": " << f.code << " " << f.message);
    }
  }
  CHECK(counts["POLICY-012"] > 0);
}

TEST_CASE("corpus: deprecated AWS managed policies parse without a crash", "[corpus]") {
  auto path = corpus_file("aws-managed-policies-deprecated-extra.jsonl");
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent");
    return;
  }
  for (const Entry& e : load(path)) {
    INFO(e.name);
    ParsedFile parsed = parse_policies(e.document.dump(), e.name);
    CHECK(parsed.recognized);
    CHECK_FALSE(parsed.syntax_error);
  }
}
