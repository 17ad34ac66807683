#include "cli/inputs.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "scopecop/text.h"

namespace scopecop::cli {

namespace fs = std::filesystem;

namespace {

using FileId = std::pair<dev_t, ino_t>;

// JSON, and YAML for CloudFormation templates; what a file holds is then decided by its content. Hidden
// files, like hidden directories, belong to tools (.scopecop.yaml, .pre-commit-config.yaml).
bool is_policy_candidate(std::string_view name) {
  if (name.starts_with('.')) return false;
  std::string_view ext = name.substr(std::min(name.rfind('.'), name.size()));
  return iequals(ext, ".json") || iequals(ext, ".yaml") || iequals(ext, ".yml") || iequals(ext, ".template");
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
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    if (ec) out_.errors.push_back(fmt::format("{}: {}", dir.string(), ec.message()));
    // One directory's entries share their parent: the order of the whole strings is that of the names (and
    // costs less than comparing paths element by element).
    std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
      return a.path().native() < b.path().native();
    });
    ancestors.push_back(id);
    // Files are shown under the directory's normal form ("./a/../b/x.json" as "b/x.json"), made once.
    std::string prefix = dir.lexically_normal().native();
    if (prefix == ".") prefix.clear();
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    for (const fs::directory_entry& entry : entries) {
      std::string_view full = entry.path().native();
      std::string_view name = full.substr(full.rfind('/') + 1);
      // The directory listing says what most entries are; only symbolic links are followed with a stat.
      std::error_code sec;
      bool is_directory = entry.is_directory(sec);
      bool is_file = !sec && !is_directory && entry.is_regular_file(sec);
      if (sec) {
        // A dangling link or an unreadable entry: only an error if it would have been checked.
        if (is_policy_candidate(name))
          out_.errors.push_back(fmt::format("{}: {}", entry.path().string(), sec.message()));
        continue;
      }
      if (is_directory) {
        if (!skipped_directory(entry.path())) directory(entry.path(), ancestors);
      } else if (is_file && is_policy_candidate(name)) {
        out_.files.push_back({prefix + std::string(name), false, false});
      } else if (is_file && name.ends_with(".tf")) {
        ++out_.terraform_files;
      } else if (!is_file && is_policy_candidate(name)) {
        // Never opened: a FIFO blocks, a link to /dev/zero never ends.
        out_.notes.push_back(fmt::format(
            "{}{}: not a regular file (a device, pipe or socket, or a link to one); skipped", prefix, name));
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
      std::uintmax_t size = fs::is_regular_file(status) ? fs::file_size(p, ec) : 0;
      inputs.files.push_back({p, true, false, ec ? 0 : size});
    }
  }
  // Each input once: standard input named twice is read once, and a file named twice, or named and found in
  // a directory also named, is checked once (as first named).
  if (paths.size() > 1) {
    std::set<std::string> seen;
    std::erase_if(inputs.files, [&](const InputFile& f) {
      std::error_code ec;
      std::string key = f.stdin_ ? std::string("-") : fs::weakly_canonical(f.path, ec).native();
      return !seen.insert(ec ? f.path : key).second;
    });
  }
  return inputs;
}

namespace {

// The largest policy AWS accepts is 20 KB; account dumps of large organizations reach tens of MB. Checking
// takes 20 to 30 bytes of memory per input byte (docs/performance.md), so a cap keeps a stray file from
// exhausting the machine.
constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;

std::string too_large(const std::string& path) {
  return fmt::format("{}: larger than {} MB, the most scopecop reads from one file", path,
                     kMaxInputBytes >> 20);
}

// Reads a descriptor opened O_NONBLOCK to its end, or to just past kMaxInputBytes. A named pipe nobody writes
// to reads as empty at once instead of hanging the run; a pipe with a writer (`<(terraform show -json plan)`)
// is waited for.
bool read_all(int fd, std::string& text) {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
      if (text.size() > kMaxInputBytes) return true;
    } else if (n == 0) {
      return true;
    } else if (errno == EAGAIN) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, -1) < 0 && errno != EINTR) return false;
    } else if (errno != EINTR) {
      return false;
    }
  }
}

