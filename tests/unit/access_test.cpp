#include <catch2/catch.hpp>

#include "scopecop/access.h"
#include "support/check.h"

using namespace scopecop;

namespace {

AccessDiff diff(std::string_view before, std::string_view after) {
  Policy b = testing::parse_one(before), a = testing::parse_one(after);
  AccessComparer comparer(Catalog::embedded());
  return comparer.diff(b, a);
}

std::string policy(std::string_view statements) {
  return R"({"Version": "2012-10-17", "Statement": [)" + std::string(statements) + "]}";
}

}  // namespace

TEST_CASE("access: a wider Resource is added access with a witness outside the old one", "[access]") {
  auto d = diff(
      policy(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/curated/*"})"),
      policy(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"})"));
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == ChangeKind::Added);
  CHECK(d.changes[0].actions == std::vector<std::string>{"s3:GetObject"});
  CHECK(d.changes[0].witnesses == std::vector<std::string>{"arn:aws:s3:::lake/x"});
  CHECK(d.adds_access());
}

TEST_CASE("access: the same access written differently is no change", "[access]") {
  // A list split in two statements, an action named by a wildcard, a NotResource that leaves the same.
  auto d = diff(policy(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                          "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]})"),
                policy(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
                          {"Effect": "Allow", "Action": ["s3:GetObjec?", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"},
                          {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::a/*"})"));
  CHECK(d.changes.empty());
  CHECK(d.undecided.empty());
}

TEST_CASE("access: an unconditional Deny carves; dropping it adds access", "[access]") {
  std::string carved =
      policy(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"},
                                 {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::lake/raw/*"})");
  std::string narrow =
      policy(R"({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::lake/raw/*"})");
  // The carve and a NotResource Allow leave different sets: everything but lake/raw/ against lake/ but raw/.
  auto d = diff(carved, narrow);
  REQUIRE_FALSE(d.changes.empty());
  CHECK(d.changes[0].kind == ChangeKind::Added);
  CHECK_FALSE(d.changes[0].witnesses[0].starts_with("arn:aws:s3:::lake/raw/"));
  CHECK_FALSE(d.changes[0].witnesses[0].starts_with("arn:aws:s3:::lake/"));

  auto dropped = diff(
      carved, policy(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"})"));
  REQUIRE(dropped.changes.size() == 1);
  CHECK(dropped.changes[0].kind == ChangeKind::Added);
  CHECK(dropped.changes[0].witnesses[0] == "arn:aws:s3:::lake/raw/x");
  CHECK(dropped.changes[0].old_statements == std::vector<std::size_t>{0});
}

TEST_CASE("access: a resource policy's principals are compared as sets", "[access]") {
  auto bucket = [](std::string_view principal) {
    return policy(R"({"Effect": "Allow", "Principal": )" + std::string(principal) +
                  R"(, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"})");
  };
  auto wider = diff(bucket(R"({"AWS": "arn:aws:iam::111122223333:root"})"), bucket(R"("*")"));
  REQUIRE(wider.changes.size() == 1);
  CHECK(wider.changes[0].kind == ChangeKind::ConditionDropped);
  auto narrower = diff(bucket(R"("*")"), bucket(R"({"AWS": "arn:aws:iam::111122223333:root"})"));
  REQUIRE(narrower.changes.size() == 1);
  CHECK(narrower.changes[0].kind == ChangeKind::ConditionAdded);
}

TEST_CASE("access: conditions traded are reported once; a condition's statement removed is a narrowing",
          "[access]") {
  auto grant = [](std::string_view team) {
    return R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*",
               "Condition": {"StringEquals": {"aws:PrincipalTag/team": ")" +
           std::string(team) + R"("}}})";
  };
  // data -> ops: new access for ops (a widening), reported once, not also as a narrowing.
  auto traded = diff(policy(grant("data")), policy(grant("ops")));
  REQUIRE(traded.changes.size() == 1);
  CHECK(traded.changes[0].kind == ChangeKind::ConditionChanged);
  // data or ops -> data: ops lost it, and nothing was gained.
  auto dropped = diff(policy(grant("data") + ", " + grant("ops")), policy(grant("data")));
  REQUIRE(dropped.changes.size() == 1);
  CHECK(dropped.changes[0].kind == ChangeKind::ConditionAdded);
  CHECK(dropped.changes[0].old_statements == std::vector<std::size_t>{1});
  CHECK_FALSE(dropped.adds_access());
  // And back: ops gains it.
  auto added = diff(policy(grant("data")), policy(grant("data") + ", " + grant("ops")));
  REQUIRE(added.changes.size() == 1);
  CHECK(added.changes[0].kind == ChangeKind::ConditionChanged);
  CHECK(added.adds_access());
}

TEST_CASE("access: a policy variable's entry is a grant for the principal it names", "[access]") {
  auto d = diff(
      policy(
          R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})"),
      policy(
          R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::shared/*"]})"));
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == ChangeKind::Added);
  CHECK(d.changes[0].witnesses[0] == "arn:aws:s3:::shared/x");
}

TEST_CASE("access: GrantSearch finds a resource a statement grants within or outside patterns", "[access]") {
  Policy p = testing::parse_one(policy(
      R"({"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*"},
                                        {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:*:key/prod-secret"})"));
  GrantSearch search(p);
  const Action* decrypt = Catalog::embedded().service("kms")->action("Decrypt");
  const Statement& s = p.statements[0];
  CHECK(search.names(s, "kms:Decrypt"));
  CHECK_FALSE(search.names(s, "s3:GetObject"));
  auto within = search.find(s, "kms:Decrypt", decrypt, {"arn:aws:kms:*:*:key/prod-*"}, false);
  REQUIRE(within);
  CHECK(within->starts_with("arn:aws:kms:us-east-1:111122223333:key/prod-"));
  CHECK(*within != "arn:aws:kms:us-east-1:111122223333:key/prod-secret");
  CHECK_FALSE(search.find(s, "kms:Decrypt", decrypt, {"arn:aws:kms:*:*:key/prod-secret"}, false));
  CHECK_FALSE(search.find(s, "kms:Decrypt", decrypt, {"arn:aws:kms:*:*:key/*"}, true));
}
