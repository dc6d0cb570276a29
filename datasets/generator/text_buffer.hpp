/** @file
 * A growable byte buffer with unchecked appends after one capacity check per line:
 * formatting a line is a run of tiny appends, and checking each one would cost more
 * than the copy itself.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace agentsweep::gen {

class TextBuffer {
 public:
  /** Makes room for at least `bytes` more; appends up to that many need no check. */
  void reserve_more(std::size_t bytes) {
    if (capacity_ - size_ >= bytes) return;
    std::size_t grown = capacity_ == 0 ? 1 << 16 : capacity_ * 2;
    while (grown - size_ < bytes) grown *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = grown;
  }

  void put(char c) { data_[size_++] = c; }
  void put(std::string_view text) {
    std::memcpy(data_.get() + size_, text.data(), text.size());
    size_ += text.size();
  }
  /** Decimal digits of an unsigned value. */
  void put_uint(std::uint64_t value) {
    char digits[20];
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (count > 0) data_[size_++] = digits[--count];
  }
  /** Exactly `width` decimal digits, zero padded. */
  void put_padded(std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      data_[size_ + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    size_ += static_cast<std::size_t>(width);
  }

  [[nodiscard]] std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace agentsweep::gen
