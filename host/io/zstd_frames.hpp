/** @file
 * Where a zstd frame ends, found from its header and block headers without
 * decoding it, so that a file's independent frames can be decoded in parallel.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace agentsweep::io {

struct FrameExtent {
  enum class Status : std::uint8_t {
    kComplete,  ///< `size` bytes hold the whole frame
    kNeedMore,  ///< at least `size` bytes are needed to tell
    kInvalid,   ///< not a frame libzstd would decode: let the decoder say why
  };
  Status status = Status::kInvalid;
  std::size_t size = 0;
  /// Decoded bytes the frame declares (0 for a skippable frame); none when it
  /// does not say.
  std::optional<std::uint64_t> content_size;
  std::uint64_t window_size = 0;  ///< the decoding window the frame asks for
};

/// Measures the frame (zstd or skippable) that starts at `bytes[0]`.
FrameExtent measure_frame(std::span<const char> bytes);

}  // namespace agentsweep::io
