#include "scopecop/arn.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scopecop/text.h"

namespace scopecop {

namespace {

constexpr std::array<std::string_view, 8> kPartitions = {"aws",       "aws-cn",    "aws-us-gov", "aws-iso",
                                                         "aws-iso-b", "aws-iso-e", "aws-iso-f",  "aws-eusc"};

bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_lower_alnum_dash(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Wildcards and variables stand for unknown text: such a field is not judged.
bool open_field(std::string_view s) {
  return has_wildcard(s) || has_variable(s);
}

// us-east-1, us-gov-west-1, cn-northwest-1, eu-isoe-west-1, ap-southeast-5
bool is_region(std::string_view s) {
  std::size_t dash = s.rfind('-');
  if (dash == std::string_view::npos || dash + 1 >= s.size()) return false;
  std::string_view name = s.substr(0, dash);
  return all_of(s.substr(dash + 1), is_digit) && name.size() >= 4 && name[2] == '-' &&
         all_of(name, is_lower_alnum_dash) && !name.ends_with('-') &&
         name.find("--") == std::string_view::npos;
}

void add_star(std::vector<Token>& tokens, std::uint8_t excluded) {
  if (tokens.empty() || tokens.back().kind != Token::Star || tokens.back().excluded != excluded) {
    tokens.push_back({Token::Star, 0, excluded});
  }
}

// One or more characters.
void add_plus(std::vector<Token>& tokens, std::uint8_t excluded) {
  tokens.push_back({Token::One, 0, excluded});
  tokens.push_back({Token::Star, 0, excluded});
}

}  // namespace

namespace {

// Wildcards and policy variables of a Resource value as tokens. Colons count fields: wildcards before the
// fifth colon (from `field` on) may not match ':', except a '*' that is the last character of the region or
// account field, which IAM lets expand beyond the colon (IAM User Guide, "IAM JSON policy elements:
// Resource", "Using wildcards in resource ARNs"): arn:aws:logs:*:*:/aws/lambda/x* matches a log group's ARN.
// A partition '*' does not: spanning the service field after it would be a wildcard service, which the same
// page rules out ("you can't use a wildcard in the service segment").
// With `within_fields`, every wildcard before the fifth colon stays within its field (scopecop's own
// patterns).
Pattern value_pattern(std::string_view value, std::size_t field, bool within_fields = false) {
  std::vector<Token> tokens;
  tokens.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::uint8_t excluded = field < 5 ? kNoColon : 0;
    if (!within_fields && (field == 3 || field == 4) && value[i] == '*' &&
        (i + 1 == value.size() || value[i + 1] == ':'))
      excluded = 0;
    char c = value[i];
    if (c == '$' && value.compare(i, 2, "${") == 0) {
      std::size_t close = value.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view inner = value.substr(i + 2, close - i - 2);
        if (inner == "*" || inner == "?" || inner == "$") {
          tokens.push_back({Token::Literal, inner[0], 0});
        } else {
          add_star(tokens, excluded);
        }
        i = close;
        continue;
      }
    }
    if (c == '*') {
      add_star(tokens, excluded);
    } else if (c == '?') {
      tokens.push_back({Token::One, 0, excluded});
    } else {
      if (c == ':') ++field;
      tokens.push_back({Token::Literal, c, 0});
    }
  }
  return Pattern(std::move(tokens));
}

// A short ARN ending in '*' ("arn:aws:athena:*") with "*" for the fields it leaves out, as split_arn reads
// it.
std::string padded(std::string_view value) {
  auto parts = split_arn(value);
  if (!parts) return std::string(value);
  // Appended rather than formatted: every Resource entry of a check comes here.
  std::string out;
  out.reserve(value.size() + 8);
  for (std::string_view field :
       {std::string_view("arn"), parts->partition, parts->service, parts->region, parts->account}) {
    out.append(field);
    out.push_back(':');
  }
  out.append(parts->resource);
  return out;
}

}  // namespace

