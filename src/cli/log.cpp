#include "cli/log.h"

#include <cstdlib>
#include <memory>

#include <spdlog/sinks/stdout_sinks.h>

namespace scopecop::cli {

std::optional<std::string> setup_logging(const std::string& log_level, bool verbose) {
  std::string word = log_level;
  std::string from = "--log-level";
  if (word.empty()) {
    const char* env = std::getenv("SCOPECOP_LOG");
    if (env && *env) {
      word = env;
      from = "SCOPECOP_LOG";
    }
  }
  if (word.empty()) word = verbose ? "info" : "warn";
  spdlog::level::level_enum level = spdlog::level::from_str(word);
  // from_str answers "off" for any word it does not know.
  if (level == spdlog::level::off && word != "off") {
    return from + " \"" + word + "\" is not trace, debug, info, warn, error or off";
  }
  // One thread logs (the command's); standard error, no colour, no timestamps: lines a CI log keeps.
  auto logger =
      std::make_shared<spdlog::logger>("scopecop", std::make_shared<spdlog::sinks::stderr_sink_st>());
  logger->set_pattern("scopecop: %l: %v");
  logger->set_level(level);
  spdlog::set_default_logger(std::move(logger));
  return std::nullopt;
}

}  // namespace scopecop::cli
