/** @file
 * zstd decoding of one file, frame groups at a time on a DecodePool: the
 * reader walks frame headers (zstd_frames.hpp), cuts the file into segments of
 * whole frames, queues a few segments ahead, and hands their decoded bytes out
 * in file order. Bytes, errors and offsets do not depend on the pool's size.
 *
 * What cannot be cut into segments is streamed by a ZstdSource from there to
 * the end of the file, as if the whole file had been streamed: a frame larger
 * than a segment (one `zstd FILE` writes a single frame), a frame that
 * declares more than a segment may decode, anything the walk cannot measure,
 * and the segment where decoding fails (corrupt or truncated data), so errors
 * read exactly as ZstdSource words them.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "host/io/byte_source.hpp"
#include "host/io/raw_file.hpp"

namespace agentsweep::io {

class ZstdFrameSource final : public ByteSource {
 public:
  /// `pool` may be null: segments are then decoded when read. `ahead` is the
  /// number of segments queued at most.
  ZstdFrameSource(RawFile file, DecodePool* pool, std::size_t ahead, SegmentLimits limits = {});
  ~ZstdFrameSource() override;
  ZstdFrameSource(const ZstdFrameSource&) = delete;
  ZstdFrameSource& operator=(const ZstdFrameSource&) = delete;

  std::size_t read(std::span<char> out) override;
  std::string_view codec() const override { return "zstd"; }
  std::uint64_t compressed_bytes_read() const override;

 private:
  class Segment;

  /// Queues segments until `ahead` are queued or the walk stops.
  void queue_segments();
  /// The next segment's frames from the file, or null where the walk stops.
  std::shared_ptr<Segment> cut_segment();
  /// Reads more of the file into `unwalked_`, at least `bytes` in all; false at its end.
  bool read_at_least(std::size_t bytes);
  /// Streams the queued segments' bytes, the unwalked bytes and the rest of the file.
  void stream_from_here();

  std::optional<RawFile> file_;
  DecodePool* pool_;
  std::size_t ahead_;
  SegmentLimits limits_;
  std::vector<char> unwalked_;  ///< read from the file, not in a segment yet
  bool walking_ = true;
  std::deque<std::shared_ptr<Segment>> queued_;
  std::shared_ptr<Segment> current_;  ///< being handed out
  std::size_t current_position_ = 0;
  std::uint64_t handed_out_end_ = 0;       ///< compressed offset after the segments handed out
  std::unique_ptr<ByteSource> streaming_;  ///< once segments end
};

}  // namespace agentsweep::io
