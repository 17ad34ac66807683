// PRIVILEGE rules: least privilege for any service, judged with the shared Deny- and condition-aware
// judgement.
#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "rules/action_list.h"
#include "rules/checks.h"
#include "rules/common.h"
#include "scopecop/arn.h"
#include "scopecop/judgement.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

bool is_star(const Text& t) {
  return t.value == "*";
}

// The Resource entry of a statement that is "*", if any.
const Text* star_resource(const Statement& s) {
  auto it = std::find_if(s.resource.values.begin(), s.resource.values.end(), is_star);
  return it == s.resource.values.end() ? nullptr : &*it;
}

// In a resource policy, a statement for account roots ("arn:aws:iam::111122223333:root") hands the decision
// to those accounts' own IAM policies, as AWS's default key policy does; one whose principal the file does
// not determine cannot be judged. Nor can "*" in a resource policy, where it is the resource itself, not
// every resource: who may act is the question there. The PRIVILEGE rules judge none of these, nor trust
// policies, whose only resource is their role (the TRUST rules judge who may assume it).
bool not_judged(const Policy& policy, const Statement& s) {
  if (policy.type == PolicyType::Trust) return true;
  if (policy.type == PolicyType::Identity || policy.type == PolicyType::Scp || !s.principal.present)
    return false;
  if (s.principal.unknown || (policy.type == PolicyType::Resource && star_resource(s))) return true;
  if (s.principal.wildcard || s.principal.entries.empty()) return false;
  return std::all_of(s.principal.entries.begin(), s.principal.entries.end(), [](const PrincipalEntry& e) {
    std::string_view v = e.value.value;
    bool account_id =
        v.size() == 12 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    return e.type.value == "AWS" && (account_id || (v.starts_with("arn:") && v.ends_with(":root")));
  });
}

// A finding lowered one severity, naming the condition, when the Allow is bounded by one.
void bound(Finding& f, const Statement& s) {
  if (auto c = bounding_condition(s)) {
    f.severity = one_lower(f.severity);
    f.message += fmt::format(", bounded only by {}", *c);
  }
}

// Whether a statement's resources for an action are broad: "*", or a pattern with a wildcard in the resource
// part that is not bounded to the caller by a policy variable. Resources AWS owns (an account "aws", or none
// outside S3: public SSM parameters such as arn:aws:ssm:*::parameter/aws/service/*) are nobody's own.
bool broad(const Statement& s) {
  return std::any_of(s.resource.values.begin(), s.resource.values.end(), [](const Text& r) {
    if (r.value == "*") return true;
    auto parts = split_arn(r.value);
    if (!parts || parts->account == "aws" || (parts->account.empty() && parts->service != "s3")) return false;
    return has_wildcard(parts->resource) && !has_variable(parts->resource);
  });
}

// Whether the statement's Resource can give `a` anything: an entry of a type it accepts, "*", a value the
// file does not determine, or a NotResource. An action its Resource cannot reach is RESOURCE-001's finding.
bool reaches(const Statement& s, const Resolution& resolved, const Action& a) {
  if (!s.resource.present || s.resource.unknown) return true;
  // An action that accepts no resource type is granted by "*" only.
  return a.wildcard_only() ? star_resource(s) != nullptr : resolved.resources(s).receives_any(a);
}

