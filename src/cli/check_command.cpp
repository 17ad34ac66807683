#include "cli/check_command.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#ifdef SCOPECOP_MIMALLOC
#include <mimalloc.h>
#endif

#include "cli/catalog_command.h"
#include "cli/diff_command.h"
#include "cli/inputs.h"
#include "cli/log.h"
#include "scopecop/config.h"
#include "scopecop/engine.h"
#include "scopecop/parallel.h"
#include "scopecop/parse.h"
#include "scopecop/report.h"
#include "scopecop/resolve.h"
#include "scopecop/suppress.h"
#include "scopecop/text.h"

namespace scopecop::cli {

namespace {

struct Outcome {
  std::optional<FileResult> result;
  std::string error;  // one line, naming the path
  std::string note;
};

Outcome check_one(const InputFile& input, const CheckOptions& options, ResolutionCache& cache) {
  Outcome outcome;
  if (input.explicit_ && input.path.ends_with(".tf")) {
    outcome.error = fmt::format("{}: Terraform configuration is not read; {}", input.path, kTerraformHint);
    return outcome;
  }
  std::string text;
  if (auto error = read_input(input, text)) {
    outcome.error = *error;
    return outcome;
  }
  FileResult result = check_text(input.path, std::move(text), options, &cache);
  if (!result.recognized) {
    // A JSON file that holds no policy: expected in a directory, a mistake when named.
    std::string why = fmt::format(
        "{}: holds no IAM policy (neither a policy document nor a template, plan or AWS output "
        "that contains one)",
        input.path);
    if (input.explicit_) {
      outcome.error = why;
    } else {
      outcome.note = why + "; skipped";
    }
    return outcome;
  }
  outcome.result = std::move(result);
  return outcome;
}

// `keep_sources`: the reports show lines of the files (text, html); others need only the findings, and a
// file's text goes as soon as it is checked.
std::vector<Outcome> check_all(const std::vector<InputFile>& files, const CheckOptions& options,
                               unsigned jobs, bool keep_sources) {
  std::vector<Outcome> outcomes(files.size());
  std::size_t threads = std::min<std::size_t>(jobs, files.size());
  // Files found in a directory have no size yet: a policy file is a few kilobytes.
  std::uintmax_t bytes = 0;
  for (const InputFile& f : files) bytes += f.size ? f.size : 4096;
  ResolutionCache cache(options.catalog ? *options.catalog : Catalog::embedded(), bytes);
  share_out(files.size(), threads, [&](std::size_t, std::size_t i) {
    outcomes[i] = check_one(files[i], options, cache);
    if (!keep_sources && outcomes[i].result) outcomes[i].result->source.reset();
  });
  return outcomes;
}

// Many files or a large one are checked in 2 MB pages: a third of the page faults and a fifth less time on
// the AWS managed policies as one account dump (docs/performance.md). One small policy keeps 4 KB pages, with
// which it needs a third less memory.
void choose_page_size(const Inputs& inputs) {
#ifdef SCOPECOP_MIMALLOC
  std::uintmax_t named = 0;
  for (const InputFile& f : inputs.files) named += f.size;
  if (inputs.files.size() < 64 && named < (std::uintmax_t{1} << 20)) return;
  mi_option_enable(mi_option_large_os_pages);
  // The main thread's first 32 MB segment is taken at startup, in small pages; the workers' first ones are
  // taken from here on, and in large pages only if they are committed at once.
  mi_option_set(mi_option_eager_commit_delay, 0);
#else
  (void)inputs;
#endif
}

}  // namespace

bool use_color(const std::string& color, const std::string& output) {
  if (color == "always") return true;
  if (color == "never" || !output.empty()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

namespace {

void error(const std::string& message) {
  std::cerr << "scopecop: error: " << escape_control(message) << '\n';
}

struct Output {
  std::string format, path;
  bool plain = false;  // FILE alone: the --format report, which then does not go to standard output
};

// "sarif:scopecop.sarif" or "report.txt" (the --format report); nullopt for "FORMAT:" without a file.
std::optional<Output> parse_output(const std::string& value, const std::string& format) {
  std::size_t colon = value.find(':');
  std::string_view prefix = std::string_view(value).substr(0, colon == std::string::npos ? 0 : colon);
  bool named =
      std::find(std::begin(kCheckFormats), std::end(kCheckFormats), prefix) != std::end(kCheckFormats);
  if (!named) return Output{format, value, true};
  if (colon + 1 == value.size()) return std::nullopt;
  return Output{std::string(prefix), value.substr(colon + 1), false};
}

void write_report(std::ostream& out, const Report& report, std::string_view format, const TextStyle& style) {
  if (format == "json") {
    write_json(out, report, style.jobs);
  } else if (format == "sarif") {
    write_sarif(out, report, style.jobs);
  } else if (format == "junit") {
    write_junit(out, report);
  } else if (format == "github") {
    write_github(out, report);
  } else if (format == "html") {
    write_html(out, report);
  } else if (format == "concise") {
    write_concise(out, report, style);
  } else {
    write_text(out, report, style);
  }
}

namespace fs = std::filesystem;

// Whether `path` is one of the files a check reads (the same file, by any name).
bool names_an_input(const std::string& path, const Inputs& inputs) {
  std::error_code ec;
  fs::path target = fs::weakly_canonical(path, ec);
  for (const InputFile& input : inputs.files) {
    if (input.stdin_) continue;
    std::error_code e1;
    if (fs::equivalent(path, input.path, e1) || (!ec && fs::weakly_canonical(input.path, e1) == target))
      return true;
  }
  return false;
}

// .scopecop.yaml in `dir` or the nearest directory above it, not beyond the repository's root.
std::optional<fs::path> find_config(fs::path dir) {
  std::error_code ec;
  for (;;) {
    // A link to nowhere is found too, so that reading it reports it instead of skipping it silently.
    if (fs::exists(fs::symlink_status(dir / ".scopecop.yaml", ec))) return dir / ".scopecop.yaml";
    if (fs::exists(dir / ".git", ec) || dir == dir.parent_path()) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::optional<Config> load_config(const std::optional<fs::path>& path, std::string& problem) {
  if (!path) return Config{};
  std::string text;
  if (auto why = read_regular_file(path->string(), text)) {
    problem = fmt::format("cannot read the configuration: {}", *why);
    return std::nullopt;
  }
  auto config = parse_config(text, path->string(), problem);
  if (config && config->catalog) {
    fs::path dir = fs::path(*config->catalog);
    if (dir.is_relative()) config->catalog = (path->parent_path() / dir).string();
  }
  return config;
}

// What one configuration makes of the files it judges: the options of their check, their suppressions and
// the severity that fails the run.
struct Judge {
  Config config;
  CheckOptions options;
  std::unique_ptr<Catalog> catalog;
  std::optional<Severity> fail_on;
  std::vector<std::size_t> files;  // indices into the inputs
};

// The judge of one configuration file (none: the defaults), or nullopt after reporting why not.
std::unique_ptr<Judge> make_judge(const std::optional<fs::path>& path, const CheckArgs& args) {
  auto judge = std::make_unique<Judge>();
  std::string config_problem;
  std::optional<Config> config = load_config(path, config_problem);
  if (!config) {
    error(config_problem);
    return nullptr;
  }
  judge->config = std::move(*config);
  const Config& c = judge->config;
  CheckOptions& options = judge->options;
  std::vector<std::string> select = args.select.empty() ? c.select : args.select;
  std::vector<std::string> ignore = c.ignore;
  ignore.insert(ignore.end(), args.ignore.begin(), args.ignore.end());
  if (std::string problem = RuleSelection::resolve(select, ignore, options.rules); !problem.empty()) {
    bool from_config = args.select.empty() && args.ignore.empty() && !c.path.empty();
    error(from_config ? c.path + ": " + problem : problem);
    return nullptr;
  }
  for (const auto& [word, severity] : c.severity) {
    RuleSelection chosen;
    std::vector<std::string> one{word};
    if (std::string problem = RuleSelection::resolve(one, {}, chosen); !problem.empty()) {
      error(fmt::format("{}: severity: {}", c.path, problem));
      return nullptr;
    }
    for (const RuleMeta& m : rule_metadata()) {
      if (chosen.enabled(m)) options.severities.emplace_back(&m, severity);
    }
  }
  if (std::string problem = check_suppressions(c.suppress, c.path); !problem.empty()) {
    error(problem);
    return nullptr;
  }
  if (c.scope) options.scope = &*c.scope;
  if (!c.never.empty()) options.never = &c.never;
  if (args.policy_type != "auto") options.policy_type = parse_policy_type(args.policy_type);
  options.exclude_aws_managed = args.exclude_aws_managed;
  std::string catalog_dir = args.catalog_dir.empty() ? c.catalog.value_or("") : args.catalog_dir;
  if (!catalog_dir.empty()) {
    std::string problem;
    judge->catalog = load_catalog_dir(catalog_dir, problem);
    if (!judge->catalog) {
      error(problem);
      return nullptr;
    }
    options.catalog = judge->catalog.get();
  }
  std::string fail_on_word = args.fail_on_given || !c.fail_on ? args.fail_on : *c.fail_on;
  if (fail_on_word != "none") judge->fail_on = parse_severity(fail_on_word);
  return judge;
}

}  // namespace

int run_check(const CheckArgs& args) {
  if (auto why = setup_logging(args.log_level, args.verbose)) {
    error(*why);
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<Output> outputs;
  for (const std::string& value : args.outputs) {
    auto o = parse_output(value, args.format);
    if (!o) {
      error(fmt::format("--output {}: names a format but no file (FORMAT:FILE)", value));
      return 2;
    }
    bool plain_again =
        o->plain && std::any_of(outputs.begin(), outputs.end(), [](const Output& x) { return x.plain; });
    bool same_path =
        std::any_of(outputs.begin(), outputs.end(), [&](const Output& x) { return x.path == o->path; });
    if (plain_again || same_path) {
      error(fmt::format("--output {}: {}", value,
                        same_path ? "another --output writes that file"
                                  : "only one --output FILE takes the --format "
                                    "report; name the others' formats (FORMAT:FILE)"));
      return 2;
    }
    outputs.push_back(std::move(*o));
  }
  std::optional<Baseline> baseline;
  if (!args.baseline.empty()) {
    std::string text, problem;
    if (auto why = read_regular_file(args.baseline, text)) {
      error(fmt::format("cannot read the baseline: {}", *why));
      return 2;
    }
    baseline = Baseline::parse(text, args.baseline, problem);
    if (!baseline) {
      error(problem);
      return 2;
    }
  }

  Inputs inputs = collect_inputs(args.paths);
  spdlog::info("{} file{} to read under {} path{} ({:.1f} ms)", inputs.files.size(),
               inputs.files.size() == 1 ? "" : "s", args.paths.size(), args.paths.size() == 1 ? "" : "s",
               elapsed_ms(started));
  const Catalog& embedded = Catalog::embedded();
  spdlog::info("IAM catalog {} ({} {}), {} services", embedded.date(), embedded.package(), embedded.version(),
               embedded.prefixes().size());
  if (args.skip_non_policy) {
    for (InputFile& f : inputs.files) f.explicit_ = false;
  }
  choose_page_size(inputs);
  unsigned jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  const bool to_terminal =
      std::none_of(outputs.begin(), outputs.end(), [&](const Output& o) { return o.plain; });
  auto shows_lines = [](std::string_view format) { return format == "text" || format == "html"; };
  const bool keep_sources =
      (to_terminal && shows_lines(args.format)) ||
      std::any_of(outputs.begin(), outputs.end(), [&](const Output& o) { return shows_lines(o.format); });

  // Each file is judged with the .scopecop.yaml nearest to it, up to its repository's root (standard input
  // with the current directory's), or with --config.
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  std::map<std::string, std::unique_ptr<Judge>> judges;  // by the configuration's path ("": none)
  std::vector<Judge*> judge_of(inputs.files.size());
  auto judge_for = [&](const std::optional<fs::path>& path) -> Judge* {
    std::unique_ptr<Judge>& judge = judges[path ? path->lexically_normal().string() : std::string()];
    if (!judge) judge = make_judge(path, args);
    return judge.get();
  };
  std::map<fs::path, std::optional<fs::path>> found;  // by directory: a directory's files share it
  auto config_for = [&](const fs::path& dir) {
    if (!args.config.empty()) return std::optional(fs::path(args.config));
    auto it = found.find(dir);
    if (it == found.end()) it = found.emplace(dir, find_config(dir)).first;
    return it->second;
  };
  for (std::size_t i = 0; i < inputs.files.size(); ++i) {
    const InputFile& f = inputs.files[i];
    fs::path dir = f.stdin_ ? cwd : fs::absolute(fs::path(f.path), ec).parent_path();
    judge_of[i] = judge_for(config_for(dir));
    if (!judge_of[i]) return 2;
    judge_of[i]->files.push_back(i);
  }
  // With no file to check, the current directory's configuration is still read, and its mistakes reported.
  if (judges.empty() && !judge_for(config_for(cwd))) return 2;

  std::vector<Outcome> outcomes(inputs.files.size());
  for (auto& [path, judge] : judges) {
    if (judge->files.empty()) continue;
    std::vector<InputFile> files;
    for (std::size_t i : judge->files) files.push_back(inputs.files[i]);
    // Threads go to files first; the cores that fewer files leave idle check the policies of each file.
    judge->options.jobs = std::max(1u, static_cast<unsigned>(jobs / files.size()));
    const auto checking = std::chrono::steady_clock::now();
    std::vector<Outcome> part = check_all(files, judge->options, jobs, keep_sources);
    spdlog::info("{} judges {} file{} ({:.1f} ms on {} thread{})",
                 path.empty() ? std::string("no configuration (the defaults)") : escape_control(path),
                 files.size(), files.size() == 1 ? "" : "s", elapsed_ms(checking), jobs,
                 jobs == 1 ? "" : "s");
    if (judge->catalog) {
      spdlog::info("{}: its catalog has {} services replaced by --catalog files", escape_control(path),
                   judge->catalog->overridden());
    }
    if (spdlog::should_log(spdlog::level::debug)) {
      for (std::size_t k = 0; k < part.size(); ++k) {
        const Outcome& o = part[k];
        if (!o.result) {
          spdlog::debug("{}", escape_control(o.note.empty() ? o.error : o.note));
        } else {
          spdlog::debug("{}: {} polic{} checked, {} not checked", escape_control(files[k].path),
                        o.result->policies, o.result->policies == 1 ? "y" : "ies", o.result->notes.size());
        }
      }
    }
    for (std::size_t k = 0; k < part.size(); ++k) outcomes[judge->files[k]] = std::move(part[k]);
  }

  bool failed = !inputs.errors.empty();
  for (const std::string& e : inputs.errors) error(e);
  if (!args.quiet) {
    for (const std::string& n : inputs.notes) std::cerr << "scopecop: note: " << escape_control(n) << '\n';
  }
  if (inputs.terraform_files) {
    // Nothing else to check: that is no pass, but a run that read nothing.
    std::string what =
        fmt::format("{} Terraform configuration file{} (*.tf) not read; {}", inputs.terraform_files,
                    inputs.terraform_files == 1 ? "" : "s", kTerraformHint);
    if (inputs.files.empty()) {
      error(what);
      failed = true;
    } else if (!args.quiet) {
      std::cerr << "scopecop: note: " << what << '\n';
    }
  }
  std::vector<FileResult> results;
  std::vector<const Judge*> result_judges;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& o = outcomes[i];
    if (!o.error.empty()) {
      error(o.error);
      failed = true;
    }
    if (!o.note.empty() && !args.quiet) std::cerr << "scopecop: note: " << escape_control(o.note) << '\n';
    if (o.result) {
      results.push_back(std::move(*o.result));
      result_judges.push_back(judge_of[i]);
    }
  }
  // Nothing could be read: the errors say why, and a report of nothing would only bury them.
  if (failed && results.empty()) return 2;
  // A file's own suppressions first, being the nearest to what they accept; then the judging
  // configuration's.
  std::size_t suppressed = 0;
  std::string today = today_utc();
  auto count = [&](const Suppressed& s) {
    for (const std::string& w : s.warnings) std::cerr << "scopecop: warning: " << w << '\n';
    suppressed += s.count;
  };
  for (std::size_t i = 0; i < results.size(); ++i) {
    FileResult& r = results[i];
    for (const std::string& p : r.suppression_problems)
      std::cerr << "scopecop: warning: " << escape_control(p) << '\n';
    count(
        apply_suppressions(std::span(&r, 1), r.suppressions, r.path, result_judges[i]->options.rules, today));
  }
  for (const auto& [path, judge] : judges) {
    std::vector<std::size_t> mine;
    std::vector<FileResult> part;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (result_judges[i] != judge.get()) continue;
      mine.push_back(i);
      part.push_back(std::move(results[i]));
    }
    count(apply_suppressions(part, judge->config.suppress, judge->config.path, judge->options.rules, today));
    for (std::size_t k = 0; k < mine.size(); ++k) results[mine[k]] = std::move(part[k]);
  }
  // Nothing scopecop writes may replace one of the files it read.
  std::vector<std::string> targets{args.write_baseline};
  for (const Output& o : outputs) targets.push_back(o.path);
  for (const std::string& target : targets) {
    if (!target.empty() && names_an_input(target, inputs)) {
      error(fmt::format("{}: is one of the inputs of this check; refusing to overwrite it", target));
      return 2;
    }
  }
  if (!args.write_baseline.empty()) {
    // A run that could not read all its inputs would record a baseline without their findings.
    if (failed) {
      error(fmt::format("{}: not written, since some inputs could not be checked", args.write_baseline));
      return 2;
    }
    if (auto why = write_file_replacing(args.write_baseline, write_baseline(results))) {
      error(fmt::format("cannot write the baseline: {}", *why));
      return 2;
    }
  }
  std::size_t baselined = baseline ? baseline->apply(results) : 0;
  // Below the display threshold a finding is counted, not shown, and fails nothing (shellcheck's -S).
  std::size_t hidden = 0;
  if (auto threshold = parse_severity(args.severity)) {
    for (FileResult& r : results) {
      hidden +=
          std::erase_if(r.findings, [&](const Finding& f) { return !at_least(f.severity, *threshold); });
    }
  }
  // A finding fails the run when it is at least as severe as its own configuration's fail-on.
  bool over = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::optional<Severity>& fail_on = result_judges[i]->fail_on;
    over = over || (fail_on && std::any_of(results[i].findings.begin(), results[i].findings.end(),
                                           [&](const Finding& f) { return at_least(f.severity, *fail_on); }));
  }
  Report report = make_report(std::move(results));
  report.summary.suppressed = suppressed + baselined;
  report.summary.hidden = hidden;
  report.catalog = Catalog::embedded().date();

  // Each report to a file is made whole in memory first, then put in place at once.
  if (to_terminal) {
    TextStyle style{use_color(args.color, ""), args.quiet, jobs};
    write_report(std::cout, report, args.format, style);
    std::cout.flush();
    if (!std::cout) {
      error(fmt::format("cannot write the report: {}", std::strerror(errno)));
      return 2;
    }
  }
  std::vector<std::string> written;
  for (const Output& o : outputs) {
    std::ostringstream file;
    write_report(file, report, o.format, TextStyle{false, args.quiet, jobs});
    if (auto why = write_file_replacing(o.path, file.view())) {
      error(fmt::format("cannot write the report: {}", *why));
      return 2;
    }
    written.push_back(fmt::format("the {} report is in {}", o.format, escape_control(o.path)));
  }
  spdlog::info("done in {:.1f} ms", elapsed_ms(started));
  // The reports are in files; the terminal (or the CI log) still says in one line what they hold.
  if (!to_terminal && !args.quiet) {
    std::string where = fmt::format("{}", fmt::join(written, ", "));
    where[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(where[0])));
    std::cerr << fmt::format("scopecop: {} {}.\n", summary_line(report), where);
  }

  if (failed) return 2;
  if (!args.write_baseline.empty()) return 0;
  if (!args.no_new_access.empty()) {
    // The access the change grants beyond the merge base, on standard error beside the check's report.
    DiffArgs diff;
    diff.git = args.no_new_access;
    diff.merge_base = true;
    diff.to_stderr = true;
    diff.color = args.color == "always" ? "always" : "never";
    diff.catalog_dir = args.catalog_dir;
    diff.jobs = args.jobs;
    for (const std::string& p : args.paths) {
      if (p != "-") diff.paths.push_back(p);
    }
    int code = run_diff(diff);
    if (code == 2) return 2;
    if (code == 1) over = true;
  }
  if (args.strict && report.summary.not_checked) return 1;
  return over ? 1 : 0;
}

int run_init(const std::string& from) {
  const fs::path path = ".scopecop.yaml";
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path, ec))) {  // a dangling link too: it is never followed
    error(".scopecop.yaml already exists; scopecop init does not overwrite it");
    return 2;
  }
  std::string text = starter_config();
  if (!from.empty()) {
    Inputs inputs = collect_inputs({from});
    for (const std::string& e : inputs.errors) error(e);
    for (const std::string& n : inputs.notes) std::cerr << "scopecop: note: " << escape_control(n) << '\n';
    if (!inputs.errors.empty()) return 2;
    std::vector<ParsedFile> parsed;
    for (const InputFile& input : inputs.files) {
      std::string content;
      if (auto problem = read_input(input, content)) {
        error(*problem);
        return 2;
      }
      parsed.push_back(parse_policies(content, input.path));
    }
    std::vector<const Policy*> policies;
    for (const ParsedFile& p : parsed) {
      for (const Policy& policy : p.policies) policies.push_back(&policy);
    }
    if (policies.empty()) {
      error(fmt::format("{}: no IAM policy found to fill the scope from", from));
      return 2;
    }
    text = config_from_policies(policies, Catalog::embedded());
  }
  if (auto why = write_file_replacing(path.string(), text, false)) {
    error(fmt::format("cannot write the configuration: {}", *why));
    return 2;
  }
  std::cout << (from.empty() ? "wrote .scopecop.yaml; fill in scope: to turn on the scoping rules\n"
                             : "wrote .scopecop.yaml with the scope its policies name; tighten it\n");
  return 0;
}

}  // namespace scopecop::cli
