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

#include "host/io/input_error.hpp"

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

/// Opens `path` for scanning: its decoder (open_decoder), with a CloudTrail
/// Records document read as one line per record (cloudtrail_records.hpp). On
/// failure returns nullptr and fills `error`.
std::unique_ptr<ByteSource> open_byte_source(const std::filesystem::path& path, InputError& error);

/// Opens `path` with the decoder its first bytes call for: zstd, gzip or
/// plain. On failure returns nullptr and fills `error`.
std::unique_ptr<ByteSource> open_decoder(const std::filesystem::path& path, InputError& error);

}  // namespace agentsweep::io
