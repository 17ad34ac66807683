// NETWORK rules: VPC endpoint policies and the network conditions around data-lake access.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks.h"
#include "rules/common.h"
#include "scopecop/config.h"
#include "scopecop/glob.h"
#include "scopecop/ip.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

bool star(const std::vector<Text>& values) {
  return std::any_of(values.begin(), values.end(), [](const Text& t) { return t.value == "*"; });
}

bool is_source_ip(const Condition& c) {
  return iequals(c.key.value, "aws:SourceIp");
}
bool is_source_vpce(const Condition& c) {
  return iequals(c.key.value, "aws:SourceVpce");
}

// Whether a CIDR lies inside one of the allowed ranges.
bool inside(const Cidr& c, const std::vector<Cidr>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const Cidr& a) {
    if (a.v6 != c.v6 || c.prefix < a.prefix) return false;
    for (unsigned bit = 0; bit < a.prefix; ++bit) {
      unsigned byte = bit / 8, shift = 7 - bit % 8;
      if (((a.bytes[byte] >> shift) & 1) != ((c.bytes[byte] >> shift) & 1)) return false;
    }
    return true;
  });
}

}  // namespace

void endpoint_policy_full_access(const Policy& policy, const RuleContext&, FindingSink& sink) {
  if (policy.type != PolicyType::Endpoint) return;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !everyone(s.principal) || !star(s.action.values) ||
        !star(s.resource.values) || !s.conditions.empty()) {
      continue;
    }
    auto action = std::find_if(s.action.values.begin(), s.action.values.end(),
                               [](const Text& t) { return t.value == "*"; });
    Finding& f =
        sink.add(s, *action, "the endpoint policy allows every action on every resource to everyone");
    f.help =
        "allow only the actions and resources reached through this endpoint, e.g. athena actions on the "
        "workgroups used from the VPC";
  }
}

void endpoint_policy_unscoped(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (policy.type != PolicyType::Endpoint) return;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !star(s.resource.values) || star(s.action.values)) continue;
    std::vector<std::string> services;
    for (const ActionMatch& m : context.resolved.actions(s)) {
      for (const Service* service : m.services) {
        std::string_view p = service->prefix;
        static constexpr std::string_view kDataLake[] = {
            "athena", "s3", "glue", "redshift", "redshift-data", "redshift-serverless", "kms"};
        bool data_lake = std::find(std::begin(kDataLake), std::end(kDataLake), p) != std::end(kDataLake);
        if (data_lake && std::find(services.begin(), services.end(), p) == services.end()) {
          services.emplace_back(p);
        }
      }
    }
    if (services.empty()) continue;
    auto at = std::find_if(s.resource.values.begin(), s.resource.values.end(),
                           [](const Text& t) { return t.value == "*"; });
    Finding& f = sink.add(
        s, *at,
        fmt::format("the endpoint policy allows {} actions on every resource", fmt::join(services, ", ")));
    f.help = "name the workgroups, catalogs, buckets, clusters and keys reached through this endpoint";
  }
}

void source_ip_with_endpoint(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    bool vpce = std::any_of(s.conditions.begin(), s.conditions.end(), is_source_vpce);
    for (const Condition& c : s.conditions) {
      if (!is_source_ip(c)) continue;
      if (policy.type == PolicyType::Endpoint) {
        Finding& f = sink.add(s, c.key,
                              "aws:SourceIp in a VPC endpoint policy: requests through an endpoint carry no "
                              "aws:SourceIp, so this condition never matches them");
        f.help = "test aws:VpcSourceIp for addresses inside the VPC";
      } else if (vpce) {
        Finding& f = sink.add(s, c.key,
                              "aws:SourceIp next to aws:SourceVpce: a request through an endpoint carries no "
                              "aws:SourceIp, so both never hold together");
        f.help =
            "split the statement: one for endpoint traffic (aws:SourceVpce), one for the public addresses "
            "(aws:SourceIp), or use aws:VpcSourceIp";
      }
    }
  }
}

void source_ip_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || context.scope->source_ips.empty()) return;
  std::vector<Cidr> allowed;
  for (const std::string& ip : context.scope->source_ips) {
    if (auto c = parse_cidr(ip)) allowed.push_back(*c);
  }
  for (const Statement& s : policy.statements) {
    for (const Condition& c : s.conditions) {
      if (!is_source_ip(c) || c.base != "IpAddress") continue;
      for (const Text& v : c.values) {
        auto cidr = parse_cidr(v.value);
        if (!cidr) continue;  // CONDITION-003
        bool broad = cidr->prefix < (cidr->v6 ? 32u : 8u);
        if (!broad && inside(*cidr, allowed)) continue;
        Finding& f =
            sink.add(s, v,
                     broad ? fmt::format("aws:SourceIp \"{}\" is broader than a /8", v.value)
                           : fmt::format("aws:SourceIp \"{}\" is outside scope.network.source-ips", v.value));
        f.help = fmt::format("allow only {}", fmt::join(context.scope->source_ips, ", "));
      }
    }
  }
}

void network_condition_missing(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  if (!context.scope || context.scope->require != "any" || policy.type != PolicyType::Identity) return;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow) continue;
    bool guarded = std::any_of(s.conditions.begin(), s.conditions.end(), [](const Condition& c) {
      return (is_source_ip(c) && c.base == "IpAddress") ||
             ((is_source_vpce(c) || iequals(c.key.value, "aws:SourceVpc")) &&
              c.base.find("Not") == std::string::npos);
    });
    if (guarded) continue;
    const Text* first = s.action.values.empty() ? nullptr : &s.action.values.front();
    Finding& f =
        first ? sink.add(s, *first,
                         "the statement allows access from any network, and scope.network.require "
                         "is any")
              : sink.add(s, Span{s.span.begin, s.span.begin + 1}, s.pointer,
                         "the statement allows access from any network, and scope.network.require is any");
    f.help = fmt::format(
        "add \"Condition\": {{\"IpAddress\": {{\"aws:SourceIp\": [\"{}\"]}}}} or an aws:SourceVpce test",
        fmt::join(context.scope->source_ips, "\", \""));
  }
}

}  // namespace scopecop::rules
