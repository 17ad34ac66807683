// Hostile inputs (SPEC §8): each gives a finding or an error naming the file and the right exit code, never a
// crash, a hang or unbounded memory. Large files are generated here, never committed.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "support/run.h"
#include "support/templates.h"

using scopecop::testing::Limits;
using scopecop::testing::RunResult;
using scopecop::testing::TempDir;

namespace {

// Every run here is bounded: a regression to unbounded work fails the test instead of hanging it.
constexpr Limits kBounded{.cpu_seconds = 20, .address_space = std::size_t{1} << 30};

RunResult run_scopecop(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                       const std::string& input = "", const Limits& limits = kBounded) {
  return scopecop::testing::run_scopecop(args, cwd, input, {}, limits);
}

constexpr const char* kStatement =
    R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::analytics-lake/curated/*"})";

std::string policy_with(const std::string& statement) {
  return std::string(R"({"Version": "2012-10-17", "Statement": [)") + statement + "]}";
}

// Writes `head`, then `unit` joined by commas until the file passes `bytes`, then `tail`.
void write_repeated(const std::filesystem::path& path, const std::string& head, const std::string& unit,
                    const std::string& tail, std::size_t bytes) {
  std::ofstream out(path, std::ios::binary);
  out << head << unit;
  std::string block;
  while (block.size() < (1 << 20)) block.append(",").append(unit);
  for (std::size_t written = head.size(); written < bytes; written += block.size()) out << block;
  out << tail;
}

}  // namespace

TEST_CASE("hostile: nesting 100,000 deep is a POLICY-001 finding, not a stack overflow", "[cli][hostile]") {
  TempDir dir;
  dir.write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  dir.write("deep-in-policy.json", policy_with(R"({"Effect": "Allow", "Action": )" +
                                               std::string(100000, '[') + std::string(100000, ']') + "}"));
  auto r = run_scopecop({"check", "--format", "concise", "deep.json", "deep-in-policy.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("deep.json:1:257: error POLICY-001 the file is not valid JSON: nesting "
                                    "deeper than 256 levels"));
  CHECK_THAT(r.out, Catch::Contains("deep-in-policy.json:1:"));
  CHECK(r.err.empty());
}

TEST_CASE("hostile: a 200 MB policy file and a 200 MB account dump are refused by name", "[cli][hostile]") {
  TempDir dir;
  write_repeated(dir.path() / "huge-policy.json", R"({"Version": "2012-10-17", "Statement": [)", kStatement,
                 "]}", 200u << 20);
  std::string document =
      std::string(R"({"PolicyName": "p", "PolicyDocument": )") + policy_with(kStatement) + "}";
  write_repeated(dir.path() / "huge-dump.json",
                 R"({"UserDetailList": [{"UserName": "u", "UserPolicyList": [)", document, "]}]}",
                 200u << 20);
  dir.write("flawed.json", policy_with(R"({"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"})"));
  auto r = run_scopecop({"check", "--format", "concise", "huge-policy.json", "huge-dump.json", "flawed.json"},
                        dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("scopecop: error: huge-policy.json: larger than 64 MB, the most scopecop "
                                    "reads from one file"));
  CHECK_THAT(r.err, Catch::Contains("scopecop: error: huge-dump.json: larger than 64 MB"));
  CHECK_THAT(r.out, Catch::Contains("flawed.json:1:"));  // the rest is still checked

  // Standard input has no size to look at first; reading stops just past the limit.
  std::string big = policy_with(kStatement);
  big.resize((65u << 20), ' ');
  r = run_scopecop({"check", "-"}, dir.path(), big);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("<stdin>: larger than 64 MB"));
}

TEST_CASE("hostile: invalid UTF-8 and NUL bytes are POLICY-001 findings shown escaped", "[cli][hostile]") {
  TempDir dir;
  dir.write("latin1.json", policy_with(R"({"Sid": "caf)"
                                       "\xe9"
                                       R"(", "Effect": "Allow", "Action": "s3:*"})"));
  dir.write("nul.json", std::string(R"({"Version": "2012-10-17",)") + '\0' + R"("Statement": []})");
  auto r = run_scopecop({"check", "--format", "concise", "latin1.json", "nul.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("latin1.json:1:53: error POLICY-001 the file is not valid JSON: invalid "
                                    "UTF-8 (byte 0xE9)"));
  CHECK_THAT(r.out, Catch::Contains("nul.json:1:26: error POLICY-001 the file is not valid JSON: unexpected "
                                    "byte 0x00"));
  CHECK(r.out.find('\0') == std::string::npos);
  CHECK(r.out.find('\xe9') == std::string::npos);
}

TEST_CASE("hostile: a byte order mark is accepted and columns stay right", "[cli][hostile]") {
  TempDir dir;
  dir.write("bom.json",
            std::string("\xef\xbb\xbf") + policy_with(R"({"Effect": "allow", "Action": "s3:GetObject"})"));
  auto r = run_scopecop({"check", "--format", "concise", "bom.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("bom.json:1:52: error POLICY-007 \"allow\" is not a valid Effect"));
}

TEST_CASE("hostile: empty files and a top-level array", "[cli][hostile]") {
  TempDir dir;
  dir.write("empty.json", "");
  dir.write("array.json", std::string("[") + policy_with(kStatement) + "]");
  auto r = run_scopecop({"check", "--format", "concise", "empty.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::StartsWith("empty.json:1:1: error POLICY-001 the file is not valid JSON: the file is "
                               "empty"));
  r = run_scopecop({"check", "array.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "scopecop: error: array.json: holds no IAM policy (neither a policy document nor a template, plan or "
        "AWS output that contains one)\n");
}

TEST_CASE("hostile: a named pipe without a writer reads as empty; devices are refused", "[cli][hostile]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path() / "pipe.json").c_str(), 0600) == 0);
  auto r = run_scopecop({"check", "--format", "concise", "pipe.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::StartsWith("pipe.json:1:1: error POLICY-001 the file is not valid JSON: the file is "
                               "empty"));
  r = run_scopecop({"check", "/dev/zero"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "scopecop: error: /dev/zero: not a regular file\n");

  // Found while walking a directory, a pipe or a link to a device is never opened, and a note says so.
  dir.write("tree/ok.json", policy_with(kStatement));
  REQUIRE(::mkfifo((dir.path() / "tree" / "pipe.json").c_str(), 0600) == 0);
  REQUIRE(::symlink("/dev/zero", (dir.path() / "tree" / "zero.json").c_str()) == 0);
  r = run_scopecop({"check", "tree"}, dir.path(), "", {.cpu_seconds = 10, .address_space = 512u << 20});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("No findings (1 file"));
  CHECK(r.err ==
        "scopecop: note: tree/pipe.json: not a regular file (a device, pipe or socket, or a link to one); "
        "skipped\n"
        "scopecop: note: tree/zero.json: not a regular file (a device, pipe or socket, or a link to one); "
        "skipped\n");
}

TEST_CASE("hostile: file names that are not UTF-8 are shown escaped, told apart and kept by a baseline",
          "[cli][hostile]") {
  TempDir dir;
  const std::string policy =
      policy_with(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*/*"})");
  dir.write("tree/a\xff\x1b.json", policy);
  dir.write("tree/a\xfe\x1b.json", policy);
  auto r = run_scopecop({"check", "--format", "concise", "--select", "S3-001", "tree"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("tree/a\\xfe\\x1b.json:1:99: security S3-001"));
  CHECK_THAT(r.out, Catch::Contains("\ntree/a\\xff\\x1b.json:1:99: security S3-001"));
  r = run_scopecop({"check", "--format", "json", "--select", "S3-001", "tree"}, dir.path());
  CHECK_THAT(r.out, Catch::Contains(R"("file": "tree/a\\xfe\u001b.json")"));
  CHECK_THAT(r.out, Catch::Contains(R"("file": "tree/a\\xff\u001b.json")"));
  r = run_scopecop({"check", "--select", "S3-001", "--write-baseline", "baseline.json", "tree"}, dir.path());
  CHECK(r.exit_code == 0);
  r = run_scopecop(
      {"check", "--format", "concise", "--select", "S3-001", "--baseline", "baseline.json", "tree"},
      dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("No findings (2 files, 2 policies, 2 statements checked; 2 suppressed)"));
}

