#include "scopecop/glob.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <map>
#include <queue>
#include <set>
#include <unordered_set>

#include "scopecop/text.h"

namespace scopecop {

namespace {

bool excludes(std::uint8_t excluded, char c) {
  return ((excluded & kNoColon) && c == ':') || ((excluded & kNoSlash) && c == '/');
}

bool accepts(const Token& t, char c) {
  return t.kind == Token::Literal ? t.c == c : !excludes(t.excluded, c);
}

// A character both tokens accept, if any. Wildcards exclude at most ':' and '/', so two wildcards always
// share one ('x' stands for it).
std::optional<char> shared_char(const Token& a, const Token& b) {
  if (a.kind == Token::Literal && b.kind == Token::Literal)
    return a.c == b.c ? std::optional(a.c) : std::nullopt;
  if (a.kind == Token::Literal) return accepts(b, a.c) ? std::optional(a.c) : std::nullopt;
  if (b.kind == Token::Literal) return accepts(a, b.c) ? std::optional(b.c) : std::nullopt;
  return 'x';
}

// Positions of a pattern's automaton: position i is "before token i"; a Star at i may be skipped.
using Positions = std::vector<std::uint32_t>;

void close(std::span<const Token> tokens, Positions& set) {
  for (std::size_t k = 0; k < set.size(); ++k) {
    std::uint32_t i = set[k];
    if (i < tokens.size() && tokens[i].kind == Token::Star &&
        std::find(set.begin(), set.end(), i + 1) == set.end()) {
      set.push_back(i + 1);
    }
  }
  std::sort(set.begin(), set.end());
}

Positions start(std::span<const Token> tokens) {
  Positions s{0};
  close(tokens, s);
  return s;
}

}  // namespace

Pattern::Pattern(std::vector<Token> tokens, bool fold_case)
    : tokens_(std::move(tokens)), fold_case_(fold_case) {
  if (fold_case_) {
    for (Token& t : tokens_) t.c = fold_ascii(t.c);
  }
  for (const Token& t : tokens_) {
    if (t.kind == Token::Literal) {
      colons_ += t.c == ':';
    } else {
      literal_ = false;
      wildcard_colon_ = wildcard_colon_ || !(t.excluded & kNoColon);
      stars_only_ = stars_only_ && t.kind == Token::Star && t.excluded == 0;
    }
  }
}

bool Pattern::matches_stars_only(std::string_view s) const {
  // The literal runs between the Stars, each at its leftmost place after the one before (a later place
  // would leave the rest less text to match): the first at the start, the last at the end.
  const std::size_t n = tokens_.size();
  auto run_at = [&](std::size_t from, std::size_t to, std::size_t at) {
    for (std::size_t k = from; k < to; ++k) {
      if ((fold_case_ ? fold_ascii(s[at + k - from]) : s[at + k - from]) != tokens_[k].c) return false;
    }
    return true;
  };
  std::size_t t = 0;
  while (t < n && tokens_[t].kind == Token::Literal) ++t;
  if (t > s.size() || !run_at(0, t, 0)) return false;
  if (t == n) return s.size() == n;
  std::size_t at = t;
  for (;;) {
    while (t < n && tokens_[t].kind == Token::Star) ++t;
    if (t == n) return true;
    std::size_t end = t;
    while (end < n && tokens_[end].kind == Token::Literal) ++end;
    const std::size_t length = end - t;
    if (s.size() - at < length) return false;
    if (end == n) return run_at(t, end, s.size() - length);
    std::size_t found = at;
    while (found + length <= s.size() && !run_at(t, end, found)) ++found;
    if (found + length > s.size()) return false;
    at = found + length;
    t = end;
  }
}

Pattern Pattern::glob(std::string_view text, bool fold_case) {
  std::vector<Token> tokens;
  tokens.reserve(text.size());
  for (char c : text) {
    if (c == '*') {
      if (tokens.empty() || tokens.back().kind != Token::Star) tokens.push_back({Token::Star, 0, 0});
    } else if (c == '?') {
      tokens.push_back({Token::One, 0, 0});
    } else {
      tokens.push_back({Token::Literal, c, 0});
    }
  }
  return Pattern(std::move(tokens), fold_case);
}

Pattern Pattern::literal(std::string_view text) {
  std::vector<Token> tokens;
  for (char c : text) tokens.push_back({Token::Literal, c, 0});
  return Pattern(std::move(tokens));
}

bool Pattern::matches(std::string_view s) const {
  const std::size_t n = tokens_.size();
  if (literal_) {
    if (s.size() != n) return false;
    for (std::size_t i = 0; i < n; ++i) {
      if ((fold_case_ ? fold_ascii(s[i]) : s[i]) != tokens_[i].c) return false;
    }
    return true;
  }
  if (stars_only_) return matches_stars_only(s);
  // Most strings asked about differ at once (a condition key against the catalog's keys): answer those
  // before setting up the automaton.
  if (n > 0 && tokens_[0].kind == Token::Literal &&
      (s.empty() || (fold_case_ ? fold_ascii(s[0]) : s[0]) != tokens_[0].c))
    return false;
  if (n < 64) {
    // The automaton's positions as bits of one word: no allocation for the patterns policies are made of.
    std::uint64_t stars = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (tokens_[i].kind == Token::Star) stars |= std::uint64_t{1} << i;
    }
    auto closure = [stars](std::uint64_t m) {  // a Star may be skipped
      for (std::uint64_t more = (m & stars) << 1; more & ~m; more = (m & stars) << 1) m |= more;
      return m;
    };
    std::uint64_t now = closure(1);
    for (char raw : s) {
      char c = fold_case_ ? fold_ascii(raw) : raw;
      std::uint64_t next = 0;
      for (std::uint64_t rest = now & ((std::uint64_t{1} << n) - 1); rest; rest &= rest - 1) {
        auto i = static_cast<std::size_t>(std::countr_zero(rest));
        if (accepts(tokens_[i], c)) next |= std::uint64_t{1} << (tokens_[i].kind == Token::Star ? i : i + 1);
      }
      if (!next) return false;
      now = closure(next);
    }
    return (now >> n) & 1;
  }
  // The automaton's positions as flags, two rows reused for the whole string.
  std::vector<std::uint8_t> now(n + 1, 0), next(n + 1, 0);
  auto add = [&](std::vector<std::uint8_t>& row, std::size_t i) {
    // A position and every position reached by skipping Stars after it.
    for (; i <= n && !row[i]; ++i) {
      row[i] = 1;
      if (i == n || tokens_[i].kind != Token::Star) break;
    }
  };
  add(now, 0);
  for (char raw : s) {
    char c = fold_case_ ? fold_ascii(raw) : raw;
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!now[i] || !accepts(tokens_[i], c)) continue;
      add(next, tokens_[i].kind == Token::Star ? i : i + 1);
      any = true;
    }
    if (!any) return false;
    now.swap(next);
  }
  return now[n] != 0;
}

