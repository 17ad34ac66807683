#include "scopecop/evaluate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "scopecop/arn.h"
#include "scopecop/glob.h"
#include "scopecop/ip.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

// Three-valued: whether something holds, or depends on the keys named.
struct Tri {
  enum Value : unsigned char { No, Maybe, Yes } value = No;
  std::set<std::string> keys;

  static Tri yes() { return {Yes, {}}; }
  static Tri no() { return {No, {}}; }
  static Tri maybe(std::string key) { return {Maybe, {std::move(key)}}; }
};

Tri both(Tri a, const Tri& b) {
  if (a.value == Tri::No || b.value == Tri::No) return Tri::no();
  if (a.value == Tri::Yes && b.value == Tri::Yes) return Tri::yes();
  a.value = Tri::Maybe;
  a.keys.insert(b.keys.begin(), b.keys.end());
  return a;
}

Tri either(Tri a, const Tri& b) {
  if (a.value == Tri::Yes || b.value == Tri::Yes) return Tri::yes();
  if (a.value == Tri::No && b.value == Tri::No) return Tri::no();
  a.value = Tri::Maybe;
  a.keys.insert(b.keys.begin(), b.keys.end());
  return a;
}

Tri from(bool b) {
  return b ? Tri::yes() : Tri::no();
}

const std::vector<std::string>* lookup(const Request& r, std::string_view key) {
  auto it = r.context.find(to_lower(key));
  return it == r.context.end() ? nullptr : &it->second;
}

// A Resource value with its policy variables replaced by the request's values; the keys it lacks.
std::string substitute(std::string_view value, const Request& r, std::set<std::string>& missing) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 2, "${") != 0) {
      out += value[i];
      continue;
    }
    std::size_t close = value.find('}', i);
    if (close == std::string_view::npos) {
      out += value.substr(i);
      break;
    }
    std::string_view key = value.substr(i + 2, close - i - 2);
    if (key == "*" || key == "?" || key == "$") {
      out += value.substr(i, close - i + 1);  // arn_pattern reads these as the literal characters
    } else if (const auto* values = lookup(r, key); values && values->size() == 1) {
      out += (*values)[0];
    } else {
      missing.insert(std::string(key));
      out += '*';
    }
    i = close;
  }
  return out;
}

Tri names_action(const Statement& s, std::string_view action) {
  const ListElement& list = s.action.present ? s.action : s.not_action;
  if (!s.action.present && !s.not_action.present) return Tri::no();
  bool named = std::any_of(list.values.begin(), list.values.end(),
                           [&](const Text& t) { return Pattern::glob(t.value, true).matches(action); });
  return from(s.action.present ? named : !named);
}

Tri names_resource(const Statement& s, const Request& r) {
  const ListElement& list = s.resource.present ? s.resource : s.not_resource;
  if (!s.resource.present && !s.not_resource.present) {
    // Trust policies and some resource policies have no Resource: the policy's own resource.
    return Tri::yes();
  }
  Tri named = Tri::no();
  for (const Text& t : list.values) {
    std::set<std::string> missing;
    std::string value = substitute(t.value, r, missing);
    bool matches = value == "*" || arn_pattern(value).matches(r.resource);
    if (!matches) continue;
    named = either(named, missing.empty() ? Tri::yes() : Tri{Tri::Maybe, missing});
  }
  if (s.resource.present) return named;
  if (named.value == Tri::Yes) return Tri::no();
  if (named.value == Tri::No) return Tri::yes();
  return named;
}

std::string_view account_of(std::string_view arn) {
  auto parts = split_arn(arn);
  return parts ? parts->account : std::string_view();
}

// Whether a Principal entry names the caller: anyone, its account, its ARN (an assumed role's session is its
// role), or a service by name.
bool principal_entry(const PrincipalEntry& e, std::string_view caller) {
  std::string_view v = e.value.value;
  if (v == "*") return true;
  if (e.type.value != "AWS") return v == caller;
  if (is_account_id(v)) return account_of(caller) == v;
  if (auto parts = split_arn(v); parts && parts->resource == "root")
    return account_of(caller) == parts->account;
  if (v == caller) return true;
  auto c = split_arn(caller);
  if (c && c->service == "sts" && c->resource.starts_with("assumed-role/")) {
    std::string_view role = c->resource.substr(13);
    role = role.substr(0, role.find('/'));
    auto p = split_arn(v);
    return p && p->service == "iam" && p->account == c->account &&
           (p->resource == "role/" + std::string(role) ||
            (p->resource.starts_with("role/") && p->resource.ends_with("/" + std::string(role))));
  }
  return false;
}

