// Which rules run: --select/--ignore words (codes, names, family or code prefixes, ALL) resolved to rules.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "scopecop/rule.h"

namespace scopecop {

class RuleSelection {
 public:
  RuleSelection();  // every rule
  bool enabled(const RuleMeta& rule) const;
  std::size_t count() const;

  // Returns an error message naming the unknown word (with a "did you mean") instead of throwing.
  static std::string resolve(std::span<const std::string> select, std::span<const std::string> ignore,
                             RuleSelection& out);

 private:
  std::vector<bool> enabled_;  // indexed like rule_metadata()
};

}  // namespace scopecop
