/** @file
 * measure_frame: a walk over a frame's block headers (RFC 8878, section 3.1.1).
 */
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_getFrameHeader
#include "host/io/zstd_frames.hpp"

#include <zstd.h>

namespace agentsweep::io {

namespace {
constexpr std::size_t kBlockHeaderBytes = 3;
constexpr std::size_t kChecksumBytes = 4;
constexpr unsigned kRleBlock = 1;
constexpr unsigned kReservedBlock = 3;

FrameExtent need(std::size_t bytes) {
  return {FrameExtent::Status::kNeedMore, bytes, std::nullopt, 0};
}
}  // namespace

FrameExtent measure_frame(std::span<const char> bytes) {
  ZSTD_frameHeader header{};
  const std::size_t missing = ZSTD_getFrameHeader(&header, bytes.data(), bytes.size());
  if (ZSTD_isError(missing)) return {};
  if (missing > 0) return need(missing);
  if (header.frameType == ZSTD_skippableFrame) {
    const std::size_t size = ZSTD_SKIPPABLEHEADERSIZE + header.frameContentSize;
    if (bytes.size() < size) return need(size);
    return {FrameExtent::Status::kComplete, size, 0, 0};
  }

  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t at = header.headerSize;
  for (;;) {
    if (bytes.size() < at + kBlockHeaderBytes) return need(at + kBlockHeaderBytes);
    const std::uint32_t block =
        u[at] | (u[at + 1] << 8) | (static_cast<std::uint32_t>(u[at + 2]) << 16);
    const bool last = block & 1;
    const unsigned type = (block >> 1) & 3;
    const std::size_t size = block >> 3;
    if (type == kReservedBlock || size > header.blockSizeMax) return {};
    at += kBlockHeaderBytes + (type == kRleBlock ? 1 : size);
    if (last) break;
  }
  if (header.checksumFlag) at += kChecksumBytes;
  if (bytes.size() < at) return need(at);
  FrameExtent extent{FrameExtent::Status::kComplete, at, std::nullopt, header.windowSize};
  if (header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN)
    extent.content_size = header.frameContentSize;
  return extent;
}

}  // namespace agentsweep::io
