#include "scopecop/access.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "scopecop/arn.h"
#include "scopecop/glob.h"
#include "scopecop/resolve.h"

namespace scopecop {

namespace {

// Resource or NotResource as a set: the ARNs its patterns match, or (complement) those none of them matches.
// Each pattern's service field, where it names one ("" where it does not): patterns of two services never
// meet, which spares most searches.
struct ResourceSet {
  bool complement = false;
  std::vector<Pattern> patterns;
  std::vector<std::string> services;
  std::vector<std::string> texts;  // as written: equal texts are equal sets

  void add(std::string_view text, Pattern pattern) {
    auto parts = split_arn(text);
    bool named = parts && !has_wildcard(parts->service) && !has_variable(parts->service);
    services.emplace_back(named ? parts->service : std::string_view());
    texts.emplace_back(text);
    patterns.push_back(std::move(pattern));
  }
};

// One statement of one side, read once for every action.
struct Grant {
  std::size_t index = 0;
  bool allow = false;
  bool not_action = false;
  std::vector<Pattern> actions;
  ResourceSet resources;
  std::vector<std::string> conditions;  // sorted; everything but principals that limits when it applies
  bool any_principal = true;            // no Principal element, or "*"
  std::vector<std::string> principals;  // sorted: "AWS arn:aws:iam::111122223333:root"

  bool applies(std::string_view action) const {
    bool named =
        std::any_of(actions.begin(), actions.end(), [&](const Pattern& p) { return p.matches(action); });
    return not_action ? !named : named;
  }
  bool unconditional() const { return any_principal && conditions.empty(); }
  // Whether this statement applies in every context where `other` does, as far as conditions and
  // principals tell (it requires no condition `other` does not, names every principal `other` names).
  bool covers(const Grant& other) const {
    if (!any_principal &&
        (other.any_principal || !std::includes(principals.begin(), principals.end(), other.principals.begin(),
                                               other.principals.end())))
      return false;
    return std::includes(other.conditions.begin(), other.conditions.end(), conditions.begin(),
                         conditions.end());
  }
};

std::string quoted_list(const std::vector<Text>& values) {
  std::vector<std::string> sorted;
  for (const Text& v : values) sorted.push_back('"' + v.value + '"');
  std::sort(sorted.begin(), sorted.end());
  std::string out = "[";
  for (const std::string& v : sorted) out += (out.size() > 1 ? ", " : "") + v;
  return out + "]";
}

std::vector<std::string> principal_lines(const PrincipalElement& element) {
  std::vector<std::string> out;
  for (const PrincipalEntry& e : element.entries) out.push_back(e.type.value + " " + e.value.value);
  std::sort(out.begin(), out.end());
  return out;
}

bool names_anyone(const PrincipalElement& element) {
  if (element.wildcard) return true;
  return std::any_of(element.entries.begin(), element.entries.end(),
                     [](const PrincipalEntry& e) { return e.type.value == "AWS" && e.value.value == "*"; });
}

// A statement as grants: one, or for a Resource list that mixes entries with a policy variable and without,
// two: the entries without, which apply to every principal, and those with, which apply to the principal
// whose value they name (a condition of their own). NotResource entries with a variable are read as if the
// variable were '*': what the statement certainly allows (or denies) for every principal.
void read_grants(const Policy& policy, const Statement& s, std::vector<Grant>& out) {
  if (s.effect == Effect::Invalid) return;
  Grant g;
  g.index = s.index;
  g.allow = s.effect == Effect::Allow;
  g.not_action = !s.action.present && s.not_action.present;
  for (const Text& t : (g.not_action ? s.not_action : s.action).values)
    g.actions.push_back(Pattern::glob(t.value, true));
  g.conditions = statement_conditions(policy, s, true);
  // Principal lines are compared as a set, not as conditions.
  std::erase_if(g.conditions, [](const std::string& line) { return line.starts_with("Principal "); });
  if (s.principal.present && !names_anyone(s.principal)) {
    g.any_principal = false;
    g.principals = principal_lines(s.principal);
  }
  if (!s.resource.present && !s.not_resource.present) {
    out.push_back(std::move(g));
    return;
  }
  const std::vector<Text>& values = s.resource.present ? s.resource.values : s.not_resource.values;
  g.resources.complement = !s.resource.present;
  std::vector<Pattern> patterns = resource_patterns(values);
  Grant per_principal = g;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (s.resource.present && has_variable(values[i].value)) {
      per_principal.resources.add(values[i].value, std::move(patterns[i]));
      per_principal.conditions.push_back("for the principal whose " + values[i].value + " it names");
    } else {
      g.resources.add(values[i].value, std::move(patterns[i]));
    }
  }
  if (!g.resources.patterns.empty() || per_principal.resources.patterns.empty()) out.push_back(std::move(g));
  if (!per_principal.resources.patterns.empty()) {
    std::sort(per_principal.conditions.begin(), per_principal.conditions.end());
    out.push_back(std::move(per_principal));
  }
}

// The constraints on one resource: a pattern of each `one_of` set, none of `none_of`.
struct Query {
  // The request's resource formats, and the same formats with no ':' inside a variable (nullptr: any
  // resource).
  const ResourceSet* formats = nullptr;
  const ResourceSet* plain_formats = nullptr;
  std::vector<const ResourceSet*> one_of;
  ResourceSet none_of;
  bool impossible = false;

