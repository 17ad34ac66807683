// Real-world-shaped templates, plans and templatefile policies (tests/templates/), one per shape that once
// gave false errors or was skipped in silence: what scopecop says of them is fixed in expected.txt, no
// error-level finding occurs but in the files named true-error-*, and every policy not read is a note.
#include <catch2/catch.hpp>

#include <sstream>

#include "support/run.h"

using namespace scopecop;
using testing::run_scopecop;

TEST_CASE("templates: real-world shapes give no false errors and name what they do not read",
          "[cli][templates]") {
  auto r = run_scopecop({"check", "--format", "concise", "--fail-on", "none", "tests/templates"},
                        testing::kSourceDir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto golden = testing::kSourceDir / "tests/templates/expected.txt";
  if (testing::updating_goldens()) testing::write_file(golden, r.out);
  CHECK(r.out == testing::read_file(golden).value_or(""));

  std::istringstream lines(r.out);
  std::size_t true_errors = 0, notes = 0;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    if (line.find(": error ") != std::string::npos) {
      CHECK(line.starts_with("tests/templates/true-error-"));
      ++true_errors;
    }
    notes += line.find(": note ") != std::string::npos;
  }
  CHECK(true_errors == 2);
  // The unknown resource type, the imported document, the plan's policy known only after apply and the
  // data source that merges documents only the provider renders, the SAM entry that names no SAM policy
  // template, the resource policy SAM builds for an API.
  CHECK(notes == 6);
  // Empty and comment-only YAML files hold nothing: skipped with a note on stderr, never "not valid JSON".
  CHECK_THAT(r.err, Catch::Contains("tests/templates/empty.yaml: holds no IAM policy"));
  CHECK_THAT(r.err, Catch::Contains("tests/templates/comments-only.yaml: holds no IAM policy"));
  CHECK(run_scopecop({"check", "--strict", "tests/templates"}, testing::kSourceDir).exit_code == 1);
}