namespace {

// Depth-first over pairs of positions, with a Star's skip as an empty move. `mark(i, j)` says whether the
// pair is new; `stack` holds the pairs to visit.
template <class Mark, class Stack>
bool overlap_search(std::span<const Token> ta, std::span<const Token> tb, Mark&& mark, Stack& stack) {
  auto push = [&](std::uint32_t i, std::uint32_t j) {
    if (mark(i, j)) stack.push_back({i, j});
  };
  push(0, 0);
  while (!stack.empty()) {
    auto [i, j] = stack.back();
    stack.pop_back();
    if (i == ta.size() && j == tb.size()) return true;
    if (i < ta.size() && ta[i].kind == Token::Star) push(i + 1, j);
    if (j < tb.size() && tb[j].kind == Token::Star) push(i, j + 1);
    if (i < ta.size() && j < tb.size() && shared_char(ta[i], tb[j])) {
      push(ta[i].kind == Token::Star ? i : i + 1, tb[j].kind == Token::Star ? j : j + 1);
    }
  }
  return false;
}

// A stack of at most 64 x 64 pairs, on the machine stack and left uninitialized (zeroing it for every
// question would cost more than the search).
struct SmallStack {
  std::array<std::uint8_t, 64 * 64> first;
  std::array<std::uint8_t, 64 * 64> second;
  std::size_t size = 0;
  bool empty() const { return size == 0; }
  void push_back(std::pair<std::uint32_t, std::uint32_t> p) {
    first[size] = static_cast<std::uint8_t>(p.first);
    second[size++] = static_cast<std::uint8_t>(p.second);
  }
  std::pair<std::uint32_t, std::uint32_t> back() const { return {first[size - 1], second[size - 1]}; }
  void pop_back() { --size; }
};

}  // namespace

