/** @file
 * Codec detection by magic bytes and construction of the matching source,
 * then CloudTrail detection on the decoded content.
 */
#include "host/io/byte_source.hpp"

#include <array>
#include <cstring>

#include "host/io/cloudtrail_records.hpp"
#include "host/io/gzip_source.hpp"
#include "host/io/plain_source.hpp"
#include "host/io/zstd_frame_source.hpp"

namespace agentsweep::io {

namespace {

bool starts_with(std::span<const char> head, std::initializer_list<unsigned char> magic) {
  if (head.size() < magic.size()) return false;
  std::size_t i = 0;
  for (const unsigned char byte : magic)
    if (static_cast<unsigned char>(head[i++]) != byte) return false;
  return true;
}

// A zstd stream starts with a zstd frame (28 B5 2F FD) or a skippable frame
// (magic 0x184D2A50..5F, little endian), as written by pzstd.
bool is_zstd(std::span<const char> head) {
  if (starts_with(head, {0x28, 0xB5, 0x2F, 0xFD})) return true;
  return head.size() >= 4 && (static_cast<unsigned char>(head[0]) & 0xF0) == 0x50 &&
         starts_with(head.subspan(1), {0x2A, 0x4D, 0x18});
}

}  // namespace

std::unique_ptr<ByteSource> open_decoder(const std::filesystem::path& path, InputError& error,
                                         DecodeOptions options) {
  std::optional<RawFile> file = RawFile::open(path, error, options.read_clock);
  if (!file) return nullptr;
  std::optional<InputError> peek_error;
  const std::span<const char> head = file->peek(4, peek_error);
  if (peek_error) {
    error = *peek_error;
    return nullptr;
  }
  if (is_zstd(head))
    return std::make_unique<ZstdFrameSource>(std::move(*file), options.pool, options.segments_ahead,
                                             options.segments);
  if (starts_with(head, {0x1F, 0x8B})) return std::make_unique<GzipSource>(std::move(*file));
  return std::make_unique<PlainSource>(std::move(*file));
}

std::unique_ptr<ByteSource> open_byte_source(const std::filesystem::path& path, InputError& error,
                                             DecodeOptions options) {
  std::unique_ptr<ByteSource> decoder = open_decoder(path, error, options);
  if (!decoder) return nullptr;
  return split_cloudtrail_records(std::move(decoder));
}

}  // namespace agentsweep::io
