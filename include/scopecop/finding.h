// A finding: where (file, span, pointer), what (code, message), and how to fix it (help).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/policy.h"
#include "scopecop/severity.h"
#include "scopecop/source.h"

namespace scopecop {

struct Finding {
  std::string_view code;  // points into the static rule metadata
  std::string_view name;
  Severity severity = Severity::Error;
  std::string message;
  std::string help;
  std::string file;
  Position start, end;  // end is exclusive
  std::string pointer;
  std::string policy;
  std::optional<PolicyType> policy_type;
  std::optional<std::size_t> statement;
  std::string sid;
  std::string action;
  std::string resource;
  std::vector<std::string>
      principals;  // who the policy applies to, where its container says (Policy::receivers)
};

// A policy of a file that was not checked, where it is and why: every format reports it.
struct Note {
  std::string file;
  Position start;
  std::string pointer;
  std::string policy;
  std::string message;
};

// The report order: file, line, column, code (then message, so that equal positions stay deterministic).
bool finding_less(const Finding& a, const Finding& b);

}  // namespace scopecop
