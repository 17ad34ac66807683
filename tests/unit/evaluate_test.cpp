#include <catch2/catch.hpp>

#include "scopecop/evaluate.h"
#include "support/check.h"

using namespace scopecop;

namespace {

std::string policy(std::string_view statements) {
  return R"({"Version": "2012-10-17", "Statement": [)" + std::string(statements) + "]}";
}

Request request(std::string action, std::string resource, std::string principal = "",
                std::map<std::string, std::vector<std::string>> context = {}) {
  return Request{std::move(action), std::move(resource), std::move(principal), std::move(context)};
}

const std::string kUser = "arn:aws:iam::111122223333:user/ana";
const std::string kOtherUser = "arn:aws:iam::444455556666:user/bo";

}  // namespace

TEST_CASE("evaluate: Allow, explicit Deny and implicit deny in identity policies", "[evaluate]") {
  Policy p = testing::parse_one(policy(R"(
    {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::lake/*"},
    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/secret/*"})"));
  PolicySet set{{&p}, {}, {}, {}};
  auto e = evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a"), set);
  CHECK(e.decision == Decision::Allowed);
  REQUIRE(e.deciding.size() == 1);
  CHECK(e.deciding[0].statement == 0);
  e = evaluate(request("s3:getobject", "arn:aws:s3:::lake/secret/a"), set);
  CHECK(e.decision == Decision::ExplicitlyDenied);
  CHECK(e.deciding[0].statement == 1);
  e = evaluate(request("s3:PutObject", "arn:aws:s3:::lake/a"), set);
  CHECK(e.decision == Decision::ImplicitlyDenied);
  CHECK(e.reason == "no statement allows it");
}

TEST_CASE("evaluate: condition operators against the context; a key not given makes it depend",
          "[evaluate]") {
  Policy p = testing::parse_one(policy(R"(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "NumericLessThan": {"s3:max-keys": "10"},
                   "DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"},
                   "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}})"));
  PolicySet set{{&p}, {}, {}, {}};
  std::map<std::string, std::vector<std::string>> context{{"aws:sourceip", {"10.1.2.3"}},
                                                          {"s3:max-keys", {"5"}},
                                                          {"aws:currenttime", {"2026-12-05T10:00:00Z"}},
                                                          {"aws:tagkeys", {"team"}}};
  CHECK(evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a", kUser, context), set).decision ==
        Decision::Allowed);
  context["aws:sourceip"] = {"192.0.2.1"};
  CHECK(evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a", kUser, context), set).decision ==
        Decision::ImplicitlyDenied);
  context["aws:sourceip"] = {"10.1.2.3"};
  context["aws:tagkeys"] = {"team", "owner"};
  CHECK(evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a", kUser, context), set).decision ==
        Decision::ImplicitlyDenied);
  context.erase("aws:tagkeys");
  auto e = evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a", kUser, context), set);
  CHECK(e.decision == Decision::Depends);
  CHECK(e.depends_on == std::vector<std::string>{"aws:TagKeys"});
}

TEST_CASE("evaluate: policy variables take the request's values", "[evaluate]") {
  Policy p = testing::parse_one(policy(R"(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})"));
  PolicySet set{{&p}, {}, {}, {}};
  CHECK(evaluate(request("s3:GetObject", "arn:aws:s3:::home/ana/x", kUser, {{"aws:username", {"ana"}}}), set)
            .decision == Decision::Allowed);
  CHECK(evaluate(request("s3:GetObject", "arn:aws:s3:::home/bo/x", kUser, {{"aws:username", {"ana"}}}), set)
            .decision == Decision::ImplicitlyDenied);
  auto e = evaluate(request("s3:GetObject", "arn:aws:s3:::home/ana/x", kUser), set);
  CHECK(e.decision == Decision::Depends);
  CHECK(e.depends_on == std::vector<std::string>{"aws:username"});
}

TEST_CASE("evaluate: a resource policy allows within its account; across accounts both must", "[evaluate]") {
  Policy bucket = testing::parse_one(policy(R"(
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt",
     "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "kms:Encrypt",
     "Resource": "*"})"));
  Policy identity =
      testing::parse_one(policy(R"({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})"));
  const std::string key = "arn:aws:kms:us-east-1:111122223333:key/k1";
  // Another account's principal: its identity policy and the key policy must both allow.
  CHECK(
      evaluate(request("kms:Decrypt", key, kOtherUser), PolicySet{{&identity}, {&bucket}, {}, {}}).decision ==
      Decision::Allowed);
  auto e = evaluate(request("kms:Decrypt", key, kOtherUser), PolicySet{{}, {&bucket}, {}, {}});
  CHECK(e.decision == Decision::ImplicitlyDenied);
  CHECK_THAT(e.reason, Catch::Contains("another account's"));
  // The same account: the key policy alone allows a role's session.
  CHECK(evaluate(request("kms:Encrypt", key, "arn:aws:sts::111122223333:assumed-role/app/s1"),
                 PolicySet{{}, {&bucket}, {}, {}})
            .decision == Decision::Allowed);
  CHECK(evaluate(request("kms:Encrypt", key, "arn:aws:sts::111122223333:assumed-role/other/s1"),
                 PolicySet{{}, {&bucket}, {}, {}})
            .decision == Decision::ImplicitlyDenied);
  // A principal not given: a resource policy's answer depends on it.
  CHECK(evaluate(request("kms:Encrypt", key), PolicySet{{}, {&bucket}, {}, {}}).decision ==
        Decision::Depends);
}

TEST_CASE("evaluate: a permission boundary and SCPs limit what identity policies allow", "[evaluate]") {
  Policy identity = testing::parse_one(policy(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})"));
  Policy boundary =
      testing::parse_one(policy(R"({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"})"));
  Policy scp = testing::parse_one(policy(R"({"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"})"));
  PolicySet set{{&identity}, {}, {&boundary}, {&scp}};
  CHECK(evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a", kUser), set).decision == Decision::Allowed);
  auto e = evaluate(request("s3:PutObject", "arn:aws:s3:::lake/a", kUser), set);
  CHECK(e.decision == Decision::ImplicitlyDenied);
  CHECK(e.reason == "the permission boundary does not allow it");
  CHECK(
      evaluate(request("s3:DeleteBucket", "arn:aws:s3:::lake", kUser), PolicySet{{&identity}, {}, {}, {&scp}})
          .decision == Decision::ExplicitlyDenied);
  Policy narrow_scp =
      testing::parse_one(policy(R"({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"})"));
  e = evaluate(request("s3:GetObject", "arn:aws:s3:::lake/a", kUser),
               PolicySet{{&identity}, {}, {}, {&narrow_scp}});
  CHECK(e.decision == Decision::ImplicitlyDenied);
  CHECK(e.reason == "no service control policy allows it");
}
