// `scopecop diff` as a user runs it: two files, containers paired by name, a git revision, the formats and
// exit codes, and the example workflow's steps.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "parse/yaml.h"
#include "support/run.h"

using namespace scopecop;
using testing::run_scopecop;
using testing::TempDir;

namespace {

const char* kNarrow = R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/curated/*"}]})";
const char* kWide = R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
   "Resource": "arn:aws:s3:::lake/*"}]})";

int git(const TempDir& repo, const std::string& args) {
  std::string command =
      "git -C '" + repo.path().string() + "' -c user.name=t -c user.email=t@t " + args + " >/dev/null 2>&1";
  return std::system(command.c_str());
}

// A repository whose main branch holds `before` as policies/role.json, with origin/main pointing at it.
void make_repo(const TempDir& repo, const std::string& before) {
  repo.write("policies/role.json", before);
  repo.write("README.txt", "not a policy\n");
  REQUIRE(git(repo, "init -q -b main") == 0);
  REQUIRE(git(repo, "add -A") == 0);
  REQUIRE(git(repo, "commit -q -m base") == 0);
  REQUIRE(git(repo, "update-ref refs/remotes/origin/main HEAD") == 0);
}

}  // namespace

TEST_CASE("diff: access added exits 1 and names the resource, the statements and the positions",
          "[cli][diff]") {
  TempDir dir;
  dir.write("old.json", kNarrow);
  dir.write("new.json", kWide);
  auto r = run_scopecop({"diff", "old.json", "new.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains(
                        "+ added  s3:GetObject\n      now allowed on arn:aws:s3:::lake/x\n"
                        "      granted by new.json:2:3 statement 0 (Read): Resource arn:aws:s3:::lake/*\n"
                        "      before only: old.json:2:3 statement 0 (Read): Resource "
                        "arn:aws:s3:::lake/curated/*"));
  CHECK_THAT(r.out, Catch::Contains("+ added  s3:GetObjectVersion"));
  CHECK_THAT(r.out, Catch::Contains("before: not allowed on any resource"));
  CHECK_THAT(r.out, Catch::EndsWith("1 policy compared: 2 changes that add access, 0 that narrow it\n"));

  r = run_scopecop({"diff", "--no-fail-on-new-access", "old.json", "new.json"}, dir.path());
  CHECK(r.exit_code == 0);

  // The other way round only narrows: exit 0.
  r = run_scopecop({"diff", "new.json", "old.json"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out,
             Catch::Contains("- removed  s3:GetObject\n      no longer allowed on arn:aws:s3:::lake/x"));
  CHECK_THAT(r.out, Catch::EndsWith("0 changes that add access, 2 that narrow it\n"));

  // Nothing changed.
  r = run_scopecop({"diff", "old.json", "old.json"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "1 policy compared: 0 changes that add access, 0 that narrow it\n");
}

TEST_CASE("diff: conditions, conditional Deny and the JSON report", "[cli][diff]") {
  TempDir dir;
  dir.write("old.json", R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::lake",
     "Condition": {"StringLike": {"s3:prefix": "curated/*"}}},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})");
  dir.write("new.json", R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::lake"}]})");
  auto r = run_scopecop({"diff", "--format", "json", "old.json", "new.json"}, dir.path());
  CHECK(r.exit_code == 1);
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["schema"] == "scopecop/diff/v1");
  REQUIRE(report["policies"].size() == 1);
  auto changes = report["policies"][0]["changes"];
  REQUIRE(changes.size() == 2);
  CHECK(changes[0]["kind"] == "condition-dropped");
  CHECK(changes[0]["actions"] == nlohmann::json::array({"s3:ListBucket"}));
  CHECK(changes[0]["resources"] == nlohmann::json::array({"arn:aws:s3:::lake"}));
  CHECK(changes[0]["before_statements"][0]["conditions"] ==
        nlohmann::json::array({"StringLike s3:prefix [\"curated/*\"]"}));
  CHECK(changes[1]["kind"] == "deny-dropped");
  CHECK(changes[1]["before_statements"][0]["effect"] == "Deny");
  CHECK(report["summary"]["adds_access"] == true);

  // Adding the condition back narrows.
  r = run_scopecop({"diff", "new.json", "old.json"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out,
             Catch::Contains("- condition-added  s3:ListBucket\n      now allowed on arn:aws:s3:::lake "
                             "only when StringLike s3:prefix [\"curated/*\"]; before with no condition"));
  CHECK_THAT(r.out, Catch::Contains("- deny-added  s3:ListBucket\n      now denied on arn:aws:s3:::lake when "
                                    "Bool aws:SecureTransport [\"false\"]"));
}

TEST_CASE("diff: a template's policies pair by logical id; a new one is all new access", "[cli][diff]") {
  TempDir dir;
  const char* before = R"(Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: athena:GetWorkGroup
            Resource: arn:aws:athena:us-east-1:111122223333:workgroup/analytics
)";
  dir.write("before.yaml", before);
  dir.write("after.yaml", std::string(before) + R"(  Writer:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:PutObject
            Resource: arn:aws:s3:::results/*
)");
  auto r = run_scopecop({"diff", "before.yaml", "after.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("Writer (new policy)\n  + added  s3:PutObject\n"
                                    "      now allowed on arn:aws:s3:::results/x"));
  CHECK(r.out.find("Reader") == std::string::npos);
  CHECK_THAT(r.out, Catch::EndsWith("2 policies compared: 1 change that add access, 0 that narrow it\n"));
}

TEST_CASE("diff: errors name the file and exit 2", "[cli][diff]") {
  TempDir dir;
  dir.write("old.json", kNarrow);
  dir.write("broken.json", "{\"Statement\": [");
  dir.write("other.json", "{\"name\": \"not a policy\"}");
  auto r = run_scopecop({"diff", "old.json", "missing.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("missing.json"));
  r = run_scopecop({"diff", "old.json", "broken.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("scopecop: error: broken.json:1:"));
  r = run_scopecop({"diff", "old.json", "other.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("other.json: holds no IAM policy"));
  r = run_scopecop({"diff", "old.json"}, dir.path());
  CHECK(r.exit_code == 2);
  r = run_scopecop({"diff", "--git", "no-such-rev"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--git no-such-rev: not a revision of a git repository here"));
}

TEST_CASE("diff --git: each changed policy file against its version at a revision", "[cli][diff]") {
  TempDir repo;
  make_repo(repo, kNarrow);
  // Unchanged: nothing to report.
  auto r = run_scopecop({"diff", "--git", "origin/main"}, repo.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "0 policies compared: 0 changes that add access, 0 that narrow it\n");

  repo.write("policies/role.json", kWide);  // changed, not committed
  repo.write("policies/new-bucket.json", R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public/*"}]})");  // untracked
  repo.write("notes.json", "{\"not\": \"a policy\"}");
  r = run_scopecop({"diff", "--git", "origin/main"}, repo.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("policies/role.json\n  + added  s3:GetObject\n"));
  CHECK_THAT(r.out, Catch::Contains("before only: policies/role.json@origin/main:2:3 statement 0 (Read)"));
  CHECK_THAT(r.out, Catch::Contains("policies/new-bucket.json (new policy)"));
  CHECK(r.out.find("notes.json") == std::string::npos);
  CHECK_THAT(r.out, Catch::EndsWith("2 policies compared: 3 changes that add access, 0 that narrow it\n"));

  // From a subdirectory, limited to a path; a deleted file's policies are removed access.
  std::filesystem::remove(repo.path() / "policies/role.json");
  r = run_scopecop({"diff", "--git", "origin/main", "role.json"}, repo.path() / "policies");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("role.json (policy removed)\n  - removed  s3:GetObject\n"));
}

TEST_CASE("workflow: the example diff workflow's steps run as written", "[cli][workflow][diff]") {
  auto text = testing::read_file(testing::kSourceDir / "examples/github-actions/scopecop-diff.yml");
  REQUIRE(text);
  json::Document doc = yaml::parse(*text);
  REQUIRE_FALSE(doc.error);
  const json::Value* steps = doc.root.find("jobs")->members[0].value.find("steps");
  REQUIRE(steps);
  std::vector<std::string> diff_steps;
  std::string comment_script;
  for (const json::Value& step : steps->items) {
    const json::Value* run = step.find("run");
    if (run && run->text.starts_with("scopecop diff")) diff_steps.push_back(run->text);
    const json::Value* with = step.find("with");
    if (with && with->find("script")) comment_script = with->find("script")->text;
  }
  REQUIRE(diff_steps.size() == 2);
  const json::Value* version = doc.root.find("jobs")->members[0].value.find("env")->find("SCOPECOP_VERSION");
  REQUIRE(version);
  CHECK(version->text == SCOPECOP_PROJECT_VERSION);
  CHECK_THAT(comment_script, Catch::Contains("readFileSync('access-diff.txt'"));

  TempDir repo;
  make_repo(repo,
            testing::read_file(testing::kSourceDir / "examples/review-a-change/analytics-role.before.json")
                .value_or(""));
  repo.write("policies/role.json",
             testing::read_file(testing::kSourceDir / "examples/review-a-change/analytics-role.after.json")
                 .value_or(""));
  for (const std::string& step : diff_steps) {
    std::vector<std::string> args;
    std::istringstream words(step);
    for (std::string w; words >> w;) args.push_back(w == "origin/$BASE_REF" ? "origin/main" : w);
    args.erase(args.begin());  // "scopecop"
    auto r = run_scopecop(args, repo.path());
    if (step.find("--format github") != std::string::npos) {
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.out, Catch::StartsWith(
                            "::error file=policies/role.json,line=4,col=5,title=scopecop diff%3A added::"));
    } else {
      CHECK(r.exit_code == 1);  // the last step fails the job
      auto report = testing::read_file(repo.path() / "access-diff.txt");
      REQUIRE(report);
      CHECK_THAT(*report, Catch::Contains("+ condition-dropped  s3:ListBucket"));
    }
  }
}

TEST_CASE("check --no-new-access: fails on access added since the merge base", "[cli][diff]") {
  TempDir repo;
  make_repo(repo, kNarrow);
  REQUIRE(git(repo, "checkout -q -b feature") == 0);
  auto r = run_scopecop({"check", "--fail-on", "none", "--no-new-access", "main"}, repo.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("0 policies compared"));

  repo.write("policies/role.json", kWide);
  REQUIRE(git(repo, "commit -q -am widen") == 0);
  // main moves on after the branch: the merge base, not main's tip, is what the branch changed.
  REQUIRE(git(repo, "checkout -q main") == 0);
  repo.write("policies/other.json", kNarrow);
  REQUIRE(git(repo, "add -A") == 0);
  REQUIRE(git(repo, "commit -q -m other") == 0);
  REQUIRE(git(repo, "checkout -q feature") == 0);
  r = run_scopecop({"check", "--fail-on", "none", "--no-new-access", "main", "policies"}, repo.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("No findings"));
  CHECK_THAT(r.err, Catch::Contains("policies/role.json\n  + added  s3:GetObject"));
  CHECK(r.err.find("other.json") == std::string::npos);
  r = run_scopecop({"diff", "--git", "main", "--merge-base", "--format", "json"}, repo.path());
  CHECK(r.exit_code == 1);
  CHECK(nlohmann::json::parse(r.out)["summary"]["changes_adding_access"] == 2);
}

TEST_CASE("diff: a policy one version holds unread is named in a note, not reported new", "[cli][diff]") {
  TempDir dir;
  dir.write("read.yaml", R"(Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::lake/*"}
)");
  dir.write("unread.yaml", R"(Parameters:
  Bucket: {Type: String}
Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${Bucket}/*"}]}'
)");
  for (auto [before, after] :
       {std::pair{"read.yaml", "unread.yaml"}, std::pair{"unread.yaml", "read.yaml"}}) {
    auto r = run_scopecop({"diff", before, after}, dir.path());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("note: unread.yaml:7:"));
    CHECK_THAT(r.out, Catch::Contains("Reader not compared: its document comes from Fn::Sub"));
    CHECK_THAT(r.out, Catch::EndsWith("0 policies compared: 0 changes that add access, 0 that narrow it\n"));
  }
}
