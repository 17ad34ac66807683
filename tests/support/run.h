// Test helper: run the scopecop binary as a user would, capturing its exit code and output.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/files.h"

namespace scopecop::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "scopecop-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    std::filesystem::path p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    write_file(p, content);
    return p;
  }

 private:
  std::filesystem::path path_;
};

// Bounds for a run that must stay small: CPU seconds and address space (0: none). Sanitizer builds run
// several times slower and reserve terabytes of shadow memory, so they get ten times the time and no
// address-space bound.
struct Limits {
  rlim_t cpu_seconds = 0;
  rlim_t address_space = 0;
};

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// Runs SCOPECOP_BINARY with `args` in directory `cwd`, `input` on standard input, NO_COLOR unset unless
// given, within `limits`.
inline RunResult run_scopecop(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                              const std::string& input = "", const std::vector<std::string>& env = {},
                              const Limits& limits = {}) {
  TempDir io;
  auto in_path = io.write("stdin", input);
  auto out_path = io.path() / "stdout";
  auto err_path = io.path() / "stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    if (limits.cpu_seconds) {
      rlim_t cpu = kSanitized ? 10 * limits.cpu_seconds : limits.cpu_seconds;
      rlimit r{cpu, cpu};
      ::setrlimit(RLIMIT_CPU, &r);
    }
    if (limits.address_space && !kSanitized) {
      rlimit r{limits.address_space, limits.address_space};
      ::setrlimit(RLIMIT_AS, &r);
    }
    ::unsetenv("NO_COLOR");
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv{const_cast<char*>(SCOPECOP_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(SCOPECOP_BINARY, argv.data());
    ::_exit(127);
  }
  RunResult result;
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path).value_or("");
  result.err = read_file(err_path).value_or("");
  return result;
}

}  // namespace scopecop::testing