TEST_CASE("hostile: a configuration, baseline or catalog file that is no regular file is a one-line error",
          "[cli][hostile]") {
  TempDir dir;
  dir.write("p.json", policy_with(kStatement));
  std::filesystem::create_symlink("/dev/zero", dir.path() / "zero.yaml");
  REQUIRE(::mkfifo((dir.path() / "fifo.yaml").c_str(), 0600) == 0);
  std::filesystem::create_directory(dir.path() / "dir.yaml");
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"--config", "zero.yaml"},
       "scopecop: error: cannot read the configuration: zero.yaml: not a regular file\n"},
      {{"--config", "fifo.yaml"},
       "scopecop: error: cannot read the configuration: fifo.yaml: not a regular file\n"},
      {{"--config", "dir.yaml"},
       "scopecop: error: cannot read the configuration: dir.yaml: is a directory\n"},
      {{"--baseline", "zero.yaml"},
       "scopecop: error: cannot read the baseline: zero.yaml: not a regular file\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"check"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.push_back("p.json");
    auto r = run_scopecop(args, dir.path());
    INFO(c.args[0] << " " << c.args[1]);
    CHECK(r.exit_code == 2);
    CHECK(r.err == c.err);
  }
  // A catalog directory with a link to /dev/zero among its files.
  std::filesystem::create_directory(dir.path() / "catalog");
  std::filesystem::create_symlink("/dev/zero", dir.path() / "catalog" / "athena.json");
  auto r = run_scopecop({"check", "--catalog", "catalog", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot read a catalog file: catalog/athena.json: not a regular file"));
}

TEST_CASE("hostile: a dangling .scopecop.yaml link is an error, not silently no configuration",
          "[cli][hostile]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / ".git");
  dir.write("p.json", policy_with(kStatement));
  std::filesystem::create_symlink(dir.path() / "missing.yaml", dir.path() / ".scopecop.yaml");
  auto r = run_scopecop({"check", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot read the configuration:"));
  CHECK_THAT(r.err, Catch::Contains(".scopecop.yaml: No such file or directory"));
}

TEST_CASE("hostile: nothing scopecop writes replaces an input, and a failed write keeps the old file",
          "[cli][hostile]") {
  TempDir dir;
  const std::string policy = policy_with(kStatement);
  dir.write("p.json", policy);
  dir.write("baseline.json", "old baseline");
  auto r = run_scopecop({"check", "--output", "p.json", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "scopecop: error: p.json: is one of the inputs of this check; refusing to overwrite it\n");
  CHECK(*scopecop::testing::read_file(dir.path() / "p.json") == policy);
  r = run_scopecop({"check", "--write-baseline", "./p.json", "."}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(*scopecop::testing::read_file(dir.path() / "p.json") == policy);
  // An input that cannot be read: the baseline would miss its findings, so it is not rewritten.
  r = run_scopecop({"check", "--write-baseline", "baseline.json", "p.json", "missing.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("baseline.json: not written, since some inputs could not be checked"));
  CHECK(*scopecop::testing::read_file(dir.path() / "baseline.json") == "old baseline");
  // Written in full and put in place, with no temporary file left beside it.
  r = run_scopecop({"check", "--format", "json", "--output", "report.json", "p.json"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(*scopecop::testing::read_file(dir.path() / "report.json"), Catch::StartsWith("{"));
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) entries += !e.path().empty();
  CHECK(entries == 3);  // p.json, baseline.json, report.json
}

TEST_CASE("hostile: init never follows a dangling link, and output that cannot be written is exit 2",
          "[cli][hostile]") {
  TempDir dir;
  std::filesystem::create_symlink(dir.path() / "elsewhere.yaml", dir.path() / ".scopecop.yaml");
  auto r = run_scopecop({"init"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "elsewhere.yaml"));
  for (const char* command : {"rules", "rule S3-001", "catalog athena", "check --format concise -"}) {
    std::string line = std::string(SCOPECOP_BINARY) + " " + command + " </dev/null >/dev/full 2>/dev/null";
    int status = std::system(line.c_str());
    INFO(command);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
  }
}

TEST_CASE("hostile: standard input named twice is read once, a file named twice is checked once",
          "[cli][hostile]") {
  TempDir dir;
  const std::string policy = policy_with(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})");
  auto r = run_scopecop({"check", "--format", "concise", "--quiet", "-", "-"}, dir.path(), policy);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "<stdin>:1:99: security S3-001 s3:GetObject is allowed on every S3 bucket\n");
  dir.write("d/p.json", policy);
  r = run_scopecop({"check", "--format", "concise", "d", "d/p.json", "./d/../d/p.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("Found 1 finding (1 security; 1 file, 1 policy, 1 statement checked)"));
}

TEST_CASE("hostile: bidirectional overrides and C1 controls are escaped in every report format",
          "[cli][hostile]") {
  TempDir dir;
  // U+202E (right-to-left override) in a Sid, U+009B (CSI) in an ARN.
  dir.write("p.json", policy_with("{\"Sid\": \"a\xE2\x80\xAE"
                                  "b\", \"Effect\": \"Allow\", \"Action\": "
                                  "\"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b\xC2\x9B/*\"}"));
  for (const char* format : {"json", "sarif", "text", "concise", "github", "junit", "html"}) {
    auto r = run_scopecop({"check", "--format", format, "--fail-on", "none", "p.json"}, dir.path());
    INFO(format << "\n" << r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\xE2\x80\xAE") == std::string::npos);
    CHECK(r.out.find("\xC2\x9B") == std::string::npos);
  }
}

TEST_CASE("hostile: a rule keeps at most 1,000 findings per policy and says how many it left out",
          "[cli][hostile]") {
  TempDir dir;
  std::string statements;
  for (int i = 0; i < 3000; ++i) {
    statements += std::string(i ? "," : "") +
                  R"({"Effect": "Allow", "Action": "athena:GetQueryResult", "Resource": "*"})";
  }
  dir.write("p.json", policy_with(statements));
  auto r = run_scopecop({"check", "--format", "concise", "--select", "ACTION-002", "p.json"}, dir.path());
  CHECK(r.exit_code == 1);
  std::size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  CHECK(lines == 1000 + 2);  // the findings, the summary and its hint
  CHECK_THAT(r.out, Catch::Contains(
                        "(2000 more ACTION-002 findings on this policy left out: 1000 is the most kept)"));
}

TEST_CASE("hostile: running out of memory ends with one line and exit 2", "[cli][hostile]") {
  if (scopecop::testing::kSanitized) {
    WARN("skipped: a sanitizer's shadow memory does not fit under an address-space limit");
    return;
  }
  TempDir dir;
  write_repeated(dir.path() / "big.json", R"({"Version": "2012-10-17", "Statement": [)", kStatement, "]}",
                 std::size_t{40} << 20);
  std::string line = "prlimit --as=300000000 " + std::string(SCOPECOP_BINARY) + " check --format json " +
                     (dir.path() / "big.json").string() + " >/dev/null 2>" + (dir.path() / "err").string();
  int status = std::system(line.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(*scopecop::testing::read_file(dir.path() / "err") == "scopecop: error: out of memory; stopped\n");
}

TEST_CASE("hostile: a baseline of the wrong shape and a deeply nested catalog file are clear errors",
          "[cli][hostile]") {
  TempDir dir;
  dir.write("p.json", policy_with(kStatement));
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const std::string& text :
       {std::string(R"({"schema": 1, "findings": []})"), std::string("null"), std::string("[]"), deep}) {
    dir.write("baseline.json", text);
    auto r = run_scopecop({"check", "--baseline", "baseline.json", "p.json"}, dir.path());
    INFO(text.substr(0, 40));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("scopecop: error: baseline.json: not a scopecop baseline"));
  }
  dir.write("catalog/athena.json", R"({"Name": "athena", "Actions": )" + deep + "}");
  auto r = run_scopecop({"check", "--catalog", "catalog", "p.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "scopecop: error: catalog/athena.json: not valid JSON: nesting deeper than 256 levels\n");
}

TEST_CASE("hostile: UTF-16 and UTF-32 files, CR line ends and several YAML documents", "[cli][hostile]") {
  TempDir dir;
  dir.write("utf16.json", std::string("\xFF\xFE{\0}\0", 6));
  dir.write("utf32.json", std::string("\x00\x00\xFE\xFF\x00\x00\x00{", 8));
  auto r = run_scopecop({"check", "--format", "concise", "utf16.json", "utf32.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::Contains("utf16.json:1:1: error POLICY-001 the file is not valid JSON: the file is in "
                             "UTF-16 (its byte order mark says so)"));
  CHECK_THAT(r.out,
             Catch::Contains("utf32.json:1:1: error POLICY-001 the file is not valid JSON: the file is in "
                             "UTF-32"));
  // Old Mac line ends: each CR ends a line, in the positions and the source shown.
  dir.write("cr.yaml",
            "Resources:\r  P:\r    Type: AWS::IAM::ManagedPolicy\r    Properties:\r      PolicyDocument:\r"
            "        Version: '2012-10-17'\r        Statement: [{Effect: Allow, Action: s3:GetObjec, "
            "Resource: '*'}]\r");
  r = run_scopecop({"check", "--format", "concise", "--select", "ACTION-002", "cr.yaml"}, dir.path());
  CHECK_THAT(r.out, Catch::StartsWith("cr.yaml:7:45: error ACTION-002 unknown action \"s3:GetObjec\""));
  // A template is one YAML document; a Kubernetes manifest of several is not a template, and is skipped.
  dir.write("two.yaml", "Resources:\n  P:\n    Type: AWS::S3::Bucket\n---\nmore: 1\n");
  dir.write("k8s/manifest.yml", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n");
  r = run_scopecop({"check", "--format", "concise", "two.yaml"}, dir.path());
  CHECK_THAT(r.out,
             Catch::StartsWith("two.yaml:4:1: error POLICY-001 the file is not valid YAML: a second YAML "
                               "document"));
  r = run_scopecop({"check", "k8s"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("k8s/manifest.yml: holds no IAM policy"));
}

TEST_CASE("hostile: JUnit XML carries no character XML 1.0 forbids", "[cli][hostile]") {
  TempDir dir;
  // U+FFFE in a Sid (a POLICY-010 finding quotes it).
  dir.write("p.json",
            policy_with("{\"Sid\": \"a\xEF\xBF\xBE\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                        "\"Resource\": \"arn:aws:s3:::b/*\"}"));
  auto r = run_scopecop({"check", "--format", "junit", "--fail-on", "none", "p.json"}, dir.path());
  CHECK(r.out.find("\xEF\xBF\xBE") == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("\\uFFFE"));
}

TEST_CASE("hostile: a scope of 500 accounts, 17 regions, 20 workgroups and 20 databases costs its length",
          "[cli][hostile]") {
  // As combinations these are 170,000 workgroup and 3.4 million Glue ARN patterns (minutes and a gigabyte).
  TempDir dir;
  std::string accounts, regions, workgroups, databases;
  for (int i = 0; i < 500; ++i) accounts += fmt::format("{}\"{}\"", i ? ", " : "", 100000000000 + i);
  for (const char* r :
       {"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1",
        "ap-southeast-2", "ca-central-1", "sa-east-1", "me-south-1"})
    regions += fmt::format("{}{}", regions.empty() ? "" : ", ", r);
  for (int i = 0; i < 20; ++i) {
    workgroups += fmt::format("{}wg{}", i ? ", " : "", i);
    databases += fmt::format("{}db{}", i ? ", " : "", i);
  }
  dir.write(".scopecop.yaml",
            fmt::format("scope:\n  accounts: [{}]\n  regions: [{}]\n  athena: {{workgroups: [{}]}}\n"
                        "  glue: {{databases: [{}]}}\n",
                        accounts, regions, workgroups, databases));
  dir.write("p.json", policy_with(R"(
    {"Effect": "Allow", "Action": "athena:GetQueryResults", "Resource": "arn:aws:athena:*:*:workgroup/*"},
    {"Effect": "Allow", "Action": "athena:GetWorkGroup",
     "Resource": "arn:aws:athena:us-east-1:100000000499:workgroup/wg19"},
    {"Effect": "Allow", "Action": "glue:GetTable", "Resource": [
      "arn:aws:glue:sa-east-1:100000000001:table/db1/*", "arn:aws:glue:us-east-1:999999999999:table/db1/*"]})"));
  auto r = run_scopecop({"check", "--format", "concise", "--select", "ATHENA-002,GLUE-002", "p.json"},
                        dir.path(), "", {.cpu_seconds = 10, .address_space = 512u << 20});
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("p.json:2:73: security ATHENA-002 athena:GetQueryResults reaches Athena "
                                    "workgroup ARNs outside scope.athena.workgroups, such as "
                                    "arn:aws:athena:x:x:workgroup/x"));
  CHECK_THAT(r.out, Catch::Contains("ARNs outside scope.glue, such as "
                                    "arn:aws:glue:us-east-1:999999999999:table/db1/x"));
  CHECK_THAT(r.out, Catch::Contains("Found 2 findings"));
}

TEST_CASE("hostile: 20,000 statements with Deny carve-outs, and Denies whose combinations grow exponentially",
          "[cli][hostile]") {
  TempDir dir;
  // Each Allow judged against 10,000 NotResource Denies: once per entry and carve-out, not per statement
  // (this took 25 s in S3-001 alone).
  std::string many;
  for (int i = 0; i < 10000; ++i) {
    many += fmt::format(
        R"({}{{"Effect": "Allow", "Action": ["s3:PutObject", "athena:GetWorkGroup"], "Resource": "*"}},
      {{"Effect": "Deny", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::bucket{}/*"}})",
        i ? "," : "", i);
  }
  dir.write("many.json", policy_with(many));
  auto r = run_scopecop({"check", "--format", "concise", "many.json"}, dir.path(), "",
                        {.cpu_seconds = 10, .address_space = 1u << 30});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("1 file, 1 policy, 20000 statements checked"));
  // 40 Denies that each keep one of two overlapping prefixes: 2^40 combinations of what stays allowed, of
  // which a bounded number is tried (this never finished).
  std::string denies = R"({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"})";
  for (int i = 0; i < 40; ++i) {
    denies += fmt::format(
        R"(, {{"Effect": "Deny", "Action": "s3:PutObject", "NotResource": ["arn:aws:s3:::lake/*", "arn:aws:s3:::lake/x{}*"]}})",
        i);
  }
  dir.write("combinations/p.json", policy_with(denies));
  dir.write("combinations/.scopecop.yaml",
            "scope:\n  s3:\n    buckets:\n      - {name: lake, prefixes: [curated/*], access: read}\n");
  r = run_scopecop({"check", "--format", "concise", "--select", "S3-002,S3-003", "combinations/p.json"},
                   dir.path(), "", {.cpu_seconds = 10, .address_space = 512u << 20});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("S3-002 s3:PutObject reaches S3 bucket or object ARNs outside"));
}

TEST_CASE("hostile: templates whose intrinsics would expand without end finish, with the values unknown",
          "[cli][hostile]") {
  TempDir dir;
  // 40 parameters, each the previous one joined twice (2^40 characters); 1 KB of Subs nested 30 deep, each
  // doubling its value; 20 Ifs (a million variants of a statement).
  std::string chain = scopecop::testing::doubling_names(40);
  std::string sub = "lake";
  for (int i = 0; i < 30; ++i) sub = "{'Fn::Sub': ['${X}-${X}', {X: " + sub + "}]}";
  chain +=
      "  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
      "        Version: '2012-10-17'\n        Statement:\n"
      "          - {Effect: Allow, Action: s3:GetObject, Resource: !Sub 'arn:aws:s3:::${N40}/*'}\n"
      "          - {Effect: Allow, Action: s3:GetObject, Resource: " +
      sub + "}\n";
  chain += "          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n";
  for (int i = 0; i < 20; ++i) chain += fmt::format("            Sid{}: !If [C{}, a, b]\n", i, i);
  dir.write("template.yaml", chain);
  auto r = run_scopecop({"check", "--format", "concise", "--fail-on", "none", "template.yaml"}, dir.path(),
                        "", {.cpu_seconds = 20, .address_space = 1u << 30});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("1 file, 1 policy"));
}

TEST_CASE("hostile: init --from never lets a policy's names write configuration", "[cli][hostile]") {
  TempDir dir;
  dir.write("policies/p.json", policy_with(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": [
      "arn:aws:s3:::lake\", access: read}\nfail-on: none\nignore: [ALL]\n#/x",
      "arn:aws:s3:::good-bucket/pre\u001b]0;t\u0007\u202e/*"]})"));
  auto r = run_scopecop({"init", "--from", "policies"}, dir.path());
  CHECK(r.exit_code == 0);
  auto written = scopecop::testing::read_file(dir.path() / ".scopecop.yaml");
  REQUIRE(written);
  CHECK(written->find("\nfail-on: none") == std::string::npos);
  CHECK(written->find("\nignore: [ALL]") == std::string::npos);
  for (char c : *written) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  // The configuration it wrote is read back, and checks the policy.
  r = run_scopecop({"check", "--format", "concise", "policies"}, dir.path());
  CHECK(r.exit_code != 2);
  CHECK(r.err.empty());
}

TEST_CASE("hostile: 20,000 users in one big group are judged together within a budget, the rest named",
          "[cli][hostile]") {
  TempDir dir;
  // Each user's own policy with the group's 5,000 statements is a view of its own: judging all of them
  // would take 100 million statements.
  std::string group;
  for (int i = 0; i < 5000; ++i) {
    group +=
        fmt::format(R"({}{{"Sid": "S{}", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}})",
                    i ? "," : "", i);
  }
  std::string users;
  for (int i = 0; i < 20000; ++i) {
    users += fmt::format(
        R"({}{{"UserName": "u{}", "GroupList": ["big"], "UserPolicyList": [{{"PolicyName": "p", "PolicyDocument": {}}}]}})",
        i ? "," : "", i, policy_with(R"({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})"));
  }
  dir.write(
      "dump.json",
      fmt::format(R"({{"UserDetailList": [{}], "GroupDetailList": [{{"GroupName": "big", "GroupPolicyList": [
              {{"PolicyName": "g", "PolicyDocument": {}}}]}}], "RoleDetailList": [], "Policies": []}})",
                  users, policy_with(group)));
  auto r = run_scopecop({"check", "--format", "concise", "--select", "PRIVILEGE-012", "dump.json"},
                        dir.path(), "", {.cpu_seconds = 20, .address_space = 1u << 30});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("are not judged together for escalation paths"));
  CHECK_THAT(r.out, Catch::Contains("PRIVILEGE-012 ec2:RunInstances"));
}
