/** @file
 * zstd frames written byte by byte (RFC 8878), for inputs no compressor
 * produces on request: a decompression bomb of RLE blocks (4 bytes expand to
 * 128 KiB, so 32 KiB decode to 1 GiB), a frame header asking for a huge
 * decoding window, a corrupt block after good ones, a wrong content size.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agentsweep::testing {

namespace zstd_format {

inline constexpr std::size_t kMaxBlock = 128 * 1024;

inline void append_block_header(std::string& out, bool last, int type, std::size_t size) {
  const std::uint32_t header = (last ? 1u : 0u) | (static_cast<std::uint32_t>(type) << 1) |
                               (static_cast<std::uint32_t>(size) << 3);
  for (int b = 0; b < 3; ++b) out += static_cast<char>((header >> (8 * b)) & 0xFF);
}

/// Magic number and a header with no content size, declaring a 2^window_log-byte window.
inline std::string frame_header(int window_log) {
  std::string out("\x28\xB5\x2F\xFD\x00", 5);
  out += static_cast<char>((window_log - 10) << 3);
  return out;
}

}  // namespace zstd_format

/// One frame: `count` copies of `byte` (RLE blocks), then `tail` as they are.
inline std::string zstd_bomb(char byte, std::uint64_t count, std::string_view tail = {}) {
  using namespace zstd_format;
  std::string out = frame_header(17);  // a 128 KiB window: blocks of 128 KiB
  for (std::uint64_t left = count; left > 0;) {
    const std::size_t block = left < kMaxBlock ? static_cast<std::size_t>(left) : kMaxBlock;
    append_block_header(out, false, /*RLE*/ 1, block);
    out += byte;
    left -= block;
  }
  append_block_header(out, true, /*raw*/ 0, tail.size());
  out += tail;
  return out;
}

/// A frame that needs a 2^window_log-byte window to decode `content`.
inline std::string zstd_frame_with_window(int window_log, std::string_view content) {
  std::string out = zstd_format::frame_header(window_log);
  zstd_format::append_block_header(out, true, /*raw*/ 0, content.size());
  out += content;
  return out;
}

/// One frame of raw blocks of `block_bytes` holding `content`, then a block
/// of the reserved type 3: corrupt.
inline std::string zstd_frame_with_bad_last_block(std::string_view content,
                                                  std::size_t block_bytes) {
  std::string out = zstd_format::frame_header(17);
  for (std::size_t at = 0; at < content.size(); at += block_bytes) {
    const std::string_view block = content.substr(at, block_bytes);
    zstd_format::append_block_header(out, false, /*raw*/ 0, block.size());
    out += block;
  }
  zstd_format::append_block_header(out, true, /*reserved*/ 3, 1);
  return out + 'z';
}

/// A single-segment frame declaring `declared` bytes of content but holding
/// `content`, closed by an empty last block. libzstd flags the mismatch only
/// when a call has room for the declared size.
inline std::string zstd_frame_declaring(std::uint8_t declared, std::string_view content) {
  std::string out("\x28\xB5\x2F\xFD\x20", 5);  // single segment, 1-byte content size
  out += static_cast<char>(declared);
  zstd_format::append_block_header(out, false, /*raw*/ 0, content.size());
  out += content;
  zstd_format::append_block_header(out, true, /*raw*/ 0, 0);
  return out;
}

}  // namespace agentsweep::testing