Tri names_principal(const Statement& s, const Request& r) {
  const PrincipalElement& p = s.principal.present ? s.principal : s.not_principal;
  if (!s.principal.present && !s.not_principal.present) return Tri::yes();  // an identity policy
  if (p.wildcard) return from(s.principal.present);
  if (r.principal.empty()) return Tri::maybe("the principal (--principal)");
  bool named = std::any_of(p.entries.begin(), p.entries.end(),
                           [&](const PrincipalEntry& e) { return principal_entry(e, r.principal); });
  return from(s.principal.present ? named : !named);
}

std::optional<double> number(std::string_view s) {
  std::string text(s);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return std::nullopt;
  return v;
}

// A date as IAM reads one: ISO 8601 (2026-12-05, 2026-12-05T10:00:00Z) or seconds since the epoch.
std::optional<double> date(std::string_view s) {
  if (auto n = number(s)) return n;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::string text(s);
  int read = std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec);
  if (read != 3 && read != 6) return std::nullopt;
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  t.tm_sec = sec;
  return static_cast<double>(timegm(&t));
}

bool in_range(std::string_view address, std::string_view range) {
  auto a = parse_cidr(address);
  auto r = parse_cidr(range);
  if (!a || !r || a->v6 != r->v6) return false;
  for (unsigned bit = 0; bit < r->prefix; ++bit) {
    unsigned byte = bit / 8, mask = 0x80u >> (bit % 8);
    if ((a->bytes[byte] & mask) != (r->bytes[byte] & mask)) return false;
  }
  return true;
}

// One context value against one policy value, for an operator without "Not" and "IfExists"; nullopt for an
// operator scopecop does not evaluate.
std::optional<bool> compare(std::string_view op, const std::string& value, const std::string& wanted) {
  if (op == "StringEquals" || op == "BinaryEquals") return value == wanted;
  if (op == "StringEqualsIgnoreCase") return iequals(value, wanted);
  if (op == "StringLike") return Pattern::glob(wanted).matches(value);
  if (op == "ArnEquals" || op == "ArnLike") return arn_pattern(wanted).matches(value);
  if (op == "Bool") return iequals(value, wanted);
  if (op == "IpAddress") return in_range(value, wanted);
  bool numeric = op.starts_with("Numeric");
  if (numeric || op.starts_with("Date")) {
    auto a = numeric ? number(value) : date(value);
    auto b = numeric ? number(wanted) : date(wanted);
    if (!a || !b) return false;
    std::string_view rel = op.substr(numeric ? 7 : 4);
    if (rel == "Equals") return *a == *b;
    if (rel == "LessThan") return *a < *b;
    if (rel == "LessThanEquals") return *a <= *b;
    if (rel == "GreaterThan") return *a > *b;
    if (rel == "GreaterThanEquals") return *a >= *b;
  }
  return std::nullopt;
}

// The operator without "Not", and whether it had one: StringNotEquals -> StringEquals, NotIpAddress ->
// IpAddress.
std::pair<std::string, bool> positive(std::string_view base) {
  if (base == "NotIpAddress") return {"IpAddress", true};
  std::size_t at = base.find("Not");
  if (at == std::string_view::npos || at == 0) return {std::string(base), false};
  return {std::string(base.substr(0, at)) + std::string(base.substr(at + 3)), true};
}

Tri condition(const Condition& c, const Request& r) {
  const std::vector<std::string>* values = lookup(r, c.key.value);
  if (c.base == "Null") {
    if (!values) {
      // Absent is what the request says when it does not name the key: the caller must say it.
      return Tri::maybe(c.key.value);
    }
    bool want_absent =
        std::any_of(c.values.begin(), c.values.end(), [](const Text& t) { return iequals(t.value, "true"); });
    return from(!want_absent);
  }
  // Not given: absent and present with another value can decide differently (IfExists, ForAllValues and
  // the negated operators hold for an absent key), so the answer depends on it.
  if (!values) return Tri::maybe(c.key.value);
  // Not a structured binding: the lambda below captures them (which Debian's clang refuses for bindings).
  std::pair<std::string, bool> split = positive(c.base);
  const std::string& op = split.first;
  bool negated = split.second;
  auto one = [&](const std::string& v) -> std::optional<bool> {
    bool any = false;
    for (const Text& w : c.values) {
      auto m = compare(op, v, w.value);
      if (!m) return std::nullopt;
      any = any || *m;
    }
    return negated ? !any : any;
  };
  bool all = true, some = false;
  for (const std::string& v : *values) {
    auto m = one(v);
    if (!m) return Tri::maybe(c.op.value + " (an operator scopecop does not evaluate)");
    all = all && *m;
    some = some || *m;
  }
  if (c.qualifier == SetQualifier::ForAllValues) return from(all);
  return from(some);
}