  void in(const ResourceSet& r) {
    if (r.complement) {
      exclude(r);
    } else if (r.patterns.empty()) {
      impossible = true;
    } else if (!std::any_of(r.patterns.begin(), r.patterns.end(), everything)) {
      one_of.push_back(&r);
    }
  }
  void out(const ResourceSet& r) {
    if (!r.complement) {
      if (std::any_of(r.patterns.begin(), r.patterns.end(), everything)) impossible = true;
      exclude(r);
    } else if (r.patterns.empty()) {
      impossible = true;
    } else if (!std::any_of(r.patterns.begin(), r.patterns.end(), everything)) {
      one_of.push_back(&r);
    }
  }
  void exclude(const ResourceSet& r) {
    none_of.patterns.insert(none_of.patterns.end(), r.patterns.begin(), r.patterns.end());
    none_of.services.insert(none_of.services.end(), r.services.begin(), r.services.end());
    none_of.texts.insert(none_of.texts.end(), r.texts.begin(), r.texts.end());
  }
  static bool everything(const Pattern& p) { return p.matches_everything(); }
};

bool same_service(std::string_view a, std::string_view b) {
  return a.empty() || b.empty() || a == b;
}

// Answers queries within a budget, so that a pathological policy ends in "undecided", never a hang.
class Solver {
 public:
  std::optional<std::string> solve(const Query& q) {
    if (q.impossible) return std::nullopt;
    if (!q.formats) return narrowed(q, nullptr, "");
    // One search per format, over the patterns of its service only.
    for (std::size_t k = 0; k < q.formats->patterns.size(); ++k) {
      const std::string& service = q.formats->services[k];
      auto found = narrowed(q, &q.formats->patterns[k], service);
      if (!found) continue;
      // A witness whose fields hold no ':' of their own reads as an ARN and depends on no '*' that spans one.
      const Pattern& plain = q.plain_formats->patterns[k];
      if (!plain.matches(*found)) {
        if (auto better = narrowed(q, &plain, service)) found = better;
      }
      polish(*found, q, q.formats->patterns[k]);
      return found;
    }
    return std::nullopt;
  }
  bool gave_up() const { return gave_up_; }
  void reset() { gave_up_ = false; }

 private:
  static constexpr std::size_t kStates = 20000;

