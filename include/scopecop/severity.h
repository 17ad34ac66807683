// Finding severities, highest first.
#pragma once

#include <optional>
#include <string_view>

namespace scopecop {

enum class Severity : unsigned char { Error, Security, Warning, Suggestion };

inline constexpr Severity kAllSeverities[] = {Severity::Error, Severity::Security, Severity::Warning,
                                              Severity::Suggestion};

std::string_view severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view name);
// True when `s` is at least as severe as `threshold`.
inline bool at_least(Severity s, Severity threshold) {
  return s <= threshold;
}

}  // namespace scopecop
