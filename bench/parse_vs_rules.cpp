// Where a check's time goes on one input file: JSON parsing alone, parsing plus normalization into the
// statement model, and the whole check (parsing, normalization and the default rules). Rule evaluation is the
// difference between the last two. Usage: parse_vs_rules FILE [--benchmark_... options]
#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "scopecop/engine.h"
#include "scopecop/json.h"
#include "scopecop/parse.h"

namespace {

std::string input;

void json_parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(scopecop::json::parse(input));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
}

void parse_and_normalize(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(scopecop::parse_policies(input, "input.json"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
}

void whole_check(benchmark::State& state) {
  scopecop::CheckOptions options;
  if (!scopecop::RuleSelection::resolve({}, {}, options.rules).empty()) state.SkipWithError("rule selection");
  for (auto _ : state) benchmark::DoNotOptimize(scopecop::check_text("input.json", input, options));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
}

}  // namespace

BENCHMARK(json_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(parse_and_normalize)->Unit(benchmark::kMillisecond);
BENCHMARK(whole_check)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::cerr << "usage: parse_vs_rules FILE [--benchmark_... options]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "parse_vs_rules: cannot read " << argv[1] << '\n';
    return 2;
  }
  input.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
