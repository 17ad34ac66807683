#include "scopecop/parallel.h"

#include <mutex>
#include <thread>
#include <vector>

namespace scopecop {

namespace {

// A thread that waits for tasks. Starting a thread for each stage of a check (parsing, normalizing, the
// rules) and ending it again cost a millisecond or more per stage, most of it the allocator tidying the
// thread's memory as it ends, while the other threads wait (docs/performance.md).
struct Helper {
  // 1 while a task is given and not done: the helper waits for 1, the caller for 0.
  std::atomic<unsigned> busy{0};
  void (*task)(void*, std::size_t) = nullptr;
  void* context = nullptr;
  std::size_t worker = 0;
};

void serve(Helper* h) {
  for (;;) {
    h->busy.wait(0, std::memory_order_acquire);
    h->task(h->context, h->worker);
    h->busy.store(0, std::memory_order_release);
    h->busy.notify_one();
  }
}

class Pool {
 public:
  // Helpers not given a task, started when there are too few; a task may share out work of its own.
  std::vector<Helper*> take(std::size_t n) {
    std::vector<Helper*> out;
    std::lock_guard lock(mutex_);
    while (out.size() < n && !idle_.empty()) {
      out.push_back(idle_.back());
      idle_.pop_back();
    }
    while (out.size() < n) {
      auto* h = all_.emplace_back(new Helper);
      std::thread(serve, h).detach();
      out.push_back(h);
    }
    return out;
  }
  void give_back(const std::vector<Helper*>& helpers) {
    std::lock_guard lock(mutex_);
    idle_.insert(idle_.end(), helpers.begin(), helpers.end());
  }

 private:
  std::mutex mutex_;
  std::vector<Helper*> idle_;
  std::vector<Helper*> all_;
};

// Never destroyed: its threads wait until the process ends, so that none has to end on the way.
Pool& pool() {
  static Pool& p = *new Pool;
  return p;
}

}  // namespace

void run_on_threads(std::size_t threads, void (*task)(void*, std::size_t), void* context) {
  std::vector<Helper*> helpers = pool().take(threads - 1);
  for (std::size_t t = 0; t < helpers.size(); ++t) {
    Helper* h = helpers[t];
    h->task = task;
    h->context = context;
    h->worker = t + 1;
    h->busy.store(1, std::memory_order_release);
    h->busy.notify_one();
  }
  // The helpers use this call's context, also when the task throws here.
  struct Wait {
    const std::vector<Helper*>& helpers;
    ~Wait() {
      for (Helper* h : helpers) {
        while (h->busy.load(std::memory_order_acquire) != 0) h->busy.wait(1, std::memory_order_acquire);
      }
      pool().give_back(helpers);
    }
  } wait{helpers};
  task(context, 0);
}

}  // namespace scopecop