// Allow entries whose actions are in `list`, on broad resources; one finding per entry. "*" and NotAction
// are judged by the listed actions they grant that the Resource reaches (on every resource, "*" is
// PRIVILEGE-001's finding).
// With `permissions`, every action of the catalog's Permissions management access level counts too, with
// that reason, except IAM's (its permissions are principals', PRIVILEGE-007's matter).
void report_listed(const Policy& policy, const RuleContext& context, FindingSink& sink,
                   const ActionList& list, bool broad_only, std::string_view what,
                   const RuleValue* permissions = nullptr) {
  // Where "*" and NotAction are looked into: the listed services, or all of them (those the Resource's ARNs
  // name, when it names any: an action reaches no other service's resources).
  auto prefixes_for = [&](const Statement& s) {
    if (!permissions) return list.services();
    std::vector<std::string_view> out;
    if (!s.resource.present || s.resource.unknown || star_resource(s)) return context.catalog.prefixes();
    for (const Text& r : s.resource.values) {
      auto parts = split_arn(r.value);
      if (!parts || has_wildcard(parts->service)) return context.catalog.prefixes();
      for (std::string_view p : context.catalog.services_for_arn(parts->service)) {
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
      }
    }
    return out;
  };
  // Endpoint policies and SCPs grant nothing: they limit what other policies grant (NETWORK rules judge
  // endpoint policies).
  if (policy.type == PolicyType::Endpoint || policy.type == PolicyType::Scp) return;
  // Actions come service by service (a wildcard entry's, and a statement's entries mostly): they share one
  // lookup of the list.
  ActionList::Candidates candidates;
  auto candidates_of = [&](std::string_view service) -> const ActionList::Candidates& {
    if (service.data() != candidates.service.data() && service != candidates.service)
      candidates = list.of_service(service);
    return candidates;
  };
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !(s.action.present || s.not_action.present) || not_judged(policy, s))
      continue;
    if (broad_only && s.resource.present && !broad(s)) continue;
    // The action of `actions` to report and its reason: a listed one before one of the access level.
    auto granted = [&](const Action* a) {
      // An action that accepts only "*" cannot be scoped: a broad grant of it is no finding.
      return !(broad_only && a->wildcard_only()) && !context.carves.of(a).everything &&
             reaches(s, context.resolved, *a);
    };
    auto pick = [&](std::span<const Action* const> actions) -> std::pair<const Action*, const RuleValue*> {
      for (const Action* a : actions) {
        if (candidates_of(a->service).entries.empty()) continue;
        if (const RuleValue* entry = list.covering(*a, candidates); entry && granted(a)) return {a, entry};
      }
      if (permissions) {
        for (const Action* a : actions) {
          if ((a->access & kPermissions) && a->service != "iam" && granted(a)) return {a, permissions};
        }
      }
      return {nullptr, nullptr};
    };
    auto report = [&](Finding& f, const Action& a, const RuleValue& entry) {
      f.action = a.full_name();
      f.help = std::string(entry.reason);
      bound(f, s);
    };
    bool everything = std::any_of(s.action.values.begin(), s.action.values.end(), is_star);
    if (s.not_action.present || (everything && !star_resource(s))) {
      for (std::string_view prefix : prefixes_for(s)) {
        const Service* service = context.catalog.service(prefix);
        if (!service) continue;
        const auto groups = allowed_action_groups(s, context.resolved, *service);
        // "*" (one of the entries) or what NotAction leaves (the only group).
        auto group = std::find_if(groups.begin(), groups.end(),
                                  [](const ActionGroup& g) { return !g.match || g.match->everything; });
        if (group == groups.end()) continue;
        auto [a, entry] = pick(group->actions);
        if (!a) continue;
        report(add_for_group(sink, s, *group,
                             fmt::format("{} {} (through {})", a->full_name(), what,
                                         group->match ? "\"*\"" : "what NotAction leaves")),
               *a, *entry);
        break;  // one finding per entry
      }
    }
    for (const ActionMatch& m : context.resolved.actions(s)) {
      if (m.everything) continue;  // above
      if (!permissions && std::none_of(m.services.begin(), m.services.end(), [&](const Service* service) {
            return !candidates_of(service->prefix).entries.empty();
          }))
        continue;  // the list names none of the services: none of the many actions of "ec2:Describe*"
      auto [a, entry] = pick(m.actions);
      if (!a) continue;
      report(sink.add(s, *m.text,
                      fmt::format("{} {}{}", a->full_name(), what,
                                  m.wildcard ? fmt::format(" (through \"{}\")", m.text->value) : "")),
             *a, *entry);
    }
  }
}

}  // namespace