bool overlaps(const Pattern& a, const Pattern& b) {
  auto ta = a.tokens();
  auto tb = b.tokens();
  if (a.matches_everything() || b.matches_everything()) return true;  // a Resource of "*"
  if (ta.size() < 64 && tb.size() < 64) {
    // Positions up to 63 on each side: the pairs seen fit 64 words, and each pair is pushed once.
    std::array<std::uint64_t, 64> seen{};
    SmallStack stack;
    auto mark = [&](std::uint32_t i, std::uint32_t j) {
      std::uint64_t bit = std::uint64_t{1} << j;
      if (seen[i] & bit) return false;
      seen[i] |= bit;
      return true;
    };
    return overlap_search(ta, tb, mark, stack);
  }
  const std::size_t width = tb.size() + 1;
  std::vector<std::uint8_t> seen((ta.size() + 1) * width, 0);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;
  auto mark = [&](std::uint32_t i, std::uint32_t j) {
    std::uint8_t& m = seen[i * width + j];
    if (m) return false;
    m = 1;
    return true;
  };
  return overlap_search(ta, tb, mark, stack);
}

std::optional<std::string> common_example(const Pattern& a, const Pattern& b) {
  // Breadth-first over pairs of positions of the two automata; a pair is reached by a string both accept.
  auto ta = a.tokens();
  auto tb = b.tokens();
  using Node = std::pair<std::uint32_t, std::uint32_t>;
  std::map<Node, std::pair<Node, char>> parent;
  std::queue<Node> queue;
  Positions sa = start(ta), sb = start(tb);
  for (auto i : sa) {
    for (auto j : sb) {
      Node n{i, j};
      if (parent.emplace(n, std::pair{n, '\0'}).second) queue.push(n);
    }
  }
  auto example = [&](Node n) {
    std::string s;
    while (parent.at(n).second != '\0') {
      s.push_back(parent.at(n).second);
      n = parent.at(n).first;
    }
    std::reverse(s.begin(), s.end());
    return s;
  };
  while (!queue.empty()) {
    Node n = queue.front();
    queue.pop();
    if (n.first == ta.size() && n.second == tb.size()) return example(n);
    if (n.first == ta.size() || n.second == tb.size()) continue;
    auto c = shared_char(ta[n.first], tb[n.second]);
    if (!c) continue;
    Positions na{ta[n.first].kind == Token::Star ? n.first : n.first + 1};
    Positions nb{tb[n.second].kind == Token::Star ? n.second : n.second + 1};
    close(ta, na);
    close(tb, nb);
    for (auto i : na) {
      for (auto j : nb) {
        Node m{i, j};
        if (parent.emplace(m, std::pair{n, *c}).second) queue.push(m);
      }
    }
  }
  return std::nullopt;
}

namespace {

// The shortest string a pattern matches: its literals, with 'x' for each '?'.
std::string shortest_example(const Pattern& p) {
  std::string s;
  for (const Token& t : p.tokens()) {
    if (t.kind == Token::Literal) s.push_back(t.c);
    if (t.kind == Token::One) s.push_back('x');
  }
  return s;
}

// A string of p in which every wildcard writes one character that no pattern names, so that only another
// pattern's wildcard can match it there.
std::string unnamed_example(const Pattern& p) {
  std::string s;
  for (const Token& t : p.tokens()) s.push_back(t.kind == Token::Literal ? t.c : '\x01');
  return s;
}

// Whether q matches every string of p, shown by q's tokens taking p's in order: a literal takes the same
// literal, a wildcard takes a literal or wildcard that writes only characters it accepts, and only q's '*'
// takes p's '*'. Success proves coverage; failure proves nothing ("?*" is covered by "*?").
bool covers_token_by_token(const Pattern& q, const Pattern& p) {
  if (p.fold_case() != q.fold_case()) return false;
  auto tp = p.tokens();
  auto tq = q.tokens();
  auto takes = [](const Token& a, const Token& b) {  // a of q takes b of p
    if (a.kind == Token::Literal) return b.kind == Token::Literal && a.c == b.c;
    if (b.kind == Token::Literal) return !excludes(a.excluded, b.c);
    return (b.kind != Token::Star || a.kind == Token::Star) && (b.excluded & a.excluded) == a.excluded;
  };
  // reached[j]: q's first j tokens can take p's first i tokens, row by row over i.
  std::vector<std::uint8_t> reached(tq.size() + 1, 0), next(tq.size() + 1, 0);
  reached[0] = 1;
  for (std::size_t i = 0;; ++i) {
    for (std::size_t j = 0; j < tq.size(); ++j) {
      if (reached[j] && tq[j].kind == Token::Star) reached[j + 1] = 1;  // q's '*' takes nothing more
    }
    if (i == tp.size()) return reached[tq.size()] != 0;
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (std::size_t j = 0; j < tq.size(); ++j) {
      if (!reached[j] || !takes(tq[j], tp[i])) continue;
      next[tq[j].kind == Token::Star ? j : j + 1] = 1;
      any = true;
    }
    if (!any) return false;
    reached.swap(next);
  }
}

std::string_view literal_prefix(const Pattern& p, std::string& buffer) {
  auto tokens = p.tokens();
  std::size_t n = 0;
  while (n < tokens.size() && tokens[n].kind == Token::Literal) ++n;
  buffer.resize(n);
  for (std::size_t i = 0; i < n; ++i) buffer[i] = tokens[i].c;
  return buffer;
}

}  // namespace

