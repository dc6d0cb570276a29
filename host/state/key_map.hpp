/** @file
 * KeyMap: a hash map from 64-bit entity keys to values, for the state's
 * agents, operators, keys and addresses. The keys are hashes already
 * (kernels/hash.cuh), so there is nothing to hash again: a key's high bits place it in an
 * open-addressing index, whose slots hold the entry's number and the key's low half, so a probe
 * rarely reads an entry that is not the one looked for. High bits, because keys taken in
 * ascending order (a saved state's, as it loads, saves or merges) then walk the index from start
 * to end, where low bits would send each to a random place: a cache miss per key in a large map.
 * So keys must be spread like hashes in their high bits: small integers would all share one
 * place, and each insert would probe past all of them.
 *
 * Entries live in insertion order, in chunks that never move: references to
 * values stay valid while the map grows, growing moves only the index, and a
 * map of n entries holds at most one chunk of unused room. An entry's number
 * (index_of) is dense, 0 to size() - 1, for per-entry arrays. There is no
 * erase: the state only ever adds.
 */
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentsweep::state {

template <class V>
class KeyMap {
 public:
  using Entry = std::pair<const std::uint64_t, V>;
  /// What index_of returns for a key the map lacks.
  static constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

  template <bool Const>
  class BasicIterator {
   public:
    using Map = std::conditional_t<Const, const KeyMap, KeyMap>;
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const Entry*, Entry*>;
    using reference = std::conditional_t<Const, const Entry&, Entry&>;

    BasicIterator() = default;
    BasicIterator(Map* map, std::size_t index) : map_(map), index_(index) {}
    reference operator*() const { return map_->entry(index_); }
    pointer operator->() const { return &map_->entry(index_); }
    BasicIterator& operator++() {
      ++index_;
      return *this;
    }
    BasicIterator operator++(int) {
      BasicIterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const BasicIterator& other) const { return index_ == other.index_; }

   private:
    Map* map_ = nullptr;
    std::size_t index_ = 0;
  };
  using iterator = BasicIterator<false>;
  using const_iterator = BasicIterator<true>;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// The value of `key`, value-initialized if the key is new; and
  /// whether it was.
  std::pair<V&, bool> try_emplace(std::uint64_t key) {
    const auto [index, added] = index_or_add(key);
    return {entry(index).second, added};
  }
  /// The entry number of `key`, added value-initialized if the key is new;
  /// and whether it was.
  std::pair<std::size_t, bool> index_or_add(std::uint64_t key) {
    if (const std::size_t found = index_of(key); found != kAbsent) return {found, false};
    if (size_ >= 0xFFFFFFFEu) throw std::length_error("more than 4 billion entities of a kind");
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    if (chunks_.empty() || chunks_.back().size() == kChunk) chunks_.emplace_back().reserve(kChunk);
    chunks_.back().emplace_back(std::piecewise_construct, std::forward_as_tuple(key),
                                std::forward_as_tuple());
    place(key, size_);
    return {size_++, true};
  }
  V& operator[](std::uint64_t key) { return try_emplace(key).first; }

  /// The entry number of `key`, or kAbsent.
  std::size_t index_of(std::uint64_t key) const {
    if (slots_.empty()) return kAbsent;
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t tag = tag_of(key);
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) return kAbsent;
      if ((slot >> 32) == tag) {
        const std::size_t index = (slot & 0xFFFFFFFFu) - 1;
        if (entry(index).first == key) return index;
      }
    }
  }
  bool contains(std::uint64_t key) const { return index_of(key) != kAbsent; }
  V* find(std::uint64_t key) {
    const std::size_t index = index_of(key);
    return index == kAbsent ? nullptr : &entry(index).second;
  }
  const V* find(std::uint64_t key) const {
    const std::size_t index = index_of(key);
    return index == kAbsent ? nullptr : &entry(index).second;
  }
  /// The value of `key`; throws std::out_of_range when the map lacks it.
  const V& at(std::uint64_t key) const {
    const V* value = find(key);
    if (value == nullptr) throw std::out_of_range("KeyMap::at: no such key");
    return *value;
  }

  /// Hints that `key` is looked up soon: starts fetching its place in the index.
  void prefetch(std::uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(key)]);
  }
  /// Hints further, a little later than prefetch(key): starts fetching the
  /// entry that `key`'s place points at, if it is `key`'s.
  void prefetch_entry(std::uint64_t key) const {
    if (slots_.empty()) return;
    const std::uint64_t slot = slots_[home(key)];
    if (slot == 0 || (slot >> 32) != tag_of(key)) return;
    prefetch_index((slot & 0xFFFFFFFFu) - 1);
  }
  /// Hints that entry `index` (0 to size() - 1) is read soon: starts fetching it.
  void prefetch_index(std::size_t index) const {
    const char* at = reinterpret_cast<const char*>(&entry(index));
    for (std::size_t line = 0; line < sizeof(Entry); line += 64) __builtin_prefetch(at + line);
  }

  /// Entry `index` (0 to size() - 1), in insertion order.
  Entry& entry(std::size_t index) { return chunks_[index / kChunk][index % kChunk]; }
  const Entry& entry(std::size_t index) const { return chunks_[index / kChunk][index % kChunk]; }

  /// Sizes the index for `n` entries, so adding up to them does not rehash it.
  void reserve(std::size_t n) {
    std::size_t capacity = slots_.empty() ? 16 : slots_.size();
    while (n * 2 > capacity) capacity *= 2;
    if (capacity != slots_.size()) rehash(capacity);
  }

  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

  /// Entries per chunk.
  static constexpr std::size_t kChunk = 1024;
  /// Bytes the map holds: its chunks' room and its index.
  std::size_t memory_bytes() const {
    return chunks_.size() * kChunk * sizeof(Entry) + slots_.size() * sizeof(std::uint64_t);
  }

 private:
  /// The first slot of `key`'s probe sequence (the index is not empty).
  std::size_t home(std::uint64_t key) const { return static_cast<std::size_t>(key >> shift_); }
  /// What a slot holds of `key`, beside the entry number.
  static std::uint64_t tag_of(std::uint64_t key) { return key & 0xFFFFFFFFu; }
  /// Points a free slot of `key`'s probe sequence at entry `index`.
  void place(std::uint64_t key, std::size_t index) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = home(key);
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = tag_of(key) << 32 | (index + 1);
  }
  void rehash(std::size_t capacity) {
    slots_.assign(capacity, 0);
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));  // capacity: a power of 2
    for (std::size_t index = 0; index < size_; ++index) place(entry(index).first, index);
  }

  std::vector<std::vector<Entry>>
      chunks_;                        ///< of kChunk entries each (reserved), the last one filling
  std::vector<std::uint64_t> slots_;  ///< 0 or tag_of(key) << 32 | (entry number + 1)
  unsigned shift_ = 64;               ///< home(key) is the key's top log2(slots_.size()) bits
  std::size_t size_ = 0;
};

}  // namespace agentsweep::state