void full_admin(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || not_judged(policy, s)) continue;
    // An endpoint policy open to everyone is NETWORK-001's finding.
    if (policy.type == PolicyType::Endpoint && everyone(s.principal) && s.conditions.empty()) continue;
    auto action = std::find_if(s.action.values.begin(), s.action.values.end(), is_star);
    const Text* resource = star_resource(s);
    if (action == s.action.values.end() || !resource) continue;
    Finding& f =
        sink.add(s, *action, "the statement allows every action on every resource (full administrator)");
    f.help = "grant the actions and resources the principal needs";
    bound(f, s);
  }
}

void service_wildcard(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || not_judged(policy, s)) continue;
    for (const ActionMatch& m : context.resolved.actions(s)) {
      if (m.everything && !star_resource(s)) {
        // On every resource, "*" is PRIVILEGE-001's finding.
        Finding& f =
            sink.add(s, *m.text,
                     "\"*\" allows every action of every service on these resources, including those "
                     "added later");
        f.action = "*";
        f.help = "list the actions the principal needs on these resources";
        bound(f, s);
        continue;
      }
      if (m.everything || m.malformed || m.action_part != "*" || has_wildcard(m.service_part)) continue;
      Finding& f = sink.add(s, *m.text,
                            fmt::format("\"{}\" allows every {} action, including those added later",
                                        m.text->value, m.service_part));
      f.action = m.text->value;
      f.help = fmt::format("list the {} actions the principal needs (`scopecop catalog {}` lists them)",
                           m.service_part, m.service_part);
      bound(f, s);
    }
  }
}

namespace {

// Allow statements that use `element` (NotAction, NotResource, NotPrincipal).
void report_negated(const Policy& policy, FindingSink& sink, std::string_view element,
                    std::string_view message, std::string_view help, bool boundable) {
  for (const Statement& s : policy.statements) {
    const Key* key = s.key(element);
    if (s.effect != Effect::Allow || !key) continue;
    Finding& f = sink.add(s, key->span, key->pointer, std::string(message));
    f.help = std::string(help);
    if (boundable) bound(f, s);
  }
}

}  // namespace

void allow_with_notaction(const Policy& policy, const RuleContext&, FindingSink& sink) {
  report_negated(
      policy, sink, "NotAction",
      "Allow with NotAction allows every action not listed, of every service, including future ones",
      "list the allowed actions in Action; keep NotAction for Deny statements", true);
}

void allow_with_notresource(const Policy& policy, const RuleContext&, FindingSink& sink) {
  report_negated(policy, sink, "NotResource",
                 "Allow with NotResource allows the actions on every resource not listed, in every account",
                 "list the allowed resources in Resource; keep NotResource for Deny statements", true);
}

void allow_with_notprincipal(const Policy& policy, const RuleContext&, FindingSink& sink) {
  report_negated(policy, sink, "NotPrincipal",
                 "Allow with NotPrincipal allows everyone not listed, anonymous users included",
                 "name the principals in Principal; AWS recommends NotPrincipal only with Deny", false);
}

void unscoped_write(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || not_judged(policy, s)) continue;
    const Text* resource = star_resource(s);
    if (!resource) continue;
    std::vector<std::string> names;
    std::size_t count = 0;
    for (const ActionMatch& m : context.resolved.actions(s)) {
      // "*" is PRIVILEGE-001's finding, "service:*" PRIVILEGE-002's: one finding per fact.
      if (m.everything || (!m.malformed && m.action_part == "*" && !has_wildcard(m.service_part))) continue;
      std::size_t here = 0;
      for (const Action* a : m.actions) {
        // Actions that accept only "*" cannot be scoped, so "*" is right for them.
        if (a->wildcard_only() || !(a->access & (kWrite | kTagging | kPermissions))) continue;
        if (context.carves.of(a).everything) continue;
        ++here;
      }
      if (!here) continue;
      count += here;
      names.push_back(m.wildcard ? fmt::format("\"{}\" ({})", m.text->value, here)
                                 : m.actions.front()->full_name());
    }
    if (names.empty()) continue;
    std::string list;
    for (std::size_t i = 0; i < names.size() && i < 3; ++i) list += (i ? ", " : "") + names[i];
    if (names.size() > 3) list += fmt::format(" and {} more", names.size() - 3);
    Finding& f = sink.add(
        s, *resource,
        fmt::format("{} write action{} allowed on every resource: {}", count, count == 1 ? "" : "s", list));
    f.help = "name the resources these actions may change; keep \"*\" for actions that accept nothing else";
    bound(f, s);
  }
}

