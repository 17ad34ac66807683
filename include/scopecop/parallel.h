// Independent items (files, the policies or documents of one file) shared among threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace scopecop {

// The threads worth starting for `count` items of one file: below 32 items per thread, starting one costs
// more than it saves.
inline std::size_t threads_for(std::size_t count, std::size_t jobs) {
  return std::min(jobs, count / 32);
}

// Runs work(worker, index) for every index below `count` on `threads` threads, the calling one included as
// worker 0; each thread takes the next index not yet taken. Returns when all are done.
template <class Work>
void share_out(std::size_t count, std::size_t threads, Work&& work) {
  std::atomic<std::size_t> next{0};
  auto loop = [&](std::size_t worker) {
    for (std::size_t i = next++; i < count; i = next++) work(worker, i);
  };
  std::vector<std::jthread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(loop, t);
  loop(0);
}

}  // namespace scopecop