  // The query within one format (none: any resource) and its service.
  std::optional<std::string> narrowed(const Query& q, const Pattern* format, std::string_view service) {
    std::vector<Pattern> all;
    if (format) all.push_back(*format);
    std::vector<Pattern> none;
    std::set<std::string_view> excluded;
    for (std::size_t i = 0; i < q.none_of.patterns.size(); ++i) {
      if (!same_service(service, q.none_of.services[i])) continue;
      none.push_back(q.none_of.patterns[i]);
      excluded.insert(q.none_of.texts[i]);
    }
    // A choice that is also excluded is no choice: an unchanged statement on both sides is settled here,
    // without a search.
    std::vector<std::vector<Pattern>> choices;
    for (const ResourceSet* set : q.one_of) {
      auto& list = choices.emplace_back();
      for (std::size_t i = 0; i < set->patterns.size(); ++i) {
        if (same_service(service, set->services[i]) && !excluded.count(set->texts[i]))
          list.push_back(set->patterns[i]);
      }
      if (list.empty()) return std::nullopt;
    }
    if (all.empty()) all.push_back(Pattern::glob("*"));
    return search(all, choices, none, 0);
  }

  static bool satisfies(const Query& q, const Pattern& format, const std::string& x) {
    auto matches = [&](const Pattern& p) { return p.matches(x); };
    return format.matches(x) && std::none_of(q.none_of.patterns.begin(), q.none_of.patterns.end(), matches) &&
           std::all_of(q.one_of.begin(), q.one_of.end(), [&](const ResourceSet* set) {
             return std::any_of(set->patterns.begin(), set->patterns.end(), matches);
           });
  }

  // The shortest string is "arn:x:athena:x:x:workgroup/x"; where the query allows, a witness reads like a
  // real ARN: the commercial partition, a region, the account number of AWS's examples.
  static void polish(std::string& x, const Query& q, const Pattern& format) {
    static constexpr std::string_view kReadable[] = {"aws", "", "us-east-1", "123456789012"};
    for (std::size_t field = 1; field <= 4; ++field) {
      if (kReadable[field - 1].empty()) continue;
      std::size_t begin = 0;
      for (std::size_t i = 0; i < field && begin != std::string::npos; ++i) {
        begin = x.find(':', begin);
        if (begin != std::string::npos) ++begin;
      }
      if (!x.starts_with("arn:") || begin == std::string::npos) break;
      std::size_t end = x.find(':', begin);
      if (end == std::string::npos || end == begin) continue;
      std::string candidate = x.substr(0, begin) + std::string(kReadable[field - 1]) + x.substr(end);
      if (satisfies(q, format, candidate)) x = std::move(candidate);
    }
    // "lake/curated/" names an object whose key ends in '/'; "lake/curated/x" reads as any object there.
    if (!x.empty() && std::string_view("/-_.").find(x.back()) != std::string_view::npos &&
        satisfies(q, format, x + 'x'))
      x += 'x';
  }

  // The shortest string of one pattern, without a search.
  static std::string shortest(const Pattern& p) {
    std::string out;
    for (const Token& t : p.tokens()) {
      if (t.kind == Token::Literal) out += t.c;
      if (t.kind == Token::One) out += 'x';
    }
    return out;
  }

  std::optional<std::string> search(std::vector<Pattern>& all,
                                    const std::vector<std::vector<Pattern>>& choices,
                                    const std::vector<Pattern>& none, std::size_t i) {
    if (budget_ == 0) {
      gave_up_ = true;
      return std::nullopt;
    }
    --budget_;
    // Nothing to tell apart: go straight to the choices, or to the one pattern's shortest string.
    std::vector<const Pattern*> limiting;
    for (const Pattern& p : all) {
      if (!p.matches_everything()) limiting.push_back(&p);
    }
    bool open = none.empty() && limiting.size() <= 1;
    std::optional<Uncovered> r;
    if (open && i == choices.size()) return limiting.empty() ? std::string("*") : shortest(*limiting[0]);
    if (!(open && limiting.empty())) {
      r = example_outside_all(all, none, kStates);
      if (!r) return std::nullopt;
      if (!r->proven) {
        gave_up_ = true;
        return std::nullopt;
      }
    }
    bool settled = r && std::all_of(choices.begin() + static_cast<std::ptrdiff_t>(i), choices.end(),
                                    [&](const std::vector<Pattern>& list) {
                                      return std::any_of(list.begin(), list.end(), [&](const Pattern& p) {
                                        return p.matches(r->example);
                                      });
                                    });
    if (settled) return r->example;
    for (const Pattern& p : choices[i]) {
      all.push_back(p);
      auto found = search(all, choices, none, i + 1);
      all.pop_back();
      if (found) return found;
    }
    return std::nullopt;
  }

