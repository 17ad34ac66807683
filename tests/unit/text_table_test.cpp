#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/text_table.h"

using namespace scopecop;

TEST_CASE("text table: one value per text and tag, made once, kept in place", "[text_table]") {
  TextTable<std::string> table;
  int made = 0;
  auto value_of = [&](const std::string& text, const void* tag) -> std::string& {
    return table.get(text, tag, [&] {
      ++made;
      return text + (tag ? "+tag" : "");
    });
  };
  int tag = 0;
  std::string& first = value_of("s3:GetObject", nullptr);
  std::string* first_tagged = &value_of("s3:GetObject", &tag);
  CHECK(made == 2);
  CHECK(*first_tagged == "s3:GetObject+tag");
  std::string& empty = value_of("", nullptr);
  CHECK(empty.empty());
  // Enough texts to grow the slots many times; the texts asked for are copies, so the table keeps its own.
  for (int i = 0; i < 20000; ++i) value_of("key" + std::to_string(i), i % 2 ? &tag : nullptr);
  CHECK(made == 3 + 20000);
  for (int i = 0; i < 20000; ++i) {
    CHECK(value_of("key" + std::to_string(i), i % 2 ? &tag : nullptr) ==
          "key" + std::to_string(i) + (i % 2 ? "+tag" : ""));
  }
  CHECK(made == 3 + 20000);
  // Asked with the other tag, a text is another key.
  CHECK(value_of("key1", nullptr) == "key1");
  CHECK(made == 3 + 20001);
  // References taken before the growth still point at the values.
  CHECK(&value_of("s3:GetObject", nullptr) == &first);
  CHECK(&value_of("s3:GetObject", &tag) == first_tagged);
  CHECK(first == "s3:GetObject");
}

TEST_CASE("text table: an arena copies texts and lists whole and aligned", "[text_table]") {
  Arena arena;
  std::vector<std::string_view> texts;
  std::vector<std::span<const std::uint64_t>> lists;
  std::vector<std::uint64_t> numbers;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    numbers.push_back(i);
    std::string text(i % 97, static_cast<char>('a' + i % 26));
    texts.push_back(arena.copy(text));  // odd lengths leave the next list unaligned unless padded
    lists.push_back(arena.copy(std::span<const std::uint64_t>(numbers.data(), i % 50)));
  }
  // One list larger than a block.
  std::vector<std::uint64_t> big(100000, 7);
  auto whole = arena.copy(std::span<const std::uint64_t>(big));
  for (std::uint64_t i = 0; i < 3000; ++i) {
    CHECK(texts[i] == std::string(i % 97, static_cast<char>('a' + i % 26)));
    REQUIRE(lists[i].size() == i % 50);
    CHECK(reinterpret_cast<std::uintptr_t>(lists[i].data()) % alignof(std::uint64_t) == 0);
    for (std::size_t k = 0; k < lists[i].size(); ++k) CHECK(lists[i][k] == k);
  }
  CHECK(whole.size() == big.size());
  CHECK(std::count(whole.begin(), whole.end(), 7u) == 100000);
}
