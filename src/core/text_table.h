// Answers remembered by the text of their question, for ResolutionCache, which holds tens of thousands and is
// asked by all the threads of a check: in std::unordered_map, one per thread, each answer cost an
// allocation, each lookup several cache misses, each thread its own misses, and the frees at the end a few
// milliseconds on one thread while the others waited (docs/performance.md).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace scopecop {

// Memory handed out in order from large blocks and freed with them, for data that lives as long as its
// owner; threads may take from it at once (a lock only to start a new block).
class Arena {
 public:
  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    auto* at = static_cast<char*>(allocate(text.size()));
    std::memcpy(at, text.data(), text.size());
    return {at, text.size()};
  }
  template <class T>
  std::span<const T> copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (items.empty()) return {};
    auto* at = static_cast<T*>(allocate(items.size_bytes()));
    std::memcpy(at, items.data(), items.size_bytes());
    return {at, items.size()};
  }

  // Aligned as new[] aligns (16 bytes), for any object that does not ask for more.
  void* allocate(std::size_t bytes) {
    bytes = (bytes + kAlign - 1) / kAlign * kAlign;
    for (;;) {
      Block* b = current_.load(std::memory_order_acquire);
      if (b) {
        std::size_t at = b->used.fetch_add(bytes, std::memory_order_relaxed);
        if (at + bytes <= b->size) return b->data.get() + at;
      }
      std::lock_guard lock(mutex_);
      if (current_.load(std::memory_order_relaxed) == b) {
        std::size_t size = std::max(bytes, kBlock);
        blocks_.push_back(std::make_unique<Block>(std::make_unique_for_overwrite<std::byte[]>(size), size));
        current_.store(blocks_.back().get(), std::memory_order_release);
      }
    }
  }

 private:
  static constexpr std::size_t kAlign = 16, kBlock = 64 * 1024;
  struct Block {
    Block(std::unique_ptr<std::byte[]> d, std::size_t s) : data(std::move(d)), size(s) {}
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
    std::atomic<std::size_t> used{0};
  };
  std::atomic<Block*> current_{nullptr};
  std::mutex mutex_;  // for blocks_
  std::vector<std::unique_ptr<Block>> blocks_;
};

// Values by a text and a tag (a pointer, or none), for threads that ask at once: a fixed array of lists, each
// growing only at its head by compare-and-swap, so that a lookup takes no lock. A value is made outside any
// lock; when two threads make the same one, the one published first is the answer for both. A reference to a
// value stays valid as long as the table.
template <class Value>
class SharedTextTable {
 public:
  explicit SharedTextTable(std::size_t buckets) {
    std::size_t n = 64;
    while (n < buckets) n *= 2;
    heads_ = std::make_unique<std::atomic<Node*>[]>(n);
    mask_ = n - 1;
  }
  ~SharedTextTable() {
    if constexpr (!std::is_trivially_destructible_v<Value>) {
      for (std::size_t i = 0; i <= mask_; ++i) {
        for (Node* n = heads_[i].load(std::memory_order_relaxed); n;) {
          Node* next = n->next;
          n->~Node();
          n = next;
        }
      }
    }
  }
  SharedTextTable(const SharedTextTable&) = delete;
  SharedTextTable& operator=(const SharedTextTable&) = delete;

  // The value for (text, tag), made by make() when no thread has made it yet.
  template <class Make>
  const Value& get(std::string_view text, const void* tag, Make&& make) {
    std::uint64_t hash =
        std::hash<std::string_view>{}(text) ^ (reinterpret_cast<std::uintptr_t>(tag) * 0x9E3779B97F4A7C15ull);
    std::atomic<Node*>& head = heads_[hash & mask_];
    Node* seen = head.load(std::memory_order_acquire);
    if (const Node* n = find(seen, nullptr, hash, text, tag)) return n->value;
    static_assert(alignof(Node) <= 16);
    Node* node = new (arena_.allocate(sizeof(Node))) Node{hash, arena_.copy(text), tag, make(), seen};
    for (;;) {
      if (head.compare_exchange_weak(node->next, node, std::memory_order_release, std::memory_order_acquire))
        return node->value;
      // Other threads published first (node->next is the head now): one of theirs may be this question.
      if (const Node* n = find(node->next, seen, hash, text, tag)) {
        node->~Node();  // its memory stays in the arena
        return n->value;
      }
      seen = node->next;
    }
  }

 private:
  struct Node {
    std::uint64_t hash;
    std::string_view text;
    const void* tag;
    Value value;
    Node* next;
  };
  // The node for the key among those from `from` up to `until`.
  static const Node* find(const Node* from, const Node* until, std::uint64_t hash, std::string_view text,
                          const void* tag) {
    for (const Node* n = from; n != until; n = n->next) {
      if (n->hash == hash && n->tag == tag && n->text == text) return n;
    }
    return nullptr;
  }
  std::unique_ptr<std::atomic<Node*>[]> heads_;
  std::size_t mask_ = 0;
  Arena arena_;
};

}  // namespace scopecop