namespace {

// A service-linked role (role/aws-service-role/..., AWSServiceRoleFor...): only its own service can use it,
// so passing it is no escalation.
bool service_linked_role(std::string_view arn) {
  auto parts = split_arn(arn);
  if (!parts || parts->service != "iam") return false;
  std::string_view name = parts->resource.substr(parts->resource.rfind('/') + 1);
  return parts->resource.starts_with("role/aws-service-role/") || name.starts_with("AWSServiceRoleFor");
}

}  // namespace

void privilege_escalation(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  // iam:PassRole lets the principal hand a role to a service it controls and act with that role. Every role
  // to any service is escalation; a name-scoped Resource or an iam:PassedToService condition bounds it (one
  // severity lower, naming the bound); both together, or service-linked roles only, are what AWS advises.
  const Service* iam = context.catalog.service("iam");
  const Action* pass_role = iam ? iam->action("PassRole") : nullptr;
  const ResourceType* role = iam ? iam->resource_type("role") : nullptr;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || !pass_role || !role || not_judged(policy, s)) continue;
    for (const ActionGroup& group : allowed_action_groups(s, context.resolved, *iam)) {
      if (std::find(group.actions.begin(), group.actions.end(), pass_role) == group.actions.end() ||
          !reaches(s, context.resolved, *pass_role))
        continue;
      const auto& values = s.resource.values;
      if (s.resource.present && !values.empty() &&
          std::all_of(values.begin(), values.end(),
                      [](const Text& t) { return service_linked_role(t.value); }))
        continue;
      const Carve& carve = context.carves.of(pass_role);
      if (carve.everything) continue;
      bool every_role = s.not_resource.present;
      if (s.resource.present) {
        const auto& patterns = context.resolved.resources(s).patterns();
        for (std::size_t i = 0; i < values.size() && !every_role; ++i)
          every_role = reaches_every(patterns[i], values[i].value, *role, carve);
      }
      auto to_service = std::find_if(s.conditions.begin(), s.conditions.end(), [](const Condition& c) {
        return iequals(c.key.value, "iam:PassedToService") && c.base.find("Not") == std::string::npos;
      });
      bool scoped_service = to_service != s.conditions.end();
      if (scoped_service && !every_role) continue;
      std::string message =
          every_role
              ? "iam:PassRole on every role lets the principal give any role to a service it controls"
              : "iam:PassRole without an iam:PassedToService condition lets the principal give the roles "
                "its Resource names to any service";
      std::vector<std::string> bounds;
      if (scoped_service) bounds.emplace_back("iam:PassedToService");
      auto other = bounding_condition(s);
      if (other) bounds.push_back(*other);
      if (!bounds.empty()) message += fmt::format(", bounded only by {}", fmt::join(bounds, " and "));
      Finding& f = add_for_group(sink, s, group, std::move(message));
      f.action = "iam:PassRole";
      if (scoped_service || !every_role) f.severity = one_lower(f.severity);
      if (other) f.severity = one_lower(f.severity);
      f.help =
          "name the roles and add \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": "
          "\"glue.amazonaws.com\"}}";
    }
  }
  // The rule's list is static metadata: its patterns are built once.
  static const ActionList list(sink.rule().values);
  report_listed(policy, context, sink, list, true, "lets the principal raise its own privileges");
}

