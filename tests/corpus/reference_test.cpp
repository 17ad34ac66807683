// The embedded catalog against AWS's own service reference (../shared/iam-reference; absent in a user's
// clone: skipped with a message). Loading those files through add_service_reference also tests --catalog's
// reader.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "rules/action_list.h"
#include "scopecop/catalog.h"
#include "scopecop/rule.h"
#include "support/files.h"

using namespace scopecop;

namespace {

std::filesystem::path reference_dir() {
  return testing::kSourceDir.parent_path() / "shared" / "iam-reference";
}

std::set<std::string> names(Names v) {
  return {v.begin(), v.end()};
}

// Where the embedded catalog and AWS's reference differ, one line each ("KIND\tWHERE\tNAMES"); the reviewed
// ones are tests/corpus/reference-differences.tsv.
std::set<std::string> differences(const Service& ours, const Service& aws) {
  std::set<std::string> out;
  auto note = [&](std::string_view kind, const std::string& where, const std::set<std::string>& names) {
    if (names.empty()) return;
    std::string line = std::string(kind) + "\t" + where + "\t";
    for (const std::string& n : names) line += (line.back() == '\t' ? "" : ",") + n;
    out.insert(line);
  };
  auto minus = [](const std::set<std::string>& a, const std::set<std::string>& b) {
    std::set<std::string> d;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(d, d.end()));
    return d;
  };
  std::set<std::string> our_types, aws_types;
  for (const ResourceType& r : ours.resource_types) our_types.emplace(r.name);
  for (const ResourceType& r : aws.resource_types) aws_types.emplace(r.name);
  note("extra resource types", std::string(ours.prefix), minus(our_types, aws_types));
  note("missing resource types", std::string(ours.prefix), minus(aws_types, our_types));
  for (const ResourceType& r : aws.resource_types) {
    const ResourceType* o = ours.resource_type(r.name);
    if (!o) continue;
    // The embedded catalog may add forms AWS omits (rules/catalog/aws-owned-arn-formats.tsv), never drop one.
    std::set<std::string> our_formats(o->arn_formats.begin(), o->arn_formats.end());
    std::set<std::string> aws_formats(r.arn_formats.begin(), r.arn_formats.end());
    note("missing ARN formats", std::string(ours.prefix).append(" ").append(r.name),
         minus(aws_formats, our_formats));
  }
  for (const Action& a : aws.actions) {
    const Action* o = ours.action(a.name);
    if (!o) continue;  // checked against the lists of actions the catalog may lack
    std::string where = a.full_name();
    if (access_level_names(o->access) != access_level_names(a.access))
      note("access level", where, {access_level_names(o->access) + " / " + access_level_names(a.access)});
    std::set<std::string> our_accepted, aws_accepted;
    for (const ActionResource& r : o->resources) our_accepted.emplace(r.type);
    for (const ActionResource& r : a.resources) aws_accepted.emplace(r.type);
    note("extra accepted types", where, minus(our_accepted, aws_accepted));
    note("missing accepted types", where, minus(aws_accepted, our_accepted));
    // Global aws: keys apply to every action, listed or not; the package leaves some out.
    std::set<std::string> service_keys;
    for (const std::string& k : minus(names(a.condition_keys), names(o->condition_keys))) {
      if (!k.starts_with("aws:")) service_keys.insert(k);
    }
    note("missing condition keys", where, service_keys);
  }
  return out;
}

}  // namespace

TEST_CASE("reference: the catalog agrees with AWS's service reference for every service", "[reference]") {
  auto path = reference_dir() / "aws-service-reference.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent (it ships beside the repository, not in it)");
    return;
  }
  auto reference = Catalog::overlay();
  std::vector<std::string> prefixes;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    prefixes.push_back(nlohmann::json::parse(line)["Name"].get<std::string>());
    INFO(prefixes.back());
    REQUIRE(reference->add_service_reference(line).empty());
  }
  REQUIRE(prefixes.size() > 400);

  // Actions the package lacks: AWS retired them (ACTION-004) or they are listed as outside the package.
  static const rules::ActionList retired(find_rule_meta("deprecated-action")->values);
  std::vector<RuleValue> listed;
  for (const ListedAction& a : actions_outside_package()) listed.push_back({a.pattern, a.what});
  const rules::ActionList outside(listed);

  const Catalog& embedded = Catalog::embedded();
  std::set<std::string> found;
  std::size_t compared = 0;
  for (const std::string& prefix : prefixes) {
    INFO(prefix);
    const Service* aws = reference->service(prefix);
    REQUIRE(aws);
    const Service* ours = embedded.service(prefix);
    REQUIRE(ours != aws);
    for (const Action& a : aws->actions) {
      if (ours && ours->action(a.name)) continue;
      INFO(a.full_name());
      CHECK((retired.covering(a.full_name()) || outside.covering(a.full_name())));
    }
    if (!ours) continue;
    ++compared;
    found.merge(differences(*ours, *aws));
  }
  CHECK(compared > 450);

  // Every difference was reviewed: the catalog's package is a month newer than the reference (it knows
  // resource types and condition keys AWS added since), and nothing it lacks is left unexplained.
  std::set<std::string> reviewed;
  std::ifstream list(testing::kSourceDir / "tests" / "corpus" / "reference-differences.tsv");
  REQUIRE(list);
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line[0] == '#') continue;
    reviewed.insert(line.substr(0, line.rfind('\t')));  // without the reason
  }
  for (const std::string& d : found) {
    INFO(d);
    CHECK(reviewed.count(d));
  }
  for (const std::string& d : reviewed) {
    INFO(d);
    CHECK(found.count(d));  // a reviewed difference that no longer exists is stale
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
