// Answers remembered by the text of their question, for ResolutionCache: a thread's cache holds tens of
// thousands, and a table of nodes cost an allocation for each, a cache miss or three for each lookup, and as
// many frees at the end, all on the critical path (docs/performance.md).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace scopecop {

// Memory handed out in order from large blocks and freed with them: for data that lives as long as its owner.
class Arena {
 public:
  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    auto* at = static_cast<char*>(allocate(text.size(), 1));
    std::memcpy(at, text.data(), text.size());
    return {at, text.size()};
  }
  template <class T>
  std::span<const T> copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (items.empty()) return {};
    auto* at = static_cast<T*>(allocate(items.size_bytes(), alignof(T)));
    std::memcpy(at, items.data(), items.size_bytes());
    return {at, items.size()};
  }

 private:
  void* allocate(std::size_t bytes, std::size_t align) {
    std::size_t pad = (align - reinterpret_cast<std::uintptr_t>(next_) % align) % align;
    if (bytes + pad > left_) {
      std::size_t size = std::max(bytes, kBlock);  // max_align_t-aligned, as new[] gives
      blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
      next_ = blocks_.back().get();
      left_ = size;
      pad = 0;
    }
    void* at = next_ + pad;
    next_ += pad + bytes;
    left_ -= pad + bytes;
    return at;
  }
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
};

// Values by a text and a tag (a pointer, or none): one array of slots probed from the key's hash, the texts
// in an arena, the values in a deque, so that a reference to a value stays valid as long as the table.
template <class Value>
class TextTable {
 public:
  // The value for (text, tag), made by make() the first time it is asked for.
  template <class Make>
  Value& get(std::string_view text, const void* tag, Make&& make) {
    std::uint64_t hash =
        std::hash<std::string_view>{}(text) ^ (reinterpret_cast<std::uintptr_t>(tag) * 0x9E3779B97F4A7C15ull);
    if (entries_.size() * 2 >= slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.entry == 0) {
        Entry& e = entries_.emplace_back(Entry{keys_.copy(text), tag, make()});
        slot = {hash, static_cast<std::uint32_t>(entries_.size())};
        return e.value;
      }
      if (slot.hash == hash) {
        Entry& e = entries_[slot.entry - 1];
        if (e.tag == tag && e.text == text) return e.value;
      }
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t entry = 0;  // index into entries_ plus one; 0 for an empty slot
  };
  struct Entry {
    std::string_view text;
    const void* tag;
    Value value;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.entry == 0) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].entry != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::deque<Entry> entries_;
  Arena keys_;
};

}  // namespace scopecop