namespace {

// One action of an escalation method, and for iam:PassRole the service the role must reach.
struct Step {
  std::string_view action;     // "ec2:RunInstances"
  std::string_view passed_to;  // "ec2.amazonaws.com" for "iam:PassRole(ec2.amazonaws.com)"
};

// A method as the rule's data writes it: "ec2:RunInstances + iam:PassRole(ec2.amazonaws.com)".
std::vector<Step> method_steps(std::string_view value) {
  std::vector<Step> out;
  while (!value.empty()) {
    std::size_t plus = value.find(" + ");
    std::string_view item = value.substr(0, plus);
    std::size_t open = item.find('(');
    if (open == std::string_view::npos || !item.ends_with(')')) {
      out.push_back({item, {}});
    } else {
      out.push_back({item.substr(0, open), item.substr(open + 1, item.size() - open - 2)});
    }
    value = plus == std::string_view::npos ? std::string_view() : value.substr(plus + 3);
  }
  return out;
}

// Whether the statement's iam:PassedToService conditions let a role go to `service` (none: any service).
bool passes_to(const Statement& s, std::string_view service) {
  return std::all_of(s.conditions.begin(), s.conditions.end(), [&](const Condition& c) {
    if (!iequals(c.key.value, "iam:PassedToService")) return true;
    bool like = c.base.find("Like") != std::string::npos;
    bool named = c.unknown || std::any_of(c.values.begin(), c.values.end(), [&](const Text& v) {
                   return like ? glob_match(v.value, service) : v.value == service;
                 });
    bool negated = c.base.find("Not") != std::string::npos;
    return negated ? !named || c.unknown : named;
  });
}

// "statement 2 (PassRoles)", and in a principal's policies viewed as one, "statement 2 (PassRoles) of
// role/etl inline policy lake".
std::string statement_label(const Policy& policy, const Statement& s) {
  std::string label =
      s.sid ? fmt::format("statement {} ({})", s.index, s.sid->value) : fmt::format("statement {}", s.index);
  if (!policy.parts.empty()) label += fmt::format(" of {}", policy.parts[s.part].name);
  return label;
}

}  // namespace

