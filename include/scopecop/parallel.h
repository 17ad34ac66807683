// Independent items (files, the policies or documents of one file) shared among threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <vector>

namespace scopecop {

// The threads worth starting for `count` items of one file: below 32 items per thread, starting one costs
// more than it saves.
inline std::size_t threads_for(std::size_t count, std::size_t jobs) {
  return std::min(jobs, count / 32);
}

// Runs task(context, worker) for every worker below `threads`: 0 on the calling thread, the others on
// threads kept waiting between calls. Returns when all have returned.
void run_on_threads(std::size_t threads, void (*task)(void* context, std::size_t worker), void* context);

// Runs work(worker, index) for every index below `count` on `threads` threads, the calling one included as
// worker 0. Returns when all are done. Each thread takes the indices of its own contiguous part in order,
// then helps with the parts of the others: the stages of a file (parsing, normalizing, the rules) then see
// mostly the same items on the same thread, and memory is mostly freed by the thread that took it, which
// costs less than freeing another thread's.
template <class Work>
void share_out(std::size_t count, std::size_t threads, Work&& work) {
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) work(0, i);
    return;
  }
  struct alignas(64) Part {
    std::atomic<std::size_t> next;
    std::size_t end;
  };
  struct Shared {
    std::vector<Part> parts;
    Work& work;
  } shared{std::vector<Part>(threads), work};
  for (std::size_t t = 0; t < threads; ++t) {
    shared.parts[t].next = t * count / threads;
    shared.parts[t].end = (t + 1) * count / threads;
  }
  run_on_threads(
      threads,
      [](void* context, std::size_t worker) {
        auto& s = *static_cast<Shared*>(context);
        for (std::size_t k = 0; k < s.parts.size(); ++k) {
          Part& part = s.parts[(worker + k) % s.parts.size()];
          for (std::size_t i = part.next++; i < part.end; i = part.next++) s.work(worker, i);
        }
      },
      &shared);
}

}  // namespace scopecop
