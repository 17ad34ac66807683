// Test helper: CloudFormation templates whose intrinsic functions would expand without end, built at test
// time (the unit test of the evaluator's bounds and the command-line test of the process's share them).
#pragma once

#include <string>

#include <fmt/format.h>

namespace scopecop::testing {

// Parameters and buckets N0..N`n`, each bucket's name the one before joined twice (2^n characters if
// expanded), then `Resources:` entries follow; the caller appends a policy resource that names ${N`n`}.
inline std::string doubling_names(int n) {
  std::string text = "Parameters:\n  N0: {Type: String, AllowedValues: [x]}\nResources:\n";
  for (int i = 1; i <= n; ++i)
    text += fmt::format(
        "  N{}:\n    Type: AWS::S3::Bucket\n    Properties: {{BucketName: !Join ['', [!Ref N{}, !Ref "
        "N{}]]}}\n",
        i, i - 1, i - 1);
  return text;
}

}  // namespace scopecop::testing
