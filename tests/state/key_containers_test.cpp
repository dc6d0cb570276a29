/** @file
 * The state's containers against the standard ones: KeyMap and KeySet hold
 * the same keys as std::unordered_map and std::unordered_set after random
 * inserts (growth, colliding low bits, bulk inserts in table order), KeyMap
 * keeps insertion order and its references while it grows, and IdText keeps
 * any text, inline or on the heap, through copies and moves.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "host/state/id_text.hpp"
#include "host/state/key_map.hpp"
#include "host/state/key_set.hpp"

namespace agentsweep::state {
namespace {

std::vector<std::uint64_t> sorted(const KeySet& set) {
  std::vector<std::uint64_t> keys(set.begin(), set.end());
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::uint64_t> sorted(const std::unordered_set<std::uint64_t>& set) {
  std::vector<std::uint64_t> keys(set.begin(), set.end());
  std::sort(keys.begin(), keys.end());
  return keys;
}

/// Which 16 bits random keys share, so that they crowd one place of any small table:
/// KeySet places keys by their low bits, KeyMap by their high bits.
enum class Crowd { kNone, kLowBits, kHighBits };

/// Random nonzero keys, `distinct` of them, `n` picks.
std::vector<std::uint64_t> random_keys(std::size_t n, std::size_t distinct, unsigned seed,
                                       Crowd crowd = Crowd::kNone) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> pool(distinct);
  for (std::uint64_t& key : pool) {
    do {
      key = rng();
      if (crowd == Crowd::kLowBits) key = key << 16 | 0x1234;
      if (crowd == Crowd::kHighBits) key = key >> 16 | std::uint64_t{0x1234} << 48;
    } while (key == 0);
  }
  std::vector<std::uint64_t> keys(n);
  for (std::uint64_t& key : keys) key = pool[rng() % distinct];
  return keys;
}

TEST(KeySet, HoldsWhatAnUnorderedSetHolds) {
  for (const std::size_t distinct : {1, 2, 3, 4, 7, 100, 5000}) {
    for (const Crowd crowded : {Crowd::kNone, Crowd::kLowBits}) {
      KeySet set;
      std::unordered_set<std::uint64_t> expected;
      for (const std::uint64_t key : random_keys(3 * distinct, distinct, 7, crowded)) {
        EXPECT_EQ(set.insert(key), expected.insert(key).second);
        ASSERT_EQ(set.size(), expected.size());
      }
      EXPECT_EQ(sorted(set), sorted(expected)) << distinct << " keys";
      for (const std::uint64_t key : random_keys(100, 100, 8, crowded))
        EXPECT_EQ(set.contains(key), expected.contains(key));
    }
  }
}

TEST(KeySet, EmptyAndSingleSetsTakeNoHeap) {
  KeySet set;
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.begin(), set.end());
  EXPECT_FALSE(set.contains(42));
  EXPECT_TRUE(set.insert(42));
  EXPECT_FALSE(set.insert(42));
  EXPECT_EQ(set.heap_bytes(), 0u);
  EXPECT_EQ(sorted(set), std::vector<std::uint64_t>{42});
  EXPECT_TRUE(set.insert(43));
  EXPECT_GT(set.heap_bytes(), 0u);
  EXPECT_EQ(sorted(set), (std::vector<std::uint64_t>{42, 43}));
}

TEST(KeySet, CopiesMovesAndBulkInsertsKeepEveryKey) {
  for (const std::size_t distinct : {1, 2, 20000}) {
    const std::vector<std::uint64_t> keys = random_keys(2 * distinct, distinct, 9);
    KeySet set;
    for (const std::uint64_t key : keys) set.insert(key);
    const std::vector<std::uint64_t> expected = sorted(set);

    KeySet copy = set;
    EXPECT_EQ(sorted(copy), expected);
    KeySet moved = std::move(copy);
    EXPECT_EQ(sorted(moved), expected);
    EXPECT_TRUE(copy.empty());  // NOLINT: moved from, empty by contract
    KeySet assigned;
    assigned.insert(1);
    assigned = moved;
    EXPECT_EQ(sorted(assigned), expected);
    assigned = KeySet();
    EXPECT_TRUE(assigned.empty());

    // A table walked in its own order into a small one, and into one that has keys already.
    KeySet bulk;
    bulk.insert_all(set);
    EXPECT_EQ(sorted(bulk), expected);
    KeySet other;
    for (const std::uint64_t key : random_keys(distinct, distinct, 10)) other.insert(key);
    std::set<std::uint64_t> both(expected.begin(), expected.end());
    for (const std::uint64_t key : other) both.insert(key);
    other.insert_all(set);
    EXPECT_EQ(sorted(other), std::vector<std::uint64_t>(both.begin(), both.end()));
  }
}

TEST(KeySet, ReserveKeepsTheKeys) {
  KeySet set;
  set.insert(5);
  set.reserve(1000);
  const std::size_t room = set.heap_bytes();
  for (std::uint64_t key = 1; key <= 1000; ++key) set.insert(key * 0x9E3779B97F4A7C15ULL);
  set.insert(5);
  EXPECT_EQ(set.size(), 1001u);
  EXPECT_EQ(set.heap_bytes(), room);
  EXPECT_TRUE(set.contains(5));
}

TEST(KeyMap, HoldsWhatAnUnorderedMapHoldsInInsertionOrder) {
  for (const std::size_t distinct : {1, 15, 17, 1023, 1025, 30000}) {
    for (const Crowd crowded : {Crowd::kNone, Crowd::kLowBits, Crowd::kHighBits}) {
      KeyMap<std::uint64_t> map;
      std::unordered_map<std::uint64_t, std::uint64_t> expected;
      std::vector<std::uint64_t> order;
      for (const std::uint64_t key : random_keys(3 * distinct, distinct, 11, crowded)) {
        auto [value, inserted] = map.try_emplace(key);
        EXPECT_EQ(inserted, !expected.contains(key));
        if (inserted) order.push_back(key);
        value += key % 7;
        expected[key] += key % 7;
      }
      ASSERT_EQ(map.size(), expected.size());
      std::size_t index = 0;
      for (const auto& [key, value] : map) {
        ASSERT_EQ(key, order[index]) << "entry " << index;
        EXPECT_EQ(value, expected.at(key));
        EXPECT_EQ(map.index_of(key), index);
        EXPECT_EQ(&map.entry(index).second, map.find(key));
        ++index;
      }
      EXPECT_EQ(index, expected.size());
      for (const std::uint64_t key : random_keys(100, 100, 12, crowded)) {
        EXPECT_EQ(map.contains(key), expected.contains(key));
        EXPECT_EQ(map.find(key) == nullptr, !expected.contains(key));
      }
    }
  }
}

TEST(KeyMap, ReferencesStayValidWhileItGrows) {
  KeyMap<std::string> map;
  std::string& first = map[77];
  first = "the first entry";
  for (std::uint64_t key = 1; key <= 5000; ++key) map[key * 0x9E3779B97F4A7C15ULL].push_back('x');
  EXPECT_EQ(&first, map.find(77));
  EXPECT_EQ(first, "the first entry");
  EXPECT_EQ(map.at(77), "the first entry");
  EXPECT_THROW(map.at(78), std::out_of_range);
  map.reserve(100000);
  EXPECT_EQ(map.at(77), "the first entry");
  EXPECT_EQ(map.size(), 5001u);
}

TEST(KeyMap, EmptyMapFindsNothing) {
  const KeyMap<int> map;
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.begin(), map.end());
  EXPECT_EQ(map.find(1), nullptr);
  EXPECT_EQ(map.index_of(1), KeyMap<int>::kAbsent);
}

TEST(IdText, KeepsAnyTextThroughCopiesAndMoves) {
  const std::string texts[] = {"",
                               "op_51k7znst",
                               "agt_kj3j9mg12547",
                               std::string(IdText::kInline, 'a'),
                               std::string(IdText::kInline + 1, 'b'),
                               "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                               std::string("with\0nul", 8)};
  for (const std::string& text : texts) {
    IdText id(text);
    EXPECT_EQ(id.view(), text);
    EXPECT_EQ(id.size(), text.size());
    EXPECT_EQ(id.str(), text);
    IdText copy = id;
    EXPECT_EQ(copy, id);
    IdText moved = std::move(copy);
    EXPECT_EQ(moved.view(), text);
    EXPECT_TRUE(copy.empty());  // NOLINT: moved from, empty by contract
    IdText assigned("something else entirely, long enough for the heap");
    assigned = moved;
    EXPECT_EQ(assigned.view(), text);
    assigned = std::move(moved);
    EXPECT_EQ(assigned.view(), text);
    assigned = assigned.view();  // from its own text
    EXPECT_EQ(assigned.view(), text);
  }
}

TEST(IdText, OrdersLikeStdString) {
  const std::vector<std::string> texts = {
      "b", "a", "", "ab", "agt_0000000000000z", "agt_0000000000000a", "\xff", "\x01", "a\xff"};
  std::vector<IdText> ids;
  for (const std::string& t : texts) ids.emplace_back(t);
  for (std::size_t i = 0; i < texts.size(); ++i)
    for (std::size_t j = 0; j < texts.size(); ++j)
      EXPECT_EQ(ids[i] < ids[j], texts[i] < texts[j]) << i << " " << j;
}

}  // namespace
}  // namespace agentsweep::state
