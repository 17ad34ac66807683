// `scopecop can` as a user runs it: the decision, the deciding statements, exit codes and errors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/run.h"

using scopecop::testing::run_scopecop;
using scopecop::testing::TempDir;

TEST_CASE("can: the decision, its statements and the exit code", "[cli][can]") {
  TempDir dir;
  dir.write("role.json", R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"},
  {"Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})");
  dir.write("bucket.json", R"({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject",
   "Resource": "arn:aws:s3:::lake/*"}]})");
  auto r = run_scopecop({"can", "s3:GetObject", "arn:aws:s3:::lake/a.csv", "role.json", "--context",
                         "aws:SecureTransport=true"},
                        dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "allowed: s3:GetObject on arn:aws:s3:::lake/a.csv\n"
        "  an Allow statement applies and no Deny does\n"
        "  role.json:2:3 statement 0 Read (Allow)\n");
  r = run_scopecop({"can", "s3:GetObject", "arn:aws:s3:::lake/a.csv", "role.json", "--context",
                    "aws:SecureTransport=false"},
                   dir.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("denied explicitly: "));
  CHECK_THAT(r.out, Catch::Contains("role.json:3:3 statement 1 TlsOnly (Deny)"));
  r = run_scopecop({"can", "s3:GetObject", "arn:aws:s3:::lake/a.csv", "role.json"}, dir.path());
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Catch::Contains("depends on aws:SecureTransport (give it with --context KEY=VALUE)"));
  r = run_scopecop({"can", "--format", "json", "s3:PutObject", "arn:aws:s3:::lake/a.csv", "role.json",
                    "--context", "aws:SecureTransport=true"},
                   dir.path());
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["decision"] == "implicitly-denied");
  CHECK(j["reason"] == "no statement allows it");
  // Another account's principal, through the bucket policy alone.
  r = run_scopecop({"can", "s3:GetObject", "arn:aws:s3:::lake/a.csv", "--resource-policy", "bucket.json",
                    "--principal", "arn:aws:iam::444455556666:user/bo"},
                   dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("bucket.json:2:3 statement 0 (Allow)"));
}

TEST_CASE("can: mistakes are errors that exit 2", "[cli][can]") {
  TempDir dir;
  dir.write("role.json", R"({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})");
  dir.write("notes.json", R"({"not": "a policy"})");
  auto r = run_scopecop({"can", "GetObject", "*", "role.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("\"GetObject\" is not an action"));
  r = run_scopecop({"can", "s3:GetObject", "*", "role.json", "--context", "novalue"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--context \"novalue\" is not KEY=VALUE"));
  r = run_scopecop({"can", "s3:GetObject", "*", "missing.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("missing.json"));
  r = run_scopecop({"can", "s3:GetObject", "*", "notes.json"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("notes.json: holds no IAM policy"));
  r = run_scopecop({"can", "s3:GetObject", "*"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("can needs the identity policies"));
}
