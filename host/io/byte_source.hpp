/** @file
 * A stream of decoded bytes from one input file, whatever its codec. The
 * codec is detected from the content's magic bytes, never the file name.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "host/io/decode_pool.hpp"
#include "host/io/input_error.hpp"
#include "host/io/raw_file.hpp"

namespace agentsweep::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  /// Fills as much of `out` as it can with decoded bytes; 0 means the input
  /// ended, cleanly or with error() set.
  virtual std::size_t read(std::span<char> out) = 0;

  virtual std::string_view codec() const = 0;
  virtual std::uint64_t compressed_bytes_read() const = 0;

  /// Set once reading stopped on a problem; the bytes before it were delivered.
  const std::optional<InputError>& error() const { return error_; }

 protected:
  std::optional<InputError> error_;
};

/// Limits of one segment of whole zstd frames (zstd_frame_source.hpp).
struct SegmentLimits {
  std::size_t target_compressed = std::size_t{1} << 20;  ///< cut after this many bytes
  std::size_t target_decoded = std::size_t{8} << 20;     ///< or after frames declaring this
  std::size_t max_frame = std::size_t{8} << 20;          ///< larger frames are streamed
  std::size_t max_decoded = std::size_t{32} << 20;       ///< one segment's decoded bytes
};

/// Where a zstd file's frames are decoded (zstd_frame_source.hpp): on `pool`,
/// up to `segments_ahead` segments ahead of the reader; without a pool, by
/// the reader. Either way the bytes read are the same. `read_clock`, when
/// set, gathers the time the file's reads take (--stats).
struct DecodeOptions {
  DecodePool* pool = nullptr;
  std::size_t segments_ahead = 1;
  SegmentLimits segments{};
  ReadClock* read_clock = nullptr;
};

/// Opens `path` for scanning: its decoder (open_decoder), with a CloudTrail
/// Records document read as one line per record (cloudtrail_records.hpp). On
/// failure returns nullptr and fills `error`.
std::unique_ptr<ByteSource> open_byte_source(const std::filesystem::path& path, InputError& error,
                                             DecodeOptions options = {});

/// Opens `path` with the decoder its first bytes call for: zstd, gzip or
/// plain. On failure returns nullptr and fills `error`.
std::unique_ptr<ByteSource> open_decoder(const std::filesystem::path& path, InputError& error,
                                         DecodeOptions options = {});

}  // namespace agentsweep::io