Tri applies(const Statement& s, const Request& r) {
  Tri t = both(names_action(s, r.action), names_resource(s, r));
  if (t.value == Tri::No) return t;
  t = both(t, names_principal(s, r));
  for (const Condition& c : s.conditions) {
    if (t.value == Tri::No) return t;
    t = both(t, condition(c, r));
  }
  return t;
}

// What one kind of policy says: whether some Allow applies, and the statements that do (or may).
struct Verdict {
  Tri allows = Tri::no();
  Tri denies = Tri::no();
  std::vector<StatementRef> allowing, denying, maybe;
};

Verdict judge(const std::vector<const Policy*>& policies, const Request& r) {
  Verdict v;
  for (const Policy* p : policies) {
    for (const Statement& s : p->statements) {
      if (s.effect == Effect::Invalid) continue;
      Tri t = applies(s, r);
      if (t.value == Tri::No) continue;
      StatementRef ref{p, s.index};
      bool allow = s.effect == Effect::Allow;
      (allow ? v.allows : v.denies) = either(allow ? v.allows : v.denies, t);
      if (t.value == Tri::Maybe) {
        v.maybe.push_back(ref);
      } else {
        (allow ? v.allowing : v.denying).push_back(ref);
      }
    }
  }
  return v;
}

}  // namespace

std::string_view decision_name(Decision d) {
  switch (d) {
    case Decision::Allowed:
      return "allowed";
    case Decision::ExplicitlyDenied:
      return "explicitly-denied";
    case Decision::ImplicitlyDenied:
      return "implicitly-denied";
    case Decision::Depends:
      return "depends";
  }
  return "depends";
}

Evaluation evaluate(const Request& r, const PolicySet& set) {
  Verdict identity = judge(set.identity, r), resource = judge(set.resource, r);
  Verdict boundary = judge(set.boundary, r), scp = judge(set.scp, r);
  Evaluation e;
  Tri denied = Tri::no();
  for (const Verdict* v : {&identity, &resource, &boundary, &scp}) {
    denied = either(denied, v->denies);
    e.deciding.insert(e.deciding.end(), v->denying.begin(), v->denying.end());
  }
  if (denied.value == Tri::Yes) {
    e.decision = Decision::ExplicitlyDenied;
    e.reason = "a Deny statement applies";
    return e;
  }
  e.deciding.clear();

  // Same account: the identity policies (within the boundary) or the resource policy may allow it. Across
  // accounts both must. An ARN without an account (an S3 bucket) is taken to be the caller's account's.
  std::string_view resource_account = account_of(r.resource);
  std::string_view caller_account = account_of(r.principal);
  bool cross = !resource_account.empty() && !caller_account.empty() && resource_account != caller_account;
  Tri by_identity = identity.allows;
  if (!set.boundary.empty()) by_identity = both(by_identity, boundary.allows);
  Tri allowed = cross ? both(by_identity, resource.allows) : either(by_identity, resource.allows);
  if (!set.scp.empty()) allowed = both(allowed, scp.allows);

  if (allowed.value == Tri::Yes && denied.value == Tri::No) {
    e.decision = Decision::Allowed;
    for (const Verdict* v : {&identity, &resource})
      e.deciding.insert(e.deciding.end(), v->allowing.begin(), v->allowing.end());
    e.reason = cross ? "allowed by the identity policies and the resource policy (another account's resource)"
                     : "an Allow statement applies and no Deny does";
    return e;
  }
  if (allowed.value == Tri::No) {
    e.decision = Decision::ImplicitlyDenied;
    if (!set.scp.empty() && scp.allows.value == Tri::No) {
      e.reason = "no service control policy allows it";
    } else if (cross && by_identity.value != Tri::No) {
      e.reason = "the resource is another account's, and its resource policy does not allow the principal";
    } else if (cross) {
      e.reason = "the resource is another account's, and the principal's identity policies do not allow it";
    } else if (!set.boundary.empty() && identity.allows.value != Tri::No) {
      e.reason = "the permission boundary does not allow it";
    } else {
      e.reason = "no statement allows it";
    }
    if (denied.value != Tri::No) {
      e.depends_on.assign(denied.keys.begin(), denied.keys.end());
      e.reason += "; a Deny statement applies too, depending on the request";
    }
    return e;
  }
  e.decision = Decision::Depends;
  std::set<std::string> keys = allowed.keys;
  keys.insert(denied.keys.begin(), denied.keys.end());
  e.depends_on.assign(keys.begin(), keys.end());
  for (const Verdict* v : {&identity, &resource, &boundary, &scp})
    e.deciding.insert(e.deciding.end(), v->maybe.begin(), v->maybe.end());
  e.reason = "the statements that decide have conditions on what the request does not say";
  return e;
}

}  // namespace scopecop
