// Test helpers for reading fixtures and goldens from the source tree.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace scopecop::testing {

inline const std::filesystem::path kSourceDir = SCOPECOP_SOURCE_DIR;

inline std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

// SCOPECOP_UPDATE_GOLDENS=1 rewrites expectations instead of comparing: for deliberate changes only.
inline bool updating_goldens() {
  const char* v = std::getenv("SCOPECOP_UPDATE_GOLDENS");
  return v && std::string(v) == "1";
}

}  // namespace scopecop::testing