namespace {

// Whether q covers p, answered directly when q is a literal or a literal followed by one '*' (most entries of
// real policies are), and nullopt when q has another shape.
std::optional<bool> covered_by_simple(const Pattern& p, const Pattern& q) {
  if (p.fold_case() != q.fold_case()) return std::nullopt;
  auto tp = p.tokens();
  auto tq = q.tokens();
  const bool star = !tq.empty() && tq.back().kind == Token::Star;
  const std::size_t prefix = star ? tq.size() - 1 : tq.size();
  for (std::size_t i = 0; i < prefix; ++i) {
    if (tq[i].kind != Token::Literal) return std::nullopt;
  }
  // Every string of p must begin with q's literal prefix: p's first tokens are exactly those literals (a
  // wildcard among them, or a shorter p, writes a string that does not).
  if (tp.size() < prefix) return false;
  for (std::size_t i = 0; i < prefix; ++i) {
    if (tp[i].kind != Token::Literal || tp[i].c != tq[i].c) return false;
  }
  if (!star) return tp.size() == prefix;
  // The rest of p must write only characters q's '*' accepts.
  const std::uint8_t excluded = tq.back().excluded;
  for (std::size_t i = prefix; i < tp.size(); ++i) {
    const Token& t = tp[i];
    if (t.kind == Token::Literal ? excludes(excluded, t.c) : (t.excluded & excluded) != excluded)
      return false;
  }
  return true;
}

}  // namespace

bool covered_by(const Pattern& p, std::span<const Pattern> union_of) {
  for (const Pattern& q : union_of) {
    std::optional<bool> simple = covered_by_simple(p, q);
    if (simple && *simple) return true;
    if (simple && union_of.size() == 1) return false;
  }
  if (union_of.size() == 1 && !p.is_literal()) {
    // Every string of p starts with p's literal prefix; q's strings all start with q's. Unless q's prefix is
    // a prefix of p's, some string of p escapes q (a wildcard can always write another character).
    std::string bp, bq;
    std::string_view lp = literal_prefix(p, bp), lq = literal_prefix(union_of[0], bq);
    if (lq.size() > lp.size() || lp.substr(0, lq.size()) != lq) return false;
  }
  // Proofs that cost a pass over the tokens settle nearly every question real policies ask; the exact search
  // is left for the rest.
  auto matched_by_union = [&](const std::string& s) {
    return std::any_of(union_of.begin(), union_of.end(), [&](const Pattern& q) { return q.matches(s); });
  };
  if (!matched_by_union(shortest_example(p)) || !matched_by_union(unnamed_example(p))) return false;
  if (std::any_of(union_of.begin(), union_of.end(),
                  [&](const Pattern& q) { return covers_token_by_token(q, p); }))
    return true;
  return !example_outside(p, union_of).has_value();
}

