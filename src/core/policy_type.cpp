#include <algorithm>
#include <array>

#include "scopecop/engine.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {
constexpr std::array<std::string_view, 6> kTypeNames = {"identity", "bucket", "resource",
                                                        "endpoint", "trust",  "scp"};
}

std::string_view policy_type_name(PolicyType t) {
  return kTypeNames[static_cast<std::size_t>(t)];
}

std::optional<PolicyType> parse_policy_type(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<PolicyType>(i);
  }
  return std::nullopt;
}

PolicyType guess_policy_type(const Policy& policy) {
  const auto& statements = policy.statements;
  bool principal = std::any_of(statements.begin(), statements.end(), [](const Statement& s) {
    return s.principal.present || s.not_principal.present;
  });
  if (!principal) return PolicyType::Identity;
  bool resource = std::any_of(statements.begin(), statements.end(), [](const Statement& s) {
    return s.resource.present || s.not_resource.present;
  });
  bool assume_role = std::any_of(statements.begin(), statements.end(), [](const Statement& s) {
    return std::any_of(s.action.values.begin(), s.action.values.end(),
                       [](const Text& a) { return to_lower(a.value).starts_with("sts:assumerole"); });
  });
  if (assume_role && !resource) return PolicyType::Trust;
  bool s3 = std::any_of(statements.begin(), statements.end(), [](const Statement& s) {
    auto is_s3 = [](const Text& r) {
      // arn:PARTITION:s3:::bucket — the service field is the third.
      auto first = r.value.find(':');
      auto second = first == std::string::npos ? first : r.value.find(':', first + 1);
      return r.value.starts_with("arn:") && second != std::string::npos &&
             r.value.compare(second + 1, 4, "s3::") == 0;
    };
    return std::any_of(s.resource.values.begin(), s.resource.values.end(), is_s3) ||
           std::any_of(s.not_resource.values.begin(), s.not_resource.values.end(), is_s3);
  });
  return s3 ? PolicyType::Bucket : PolicyType::Resource;
}

}  // namespace scopecop