// On one policy, or on a principal's policies viewed as one (`policy.parts`), where only the methods that
// take several of them are reported: a method one policy completes is that policy's finding.
void privilege_escalation_path(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  // A principal's own permissions: resource, endpoint and organisation policies grant no compute service.
  if (policy.type != PolicyType::Identity) return;
  static const std::vector<std::pair<std::vector<Step>, const RuleValue*>> methods = [&] {
    std::vector<std::pair<std::vector<Step>, const RuleValue*>> out;
    for (const RuleValue& v : sink.rule().values) out.emplace_back(method_steps(v.value), &v);
    return out;
  }();
  // The Allow statements that can grant each service's actions, by prefix, and those that can grant any
  // service's ("*", NotAction): a method of another service is not asked about (nor its service read).
  std::unordered_map<std::string_view, std::vector<const Statement*>> by_service;
  std::vector<const Statement*> any_service;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || not_judged(policy, s)) continue;
    bool every = s.not_action.present;
    const Service* last = nullptr;  // a statement of 200 entries of one service is looked up once
    for (const ActionMatch& m : context.resolved.actions(s)) {
      every = every || m.everything;
      for (const Service* service : m.services) {
        if (service == last) continue;
        last = service;
        auto& list = by_service[service->prefix];
        if (list.empty() || list.back() != &s) list.push_back(&s);
      }
    }
    if (every) any_service.push_back(&s);
  }
  // In the policy's order, so that the first statement that grants an action is the one named.
  auto candidates = [&](std::string_view prefix) {
    std::vector<const Statement*> out = any_service;
    if (auto it = by_service.find(prefix); it != by_service.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
    std::sort(out.begin(), out.end());
    return out;
  };
  struct Found {
    const Statement* statement;
    ActionGroup group;  // where the finding goes: the Action entry, or the statement's NotAction
    std::string what;
  };
  // The statements, of part `only` alone when given, that grant one step; empty when the policy cannot give
  // it. Methods share steps (iam:PassRole to ec2.amazonaws.com is asked by five): each is answered once.
  std::map<std::tuple<std::string_view, std::string_view, std::size_t>, std::vector<Found>> answered;
  static const std::vector<Found> kNone;
  auto step_found = [&](const Step& step, std::optional<std::size_t> only) -> const std::vector<Found>& {
    std::size_t colon = step.action.find(':');
    // Most methods end here, at a service no statement grants, before anything is looked up.
    if (any_service.empty() && !by_service.contains(step.action.substr(0, colon))) return kNone;
    auto [it, fresh] = answered.try_emplace({step.action, step.passed_to, only.value_or(SIZE_MAX)});
    std::vector<Found>& found = it->second;
    if (!fresh) return found;
    const std::vector<const Statement*> statements = candidates(step.action.substr(0, colon));
    const Service* service = context.catalog.service(step.action.substr(0, colon));
    const Action* action = service ? service->action(step.action.substr(colon + 1)) : nullptr;
    if (!action || context.carves.of(action).everything) return found;
    // The statements that grant the step, until together they reach every resource type the action
    // requires (ec2:RunInstances: an image, an instance, a network interface, a security group, ...): an
    // action the policy cannot complete is no path.
    std::vector<const ResourceType*> needed;
    for (const ActionResource& r : action->resources) {
      if (r.required && r.resolved) needed.push_back(r.resolved);
    }
    for (const Statement* statement : statements) {
      const Statement& s = *statement;
      if (only && s.part != *only) continue;
      std::optional<ActionGroup> group = granting(s, context.resolved, action);
      if (!group || !reaches(s, context.resolved, *action)) continue;
      if (!step.passed_to.empty() && !passes_to(s, step.passed_to)) continue;
      auto covers = [&](const ResourceType* type) {
        return !s.resource.present || s.resource.unknown || context.resolved.resources(s).receives(*type);
      };
      if (!needed.empty() && std::none_of(needed.begin(), needed.end(), covers)) continue;
      std::erase_if(needed, covers);
      found.push_back({&s, std::move(*group),
                       step.passed_to.empty() ? std::string(step.action)
                                              : fmt::format("{} to {}", step.action, step.passed_to)});
      if (needed.empty()) break;
    }
    if (!needed.empty()) found.clear();
    return found;
  };
  // The statements, of part `only` alone when given, that together allow every step of the method.
  auto search = [&](const std::vector<Step>& steps, std::optional<std::size_t> only) {
    std::vector<Found> found;
    for (const Step& step : steps) {
      const std::vector<Found>& of_step = step_found(step, only);
      if (of_step.empty()) return std::vector<Found>();  // the method needs it
      found.insert(found.end(), of_step.begin(), of_step.end());
    }
    return found;
  };
  for (const auto& [steps, value] : methods) {
    std::vector<Found> found = search(steps, std::nullopt);
    if (found.empty()) continue;
    if (!policy.parts.empty()) {
      bool one_part = std::all_of(found.begin(), found.end(), [&](const Found& f) {
        return f.statement->part == found[0].statement->part;
      });
      if (one_part) continue;
      bool in_one = false;
      for (std::size_t p = 0; p < policy.parts.size() && !in_one; ++p) in_one = !search(steps, p).empty();
      if (in_one) continue;
    }
    // Each step with the statements that give it, in the method's order; steps the same statements give are
    // named together: "lambda:CreateFunction and lambda:InvokeFunction (statement 0)".
    std::vector<std::pair<std::string, std::vector<const Statement*>>> steps_found;
    std::vector<std::string> bounds;
    for (const Found& f : found) {
      if (steps_found.empty() || steps_found.back().first != f.what) steps_found.push_back({f.what, {}});
      steps_found.back().second.push_back(f.statement);
      if (auto b = bounding_condition(*f.statement);
          b && std::find(bounds.begin(), bounds.end(), *b) == bounds.end())
        bounds.push_back(*b);
    }
    std::vector<std::pair<std::vector<const Statement*>, std::vector<std::string>>> by_statements;
    for (const auto& step : steps_found) {
      auto same = std::find_if(by_statements.begin(), by_statements.end(),
                               [&](const auto& p) { return p.first == step.second; });
      if (same == by_statements.end()) same = by_statements.insert(by_statements.end(), {step.second, {}});
      same->second.push_back(step.first);
    }
    std::vector<std::string> parts;
    for (const auto& [statements, actions] : by_statements) {
      std::vector<std::string> labels;
      for (const Statement* st : statements) labels.push_back(statement_label(policy, *st));
      parts.push_back(fmt::format("{} ({})", join_labels(actions), fmt::join(labels, " and ")));
    }
    std::string message =
        fmt::format("{} allow{} the principal to escalate: it {}", fmt::join(parts, " with "),
                    steps_found.size() == 1 ? "s" : "", value->reason);
    if (!bounds.empty()) message += fmt::format(", bounded only by {}", fmt::join(bounds, " and "));
    // The finding goes where the account can act: the first statement not of an AWS managed policy.
    auto at = std::find_if(found.begin(), found.end(), [&](const Found& x) {
      return policy.parts.empty() || !policy.parts[x.statement->part].aws_managed;
    });
    if (at == found.end()) at = found.begin();
    Finding& f = add_for_group(sink, *at->statement, at->group, std::move(message));
    f.action = std::string(steps.front().action);
    if (!policy.parts.empty()) f.policy = policy.parts[at->statement->part].name;
    if (!bounds.empty()) f.severity = one_lower(f.severity);
    f.help =
        "take one of these actions away, or narrow them: iam:PassRole on named roles with an "
        "iam:PassedToService condition naming only the services that need them";
  }
}

