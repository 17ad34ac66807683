#include "scopecop/glob.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>

namespace scopecop {

namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool excludes(std::uint8_t excluded, char c) {
  return ((excluded & kNoColon) && c == ':') || ((excluded & kNoSlash) && c == '/');
}

bool accepts(const Token& t, char c) {
  return t.kind == Token::Literal ? t.c == c : !excludes(t.excluded, c);
}

// A character both tokens accept, if any. Wildcards exclude at most ':' and '/', so two wildcards always
// share one ('x' stands for it).
std::optional<char> shared_char(const Token& a, const Token& b) {
  if (a.kind == Token::Literal && b.kind == Token::Literal) return a.c == b.c ? std::optional(a.c) : std::nullopt;
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

Positions step(std::span<const Token> tokens, const Positions& from, char c) {
  Positions to;
  for (std::uint32_t i : from) {
    if (i >= tokens.size() || !accepts(tokens[i], c)) continue;
    std::uint32_t next = tokens[i].kind == Token::Star ? i : i + 1;
    if (std::find(to.begin(), to.end(), next) == to.end()) to.push_back(next);
  }
  close(tokens, to);
  return to;
}

bool accepting(std::span<const Token> tokens, const Positions& set) {
  return !set.empty() && set.back() == tokens.size();
}

}  // namespace

Pattern::Pattern(std::vector<Token> tokens, bool fold_case) : tokens_(std::move(tokens)), fold_case_(fold_case) {
  if (fold_case_) {
    for (Token& t : tokens_) t.c = fold(t.c);
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

bool Pattern::is_literal() const {
  return std::all_of(tokens_.begin(), tokens_.end(), [](const Token& t) { return t.kind == Token::Literal; });
}

bool Pattern::matches(std::string_view s) const {
  Positions set = start(tokens_);
  for (char c : s) {
    set = step(tokens_, set, fold_case_ ? fold(c) : c);
    if (set.empty()) return false;
  }
  return accepting(tokens_, set);
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

std::optional<Uncovered> example_outside(const Pattern& p, std::span<const Pattern> union_of, std::size_t limit) {
  // Subset construction over p and over the union, explored together breadth-first over an alphabet of
  // representatives: every literal character of the patterns, ':' and '/', and one character that none of
  // them names (all other characters behave alike for every token).
  std::set<char> alphabet{':', '/'};
  auto collect = [&](const Pattern& q) {
    for (const Token& t : q.tokens()) {
      if (t.kind == Token::Literal) alphabet.insert(t.c);
    }
  };
  collect(p);
  for (const Pattern& q : union_of) collect(q);
  for (char c : std::string_view("xyzqjkw0123456789")) {
    if (!alphabet.count(c)) {
      alphabet.insert(c);
      break;
    }
  }

  // The union's state: positions tagged with the pattern they belong to.
  using UnionState = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  auto union_step = [&](const UnionState& from, char c) {
    UnionState to;
    for (std::uint32_t k = 0; k < union_of.size(); ++k) {
      Positions own;
      for (auto [q, i] : from) {
        if (q == k) own.push_back(i);
      }
      if (own.empty()) continue;
      char folded = union_of[k].fold_case() ? fold(c) : c;
      for (auto i : step(union_of[k].tokens(), own, folded)) to.emplace_back(k, i);
    }
    return to;
  };
  auto union_accepts = [&](const UnionState& s) {
    return std::any_of(s.begin(), s.end(), [&](auto qi) { return qi.second == union_of[qi.first].tokens().size(); });
  };

  using State = std::pair<Positions, UnionState>;
  std::map<State, std::pair<State, char>> parent;
  std::queue<State> queue;
  UnionState u0;
  for (std::uint32_t k = 0; k < union_of.size(); ++k) {
    for (auto i : start(union_of[k].tokens())) u0.emplace_back(k, i);
  }
  State s0{start(p.tokens()), u0};
  parent.emplace(s0, std::pair{s0, '\0'});
  queue.push(s0);
  auto example = [&](State s) {
    std::string out;
    while (parent.at(s).second != '\0') {
      out.push_back(parent.at(s).second);
      s = parent.at(s).first;
    }
    std::reverse(out.begin(), out.end());
    return out;
  };
  while (!queue.empty()) {
    State s = queue.front();
    queue.pop();
    if (accepting(p.tokens(), s.first) && !union_accepts(s.second)) return Uncovered{example(s), true};
    if (parent.size() > limit) return Uncovered{{}, false};
    for (char c : alphabet) {
      char pc = p.fold_case() ? fold(c) : c;
      Positions np = step(p.tokens(), s.first, pc);
      if (np.empty()) continue;
      State next{std::move(np), union_step(s.second, c)};
      if (parent.emplace(next, std::pair{s, c}).second) queue.push(std::move(next));
    }
  }
  return std::nullopt;
}

}  // namespace scopecop
