// The files a `check` run reads: explicit paths, directories walked recursively, or standard input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scopecop::cli {

struct InputFile {
  std::string path;       // as shown in findings
  bool explicit_ = true;  // named on the command line (not found by walking a directory)
  bool stdin_ = false;
  std::uintmax_t size = 0;  // of a regular file named on the command line; 0 when not known
};

struct Inputs {
  std::vector<InputFile> files;
  std::vector<std::string> errors;  // one line each, naming the path
  std::vector<std::string> notes;   // what a directory holds that is not read, one line each
  std::size_t terraform_files = 0;  // *.tf found in the directories: configuration, which is read from a plan
};

// What to do with Terraform configuration: check its plan.
inline constexpr std::string_view kTerraformHint =
    "scopecop reads Terraform through its plan: terraform plan -out plan.out && "
    "terraform show -json plan.out > plan.json && scopecop check plan.json";

Inputs collect_inputs(const std::vector<std::string>& paths);

// Reads the whole file; on failure returns a one-line error naming the path.
std::optional<std::string> read_input(const InputFile& input, std::string& text);

// The same for a file scopecop reads besides its inputs (configuration, baseline, catalog files): only a
// regular file, with the same size cap, so that a link a repository commits to /dev/zero or a FIFO is an
// error, not gigabytes or a hang.
std::optional<std::string> read_regular_file(const std::string& path, std::string& text);

// Writes `content` to a temporary file beside `path` and renames it over `path`, so that a full disk or a
// file-size limit leaves the old file whole and a reader never sees half a file. Refuses an existing `path`
// (a dangling link included) unless `replace`. On failure returns a one-line error naming the path and the
// reason.
std::optional<std::string> write_file_replacing(const std::string& path, std::string_view content,
                                                bool replace = true);

}  // namespace scopecop::cli