void resource_exposure(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  static const ActionList list(sink.rule().values);
  static constexpr RuleValue kPermissionsManagement{
      "", "changes who may use the resource: its access level is Permissions management"};
  report_listed(policy, context, sink, list, false, "changes who can access a resource",
                &kPermissionsManagement);
}

void credentials_exposure(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  static const ActionList list(sink.rule().values);
  report_listed(policy, context, sink, list, true, "returns credentials, here on broad resources");
}

void data_exfiltration(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  static const ActionList list(sink.rule().values);
  report_listed(policy, context, sink, list, true, "reads stored data, here on broad resources");
}

}  // namespace scopecop::rules

namespace scopecop::rules {

void public_resource_policy(const Policy& policy, const RuleContext&, FindingSink& sink) {
  if (policy.type != PolicyType::Resource)
    return;  // buckets: S3-005; endpoints: NETWORK-001; trust: TRUST-001
  report_open_to_everyone(
      policy, sink,
      "the resource policy allows everyone (\"*\") without a condition that limits who or from where",
      "name the principals, or add a condition such as aws:PrincipalOrgID, aws:SourceArn or aws:SourceVpce",
      "", [](const Statement&) { return true; });
}

void broad_managed_policy(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for (const Text& arn : policy.attachments) {
    std::string_view name = std::string_view(arn.value).substr(arn.value.rfind('/') + 1);
    bool aws_managed = arn.value.find(":iam::aws:policy/") != std::string::npos;
    for (const RuleValue& broad : sink.rule().values) {
      if (!aws_managed || broad.value != name) continue;
      Finding& f = sink.add(arn, fmt::format("{} has the AWS managed policy {} attached", policy.name, name));
      f.resource = arn.value;
      f.help = fmt::format("{}; attach a policy that grants what it needs", broad.reason);
    }
  }
}

void delete_through_lifecycle(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  // A principal's own permissions (a bucket policy's grants are principal by principal).
  if (policy.type != PolicyType::Identity) return;
  const Service* s3 = context.catalog.service("s3");
  const Action* lifecycle = s3 ? s3->action("PutLifecycleConfiguration") : nullptr;
  const Action* remove = s3 ? s3->action("DeleteObject") : nullptr;
  const ResourceType* bucket_type = s3 ? s3->resource_type("bucket") : nullptr;
  if (!lifecycle || !remove || !bucket_type) return;
  std::vector<const Statement*> granted;
  for (const Statement& s : policy.statements) {
    if (s.effect == Effect::Allow && !not_judged(policy, s) && s.resource.present &&
        granting(s, context.resolved, lifecycle))
      granted.push_back(&s);
  }
  if (granted.empty()) return;
  if (context.carves.of(lifecycle).everything) return;
  // Where the principal may delete objects; a grant the file does not determine may be anywhere.
  std::vector<Pattern> deletable;
  std::vector<Fields> deletable_fields;  // the same, field by field: most buckets are covered by one entry
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::Allow || not_judged(policy, s) || !granting(s, context.resolved, remove))
      continue;
    if (!s.resource.present || s.resource.unknown) return;
    std::span<const Pattern> patterns = context.resolved.resources(s).patterns();
    deletable.insert(deletable.end(), patterns.begin(), patterns.end());
    for (const Text& r : s.resource.values) deletable_fields.push_back(arn_fields(r.value));
  }
  for (const Statement* statement : granted) {
    const Statement& s = *statement;
    for (const Text& r : s.resource.values) {
      // The objects of the buckets the entry names ("arn:aws:s3:::lake" -> "arn:aws:s3:::lake/*").
      std::string bucket = r.value == "*" ? "arn:*:s3:::*" : r.value;
      auto parts = split_arn(bucket);
      // Bucket ARNs name no region or account; an entry that does is RESOURCE-004's.
      if (!parts || parts->service != "s3" || !parts->region.empty() || !parts->account.empty() ||
          parts->resource.find('/') != std::string_view::npos)
        continue;
      // One deletable entry that covers the objects field by field answers at once.
      deletable_fields.push_back(arn_fields(bucket + "/*"));
      bool covered = covering_entries(deletable_fields).back().has_value();
      deletable_fields.pop_back();
      if (covered) continue;
      // An object outside what it may delete, in a bucket a Deny of s3:PutLifecycleConfiguration leaves. Only
      // the deletable patterns that can meet these objects are asked about: a policy may name hundreds.
      const Carve& carve = context.carves.of(lifecycle);
      // Objects of those buckets, with a partition, a bucket name and a key of a character at least.
      static const Pattern kObject = arn_pattern("arn:?*:s3:::?*/?*");
      const Pattern objects[] = {arn_pattern(bucket + "/*"), kObject};
      std::vector<Pattern> meeting;
      for (const Pattern& d : deletable) {
        if (arn_overlaps(d, objects[0])) meeting.push_back(d);
      }
      std::optional<Uncovered> outside = example_outside_all(objects, meeting);
      if (!outside || !outside->proven) continue;
      std::string_view in = std::string_view(outside->example).substr(0, outside->example.find('/'));
      if (!reach_outside(arn_pattern(in), *bucket_type, std::span<const Pattern>(), carve)) continue;
      Finding& f =
          sink.add(s, r,
                   fmt::format("s3:PutLifecycleConfiguration on {} lets the principal delete objects "
                               "such as {} with an expiration rule, which the policy does not let it "
                               "delete",
                               r.value, outside->example));
      f.action = "s3:PutLifecycleConfiguration";
      f.resource = outside->example;
      f.help =
          "allow s3:PutLifecycleConfiguration only on buckets whose objects the principal may delete, or "
          "leave lifecycle rules to the buckets' owners";
      bound(f, s);
    }
  }
}

}  // namespace scopecop::rules