std::vector<std::optional<std::size_t>> covering_entries(std::span<const Fields> entries) {
  auto lone_star = [](const Fields& f) { return f.size() == 1 && f[0].matches_everything(); };
  auto covers = [](const Fields& inner, const Fields& outer) {
    if (inner.size() != outer.size()) return false;
    for (std::size_t k = 0; k < inner.size(); ++k) {
      if (!covered_by(inner[k], std::span(&outer[k], 1))) return false;
    }
    return true;
  };
  // The literal beginnings of the entries' last fields, one after another in one buffer.
  std::string buffer, one;
  std::vector<std::pair<std::size_t, std::size_t>> at(entries.size());  // offset and length in buffer
  std::vector<std::size_t> stars;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].empty()) literal_prefix(entries[i].back(), one);
    at[i] = {buffer.size(), entries[i].empty() ? 0 : one.size()};
    if (!entries[i].empty()) buffer += one;
    if (lone_star(entries[i])) stars.push_back(i);
  }
  auto prefix = [&](std::size_t i) { return std::string_view(buffer).substr(at[i].first, at[i].second); };
  std::vector<std::optional<std::size_t>> out(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    for (std::size_t j : stars) {
      if (j == i || (j > i && lone_star(entries[i]))) continue;
      out[i] = j;
      break;
    }
  }
  // A covering entry's last field has a literal prefix that is a prefix of this entry's. In sorted order,
  // the prefixes of an entry's prefix come before it, and the entries between them share them: a stack of
  // groups of equal prefixes holds exactly those of the current group, shortest first.
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return prefix(a) < prefix(b); });
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // groups as ranges of `order`
  for (std::size_t begin = 0, end = 0; begin < order.size(); begin = end) {
    std::string_view own = prefix(order[begin]);
    for (end = begin + 1; end < order.size() && prefix(order[end]) == own;) ++end;
    while (!stack.empty() && !own.starts_with(prefix(order[stack.back().first]))) stack.pop_back();
    stack.emplace_back(begin, end);
    for (std::size_t t = begin; t < end; ++t) {
      std::size_t i = order[t];
      for (auto group = stack.begin(); group != stack.end() && !out[i]; ++group) {
        for (std::size_t u = group->first; u < group->second; ++u) {
          std::size_t j = order[u];
          if (j == i || !covers(entries[i], entries[j])) continue;
          if (j > i && covers(entries[j], entries[i])) continue;
          out[i] = j;
          break;
        }
      }
    }
  }
  return out;
}

std::optional<Uncovered> example_outside(const Pattern& p, std::span<const Pattern> union_of,
                                         std::size_t limit) {
  // Cheap exact answers first: a literal is covered iff some pattern matches it; a pattern that overlaps
  // none of the union is not covered, and its shortest string shows it.
  if (p.is_literal()) {
    std::string s = shortest_example(p);
    bool covered =
        std::any_of(union_of.begin(), union_of.end(), [&](const Pattern& q) { return q.matches(s); });
    return covered ? std::nullopt : std::optional(Uncovered{s, true});
  }
  if (std::none_of(union_of.begin(), union_of.end(), [&](const Pattern& q) { return overlaps(p, q); })) {
    return Uncovered{shortest_example(p), true};
  }
  return example_outside_all(std::span(&p, 1), union_of, limit);
}

