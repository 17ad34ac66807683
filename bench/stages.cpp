// The floors a check is measured against (bench/ratios.py): one stage of it over the same files, on the same
// threads. read: the files into memory; parse: and JSON-parsed; normalize: and read into the policy model
// (parse_policies: JSON or YAML, containers, normalization). Usage: stages read|parse|normalize PATH [JOBS]
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "scopecop/json.h"
#include "scopecop/parallel.h"
#include "scopecop/parse.h"

int main(int argc, char** argv) {
  std::string stage = argc > 2 ? argv[1] : "";
  if (stage != "read" && stage != "parse" && stage != "normalize") {
    std::cerr << "usage: stages read|parse|normalize PATH [JOBS]\n";
    return 2;
  }
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(argv[2])) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(argv[2]))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else {
    files.emplace_back(argv[2]);
  }
  std::size_t jobs = argc > 3 ? std::stoul(argv[3]) : 1;
  std::atomic<std::size_t> work{0};  // what each stage produced, so that none is optimized away
  scopecop::share_out(files.size(), std::min(jobs, files.size()), [&](std::size_t, std::size_t i) {
    std::ifstream in(files[i], std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t n = text.size();
    if (stage == "parse") n = scopecop::json::parse(text, scopecop::json::kMaxDepth, 1).root.members.size();
    if (stage == "normalize") n = scopecop::parse_policies(text, files[i].string()).policies.size();
    work += n;
  });
  std::cout << files.size() << " files, " << work << '\n';
  return 0;
}