// Reads a regular file of `size` bytes (as fstat saw it) in place: one read for most files, none past the
// end.
bool read_sized(int fd, std::size_t size, std::string& text) {
  text.resize(size);
  std::size_t have = 0;
  while (have < size) {
    ssize_t n = ::read(fd, text.data() + have, size - have);
    if (n > 0) {
      have += static_cast<std::size_t>(n);
    } else if (n == 0) {
      break;  // it shrank since
    } else if (errno != EINTR) {
      return false;
    }
  }
  text.resize(have);
  return true;
}

// Reads an open descriptor through read_all; the error, naming the path, if that fails or passes the cap.
std::optional<std::string> read_open(int fd, const std::string& path, std::string& text) {
  if (!read_all(fd, text)) return fmt::format("{}: {}", path, std::strerror(errno));
  if (text.size() > kMaxInputBytes) return too_large(path);
  return std::nullopt;
}

}  // namespace

namespace {

// Opens and reads `path` (following links): a regular file up to the cap, or with `pipes` also a FIFO or a
// character device read to its end or the cap; anything else is a one-line error naming the path.
std::optional<std::string> read_path(const std::string& path, bool pipes, std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fmt::format("{}: {}", path, std::strerror(errno));
  struct stat st {};
  std::optional<std::string> problem;
  if (::fstat(fd, &st) != 0) {
    problem = fmt::format("{}: {}", path, std::strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    problem = fmt::format("{}: is a directory", path);
  } else if (!S_ISREG(st.st_mode) && !(pipes && S_ISFIFO(st.st_mode))) {
    problem = fmt::format("{}: not a regular file", path);
  } else if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > kMaxInputBytes) {
    problem = too_large(path);
  } else if (S_ISREG(st.st_mode) && st.st_size > 0) {
    if (!read_sized(fd, static_cast<std::size_t>(st.st_size), text))
      problem = fmt::format("{}: {}", path, std::strerror(errno));
  } else {
    problem = read_open(fd, path, text);  // a pipe, or a file that reports no size (/proc)
  }
  ::close(fd);
  return problem;
}

}  // namespace

std::optional<std::string> read_input(const InputFile& input, std::string& text) {
  if (input.stdin_) return read_open(STDIN_FILENO, input.path, text);
  return read_path(input.path, true, text);
}

std::optional<std::string> read_regular_file(const std::string& path, std::string& text) {
  return read_path(path, false, text);
}

std::optional<std::string> write_file_replacing(const std::string& path, std::string_view content,
                                                bool replace) {
  std::filesystem::path target(path);
  std::error_code ec;
  auto status = std::filesystem::symlink_status(target, ec);
  if (!replace && std::filesystem::exists(status)) return fmt::format("{}: already exists", path);
  if (std::filesystem::is_directory(std::filesystem::status(target, ec)))
    return fmt::format("{}: is a directory", path);
  std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  std::string name = ".";
  name.append(target.filename().string()).append(".scopecop-XXXXXX");
  std::string temp = (dir / name).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return fmt::format("{}: {}", path, std::strerror(errno));
  std::optional<std::string> problem;
  for (std::size_t done = 0; done < content.size() && !problem;) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      problem = fmt::format("{}: {}", path, std::strerror(errno));
    }
  }
  if (!problem && ::fchmod(fd, 0644) != 0) problem = fmt::format("{}: {}", path, std::strerror(errno));
  if (::close(fd) != 0 && !problem) problem = fmt::format("{}: {}", path, std::strerror(errno));
  // A link named `path` is replaced, never followed: the file written is always the one named.
  if (!problem && ::rename(temp.c_str(), path.c_str()) != 0)
    problem = fmt::format("{}: {}", path, std::strerror(errno));
  if (problem) ::unlink(temp.c_str());
  return problem;
}

}  // namespace scopecop::cli
