#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "scopecop/parallel.h"

using namespace scopecop;

namespace {

// Runs share_out and records which worker took each index.
std::vector<std::size_t> owners(std::size_t count, std::size_t threads) {
  std::vector<std::size_t> taken(count, ~std::size_t{0});
  std::vector<std::atomic<int>> times(count);
  share_out(count, threads, [&](std::size_t worker, std::size_t i) {
    taken[i] = worker;
    ++times[i];
  });
  for (std::size_t i = 0; i < count; ++i) CHECK(times[i] == 1);
  return taken;
}

}  // namespace

TEST_CASE("parallel: every index is taken once, by a worker below the thread count", "[parallel]") {
  for (std::size_t threads : {0, 1, 2, 3, 8}) {
    for (std::size_t count : {0, 1, 5, 1000}) {
      for (std::size_t worker : owners(count, threads)) CHECK(worker < std::max<std::size_t>(threads, 1));
    }
  }
}

TEST_CASE("parallel: the waiting threads work at once and are used again", "[parallel]") {
  // Each call's work waits until all four workers have started, which only threads running at once can
  // do; the later calls are given the threads the first one started.
  std::set<std::thread::id> all;
  for (int call = 0; call < 50; ++call) {
    std::atomic<std::size_t> started{0};
    std::mutex mutex;
    std::set<std::thread::id> ids;
    share_out(4, 4, [&](std::size_t, std::size_t) {
      {
        std::lock_guard lock(mutex);
        ids.insert(std::this_thread::get_id());
      }
      ++started;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started < 4 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    });
    CHECK(started == 4);
    CHECK(ids.size() == 4);
    all.insert(ids.begin(), ids.end());
  }
  CHECK(all.size() == 4);
}

TEST_CASE("parallel: work shared out from inside shared-out work", "[parallel]") {
  std::vector<std::atomic<int>> cells(8 * 100);
  share_out(8, 4, [&](std::size_t, std::size_t outer) {
    share_out(100, 3, [&](std::size_t, std::size_t inner) { ++cells[outer * 100 + inner]; });
  });
  for (const auto& c : cells) CHECK(c == 1);
}

TEST_CASE("parallel: an exception on the calling thread leaves once the others are done", "[parallel]") {
  std::atomic<int> done{0};
  auto run = [&] {
    share_out(64, 2, [&](std::size_t worker, std::size_t) {
      if (worker == 0) throw std::runtime_error("stop");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ++done;
    });
  };
  // The thread that helped must have finished before share_out left: nothing it touches is gone.
  CHECK_THROWS_AS(run(), std::runtime_error);
  int seen = done;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(done == seen);
}