std::vector<std::vector<Pattern>> ArnSet::field_lists() const {
  std::vector<std::vector<Pattern>> out;
  if (!has_product()) return out;
  // Field 5 is the resource part; fields 1 to 4 partition, service, region, account.
  auto add = [&](std::size_t field, std::span<const std::string> values) {
    if (field != 2 && std::find(values.begin(), values.end(), "*") != values.end()) return;
    std::vector<Pattern>& list = out.emplace_back();
    for (const std::string& v : values) {
      std::array<std::string_view, 6> fields{"arn", "*", "*", "*", "*", "*"};
      fields[field] = v;
      list.push_back(arn_pattern_within_fields(fmt::format("{}", fmt::join(fields, ":"))));
    }
  };
  add(5, resources);
  add(4, accounts);
  add(3, regions);
  add(1, partitions);
  add(2, std::span(&service, 1));
  return out;
}

Pattern arn_pattern(std::string_view value) {
  if (value == "*") return Pattern({Token{Token::Star, 0, 0}});
  return value_pattern(padded(value), 0);
}

Pattern arn_pattern_within_fields(std::string_view value) {
  if (value == "*") return Pattern({Token{Token::Star, 0, 0}});
  return value_pattern(padded(value), 0, true);
}

namespace {

// Whether the six fields of two ARN patterns can all meet, judged by their literal beginnings. Fields are
// aligned while the colons ending them are the pattern's literal ':' (the wildcards before them exclude ':'),
// and throughout when one side matches only its literal ':' and the other has as many (then no wildcard can
// span one); elsewhere the answer is "they may".
bool fields_may_meet(const Pattern& pa, const Pattern& pb) {
  std::span<const Token> a = pa.tokens(), b = pb.tokens();
  const std::size_t a_colons = pa.literal_colons(), b_colons = pb.literal_colons();
  const bool a_fixed = !pa.wildcard_matches_colon(), b_fixed = !pb.wildcard_matches_colon();
  // Every literal ':' of one side must meet a ':' of the other.
  if ((a_fixed && b_colons > a_colons) || (b_fixed && a_colons > b_colons)) return false;
  const bool aligned = (a_fixed || b_fixed) && a_colons == b_colons;
  auto wildcard = [](const Token& t) { return t.kind != Token::Literal; };
  auto next_field = [aligned](std::span<const Token> t, std::size_t& i) {  // past the next literal ':'
    for (; i < t.size(); ++i) {
      if (t[i].kind != Token::Literal && !aligned && !(t[i].excluded & kNoColon)) return false;
      if (t[i].kind == Token::Literal && t[i].c == ':') return ++i, true;
    }
    return false;
  };
  std::size_t i = 0, j = 0;
  for (int field = 0; field < 6; ++field) {
    const bool last = field == 5;
    while (i < a.size() && j < b.size() && !wildcard(a[i]) && !wildcard(b[j]) && a[i].c == b[j].c &&
           (last || a[i].c != ':')) {
      ++i, ++j;
    }
    if (last) {
      if (i == a.size() && j == b.size()) return true;
      return (i < a.size() && wildcard(a[i])) || (j < b.size() && wildcard(b[j]));  // else: literal vs end
    }
    if (i == a.size() || j == b.size()) return true;  // fewer than six fields: not judged here
    const bool a_end = !wildcard(a[i]) && a[i].c == ':', b_end = !wildcard(b[j]) && b[j].c == ':';
    if (a_end && b_end) {
      ++i, ++j;
      continue;
    }
    if (!wildcard(a[i]) && !wildcard(b[j])) return false;  // different literals at the same place
    if (!next_field(a, i) || !next_field(b, j)) return true;
  }
  return true;
}

}  // namespace

bool arn_overlaps(const Pattern& a, const Pattern& b) {
  return fields_may_meet(a, b) && overlaps(a, b);
}

Fields arn_fields(std::string_view value) {
  auto parts = split_arn(value);
  if (value == "*" || !parts) return {arn_pattern(value)};
  Fields fields{Pattern::literal("arn")};
  std::size_t field = 1;
  for (std::string_view head : {parts->partition, parts->service, parts->region, parts->account}) {
    fields.push_back(value_pattern(head, field++));  // a field's own wildcards, spanning as in the whole ARN
  }
  fields.push_back(value_pattern(parts->resource, 5));
  return fields;
}

