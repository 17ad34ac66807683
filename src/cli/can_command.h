// `scopecop can`: whether one request is allowed by the policies given, decided offline as IAM decides.
#pragma once

#include <string>
#include <vector>

namespace scopecop::cli {

struct CanArgs {
  std::string action;
  std::string resource;
  std::string principal;
  std::vector<std::string> context;   // KEY=VALUE; a key given twice has two values
  std::vector<std::string> identity;  // the principal's identity policies (files)
  std::vector<std::string> resource_policies, boundaries, scps;
  std::string format = "text";
};

// Exit codes: 0 allowed, 1 denied (explicitly or implicitly), 3 the answer depends on what the request does
// not say, 2 usage or input errors.
int run_can(const CanArgs& args);

}  // namespace scopecop::cli
