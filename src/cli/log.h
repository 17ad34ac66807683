// Diagnostics on standard error, never in a report: which configuration judged which files, what was
// skipped and why, the catalog in use, and how long each stage took. Quiet unless asked for.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

namespace scopecop::cli {

// Sets the level from --log-level, else the SCOPECOP_LOG environment variable, else --verbose (info), else
// warnings only. Returns why a level word is not one (trace, debug, info, warn, error, off).
std::optional<std::string> setup_logging(const std::string& log_level, bool verbose);

// Milliseconds since `start`, for the stage timings.
inline double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace scopecop::cli