Pattern arn_format_pattern(std::string_view format, std::span<const std::string_view> names_with_colons) {
  std::vector<Token> tokens;
  tokens.reserve(format.size());
  std::size_t field = 0;
  // Where the resource part starts, to tell its variables apart.
  std::size_t resource_start = std::string_view::npos;
  {
    std::size_t colons = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
      if (format[i] == '$' && format.compare(i, 2, "${") == 0) {
        i = std::min(format.find('}', i), format.size() - 1);
        continue;
      }
      if (format[i] == ':' && ++colons == 5) {
        resource_start = i + 1;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '$' && format.compare(i, 2, "${") == 0) {
      std::size_t close = format.find('}', i);
      if (close == std::string_view::npos) close = format.size() - 1;
      std::string_view name = format.substr(i + 2, close - i - 2);
      const bool colons = field >= 5 && std::find(names_with_colons.begin(), names_with_colons.end(), name) !=
                                            names_with_colons.end();
      const std::uint8_t no_colon = colons ? 0 : kNoColon;
      if (i == resource_start && close + 1 == format.size()) {
        add_plus(tokens, kNoSlash | no_colon);
      } else {
        add_plus(tokens, no_colon);
      }
      i = close;
      continue;
    }
    if (c == ':') ++field;
    tokens.push_back({Token::Literal, c, 0});
  }
  return Pattern(std::move(tokens));
}

bool has_wildcard(std::string_view s) {
  // A plain loop: find_first_of calls memchr once per character of the text.
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '*' || c == '?'; });
}
bool has_variable(std::string_view s) {
  return s.find("${") != std::string_view::npos;
}
bool is_account_id(std::string_view s) {
  return s.size() == 12 && all_of(s, is_digit);
}

std::optional<ArnParts> split_arn(std::string_view arn) {
  if (!arn.starts_with("arn:")) return std::nullopt;
  std::array<std::string_view, 5> fields;
  std::size_t start = 4;
  for (std::size_t i = 0; i < 4; ++i) {
    // A policy variable such as ${aws:RequestedRegion} has a colon of its own.
    std::size_t colon = start;
    while (colon < arn.size() && arn[colon] != ':') {
      if (arn.compare(colon, 2, "${") == 0) {
        std::size_t close = arn.find('}', colon);
        colon = close == std::string_view::npos ? arn.size() : close;
      }
      ++colon;
    }
    if (colon >= arn.size()) {
      // A '*' ending the last field written stands for the fields left out ("arn:aws:athena:*").
      if (i == 0 || !arn.ends_with('*')) return std::nullopt;
      fields[i] = arn.substr(start);
      for (std::size_t rest = i + 1; rest < fields.size(); ++rest) fields[rest] = "*";
      return ArnParts{fields[0], fields[1], fields[2], fields[3], fields[4]};
    }
    fields[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  fields[4] = arn.substr(start);
  return ArnParts{fields[0], fields[1], fields[2], fields[3], fields[4]};
}

std::string arn_syntax_problem(std::string_view arn) {
  if (!arn.starts_with("arn:")) {
    if (iequals(arn.substr(0, 4), "arn:")) return "\"arn:\" must be lowercase";
    return "it does not start with \"arn:\"";
  }
  auto parts = split_arn(arn);
  if (!parts) {
    auto colons = std::count(arn.begin(), arn.end(), ':');
    return fmt::format(
        "it has {} of the 6 colon-separated fields (arn:partition:service:region:account:resource)",
        colons + 1);
  }
  if (!open_field(parts->partition) &&
      std::find(kPartitions.begin(), kPartitions.end(), parts->partition) == kPartitions.end()) {
    std::string message = fmt::format("partition \"{}\" is not an AWS partition", parts->partition);
    if (auto best = did_you_mean(parts->partition, kPartitions))
      message += fmt::format(" (did you mean \"{}\"?)", *best);
    return message;
  }
  if (parts->service.empty()) return "the service field is empty";
  if (!open_field(parts->service) && !all_of(parts->service, is_lower_alnum_dash)) {
    return fmt::format("service \"{}\" is not a service prefix (lowercase letters, digits and '-')",
                       parts->service);
  }
  if (!parts->region.empty() && !open_field(parts->region) && !is_region(parts->region)) {
    return fmt::format("region \"{}\" is not a region name such as us-east-1", parts->region);
  }
  if (!parts->account.empty() && !open_field(parts->account) && !is_account_id(parts->account) &&
      parts->account != "aws") {
    return fmt::format("account \"{}\" is not a 12-digit account id", parts->account);
  }
  return {};
}

}  // namespace scopecop
