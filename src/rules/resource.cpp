// RESOURCE rules: Resource entries read against the resource types and ARN formats of the catalog.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/action_list.h"
#include "rules/checks.h"
#include "rules/covered.h"
#include "scopecop/arn.h"
#include "scopecop/resolve.h"
#include "scopecop/text.h"

namespace scopecop::rules {

namespace {

// A statement whose Resource list names specific ARNs, with its entries as patterns and its actions resolved.
struct Scoped {
  const Statement& statement;
  const ResourceMatcher& resources;
  const std::vector<ActionMatch>& actions;
};

template <class F>
void for_each_scoped_statement(const Policy& policy, const RuleContext& context, F&& visit) {
  for (const Statement& s : policy.statements) {
    // A statement with values its template does not determine may receive any type: no judgement.
    if (!s.resource.present || s.resource.values.empty() || s.has_unknown()) continue;
    visit(Scoped{s, context.resolved.resources(s), context.resolved.actions(s)});
  }
}

// The service of an action that entry `m` names: most entries name one service, known without a lookup.
const Service* service_of(const Action& a, const ActionMatch& m, const RuleContext& context) {
  return m.services.size() == 1 ? m.services.front() : context.catalog.service(a.service);
}

std::string formats_of(const Action& a) {
  std::vector<std::string> parts;
  for (const ActionResource& r : a.resources) {
    if (const ResourceType* type = r.resolved) {
      parts.push_back(
          fmt::format("{} ({})", r.type, type->arn_formats.empty() ? "" : type->arn_formats.front()));
    }
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// A fix built from the statement's own ARNs: the bucket's objects for an object action ("bucket" ->
// "bucket/*"), or the bucket for a bucket action ("bucket/*" -> "bucket").
std::string suggest_resource(const Action& a, const Statement& s) {
  for (const Text& r : s.resource.values) {
    std::string_view v = r.value;
    std::vector<std::string> candidates;
    if (v.ends_with("/*")) {
      candidates.emplace_back(v.substr(0, v.size() - 2));
    } else {
      candidates.push_back(std::string(v) + "/*");
    }
    for (const std::string& c : candidates) {
      if (ResourceMatcher({arn_pattern(c)}).receives_any(a)) return fmt::format("add {}", c);
    }
  }
  return fmt::format("it acts on {}", formats_of(a));
}

// The format with ${Partition}, ${Region} and ${Account} taken from an ARN the statement already names.
std::string instantiate(std::string_view format, const Statement& s, std::string_view service) {
  for (const Text& r : s.resource.values) {
    auto parts = split_arn(r.value);
    if (!parts || parts->service != service || has_wildcard(parts->account) || parts->account.empty())
      continue;
    std::string out(format);
    auto replace = [&](std::string_view var, std::string_view value) {
      if (auto at = out.find(var); at != std::string::npos) out.replace(at, var.size(), value);
    };
    replace("${Partition}", parts->partition);
    replace("${Region}", parts->region);
    replace("${Account}", parts->account);
    return out;
  }
  return std::string(format);
}

// Whether another statement with the same effect grants `action` on resources of `type`.
bool granted_elsewhere(const Policy& policy, const RuleContext& context, const Statement& self,
                       const Action& action, const ResourceType& type) {
  for (const Statement& other : policy.statements) {
    if (&other == &self || other.effect != self.effect || !other.resource.present) continue;
    if (other.has_unknown()) return true;  // values the template does not determine may grant it
    if (any_names(context.resolved.actions(other), action) &&
        context.resolved.resources(other).receives(type))
      return true;
  }
  return false;
}

// Whether the statement names an ARN in this action's own ARN namespace that matches no format of it
// (RESOURCE-004 and RESOURCE-005 report it, with the format): that finding is the fact; "receives nothing"
// would repeat it.
bool names_unreadable_arn_for(const Action& a, const Scoped& st, const RuleContext& context) {
  for (const Text& t : st.statement.resource.values) {
    ArnVerdict verdict = context.resolved.arn(t.value).verdict;
    if (verdict != ArnVerdict::NoFormat && verdict != ArnVerdict::FieldProblem) continue;
    std::string_view service = split_arn(t.value)->service;
    for (const ActionResource& r : a.resources) {
      if (!r.resolved) continue;
      for (std::string_view format : r.resolved->arn_formats) {
        auto parts = split_arn(format);
        if (parts && iequals(parts->service, service)) return true;
      }
    }
  }
  return false;
}

// AWS's reference adds a new resource type to its service's TagResource, UntagResource and
// ListTagsForResource long after the type itself (a catalog one month newer than the reference added types to
// the tagging actions of nine services): whether the statement names a taggable type (one with
// aws:ResourceTag) of the action's service.
bool names_taggable_type_for(const Action& a, const Service& service, const Scoped& st) {
  if (a.name != "TagResource" && a.name != "UntagResource" && a.name != "ListTagsForResource") return false;
  for (const ResourceType& type : service.resource_types) {
    bool taggable = std::any_of(type.condition_keys.begin(), type.condition_keys.end(),
                                [](std::string_view k) { return k.starts_with("aws:ResourceTag/"); });
    if (taggable && st.resources.receives(type)) return true;
  }
  return false;
}

}  // namespace

void resource_type_mismatch(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_scoped_statement(policy, context, [&](const Scoped& st) {
    for (const ActionMatch& m : st.actions) {
      if (m.everything || m.malformed) continue;
      // The actions named that take specific resources: does any receive one?
      const Action* first = nullptr;
      std::size_t scoped = 0;
      bool none = true;
      for (const Action* a : m.actions) {
        if (a->wildcard_only()) continue;
        if (!first) first = a;
        ++scoped;
        const Service* service = service_of(*a, m, context);
        if (st.resources.receives_any(*a) || names_unreadable_arn_for(*a, st, context) ||
            (service && names_taggable_type_for(*a, *service, st))) {
          none = false;
          break;
        }
      }
      if (!first || !none) continue;
      if (!m.wildcard) {
        const Action& a = *first;
        Finding& f =
            sink.add(st.statement, *m.text,
                     fmt::format("{} receives no resource of a type it accepts, so this statement grants "
                                 "it nothing",
                                 a.full_name()));
        f.action = a.full_name();
        f.help = suggest_resource(a, st.statement);
      } else {
        std::string message =
            scoped == 1
                ? fmt::format(
                      "\"{}\" names only {}, which receives no resource of a type it accepts, so this "
                      "statement grants it nothing",
                      m.text->value, first->full_name())
                : fmt::format(
                      "none of the {} actions that \"{}\" names receives a resource of a type it accepts, "
                      "so this statement grants them nothing",
                      scoped, m.text->value);
        Finding& f = sink.add(st.statement, *m.text, std::move(message));
        f.help = "check the Resource ARNs against `scopecop catalog " + std::string(m.text->value) + "`";
      }
    }
  });
}

void resource_level_not_supported(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_scoped_statement(policy, context, [&](const Scoped& st) {
    if (grants_wildcard_resource(st.resources.patterns())) return;
    for (const ActionMatch& m : st.actions) {
      if (m.everything || m.malformed || m.actions.empty()) continue;
      bool all_wildcard_only =
          std::all_of(m.actions.begin(), m.actions.end(), [](const Action* a) { return a->wildcard_only(); });
      if (!all_wildcard_only) continue;
      std::string name = m.wildcard ? fmt::format("\"{}\"", m.text->value) : m.actions.front()->full_name();
      std::string_view accept = m.wildcard && m.actions.size() > 1 ? "accept" : "accepts";
      // An ARN pattern of the action's whole namespace ("arn:aws:sns:*:*:*"), as AWS's own roles write for
      // such actions: not claimed to grant nothing.
      const auto& values = st.statement.resource.values;
      auto namespace_entry = std::find_if(values.begin(), values.end(), [&](const Text& t) {
        auto parts = split_arn(t.value);
        // The whole resource part ("*"), or types whose names are left empty ("log-group::log-stream:*").
        return parts &&
               (parts->resource == "*" ||
                (parts->resource.ends_with(":*") && parts->resource.find("::") != std::string_view::npos)) &&
               std::all_of(m.actions.begin(), m.actions.end(),
                           [&](const Action* a) { return iequals(parts->service, a->service); });
      });
      if (namespace_entry != values.end()) {
        Finding& f =
            sink.add(st.statement, *m.text,
                     fmt::format("{} {} only \"*\" as a resource; this statement names \"{}\" instead", name,
                                 accept, namespace_entry->value));
        f.severity = Severity::Suggestion;
        if (!m.wildcard) f.action = m.actions.front()->full_name();
        f.help = fmt::format("write \"Resource\": \"*\" for {}, as the service documents", name);
        continue;
      }
      Finding& f =
          sink.add(st.statement, *m.text,
                   fmt::format("{} {} only \"*\" as a resource, and this statement names specific ARNs, so "
                               "it grants nothing",
                               name, accept));
      if (!m.wildcard) f.action = m.actions.front()->full_name();
      f.help = fmt::format("move {} to a statement with \"Resource\": \"*\"", name);
    }
  });
}

void missing_required_resource(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  // AWS's data marks as "required" both types needed together and alternatives; only the listed actions are
  // known to need all of them at once.
  static const ActionList together(sink.rule().values);  // static metadata: built once
  for_each_scoped_statement(policy, context, [&](const Scoped& st) {
    for (const ActionMatch& m : st.actions) {
      if (m.wildcard || m.malformed || m.actions.empty()) continue;
      const Action& a = *m.actions.front();
      if (!together.covering(a)) continue;
      const Service* service = service_of(a, m, context);
      if (!service || a.wildcard_only()) continue;
      auto received = st.resources.received_types(a);
      if (received.empty()) continue;  // RESOURCE-001
      std::vector<std::string_view> missing;
      std::vector<std::string> examples;
      for (const ActionResource& r : a.resources) {
        if (!r.required || std::find(received.begin(), received.end(), &r) != received.end()) continue;
        const ResourceType* type = r.resolved;
        if (!type || type->arn_formats.empty()) continue;
        // IAM authorizes each resource of a request on its own: another statement may grant this one.
        if (granted_elsewhere(policy, context, st.statement, a, *type)) continue;
        missing.push_back(r.type);
        examples.push_back(instantiate(type->arn_formats.front(), st.statement, service->prefix));
      }
      if (missing.empty()) continue;
      Finding& f = sink.add(st.statement, *m.text,
                            fmt::format("{} also needs {} {} resource{}, which this statement lacks",
                                        a.full_name(), missing.size() == 1 ? "a" : "its",
                                        fmt::join(missing, ", "), missing.size() == 1 ? "" : "s"));
      f.action = a.full_name();
      f.help = fmt::format("add {}", fmt::join(examples, " and "));
    }
  });
}

namespace {

template <class F>
void for_each_resource_entry(const Policy& policy, F&& visit) {
  for (const Statement& s : policy.statements) {
    for (const ListElement* element : {&s.resource, &s.not_resource}) {
      for (const Text& t : element->values) visit(s, t);
    }
  }
}

}  // namespace

void unknown_resource_type(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_resource_entry(policy, [&](const Statement& s, const Text& t) {
    const ArnJudgement& j = context.resolved.arn(t.value);
    if (j.verdict == ArnVerdict::UnknownService) {
      ArnParts parts = *split_arn(t.value);
      Finding& f = sink.add(
          s, t,
          fmt::format("\"{}\": no AWS service has ARNs with the service \"{}\"", t.value, parts.service));
      f.resource = t.value;
      const auto& prefixes = context.catalog.prefixes();
      auto best = did_you_mean(parts.service, prefixes);
      f.help = best ? fmt::format("did you mean \"{}\"?", *best)
                    : std::string("check the service field of the ARN");
    } else if (j.verdict == ArnVerdict::NoFormat) {
      Finding& f = sink.add(s, t, fmt::format("\"{}\" matches no resource type of its service", t.value));
      f.resource = t.value;
      f.help = j.detail;
    }
  });
}

void arn_field_not_allowed(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for_each_resource_entry(policy, [&](const Statement& s, const Text& t) {
    const ArnJudgement& j = context.resolved.arn(t.value);
    if (j.verdict != ArnVerdict::FieldProblem) return;
    Finding& f = sink.add(s, t, fmt::format("\"{}\": {}", t.value, j.detail));
    f.resource = t.value;
    f.help = fmt::format("write it in the format {}", j.format);
  });
}

void unrelated_resource(const Policy& policy, const RuleContext& context, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    if (!s.action.present || s.action.values.empty()) continue;
    const auto& matches = context.resolved.actions(s);
    // "*" or an unknown service: the statement's services are not all known.
    if (std::any_of(matches.begin(), matches.end(),
                    [](const ActionMatch& m) { return m.everything || m.malformed || m.services.empty(); }))
      continue;
    auto acts_on = [&](std::string_view owner) {
      return std::any_of(matches.begin(), matches.end(), [&](const ActionMatch& m) {
        return std::any_of(m.services.begin(), m.services.end(),
                           [&](const Service* service) { return service->prefix == owner; });
      });
    };
    for (const Text& t : s.resource.values) {
      auto parts = split_arn(t.value);
      if (!parts || has_wildcard(parts->service) || has_variable(parts->service)) continue;
      auto owners = context.catalog.services_for_arn(parts->service);
      if (owners.empty() || std::any_of(owners.begin(), owners.end(), acts_on)) continue;
      Finding& f = sink.add(s, t,
                            fmt::format("no action of this statement acts on \"{}\" ARNs like \"{}\"",
                                        parts->service, t.value));
      f.resource = t.value;
      f.help = "remove the ARN, or move it to the statement whose actions use it";
    }
  }
}

namespace {

// `value` with each policy variable replaced by a text of its own (numbered in `variables`, without ':'): a
// variable stands for one value per request, the same in every entry of the statement, so an entry with one
// covers only entries with the same variable in the same place (home/${aws:username}/* covers
// home/${aws:username}/x, never home/*), while it can still be covered by a wildcard.
std::string with_variables_as_text(std::string_view value, std::vector<std::string>& variables) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::size_t close = value.compare(i, 2, "${") == 0 ? value.find('}', i) : std::string_view::npos;
    std::string_view name = close == std::string_view::npos ? "" : value.substr(i, close + 1 - i);
    if (name.empty() || name == "${*}" || name == "${?}" || name == "${$}") {
      out += value[i];
      continue;
    }
    auto at = std::find(variables.begin(), variables.end(), name);
    if (at == variables.end()) at = variables.insert(at, std::string(name));
    out += fmt::format("\x01{}\x02", at - variables.begin());
    i = close;
  }
  return out;
}

}  // namespace

void redundant_resource(const Policy& policy, const RuleContext&, FindingSink& sink) {
  for (const Statement& s : policy.statements) {
    for (const ListElement* element : {&s.resource, &s.not_resource}) {
      const auto& values = element->values;
      if (values.size() < 2) continue;                       // one entry covers no other
      auto covering = covering_plain(values, false, "*?$");  // '$': a policy variable
      if (!covering) {
        std::vector<Fields> entries;
        std::vector<std::string> variables;
        for (const Text& t : values)
          entries.push_back(arn_fields(with_variables_as_text(t.value, variables)));
        covering = covering_entries(entries);
      }
      report_covered(s, values, *covering, false, sink, &Finding::resource);
    }
  }
}

}  // namespace scopecop::rules
