#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/text_table.h"
#include "scopecop/parallel.h"

using namespace scopecop;

TEST_CASE("text table: one value per text and tag, made once, kept in place", "[text_table]") {
  SharedTextTable<std::string> table(64);  // few buckets: long lists
  int made = 0;
  auto value_of = [&](const std::string& text, const void* tag) -> const std::string& {
    return table.get(text, tag, [&] {
      ++made;
      return text + (tag ? "+tag" : "");
    });
  };
  int tag = 0;
  const std::string& first = value_of("s3:GetObject", nullptr);
  const std::string* first_tagged = &value_of("s3:GetObject", &tag);
  CHECK(made == 2);
  CHECK(*first_tagged == "s3:GetObject+tag");
  CHECK(value_of("", nullptr).empty());
  // The texts asked with are temporaries: the table keeps its own copies.
  for (int i = 0; i < 20000; ++i) value_of("key" + std::to_string(i), i % 2 ? &tag : nullptr);
  CHECK(made == 3 + 20000);
  for (int i = 0; i < 20000; ++i) {
    std::string key = "key" + std::to_string(i);
    CHECK(value_of(key, i % 2 ? &tag : nullptr) == key + (i % 2 ? "+tag" : ""));
  }
  CHECK(made == 3 + 20000);
  // Asked with the other tag, a text is another key.
  CHECK(value_of("key1", nullptr) == "key1");
  CHECK(made == 3 + 20001);
  CHECK(&value_of("s3:GetObject", nullptr) == &first);
  CHECK(&value_of("s3:GetObject", &tag) == first_tagged);
  CHECK(first == "s3:GetObject");
}

TEST_CASE("text table: threads asking at once get one value per key", "[text_table]") {
  for (std::size_t buckets : {64, 1 << 14}) {
    SharedTextTable<std::string> table(buckets);
    constexpr std::size_t kKeys = 4999, kThreads = 4;  // prime: each order below visits every key
    std::vector<std::vector<const std::string*>> seen(kThreads, std::vector<const std::string*>(kKeys));
    std::atomic<std::size_t> made{0};
    share_out(kThreads, kThreads, [&](std::size_t, std::size_t t) {
      // Each thread in its own order, so that some ask for a key at the moment another makes it.
      for (std::size_t n = 0; n < kKeys; ++n) {
        std::size_t k = (n * (2 * t + 1) + t * 977) % kKeys;
        std::string key = "arn:aws:s3:::bucket-" + std::to_string(k);
        seen[t][k] = &table.get(key, nullptr, [&] {
          ++made;
          return key + " answer";
        });
      }
    });
    for (std::size_t k = 0; k < kKeys; ++k) {
      for (std::size_t t = 1; t < kThreads; ++t) CHECK(seen[t][k] == seen[0][k]);
      CHECK(*seen[0][k] == "arn:aws:s3:::bucket-" + std::to_string(k) + " answer");
    }
    CHECK(made >= kKeys);  // a key made twice at once is kept once
  }
}

TEST_CASE("text table: an arena copies texts and lists whole and aligned, from threads at once",
          "[text_table]") {
  Arena arena;
  constexpr std::size_t kThreads = 4, kEach = 3000;
  std::vector<std::vector<std::string_view>> texts(kThreads);
  std::vector<std::vector<std::span<const std::uint64_t>>> lists(kThreads);
  share_out(kThreads, kThreads, [&](std::size_t, std::size_t t) {
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t i = 0; i < kEach; ++i) {
      numbers.push_back(i * kThreads + t);
      std::string text(i % 97, static_cast<char>('a' + (i + t) % 26));
      texts[t].push_back(arena.copy(text));  // odd lengths leave the next list unaligned unless padded
      lists[t].push_back(arena.copy(std::span<const std::uint64_t>(numbers.data(), i % 50)));
    }
  });
  std::vector<std::uint64_t> big(100000, 7);  // larger than a block
  auto whole = arena.copy(std::span<const std::uint64_t>(big));
  for (std::size_t t = 0; t < kThreads; ++t) {
    for (std::uint64_t i = 0; i < kEach; ++i) {
      CHECK(texts[t][i] == std::string(i % 97, static_cast<char>('a' + (i + t) % 26)));
      const auto& list = lists[t][i];
      REQUIRE(list.size() == i % 50);
      CHECK(reinterpret_cast<std::uintptr_t>(list.data()) % alignof(std::uint64_t) == 0);
      for (std::size_t k = 0; k < list.size(); ++k) CHECK(list[k] == k * kThreads + t);
    }
  }
  CHECK(whole.size() == big.size());
  CHECK(std::count(whole.begin(), whole.end(), 7u) == 100000);
}
