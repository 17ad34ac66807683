// libFuzzer target: the CloudFormation template evaluator (parameters, conditions, Fn::If branches, Fn::Sub,
// mappings, SAM policy templates, dynamic references) on templates in YAML or JSON, with the stack's account
// and region known or not. Its seeds are templates and
// tests/fuzz/template.dict names the intrinsics, so mutations stay templates.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/containers.h"
#include "parse/yaml.h"
#include "scopecop/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte chooses what the deployment determines; the rest is the template.
  const bool known = data[0] & 1;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  scopecop::Deployment deployment;
  if (known) {
    deployment.account = "123456789012";
    deployment.region = "eu-west-1";
    deployment.any_account = deployment.any_region = false;
  }
  scopecop::json::Document doc = scopecop::yaml::parse(text);
  if (doc.error || !scopecop::is_cloudformation(doc.root)) return 0;
  scopecop::ParsedFile out;
  scopecop::read_cloudformation(doc.root, text, deployment, out);
  return 0;
}