std::optional<Uncovered> example_outside_all(std::span<const Pattern> all_of,
                                             std::span<const Pattern> union_of, std::size_t limit) {
  // Subset construction over the intersected patterns and the union together: a state is the set of
  // positions of every automaton (the intersected ones first, then each pattern of the union), as a bitset.
  // It is explored breadth-first over an alphabet of representatives: every literal character of the
  // patterns, ':' and '/', and one character that none of them names (all other characters behave alike for
  // every token).
  std::set<char> named{':', '/'};
  std::vector<const Pattern*> all;
  for (const Pattern& a : all_of) all.push_back(&a);
  for (const Pattern& q : union_of) all.push_back(&q);
  for (const Pattern* q : all) {
    for (const Token& t : q->tokens()) {
      if (t.kind == Token::Literal) named.insert(t.c);
    }
  }
  // The character no pattern names comes first, then letters and digits, so that examples read naturally
  // ("workgroup/x" rather than "workgroup/-").
  std::vector<char> alphabet;
  for (char c : std::string_view("xyzqjkw0123456789")) {
    if (!named.count(c)) {
      alphabet.push_back(c);
      break;
    }
  }
  std::vector<char> rest(named.begin(), named.end());
  std::stable_partition(rest.begin(), rest.end(),
                        [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  alphabet.insert(alphabet.end(), rest.begin(), rest.end());

  // Global positions: for each position, its pattern and the token there (none at a pattern's end).
  struct Position {
    std::uint32_t pattern;
    const Token* token;
  };
  std::vector<Position> positions;
  std::vector<std::size_t> first;  // each pattern's first global position
  for (std::uint32_t i = 0; i < all.size(); ++i) {
    first.push_back(positions.size());
    for (const Token& t : all[i]->tokens()) positions.push_back({i, &t});
    positions.push_back({i, nullptr});
  }
  const std::size_t k = all_of.size();
  auto segment_end = [&](std::size_t seg) {
    return (seg + 1 < first.size() ? first[seg + 1] : positions.size()) - 1;
  };
  const std::size_t words = (positions.size() + 63) / 64;
  // States are bitsets of `words` words, kept one after another in one arena (no allocation per state).
  using Bits = std::span<std::uint64_t>;
  using ConstBits = std::span<const std::uint64_t>;
  auto test = [](ConstBits b, std::size_t i) { return (b[i / 64] >> (i % 64)) & 1u; };
  auto add = [&](Bits b, std::size_t i) {
    // The position, and the ones reached by skipping Stars after it.
    while (!test(b, i)) {
      b[i / 64] |= std::uint64_t{1} << (i % 64);
      if (!positions[i].token || positions[i].token->kind != Token::Star) break;
      ++i;
    }
  };
  auto step_all = [&](ConstBits from, char c, Bits to) {
    std::fill(to.begin(), to.end(), 0);
    for (std::size_t w = 0; w < words; ++w) {
      for (std::uint64_t bits = from[w]; bits; bits &= bits - 1) {
        std::size_t i = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
        const Token* t = positions[i].token;
        char folded = all[positions[i].pattern]->fold_case() ? fold_ascii(c) : c;
        if (t && accepts(*t, folded)) add(to, t->kind == Token::Star ? i : i + 1);
      }
    }
  };
  auto p_accepts = [&](ConstBits b) {
    for (std::size_t seg = 0; seg < k; ++seg) {
      if (!test(b, segment_end(seg))) return false;
    }
    return true;
  };
  auto p_alive = [&](ConstBits b) {
    for (std::size_t seg = 0; seg < k; ++seg) {
      bool any = false;
      for (std::size_t i = first[seg]; i <= segment_end(seg) && !any; ++i) any = test(b, i);
      if (!any) return false;
    }
    return true;
  };
  auto union_accepts = [&](ConstBits b) {
    for (std::size_t seg = k; seg < first.size(); ++seg) {
      if (test(b, segment_end(seg))) return true;
    }
    return false;
  };

  std::vector<std::uint64_t> arena;  // state n is arena[n * words, (n + 1) * words)
  std::vector<std::size_t> parent;
  std::vector<char> via;
  auto state = [&](std::size_t n) { return Bits(arena.data() + n * words, words); };
  struct Hash {
    const std::vector<std::uint64_t>& arena;
    std::size_t words;
    std::size_t operator()(std::size_t n) const {
      std::size_t h = 1469598103934665603ull;
      for (std::size_t w = 0; w < words; ++w) h = (h ^ arena[n * words + w]) * 1099511628211ull;
      return h;
    }
  };
  struct Equal {
    const std::vector<std::uint64_t>& arena;
    std::size_t words;
    bool operator()(std::size_t a, std::size_t b) const {
      return std::equal(arena.begin() + static_cast<std::ptrdiff_t>(a * words),
                        arena.begin() + static_cast<std::ptrdiff_t>((a + 1) * words),
                        arena.begin() + static_cast<std::ptrdiff_t>(b * words));
    }
  };
  std::unordered_set<std::size_t, Hash, Equal> seen(64, Hash{arena, words}, Equal{arena, words});
  arena.assign(words, 0);
  for (std::size_t f : first) add(state(0), f);
  parent.push_back(0);
  via.push_back('\0');
  seen.insert(0);
  for (std::size_t n = 0; n < parent.size(); ++n) {
    if (p_accepts(state(n)) && !union_accepts(state(n))) {
      std::string out;
      for (std::size_t m = n; m != 0; m = parent[m]) out.push_back(via[m]);
      std::reverse(out.begin(), out.end());
      return Uncovered{out, true};
    }
    if (parent.size() > limit) return Uncovered{{}, false};
    for (char c : alphabet) {
      // The candidate goes at the arena's end; it stays there only if it is a new state.
      std::size_t candidate = parent.size();
      arena.resize((candidate + 1) * words);
      step_all(state(n), c, state(candidate));
      if (!p_alive(state(candidate)) || !seen.insert(candidate).second) {
        arena.resize(candidate * words);
        continue;
      }
      parent.push_back(n);
      via.push_back(c);
    }
  }
  return std::nullopt;
}

}  // namespace scopecop
