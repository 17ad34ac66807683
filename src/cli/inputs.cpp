#include "cli/inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "scopecop/text.h"

namespace scopecop::cli {

namespace fs = std::filesystem;

namespace {

using FileId = std::pair<dev_t, ino_t>;

bool is_policy_candidate(const fs::path& p) {
  return iequals(p.extension().string(), ".json");
}

// Version control, tool caches and dependencies are not the user's policies.
bool skipped_directory(const fs::path& p) {
  std::string name = p.filename().string();
  return (name.size() > 1 && name.front() == '.') || name == "node_modules";
}

class Walker {
 public:
  explicit Walker(Inputs& out) : out_(out) {}

  void directory(const fs::path& dir, std::vector<FileId>& ancestors) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      out_.errors.push_back(fmt::format("{}: {}", dir.string(), std::strerror(errno)));
      return;
    }
    FileId id{st.st_dev, st.st_ino};
    if (std::find(ancestors.begin(), ancestors.end(), id) != ancestors.end()) {
      out_.errors.push_back(fmt::format(
          "{}: directory loop (a symbolic link leads back to a directory above it)", dir.string()));
      return;
    }
    if (!visited_.insert(id).second) return;  // reached twice through links: check it once
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      out_.errors.push_back(fmt::format("{}: {}", dir.string(), ec.message()));
      return;
    }
    std::vector<fs::path> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(it->path());
    }
    if (ec) out_.errors.push_back(fmt::format("{}: {}", dir.string(), ec.message()));
    std::sort(entries.begin(), entries.end());
    ancestors.push_back(id);
    for (const fs::path& entry : entries) {
      std::error_code sec;
      fs::file_status status = fs::status(entry, sec);
      if (sec) {
        // A dangling link or an unreadable entry: only an error if it would have been checked.
        if (is_policy_candidate(entry))
          out_.errors.push_back(fmt::format("{}: {}", entry.string(), sec.message()));
        continue;
      }
      if (fs::is_directory(status)) {
        if (!skipped_directory(entry)) directory(entry, ancestors);
      } else if (fs::is_regular_file(status) && is_policy_candidate(entry)) {
        out_.files.push_back({entry.lexically_normal().string(), false, false});
      }
    }
    ancestors.pop_back();
  }

 private:
  Inputs& out_;
  std::set<FileId> visited_;
};

}  // namespace

Inputs collect_inputs(const std::vector<std::string>& paths) {
  Inputs inputs;
  Walker walker(inputs);
  for (const std::string& p : paths) {
    if (p == "-") {
      inputs.files.push_back({"<stdin>", true, true});
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(p, ec);
    if (ec) {
      inputs.errors.push_back(fmt::format("{}: {}", p, ec.message()));
    } else if (fs::is_directory(status)) {
      std::vector<FileId> ancestors;
      walker.directory(p, ancestors);
    } else {
      inputs.files.push_back({p, true, false});
    }
  }
  return inputs;
}

std::optional<std::string> read_input(const InputFile& input, std::string& text) {
  if (input.stdin_) {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    text = std::move(buffer).str();
    return std::nullopt;
  }
  std::ifstream in(input.path, std::ios::binary);
  if (!in) return fmt::format("{}: {}", input.path, std::strerror(errno));
  std::error_code ec;
  if (fs::is_directory(input.path, ec)) return fmt::format("{}: is a directory", input.path);
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return fmt::format("{}: read error", input.path);
  return std::nullopt;
}

}  // namespace scopecop::cli
