// Wildcard patterns as IAM writes them, and exact set questions on them: does a pattern match a string, do
// two patterns share a string, is a pattern covered by a union of others. Patterns are token sequences
// (automata without cycles other than '*'), so every question is answered by a finite search, never by a
// heuristic.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scopecop {

// Characters a wildcard token may not match (ARN fields: '*' does not cross ':'; a bucket name has no '/').
enum Excluded : std::uint8_t { kNoColon = 1, kNoSlash = 2 };

struct Token {
  enum Kind : std::uint8_t { Literal, One, Star } kind = Literal;
  char c = 0;                 // Literal only
  std::uint8_t excluded = 0;  // One and Star: Excluded bits
};

class Pattern {
 public:
  Pattern() = default;
  explicit Pattern(std::vector<Token> tokens, bool fold_case = false);

  // '*' matches any run of characters, '?' any one character; everything else is literal. With fold_case,
  // ASCII letters match either case (IAM action names).
  static Pattern glob(std::string_view text, bool fold_case = false);
  static Pattern literal(std::string_view text);

  bool matches(std::string_view s) const;
  bool is_literal() const { return literal_; }  // no wildcard: matches exactly one string
  bool matches_everything() const {             // a lone '*' that excludes nothing
    return tokens_.size() == 1 && tokens_[0].kind == Token::Star && tokens_[0].excluded == 0;
  }
  bool fold_case() const { return fold_case_; }
  std::span<const Token> tokens() const { return tokens_; }
  // The ':' written literally, and whether a wildcard may match one too (ARN fields are told apart by them).
  std::size_t literal_colons() const { return colons_; }
  bool wildcard_matches_colon() const { return wildcard_colon_; }

 private:
  bool matches_stars_only(std::string_view s) const;
  std::vector<Token> tokens_;
  bool fold_case_ = false;
  bool literal_ = true;
  bool stars_only_ = true;  // literals and Stars that exclude nothing (most action patterns, "s3:Get*")
  bool wildcard_colon_ = false;
  std::size_t colons_ = 0;
};

// A string both patterns match, if any.
std::optional<std::string> common_example(const Pattern& a, const Pattern& b);
bool overlaps(const Pattern& a, const Pattern& b);  // the same question, answered without building an example

// A shortest string `p` matches that none of `union_of` matches, or nullopt when `p` is covered by the union.
// The search is exact; `limit` bounds the states explored, and on reaching it the answer is "not covered"
// with an empty example, so that callers never claim coverage they have not proven.
struct Uncovered {
  std::string example;
  bool proven = true;  // false: the limit was reached
};
std::optional<Uncovered> example_outside(const Pattern& p, std::span<const Pattern> union_of,
                                         std::size_t limit = 200000);
bool covered_by(const Pattern& p, std::span<const Pattern> union_of);

// The same question for the intersection of several patterns: a shortest string all of `all_of` match and
// none of `union_of` matches (e.g. the workgroup ARNs a Resource reaches that no allowed pattern covers).
std::optional<Uncovered> example_outside_all(std::span<const Pattern> all_of,
                                             std::span<const Pattern> union_of, std::size_t limit = 200000);

// An entry made of fields that are matched separately (an ARN's six colon-separated fields): its set is the
// product of its fields' sets, so one entry covers another exactly when each field covers the other's field.
using Fields = std::vector<Pattern>;

// For each entry of a list, another entry of the list that covers it, if any. Of two entries that cover each
// other (equal sets), only the later one is reported as covered. An entry that is a lone '*' covers every
// entry; otherwise only entries with as many fields compare. Candidates are found by the literal prefix of
// the last field, so a list of thousands of entries costs little more than its length.
std::vector<std::optional<std::size_t>> covering_entries(std::span<const Fields> entries);

}  // namespace scopecop
