// scopecop command line: subcommands and options (CLI11); the work happens in the library.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <string_view>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#ifdef SCOPECOP_MIMALLOC
#include <mimalloc.h>
#endif

#include "cli/can_command.h"
#include "cli/catalog_command.h"
#include "cli/check_command.h"
#include "cli/diff_command.h"
#include "scopecop/rule.h"
#include "scopecop/rule_page.h"
#include "scopecop/text.h"
#include "scopecop/version.h"

namespace {

// A command's exit code, or 2 when what it printed could not be written (a full disk, a closed pipe).
int written(int exit_code) {
  std::cout.flush();
  if (std::cout) return exit_code;
  std::cerr << "scopecop: error: cannot write the output: " << std::strerror(errno) << '\n';
  return 2;
}

int list_rules(const std::string& format) {
  const auto& rules = scopecop::rule_metadata();
  if (format == "json") {
    // The registry as data, for tools that index the rules (the same fields as the text columns, and the
    // rule's page).
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const scopecop::RuleMeta& r : rules) {
      list.push_back({{"code", r.code},
                      {"name", r.name},
                      {"family", scopecop::rule_family(r.code)},
                      {"severity", scopecop::severity_name(r.severity)},
                      {"summary", r.summary},
                      {"page", scopecop::rule_page_path(r)}});
    }
    std::cout << list.dump(2) << '\n';
    return 0;
  }
  std::size_t code = 0, name = 0;  // column widths: the longest of each
  for (const scopecop::RuleMeta& r : rules) {
    code = std::max(code, r.code.size());
    name = std::max(name, r.name.size());
  }
  for (const scopecop::RuleMeta& r : rules) {
    std::cout << fmt::format("{:<{}} {:<{}} {:<11} {}\n", r.code, code, r.name, name,
                             scopecop::severity_name(r.severity), r.summary);
  }
  return 0;
}

int show_rule(const std::string& word) {
  if (const scopecop::RuleMeta* r = scopecop::find_rule_meta(word)) {
    std::string page = scopecop::render_rule_page(*r);
    // The page is also the docs file; its HTML comments are for that file's editors, not for a reader at a
    // terminal.
    if (::isatty(STDOUT_FILENO) == 1) {
      std::string shown;
      std::istringstream lines(page);
      for (std::string line; std::getline(lines, line);) {
        if (!(line.starts_with("<!--") && line.ends_with("-->"))) shown += line + '\n';
      }
      page = std::move(shown);
    }
    std::cout << page;
    return 0;
  }
  std::vector<std::string_view> candidates;
  for (const scopecop::RuleMeta& r : scopecop::rule_metadata()) {
    candidates.push_back(r.code);
    candidates.push_back(r.name);
  }
  std::string message = fmt::format("scopecop: error: no rule \"{}\"", scopecop::escape_control(word));
  if (auto best = scopecop::did_you_mean(word, candidates))
    message += fmt::format("; did you mean \"{}\"?", *best);
  std::cerr << message << "\n(`scopecop rules` lists them all)\n";
  return 2;
}

[[noreturn]] void out_of_memory() {
  std::fputs("scopecop: error: out of memory; stopped\n", stderr);
  std::_Exit(2);
}

// Whatever ends the process early (memory exhausted on any thread, an exception nothing caught) ends it with
// one line and exit 2, never a silent abort.
[[noreturn]] void fatal() {
  const char* what = "an internal error";
  try {
    if (auto e = std::current_exception()) std::rethrow_exception(e);
  } catch (const std::bad_alloc&) {
    what = "out of memory";
  } catch (...) {
  }
  std::fprintf(stderr, "scopecop: error: %s; stopped\n", what);
  std::_Exit(2);
}

#ifdef SCOPECOP_MIMALLOC
// Whether the command names a directory, or files of a megabyte or more together: input enough that its
// memory is better taken in huge pages.
bool large_input(int argc, char** argv) {
  std::uintmax_t bytes = 0;
  for (int i = 1; i < argc; ++i) {
    struct stat st {};
    if (argv[i][0] == '-' || ::stat(argv[i], &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) return true;
    if (S_ISREG(st.st_mode)) bytes += static_cast<std::uintmax_t>(st.st_size);
  }
  return bytes >= (std::uintmax_t{1} << 20);
}

// For a large input mimalloc takes its memory in transparent huge pages where the kernel offers them: the
// first touches of a check's memory were most of its page faults, and a page fault is dear in a virtual
// machine such as a CI runner (the corpus as files in 0.78x the time, as a dump in 0.62x:
// docs/performance.md). A small one keeps 4 KB pages, as a 2 MB page would add to its memory what it never
// uses. The option must be set before mimalloc's first allocation, which comes before main (in the shared
// libraries' initialisers); .preinit_array runs before them. MIMALLOC_LARGE_OS_PAGES in the environment
// decides instead.
void large_os_pages(int argc, char** argv, char** envp) {
  for (char** e = envp; e && *e; ++e) {
    if (std::string_view(*e).starts_with("MIMALLOC_LARGE_OS_PAGES=")) return;
  }
  if (large_input(argc, argv)) mi_option_set(mi_option_large_os_pages, 1);
}
[[gnu::section(".preinit_array"), gnu::used]] void (*const kLargeOsPages)(int, char**,
                                                                          char**) = large_os_pages;
#endif

}  // namespace

