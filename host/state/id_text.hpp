/** @file
 * IdText: the decoded text of an entity id, kept inside the entity when it is
 * short. A state holds one id per agent, operator, key and address; agent ids
 * such as "agt_kj3j9mg12547" are just longer than std::string's inline 15
 * bytes, so each would be a heap block of its own. IdText keeps up to
 * kInline bytes in its own 24 bytes and only longer ids on the heap.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace agentsweep::state {

class IdText {
 public:
  /// Ids of up to this many bytes take no heap memory.
  static constexpr std::size_t kInline = 23;

  IdText() = default;
  explicit IdText(std::string_view text) { assign(text); }
  IdText(const IdText& other) { assign(other.view()); }
  IdText(IdText&& other) noexcept { take(other); }
  IdText& operator=(const IdText& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  IdText& operator=(IdText&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  IdText& operator=(std::string_view text) {
    assign(text);
    return *this;
  }
  ~IdText() { release(); }

  std::string_view view() const { return {data(), size()}; }
  const char* data() const { return on_heap() ? heap_data() : bytes_; }
  std::size_t size() const { return on_heap() ? heap_size() : tag_; }
  bool empty() const { return size() == 0; }
  std::string str() const { return std::string(view()); }

  /// The text, detached from the id: a copy of a short one, a view of a long
  /// one's heap bytes (valid while this id is neither changed nor destroyed).
  /// Trivially copyable, for reading the text later without touching the id.
  class Snapshot {
   public:
    std::string_view view() const {
      if (tag_ != kHeap) return {bytes_, tag_};
      const char* data = nullptr;
      std::size_t size = 0;
      std::memcpy(&data, bytes_, sizeof data);
      std::memcpy(&size, bytes_ + sizeof data, sizeof size);
      return {data, size};
    }

   private:
    friend class IdText;
    char bytes_[kInline];
    std::uint8_t tag_;
  };
  Snapshot snapshot() const {
    Snapshot s;
    std::memcpy(s.bytes_, bytes_, kInline);
    s.tag_ = tag_;
    return s;
  }

  friend bool operator==(const IdText& a, const IdText& b) { return a.view() == b.view(); }
  friend bool operator==(const IdText& a, std::string_view b) { return a.view() == b; }
  friend auto operator<=>(const IdText& a, const IdText& b) { return a.view() <=> b.view(); }

 private:
  static constexpr std::uint8_t kHeap = 0xFF;  ///< tag_ of a heap id; else the inline size

  // A heap id keeps its pointer and size in bytes_.
  bool on_heap() const { return tag_ == kHeap; }
  char* heap_data() const {
    char* data = nullptr;
    std::memcpy(&data, bytes_, sizeof data);
    return data;
  }
  std::size_t heap_size() const {
    std::size_t size = 0;
    std::memcpy(&size, bytes_ + sizeof(char*), sizeof size);
    return size;
  }
  void release() {
    if (on_heap()) delete[] heap_data();
    tag_ = 0;
  }
  /// Moves `other`'s text here, leaving it empty.
  void take(IdText& other) {
    std::memcpy(bytes_, other.bytes_, kInline);
    tag_ = other.tag_;
    other.tag_ = 0;
  }
  void assign(std::string_view text) {
    // Copies first: `text` may lie in this id.
    if (text.size() <= kInline) {
      char copy[kInline];
      if (!text.empty()) std::memcpy(copy, text.data(), text.size());
      release();
      if (!text.empty()) std::memcpy(bytes_, copy, text.size());
      tag_ = static_cast<std::uint8_t>(text.size());
    } else {
      char* data = new char[text.size()];
      std::memcpy(data, text.data(), text.size());
      const std::size_t size = text.size();
      release();
      std::memcpy(bytes_, &data, sizeof data);
      std::memcpy(bytes_ + sizeof data, &size, sizeof size);
      tag_ = kHeap;
    }
  }

  char bytes_[kInline] = {};
  std::uint8_t tag_ = 0;
};

static_assert(sizeof(char*) + sizeof(std::size_t) <= IdText::kInline);
static_assert(sizeof(IdText) == 24);

}  // namespace agentsweep::state
