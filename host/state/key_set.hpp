/** @file
 * KeySet: a set of 64-bit entity keys, for the agents seen with an operator,
 * API key or source address. The keys are hashes already (kernels/hash.cuh),
 * never 0 (kNoKey, kernels::kNoEntity), so a set is an open-addressing table
 * that places a key by its low bits and marks a free slot with 0. Most sets
 * hold one key, which is kept inline: such a set takes its own 16 bytes and no
 * heap; larger ones grow by doubling, at most three quarters full.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <stdexcept>

namespace agentsweep::state {

class KeySet {
 public:
  /// Never a key: marks a free slot (kernels::kNoEntity).
  static constexpr std::uint64_t kNoKey = 0;

  /// Walks the keys in no particular order.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::uint64_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::uint64_t*;
    using reference = const std::uint64_t&;

    Iterator() = default;
    Iterator(const std::uint64_t* at, const std::uint64_t* end) : at_(at), end_(end) { skip(); }
    reference operator*() const { return *at_; }
    Iterator& operator++() {
      ++at_;
      skip();
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    void skip() {
      while (at_ != end_ && *at_ == kNoKey) ++at_;
    }
    const std::uint64_t* at_ = nullptr;
    const std::uint64_t* end_ = nullptr;
  };

  KeySet() = default;
  KeySet(const KeySet& other) { copy_from(other); }
  KeySet(KeySet&& other) noexcept { take(other); }
  KeySet& operator=(const KeySet& other) {
    if (this != &other) {
      release();
      copy_from(other);
    }
    return *this;
  }
  KeySet& operator=(KeySet&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~KeySet() { release(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// Adds `key` (not kNoKey); returns whether it was new.
  bool insert(std::uint64_t key) {
    if (capacity_ == 0) {
      if (size_ == 0) {
        one_ = key;
        size_ = 1;
        return true;
      }
      if (one_ == key) return false;
      grow(4);
    } else if (contains(key)) {
      return false;
    } else if ((std::size_t{size_} + 1) * 4 > std::size_t{capacity_} * 3) {
      grow(std::size_t{capacity_} * 2);
    }
    place(key);
    ++size_;
    return true;
  }

  bool contains(std::uint64_t key) const {
    if (capacity_ == 0) return size_ == 1 && one_ == key;
    const std::size_t mask = capacity_ - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return true;
      if (slots_[i] == kNoKey) return false;
    }
  }

  /// Makes room for `n` keys in all, so adding up to them does not grow the table.
  void reserve(std::size_t n) {
    if (n <= 1 || n * 4 <= std::size_t{capacity_} * 3) return;
    std::size_t capacity = 4;
    while (n * 4 > capacity * 3) capacity *= 2;
    grow(capacity);
  }

  /// Adds every key of `other`.
  void insert_all(const KeySet& other) {
    // Room first: keys come in the order of other's table, which would crowd a small one.
    reserve(size_ + other.size_);
    for (const std::uint64_t key : other) insert(key);
  }

  Iterator begin() const {
    const std::uint64_t* first = capacity_ == 0 ? &one_ : slots_;
    return {first, first + (capacity_ == 0 ? 1 : capacity_)};
  }
  Iterator end() const {
    const std::uint64_t* last = capacity_ == 0 ? &one_ + 1 : slots_ + capacity_;
    return {last, last};
  }

  /// Heap bytes the set holds beyond its own size.
  std::size_t heap_bytes() const { return std::size_t{capacity_} * sizeof(std::uint64_t); }

 private:
  /// Puts `key` in the first free slot from its place; the table has room.
  void place(std::uint64_t key) {
    const std::size_t mask = capacity_ - 1;
    std::size_t i = key & mask;
    while (slots_[i] != kNoKey) i = (i + 1) & mask;
    slots_[i] = key;
  }

  /// Moves the keys into a zeroed table of `capacity` slots (a power of two).
  void grow(std::size_t capacity) {
    if (capacity > (std::size_t{1} << 31))
      throw std::length_error("an entity seen with more than 1.6 billion agents");
    KeySet old;
    take(old, *this);
    slots_ = new std::uint64_t[capacity]();
    capacity_ = static_cast<std::uint32_t>(capacity);
    for (const std::uint64_t key : old) place(key);
    size_ = old.size_;
  }

  void copy_from(const KeySet& other) {
    size_ = other.size_;
    capacity_ = other.capacity_;
    if (capacity_ == 0) {
      one_ = other.one_;
    } else {
      slots_ = new std::uint64_t[capacity_];
      std::memcpy(slots_, other.slots_, heap_bytes());
    }
  }
  /// Moves `from` into `to`, leaving `from` empty.
  static void take(KeySet& to, KeySet& from) {
    to.size_ = from.size_;
    to.capacity_ = from.capacity_;
    if (to.capacity_ == 0)
      to.one_ = from.one_;
    else
      to.slots_ = from.slots_;
    from.size_ = 0;
    from.capacity_ = 0;
    from.one_ = kNoKey;
  }
  void take(KeySet& other) { take(*this, other); }
  void release() {
    if (capacity_ != 0) delete[] slots_;
    size_ = 0;
    capacity_ = 0;
    one_ = kNoKey;
  }

  union {
    std::uint64_t one_ = kNoKey;  ///< the key, or kNoKey, while capacity_ is 0
    std::uint64_t* slots_;        ///< capacity_ slots, kNoKey where free
  };
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;  ///< 0: at most one key, in one_
};

static_assert(sizeof(KeySet) == 16);

}  // namespace agentsweep::state
