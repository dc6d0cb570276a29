/** @file
 * What every fuzz target needs: a property check that stops the run with the
 * details (libFuzzer then saves the input as a crash artifact), a strict UTF-8
 * test for the references that demand valid text, and untrusted bytes served
 * as a file without touching the disk.
 */
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

/// Aborts with `message` (a `<<` chain) when `condition` is false.
#define FUZZ_REQUIRE(condition, message)                                                \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::cerr << __FILE__ << ':' << __LINE__ << ": property failed: " #condition "\n" \
                << message << '\n';                                                     \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

namespace agentsweep::fuzz {

/// Printable form of untrusted bytes for failure messages.
inline std::string escaped(std::string_view bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F && b != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

/// Well-formed UTF-8 as RE2 and nlohmann::json demand it: shortest form, no
/// surrogates, at most U+10FFFF.
inline bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const int length = b < 0x80                 ? 1
                       : b >= 0xC2 && b <= 0xDF ? 2
                       : b >= 0xE0 && b <= 0xEF ? 3
                       : b >= 0xF0 && b <= 0xF4 ? 4
                                                : 0;
    if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) return false;
    std::uint32_t code = length == 1 ? b : b & (0x7Fu >> length);
    for (int k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) return false;
      code = (code << 6) | (c & 0x3Fu);
    }
    const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += static_cast<std::size_t>(length);
  }
  return true;
}

/// Bytes behind a path, in memory (memfd), so readers that open files by name
/// can take fuzz inputs at full speed.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view bytes) : fd_(::memfd_create("fuzz-input", MFD_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("memfd_create failed");
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) throw std::runtime_error("writing the memfd failed");
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  /// Opening this path gives a fresh descriptor that reads from offset 0.
  std::filesystem::path path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

}  // namespace agentsweep::fuzz
