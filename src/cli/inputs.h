// The files a `check` run reads: explicit paths, directories walked recursively, or standard input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
};

Inputs collect_inputs(const std::vector<std::string>& paths);

// Reads the whole file; on failure returns a one-line error naming the path.
std::optional<std::string> read_input(const InputFile& input, std::string& text);

}  // namespace scopecop::cli
