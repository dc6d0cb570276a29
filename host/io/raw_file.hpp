/** @file
 * An open input file read sequentially with POSIX calls, so that errors carry
 * errno's text, with a few bytes of look-ahead for codec detection.
 */
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "host/io/input_error.hpp"

namespace agentsweep::io {

/// Nanoseconds spent in read(2), added up by every file that shares it.
using ReadClock = std::atomic<std::uint64_t>;

class RawFile {
 public:
  /// Opens `path`; on failure returns nullopt and sets `error`. Reads add
  /// their time to `clock` when one is given.
  static std::optional<RawFile> open(const std::filesystem::path& path, InputError& error,
                                     ReadClock* clock = nullptr);

  RawFile(RawFile&& other) noexcept;
  RawFile& operator=(RawFile&&) = delete;
  RawFile(const RawFile&) = delete;
  ~RawFile();

  /// Reads up to out.size() bytes; 0 at end of file. Sets `error` and returns 0 on failure.
  std::size_t read(std::span<char> out, std::optional<InputError>& error);

  /// The first bytes of the file, at most `count`, without consuming them.
  std::span<const char> peek(std::size_t count, std::optional<InputError>& error);

  std::uint64_t offset() const { return offset_; }  ///< bytes consumed so far

 private:
  RawFile(int fd, ReadClock* clock) : fd_(fd), clock_(clock) {}
  std::size_t read_fd(char* out, std::size_t count, std::optional<InputError>& error);

  int fd_ = -1;
  ReadClock* clock_ = nullptr;
  std::uint64_t offset_ = 0;
  char lookahead_[8] = {};
  std::size_t lookahead_size_ = 0;
  std::size_t lookahead_pos_ = 0;
};

}  // namespace agentsweep::io