int main(int argc, char** argv) {
  std::set_terminate(fatal);
  std::set_new_handler(out_of_memory);
#ifdef SCOPECOP_MIMALLOC
  // mimalloc reports exhausted memory here, and would abort after.
  mi_register_error(
      [](int err, void*) {
        if (err == ENOMEM) out_of_memory();
      },
      nullptr);
#endif
  using scopecop::Catalog;
  const std::string version = fmt::format("scopecop {} (IAM catalog {}, {} {})", scopecop::version(),
                                          Catalog::date(), Catalog::package(), Catalog::version());
  // Asked once per commit by pre-commit: answered before the command line's hundred options are built.
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << version << '\n';
    return written(0);
  }
  CLI::App app{"scopecop: a fast, offline static analyzer for AWS IAM policies", "scopecop"};
  app.set_version_flag("--version", version);
  app.require_subcommand(1);

  scopecop::cli::CheckArgs check;
  CLI::App* check_cmd =
      app.add_subcommand("check", "Check policy files and directories (- for standard input)");
  check_cmd->add_option(
      "paths", check.paths,
      "Files, directories (searched for *.json, *.yaml, *.yml, *.template), or - (default: .)");
  check_cmd->add_option("-f,--format", check.format, "Output format")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(scopecop::cli::kCheckFormats),
                                                     std::end(scopecop::cli::kCheckFormats))))
      ->capture_default_str();
  check_cmd
      ->add_option("-o,--output", check.outputs,
                   "Write the report to FILE instead of standard output; FORMAT:FILE (sarif:scopecop.sarif) "
                   "writes a report of that format as well (repeatable)")
      ->allow_extra_args(false);
  check_cmd->add_option("-c,--config", check.config,
                        "The configuration of every file (default: for each file, the .scopecop.yaml "
                        "nearest to it, up to the repository root)");
  auto* fail_on =
      check_cmd->add_option("--fail-on", check.fail_on, "Exit 1 when a finding is at least this severe")
          ->check(CLI::IsMember({"error", "security", "warning", "suggestion", "none"}))
          ->capture_default_str();
  check_cmd
      ->add_option("-S,--severity", check.severity,
                   "Show only findings at least this severe (the others are counted, and fail nothing)")
      ->check(CLI::IsMember({"error", "security", "warning", "suggestion"}));
  check_cmd
      ->add_option("--select", check.select, "Run only these rules (codes, names or prefixes such as S3)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check_cmd->add_option("--ignore", check.ignore, "Do not run these rules (codes, names or prefixes)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check_cmd->add_option("--policy-type", check.policy_type, "Treat every policy as this type")
      ->check(CLI::IsMember({"auto", "identity", "resource", "bucket", "endpoint", "trust", "scp"}))
      ->capture_default_str();
  check_cmd->add_option("--color", check.color, "Colour the text output (NO_COLOR is honoured with auto)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  check_cmd->add_option("--jobs", check.jobs, "Files checked in parallel (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  check_cmd->add_flag("--quiet", check.quiet,
                      "Findings and not-checked policies only: no summary, no notes on skipped files");
  check_cmd->add_flag("--strict", check.strict, "Exit 1 also when a policy could not be checked (a note)");
  check_cmd->add_flag(
      "--verbose", check.verbose,
      "Log on stderr which configuration judges which files, the catalog, what was skipped and "
      "stage timings (--log-level info)");
  check_cmd->add_option("--log-level", check.log_level,
                        "trace, debug, info, warn (the default), error or off; SCOPECOP_LOG sets it too");
  check_cmd->add_flag("--skip-non-policy", check.skip_non_policy,
                      "Skip named files that hold no policy, as in a directory (for pre-commit, which names "
                      "every staged file)");
  check_cmd->add_flag("--exclude-aws-managed", check.exclude_aws_managed,
                      "No findings in AWS managed policies (an account dump's arn:aws:iam::aws:policy/...), "
                      "which the account cannot change");
  check_cmd->add_option("--no-new-access", check.no_new_access,
                        "Also exit 1 when the paths grant access they did not at the merge base of REF and "
                        "HEAD (scopecop diff on standard error)");
  check_cmd->add_option("--baseline", check.baseline,
                        "Leave out the findings recorded in this baseline file (report only new ones)");
  check_cmd->add_option("--write-baseline", check.write_baseline,
                        "Record this run's findings in FILE as the baseline, and exit 0");
  check_cmd->add_option(
      "--catalog", check.catalog_dir,
      "A directory of AWS service-reference files (<service>.json) that replace embedded services");

  scopecop::cli::DiffArgs diff;
  CLI::App* diff_cmd = app.add_subcommand(
      "diff", "Show the access a change adds and removes: BEFORE AFTER, or --git REV [PATH...]");
  diff_cmd->add_option(
      "paths", diff.paths,
      "Two versions of a policy file (- for standard input), or with --git the paths to compare");
  diff_cmd->add_option("--git", diff.git,
                       "Compare each changed policy file under the paths with its version at this revision");
  diff_cmd->add_option("-f,--format", diff.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
  diff_cmd->add_option("-o,--output", diff.output, "Write the report to FILE instead of standard output");
  diff_cmd->add_option("--color", diff.color, "Colour the text output (NO_COLOR is honoured with auto)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  diff_cmd->add_flag("--fail-on-new-access,!--no-fail-on-new-access", diff.fail_on_new_access,
                     "Exit 1 when the change adds access (default: on)");
  diff_cmd->add_flag("--merge-base", diff.merge_base,
                     "With --git: compare with the merge base of REV and HEAD (a pull request's changes)");
  diff_cmd->add_option("--jobs", diff.jobs, "Files compared in parallel with --git (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  diff_cmd->add_option(
      "--catalog", diff.catalog_dir,
      "A directory of AWS service-reference files (<service>.json) that replace embedded services");

  scopecop::cli::CanArgs can;
  CLI::App* can_cmd = app.add_subcommand(
      "can", "Whether the policies given allow one request, decided offline as IAM decides");
  can_cmd->add_option("action", can.action, "The action, e.g. s3:GetObject")->required();
  can_cmd
      ->add_option("resource", can.resource, "The resource's ARN, or * for an action that accepts no other")
      ->required();
  can_cmd->add_option("policies", can.identity,
                      "The principal's identity policies (files, - for standard input)");
  can_cmd->add_option("--principal", can.principal,
                      "The caller's ARN (resource policies, cross-account access)");
  can_cmd
      ->add_option("--context", can.context, "A condition key's value, KEY=VALUE (repeat a key for several)")
      ->allow_extra_args(false);
  can_cmd
      ->add_option("--resource-policy", can.resource_policies,
                   "The resource's policy (a bucket or key policy)")
      ->allow_extra_args(false);
  can_cmd->add_option("--boundary", can.boundaries, "The principal's permission boundary")
      ->allow_extra_args(false);
  can_cmd->add_option("--scp", can.scps, "A service control policy that applies")->allow_extra_args(false);
  can_cmd->add_option("-f,--format", can.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  std::string init_from;
  CLI::App* init_cmd = app.add_subcommand("init", "Write a commented starter .scopecop.yaml here");
  init_cmd->add_option("--from", init_from, "Fill scope: from the policies under this path");
  CLI::App* rules_cmd = app.add_subcommand("rules", "List every rule: code, name, severity, summary");
  std::string rules_format = "text";
  rules_cmd->add_option("-f,--format", rules_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  std::string rule_word;
  CLI::App* rule_cmd = app.add_subcommand("rule", "Show a rule's documentation");
  rule_cmd->add_option("rule", rule_word, "A rule code or name, e.g. POLICY-003 or unknown-element")
      ->required();

  std::string catalog_what, catalog_dir;
  CLI::App* catalog_cmd = app.add_subcommand("catalog", "Show what the embedded IAM catalog knows");
  catalog_cmd->add_option("what", catalog_what, "A service (athena) or an action (glue:GetTable, s3:Get*)");
  catalog_cmd->add_option("--catalog", catalog_dir,
                          "A directory of AWS service-reference files to load on top");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "scopecop: error: " << scopecop::escape_control(e.what()) << "\n(run `scopecop --help`)\n";
    return 2;
  }
  if (check_cmd->parsed()) {
    check.fail_on_given = fail_on->count() > 0;
    return scopecop::cli::run_check(check);
  }
  if (diff_cmd->parsed()) return scopecop::cli::run_diff(diff);
  if (can_cmd->parsed()) return written(scopecop::cli::run_can(can));
  if (init_cmd->parsed()) return written(scopecop::cli::run_init(init_from));
  if (rules_cmd->parsed()) return written(list_rules(rules_format));
  if (rule_cmd->parsed()) return written(show_rule(rule_word));
  if (catalog_cmd->parsed()) {
    std::unique_ptr<scopecop::Catalog> loaded;
    if (!catalog_dir.empty()) {
      std::string error;
      loaded = scopecop::cli::load_catalog_dir(catalog_dir, error);
      if (!loaded) {
        std::cerr << "scopecop: error: " << scopecop::escape_control(error) << '\n';
        return 2;
      }
    }
    return written(scopecop::cli::run_catalog(loaded ? *loaded : Catalog::embedded(), catalog_what));
  }
  return 2;
}
