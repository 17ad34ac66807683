// Independent items (files, the policies or documents of one file) shared among threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>

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
// worker 0; each thread takes the next index not yet taken. Returns when all are done.
template <class Work>
void share_out(std::size_t count, std::size_t threads, Work&& work) {
  struct Shared {
    std::atomic<std::size_t> next{0};
    std::size_t count;
    Work& work;
  } shared{{}, count, work};
  auto loop = [](void* context, std::size_t worker) {
    auto& s = *static_cast<Shared*>(context);
    for (std::size_t i = s.next++; i < s.count; i = s.next++) s.work(worker, i);
  };
  if (threads <= 1) {
    loop(&shared, 0);
  } else {
    run_on_threads(threads, loop, &shared);
  }
}

}  // namespace scopecop
