#include "cli/diff_command.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "cli/catalog_command.h"
#include "cli/check_command.h"
#include "cli/inputs.h"
#include "scopecop/diff_report.h"
#include "scopecop/parallel.h"
#include "scopecop/parse.h"
#include "scopecop/text.h"

namespace scopecop::cli {

namespace {

// One version of one file: its text and the policies it holds.
struct Version {
  std::string file;  // as shown
  std::unique_ptr<SourceText> source;
  ParsedFile parsed;
};

// Parses `text`; `name` is what policies without a name of their own are called, the same for both
// versions so that a container's policies pair by name.
std::optional<std::string> load(Version& v, std::string text, std::string_view name) {
  v.source = std::make_unique<SourceText>(std::move(text));
  v.parsed = parse_policies(v.source->text(), name);
  if (v.parsed.syntax_error) {
    Position p = v.source->position(v.parsed.syntax_error->offset);
    return fmt::format("{}:{}:{}: not read: {}", v.file, p.line, p.column, v.parsed.syntax_error->message);
  }
  return std::nullopt;
}

std::vector<const Policy*> documents(const Version* v) {
  std::vector<const Policy*> out;
  if (!v) return out;
  for (const Policy& p : v->parsed.policies) {
    if (!p.attachments_only) out.push_back(&p);
  }
  return out;
}

// Compares the policies of two versions of a file (either may be missing): by name, or the only policy of
// each when both hold one.
void compare(const Version* before, const Version* after, AccessComparer& comparer, DiffReport& report) {
  static const Policy kNone;
  std::vector<const Policy*> b = documents(before), a = documents(after);
  std::vector<std::pair<const Policy*, const Policy*>> pairs;
  if (b.size() == 1 && a.size() == 1) {
    pairs.emplace_back(b[0], a[0]);
  } else {
    std::map<std::string, std::pair<const Policy*, const Policy*>> by_name;
    for (const Policy* p : b) by_name[p->name].first = p;
    for (const Policy* p : a) by_name[p->name].second = p;
    for (const auto& [name, pair] : by_name) pairs.push_back(pair);
  }
  // A policy one version holds and the other holds unread is not new or removed: it is not compared.
  auto unread_in = [](const Version* v, const std::string& name) {
    return v && std::any_of(v->parsed.unread.begin(), v->parsed.unread.end(),
                            [&](const Unread& u) { return u.name == name; });
  };
  for (const auto& [old_policy, new_policy] : pairs) {
    if ((!old_policy && unread_in(before, new_policy->name)) ||
        (!new_policy && unread_in(after, old_policy->name)))
      continue;
    ++report.compared;
    PolicyDiff d;
    d.name = new_policy ? new_policy->name : old_policy->name;
    if (old_policy) d.before = {before->file, old_policy, before->source.get()};
    if (new_policy) d.after = {after->file, new_policy, after->source.get()};
    d.diff = comparer.diff(old_policy ? *old_policy : kNone, new_policy ? *new_policy : kNone);
    if (!d.diff.changes.empty() || !d.diff.undecided.empty()) report.policies.push_back(std::move(d));
  }
  for (const Version* v : {before, after}) {
    if (!v) continue;
    for (const Unread& u : v->parsed.unread) {
      Position p = v->source->position(u.span.begin);
      report.notes.push_back(
          fmt::format("{}:{}:{}: {} not compared: {}", v->file, p.line, p.column, u.name, u.reason));
    }
  }
}

// Runs a program with `input` on its standard input; its standard output, or nullopt when it could not be
// run or exited with a failure (its standard error passes through).
std::optional<std::string> run(const std::vector<std::string>& argv, std::string_view input = {}) {
  char in_name[] = "/tmp/scopecop-git-XXXXXX";
  int in_fd = ::mkstemp(in_name);
  if (in_fd < 0) return std::nullopt;
  ::unlink(in_name);
  for (std::size_t done = 0; done < input.size();) {
    ssize_t n = ::write(in_fd, input.data() + done, input.size() - done);
    if (n <= 0) {
      ::close(in_fd);
      return std::nullopt;
    }
    done += static_cast<std::size_t>(n);
  }
  ::lseek(in_fd, 0, SEEK_SET);
  int out[2];
  if (::pipe(out) != 0) {
    ::close(in_fd);
    return std::nullopt;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::close(in_fd);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::_Exit(127);
  }
  ::close(out[1]);
  ::close(in_fd);
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return std::nullopt;
  return text;
}

std::vector<std::string> split_nul(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\0', at);
    if (end == std::string_view::npos) end = text.size();
    if (end > at) out.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

bool policy_file_name(std::string_view path) {
  for (std::string_view ext : {".json", ".yaml", ".yml", ".template"}) {
    if (path.ends_with(ext)) return true;
  }
  return false;
}

// The contents of `paths` at `rev` through one `git cat-file --batch`: nullopt for a file the revision does
// not have.
std::optional<std::vector<std::optional<std::string>>> at_revision(const std::string& rev,
                                                                   const std::string& prefix,
                                                                   const std::vector<std::string>& paths) {
  std::string requests;
  for (const std::string& p : paths) requests += rev + ":" + prefix + p + "\n";
  auto out = run({"git", "cat-file", "--batch"}, requests);
  if (!out) return std::nullopt;
  std::vector<std::optional<std::string>> contents;
  std::string_view rest = *out;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::size_t eol = rest.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view header = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    if (header.ends_with(" missing") || header.ends_with(" ambiguous")) {
      contents.emplace_back();
      continue;
    }
    // "<oid> <type> <size>"
    std::size_t space = header.rfind(' ');
    std::size_t size = std::strtoull(std::string(header.substr(space + 1)).c_str(), nullptr, 10);
    if (header.find(" blob ") == std::string_view::npos || size + 1 > rest.size()) {
      contents.emplace_back();
    } else {
      contents.emplace_back(std::string(rest.substr(0, size)));
    }
    rest.remove_prefix(std::min(rest.size(), size + 1));
  }
  return contents;
}

void error(const std::string& message) {
  std::cerr << "scopecop: error: " << escape_control(message) << '\n';
}

// Reads a path given on the command line ("-": standard input).
std::optional<std::string> read_named(const std::string& path, std::string& text) {
  InputFile input{path, true, path == "-", 0};
  return read_input(input, text);
}

}  // namespace

int run_diff(const DiffArgs& args) {
  std::unique_ptr<Catalog> loaded;
  if (!args.catalog_dir.empty()) {
    std::string why;
    loaded = load_catalog_dir(args.catalog_dir, why);
    if (!loaded) {
      error(why);
      return 2;
    }
  }
  const Catalog& catalog = loaded ? *loaded : Catalog::embedded();
  std::size_t jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Version>> versions;  // kept for the report's spans
  DiffReport report;

  if (args.git.empty()) {
    if (args.paths.size() != 2) {
      error("diff takes two paths, BEFORE and AFTER (or --git REV [PATH...])");
      return 2;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      auto v = std::make_unique<Version>();
      v->file = args.paths[i] == "-" ? "<stdin>" : args.paths[i];
      std::string text;
      if (auto why = read_named(args.paths[i], text)) {
        error(*why);
        return 2;
      }
      if (auto why = load(*v, std::move(text), args.paths[1])) {
        error(*why);
        return 2;
      }
      if (!v->parsed.recognized) {
        error(
            fmt::format("{}: holds no IAM policy (neither a policy document nor a template, plan or AWS "
                        "output that contains one)",
                        v->file));
        return 2;
      }
      versions.push_back(std::move(v));
    }
    AccessComparer comparer(catalog);
    compare(versions[0].get(), versions[1].get(), comparer, report);
  } else {
    std::vector<std::string> paths = args.paths.empty() ? std::vector<std::string>{"."} : args.paths;
    auto prefix = run({"git", "rev-parse", "--show-prefix"});
    if (!prefix || !run({"git", "rev-parse", "--verify", "--quiet", args.git + "^{commit}"})) {
      error(fmt::format("--git {}: not a revision of a git repository here", args.git));
      return 2;
    }
    if (!prefix->empty() && prefix->back() == '\n') prefix->pop_back();
    std::string rev = args.git;
    if (args.merge_base) {
      auto base = run({"git", "merge-base", args.git, "HEAD"});
      if (!base || base->size() < 2) {
        error(fmt::format("--git {}: no merge base with HEAD", args.git));
        return 2;
      }
      rev = base->substr(0, base->find('\n'));
    }
    std::vector<std::string> command{"git",        "diff",         "--name-only", "-z",
                                     "--relative", "--no-renames", rev,           "--"};
    command.insert(command.end(), paths.begin(), paths.end());
    auto changed = run(command);
    std::vector<std::string> untracked_command{"git",      "ls-files",           "-z",
                                               "--others", "--exclude-standard", "--"};
    untracked_command.insert(untracked_command.end(), paths.begin(), paths.end());
    auto untracked = run(untracked_command);
    if (!changed || !untracked) {
      error(fmt::format("--git {}: git could not list the changed files", args.git));
      return 2;
    }
    std::set<std::string> files;
    for (std::string& f : split_nul(*changed)) files.insert(std::move(f));
    for (std::string& f : split_nul(*untracked)) files.insert(std::move(f));
    std::erase_if(files, [](const std::string& f) { return !policy_file_name(f); });
    std::vector<std::string> list(files.begin(), files.end());
    auto old_contents = at_revision(rev, *prefix, list);
    if (!old_contents) {
      error(fmt::format("--git {}: git could not read the files at that revision", args.git));
      return 2;
    }
    // Files are read, parsed and compared in parallel, each into its own part of the report, joined in
    // file order; a comparer (and what it has read of the catalog) per thread.
    struct FileDiff {
      std::unique_ptr<Version> before, after;
      DiffReport part;
      std::string error;
    };
    std::vector<FileDiff> diffs(list.size());
    std::size_t threads = std::min<std::size_t>(jobs, list.size());
    std::vector<std::unique_ptr<AccessComparer>> comparers;
    for (std::size_t t = 0; t < std::max<std::size_t>(threads, 1); ++t)
      comparers.push_back(std::make_unique<AccessComparer>(catalog));
    share_out(list.size(), threads, [&](std::size_t worker, std::size_t i) {
      FileDiff& f = diffs[i];
      if ((*old_contents)[i]) {
        f.before = std::make_unique<Version>();
        f.before->file = list[i] + "@" + args.git;
        if (auto why = load(*f.before, std::move(*(*old_contents)[i]), list[i])) f.part.notes.push_back(*why);
      }
      std::string text;
      if (::access(list[i].c_str(), F_OK) == 0) {
        if (auto why = read_named(list[i], text)) {
          f.error = *why;
          return;
        }
        f.after = std::make_unique<Version>();
        f.after->file = list[i];
        // A file that does not parse now cannot be compared: say so and fail, never pass silently.
        if (auto why = load(*f.after, std::move(text), list[i])) {
          f.error = *why;
          return;
        }
      }
      bool before_holds = f.before && f.before->parsed.recognized;
      bool after_holds = f.after && f.after->parsed.recognized;
      if (before_holds || after_holds) {
        compare(before_holds ? f.before.get() : nullptr, after_holds ? f.after.get() : nullptr,
                *comparers[worker], f.part);
      }
    });
    for (FileDiff& f : diffs) {
      if (!f.error.empty()) {
        error(f.error);
        return 2;
      }
      report.compared += f.part.compared;
      std::move(f.part.policies.begin(), f.part.policies.end(), std::back_inserter(report.policies));
      std::move(f.part.notes.begin(), f.part.notes.end(), std::back_inserter(report.notes));
      versions.push_back(std::move(f.before));
      versions.push_back(std::move(f.after));
    }
  }

  std::ostringstream buffer;
  std::ostream& out = !args.output.empty() ? static_cast<std::ostream&>(buffer)
                      : args.to_stderr     ? std::cerr
                                           : std::cout;
  if (args.format == "json") {
    write_diff_json(out, report);
  } else if (args.format == "sarif") {
    write_diff_sarif(out, report);
  } else if (args.format == "github") {
    write_diff_github(out, report);
  } else {
    write_diff_text(out, report, use_color(args.color, args.output));
  }
  if (!args.output.empty()) {
    if (auto why = write_file_replacing(args.output, buffer.view())) {
      error(*why);
      return 2;
    }
  }
  std::cout.flush();
  if (!std::cout) {
    error(fmt::format("cannot write the output: {}", std::strerror(errno)));
    return 2;
  }
  return args.fail_on_new_access && report.adds_access() ? 1 : 0;
}

}  // namespace scopecop::cli