  std::size_t budget_ = 200000;
  bool gave_up_ = false;
};

// The statements of one side that apply to one action, by role.
struct Applying {
  std::vector<const Grant*> allows, denies, guards;  // denies: unconditional; guards: conditional Deny
};

Applying applying(const std::vector<Grant>& grants, std::string_view action) {
  Applying a;
  for (const Grant& g : grants) {
    if (!g.applies(action)) continue;
    if (g.allow) {
      a.allows.push_back(&g);
    } else {
      (g.unconditional() ? a.denies : a.guards).push_back(&g);
    }
  }
  return a;
}

std::vector<std::size_t> indices(const std::vector<const Grant*>& grants) {
  std::vector<std::size_t> out;
  for (const Grant* g : grants) out.push_back(g->index);
  return out;
}

// The resources a request for one action can name: one of its resource types' ARN formats, or "*" for an
// action without resource types. No formats and not wildcard_only: unknown, any resource.
struct Requestable {
  ResourceSet formats;
  ResourceSet plain_formats;  // the same, no ':' inside a variable
  bool wildcard_only = false;
};

Query request_query(const Requestable& r) {
  Query q;
  if (r.wildcard_only || !r.formats.patterns.empty()) {
    q.formats = &r.formats;
    q.plain_formats = &r.plain_formats;
  }
  return q;
}

struct Found {
  ChangeKind kind;
  std::string witness;
  std::vector<std::size_t> now, before;  // statements of the side judged, of the side compared with
};

// What `now` allows that `before` does not (or allows under fewer conditions), for one action.
void widenings(const Applying& now, const Applying& before, const Requestable& r, Solver& solver,
               std::vector<Found>& out) {
  for (const Grant* s : now.allows) {
    Query base = request_query(r);
    base.in(s->resources);
    for (const Grant* d : now.denies) base.out(d->resources);

    // In no context before: outside every statement that allowed it, or inside one that denied it.
    std::optional<std::string> witness;
    {
      Query q = base;
      for (const Grant* t : before.allows) q.out(t->resources);
      witness = solver.solve(q);
    }
    for (std::size_t i = 0; !witness && i < before.denies.size(); ++i) {
      Query q = base;
      q.in(before.denies[i]->resources);
      witness = solver.solve(q);
    }
    if (witness) out.push_back({ChangeKind::Added, *witness, {s->index}, indices(before.allows)});

    // Allowed before, but only by statements whose conditions or principals `s` does not keep.
    for (const Grant* t : before.allows) {
      if (t->covers(*s)) continue;
      Query q = base;
      q.in(t->resources);
      for (const Grant* d : before.denies) q.out(d->resources);
      for (const Grant* u : before.allows) {
        if (u->covers(*s)) q.out(u->resources);
      }
      if (auto w = solver.solve(q)) {
        out.push_back({s->covers(*t) ? ChangeKind::ConditionDropped : ChangeKind::ConditionChanged,
                       *w,
                       {s->index},
                       {t->index}});
      }
    }
  }
  // A conditional Deny of `before` that nothing in `now` keeps, where both allow.
  for (const Grant* guard : before.guards) {
    bool found = false;
    for (const Grant* s : now.allows) {
      for (const Grant* t : before.allows) {
        Query q = request_query(r);
        q.in(guard->resources);
        q.in(s->resources);
        q.in(t->resources);
        for (const Grant* d : now.denies) q.out(d->resources);
        for (const Grant* d : before.denies) q.out(d->resources);
        for (const Grant* kept : now.guards) {
          if (kept->covers(*guard)) q.out(kept->resources);
        }
        if (auto w = solver.solve(q)) {
          out.push_back({ChangeKind::DenyDropped, *w, {s->index}, {guard->index}});
          found = true;
          break;
        }
      }
      if (found) break;
    }
  }
}

ChangeKind narrowing(ChangeKind widening) {
  switch (widening) {
    case ChangeKind::Added:
      return ChangeKind::Removed;
    case ChangeKind::ConditionDropped:
    case ChangeKind::ConditionChanged:
      return ChangeKind::ConditionAdded;
    default:
      return ChangeKind::DenyAdded;
  }
}

// Every action of the catalog, sorted by name.
using ActionList = std::vector<std::pair<std::string, const Action*>>;

ActionList every_action(const Catalog& catalog) {
  ActionList out;
  for (std::string_view prefix : catalog.prefixes()) {
    if (const Service* service = catalog.service(prefix)) {
      for (const Action& action : service->actions) out.emplace_back(action.full_name(), &action);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The actions either side's Allow statements can name: those of the catalog, and names the catalog does
// not know written in full. `all` is every_action, computed when first needed.
ActionList universe(const std::vector<Grant>& a, const std::vector<Grant>& b, const Policy& pa,
                    const Policy& pb, const Catalog& catalog, std::optional<ActionList>& all) {
  std::map<std::string, const Action*> found;
  bool every_service = false;
  auto scan = [&](const Policy& policy, const std::vector<Grant>& grants) {
    for (const Grant& g : grants) {
      if (!g.allow) continue;
      if (g.not_action) every_service = true;
      const Statement& s = policy.statements[g.index];
      for (const Text& t : s.action.values) {
        // "*", or a wildcard without a service prefix ("s3*", which still matches "s3:GetObject").
        if (t.value.find(':') == std::string::npos) {
          every_service = every_service || has_wildcard(t.value);
          continue;
        }
        std::vector<const Action*> named = actions_named(t.value, catalog);
        for (const Action* action : named) found.emplace(action->full_name(), action);
        // A name the catalog does not know may still exist: it stands for itself.
        if (named.empty() && !has_wildcard(t.value)) found.emplace(t.value, nullptr);
      }
    }
  };
  scan(pa, a);
  scan(pb, b);
  ActionList out;
  if (every_service) {
    if (!all) all = every_action(catalog);
    out = *all;
    for (auto& entry : found) {
      if (!entry.second) out.emplace_back(entry.first, nullptr);
    }
    std::sort(out.begin(), out.end());
  } else {
    out.assign(found.begin(), found.end());
  }
  // Needs no permission: no policy can grant or deny it.
  std::erase_if(out, [](const auto& entry) { return entry.first == "sts:GetCallerIdentity"; });
  return out;
}

Requestable requestable(const Action* action) {
  Requestable r;
  if (!action) return r;
  if (action->wildcard_only()) {
    r.wildcard_only = true;
    // The request's resource is the text "*", which a Resource "*" matches like any text.
    r.formats.add("", Pattern::literal("*"));
    r.plain_formats.add("", Pattern::literal("*"));
    return r;
  }
  for (const ActionResource& res : action->resources) {
    if (!res.resolved) return {};  // a type the catalog does not describe: any resource
    for (std::size_t i = 0; i < res.resolved->arn_formats.size(); ++i) {
      std::string_view format = res.resolved->arn_formats[i];
      r.formats.add(format, res.resolved->patterns[i]);
      r.plain_formats.add(format, arn_format_pattern(format));
    }
  }
  return r;
}

// Within (or outside) ARN patterns as written, as a set.
ResourceSet pattern_set(const std::vector<std::string>& texts, bool complement) {
  ResourceSet out;
  out.complement = complement;
  for (const std::string& t : texts) out.add(t, arn_pattern(t));
  return out;
}

}  // namespace

struct GrantSearch::Grants {
  std::vector<Grant> all;
  std::map<const Action*, Requestable> requestable;
};

GrantSearch::GrantSearch(const Policy& policy) : grants_(std::make_unique<Grants>()) {
  for (const Statement& s : policy.statements) read_grants(policy, s, grants_->all);
}
GrantSearch::~GrantSearch() = default;

bool GrantSearch::names(const Statement& statement, std::string_view action_name) const {
  return std::any_of(grants_->all.begin(), grants_->all.end(),
                     [&](const Grant& g) { return g.index == statement.index && g.applies(action_name); });
}

std::optional<std::string> GrantSearch::find(const Statement& statement, std::string_view action_name,
                                             const Action* action, const std::vector<std::string>& within,
                                             bool outside) {
  auto known = grants_->requestable.find(action);
  if (known == grants_->requestable.end())
    known = grants_->requestable.emplace(action, requestable(action)).first;
  ResourceSet limit = pattern_set(within, outside);
  Solver solver;
  for (const Grant& g : grants_->all) {
    if (g.index != statement.index || !g.allow || !g.applies(action_name)) continue;
    Query q = request_query(known->second);
    q.in(g.resources);
    if (outside || !within.empty()) q.in(limit);
    for (const Grant& d : grants_->all) {
      if (!d.allow && d.unconditional() && d.applies(action_name)) q.out(d.resources);
    }
    if (auto w = solver.solve(q)) return w;
  }
  return std::nullopt;
}

std::string_view change_kind_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::Added:
      return "added";
    case ChangeKind::ConditionDropped:
      return "condition-dropped";
    case ChangeKind::ConditionChanged:
      return "condition-changed";
    case ChangeKind::DenyDropped:
      return "deny-dropped";
    case ChangeKind::Removed:
      return "removed";
    case ChangeKind::ConditionAdded:
      return "condition-added";
    case ChangeKind::DenyAdded:
      return "deny-added";
  }
  return "added";
}

bool is_new_access(ChangeKind kind) {
  return kind == ChangeKind::Added || kind == ChangeKind::ConditionDropped ||
         kind == ChangeKind::ConditionChanged || kind == ChangeKind::DenyDropped;
}

bool AccessDiff::adds_access() const {
  return std::any_of(changes.begin(), changes.end(),
                     [](const AccessChange& c) { return is_new_access(c.kind); });
}

std::vector<std::string> statement_conditions(const Policy& policy, const Statement& s, bool fold_keys) {
  std::vector<std::string> out;
  for (const Condition& c : s.conditions) {
    std::string key = c.key.value;
    if (fold_keys) {
      // Condition keys are case-insensitive; their values, for most operators, are not.
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    }
    out.push_back(c.op.value + " " + key + " " + quoted_list(c.values) +
                  (c.unknown ? " and values not known" : ""));
  }
  if (s.has_unknown()) out.push_back("with values the template does not determine");
  if (s.not_principal.present) {
    for (const std::string& p : principal_lines(s.not_principal)) out.push_back("NotPrincipal " + p);
  }
  if (policy.type != PolicyType::Identity && s.principal.present && !names_anyone(s.principal)) {
    for (const std::string& p : principal_lines(s.principal)) out.push_back("Principal " + p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct AccessComparer::Cache {
  std::optional<ActionList> every_action;
  std::map<const Action*, Requestable> requestable;
};

AccessComparer::AccessComparer(const Catalog& catalog)
    : catalog_(catalog), cache_(std::make_unique<Cache>()) {}
AccessComparer::~AccessComparer() = default;

AccessDiff AccessComparer::diff(const Policy& before, const Policy& after) {
  std::vector<Grant> old_grants, new_grants;
  for (const Statement& s : before.statements) {
    read_grants(before, s, old_grants);
  }
  for (const Statement& s : after.statements) {
    read_grants(after, s, new_grants);
  }
  ActionList actions = universe(old_grants, new_grants, before, after, catalog_, cache_->every_action);

  // Actions that the same statements name and that accept the same resources change alike: judged once.
  using JudgedKey = std::tuple<std::vector<std::size_t>, std::vector<std::size_t>,
                               std::vector<const ResourceType*>, bool, bool>;
  std::map<JudgedKey, std::pair<std::vector<Found>, bool>> judged;
  std::map<std::tuple<ChangeKind, std::vector<std::size_t>, std::vector<std::size_t>, std::string>,
           AccessChange>
      groups;
  std::set<std::string> undecided;
  Solver solver;
  for (const auto& [name, action] : actions) {
    Applying now = applying(new_grants, name), was = applying(old_grants, name);
    if (now.allows.empty() && was.allows.empty()) continue;
    std::vector<const ResourceType*> types;
    if (action) {
      for (const ActionResource& r : action->resources) types.push_back(r.resolved);
    }
    std::vector<std::size_t> new_applying, old_applying;
    for (const auto* list : {&now.allows, &now.denies, &now.guards}) {
      for (const Grant* g : *list) new_applying.push_back(g->index);
    }
    for (const auto* list : {&was.allows, &was.denies, &was.guards}) {
      for (const Grant* g : *list) old_applying.push_back(g->index);
    }
    JudgedKey key{new_applying, old_applying, types, action && action->wildcard_only(), action == nullptr};
    auto it = judged.find(key);
    if (it == judged.end()) {
      auto known = cache_->requestable.find(action);
      if (known == cache_->requestable.end())
        known = cache_->requestable.emplace(action, requestable(action)).first;
      const Requestable& r = known->second;
      std::vector<Found> found;
      solver.reset();
      widenings(now, was, r, solver, found);
      std::vector<Found> narrowed;
      widenings(was, now, r, solver, narrowed);
      for (Found& f : narrowed) {
        // Conditions traded for others are reported once, as a widening; but when the new version still
        // holds the old grant's other conditions (a condition's statement removed), only this side sees it:
        // the access is kept under fewer conditions.
        bool mirrored =
            f.kind == ChangeKind::ConditionChanged &&
            std::any_of(found.begin(), found.end(), [&](const Found& w) {
              return w.kind == ChangeKind::ConditionChanged && w.now == f.before && w.before == f.now;
            });
        if (mirrored) continue;
        found.push_back({narrowing(f.kind), f.witness, f.before, f.now});
      }
      it = judged.emplace(std::move(key), std::pair{std::move(found), solver.gave_up()}).first;
    }
    if (it->second.second) undecided.insert(name);
    std::string service = name.substr(0, name.find(':'));
    for (const Found& f : it->second.first) {
      AccessChange& c = groups[{f.kind, f.now, f.before, service}];
      c.actions.push_back(name);
      c.witnesses.push_back(f.witness);
    }
  }

  AccessDiff diff;
  for (auto& [key, c] : groups) {
    c.kind = std::get<0>(key);
    c.new_statements = std::get<1>(key);
    c.old_statements = std::get<2>(key);
    diff.changes.push_back(std::move(c));
  }
  auto first = [](const std::vector<std::size_t>& v) { return v.empty() ? std::size_t(-1) : v.front(); };
  std::stable_sort(
      diff.changes.begin(), diff.changes.end(), [&](const AccessChange& a, const AccessChange& b) {
        bool na = is_new_access(a.kind), nb = is_new_access(b.kind);
        if (na != nb) return na;
        const auto& sa = is_new_access(a.kind) || a.kind == ChangeKind::ConditionAdded ? a.new_statements
                                                                                       : a.old_statements;
        const auto& sb = is_new_access(b.kind) || b.kind == ChangeKind::ConditionAdded ? b.new_statements
                                                                                       : b.old_statements;
        return std::tuple(first(sa), a.kind, a.actions.front()) <
               std::tuple(first(sb), b.kind, b.actions.front());
      });
  diff.undecided.assign(undecided.begin(), undecided.end());
  return diff;
}

}  // namespace scopecop
