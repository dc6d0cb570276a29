/** @file
 * ZstdFrameSource: segments of whole frames decoded ahead, handed out in order.
 */
#include "host/io/zstd_frame_source.hpp"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "host/io/zstd_frames.hpp"
#include "host/io/zstd_source.hpp"

namespace agentsweep::io {

namespace {
constexpr std::size_t kReadBytes = std::size_t{1} << 20;
// As in zstd_source.cpp: a frame cannot make the decoder allocate a window over 128 MiB.
constexpr int kMaxWindowLog = 27;

struct ContextDeleter {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

/// One decoding context per thread, reused for every segment it decodes.
ZSTD_DCtx* thread_context() {
  thread_local std::unique_ptr<ZSTD_DCtx, ContextDeleter> context = [] {
    std::unique_ptr<ZSTD_DCtx, ContextDeleter> made(ZSTD_createDCtx());
    ZSTD_DCtx_setParameter(made.get(), ZSTD_d_windowLogMax, kMaxWindowLog);
    return made;
  }();
  ZSTD_DCtx_reset(context.get(), ZSTD_reset_session_only);
  return context.get();
}
}  // namespace

/// Whole frames and, once run, their decoded bytes; `decoded_whole` is false
/// when they are corrupt, truncated or decode to more than allowed.
class ZstdFrameSource::Segment final : public PooledTask {
 public:
  Segment(std::vector<char> frames, std::optional<std::uint64_t> declared, std::size_t max_decoded)
      : compressed(std::move(frames)), declared_(declared), max_decoded_(max_decoded) {}

  std::vector<char> compressed;
  std::unique_ptr<char[]> decoded;  // not a vector: filling it with zeros first costs ~5%
  std::size_t decoded_size = 0;
  bool decoded_whole = false;

 protected:
  void run() override {
    decoded_whole = declared_ ? decode_declared(*declared_) : decode_streaming();
    if (!decoded_whole) {
      decoded.reset();
      decoded_size = 0;
    }
  }

 private:
  // Every frame says how much it holds: one call decodes them all in place.
  bool decode_declared(std::uint64_t size) {
    decoded.reset(new char[std::max<std::uint64_t>(size, 1)]);
    const std::size_t result = ZSTD_decompressDCtx(thread_context(), decoded.get(), size,
                                                   compressed.data(), compressed.size());
    decoded_size = ZSTD_isError(result) ? 0 : result;
    return !ZSTD_isError(result) && result == size;
  }

  bool decode_streaming() {
    ZSTD_DCtx* context = thread_context();
    ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
    std::size_t capacity = std::min(max_decoded_, std::max(compressed.size() * 8, kReadBytes));
    decoded.reset(new char[capacity]);
    std::size_t frame_remaining = 0;
    while (in.pos < in.size || frame_remaining != 0) {
      if (decoded_size == capacity) {
        if (capacity == max_decoded_) return false;
        capacity = std::min(max_decoded_, capacity * 2);
        std::unique_ptr<char[]> grown(new char[capacity]);
        std::memcpy(grown.get(), decoded.get(), decoded_size);
        decoded = std::move(grown);
      }
      ZSTD_outBuffer out{decoded.get() + decoded_size, capacity - decoded_size, 0};
      const std::size_t before = in.pos;
      frame_remaining = ZSTD_decompressStream(context, &out, &in);
      if (ZSTD_isError(frame_remaining)) return false;
      decoded_size += out.pos;
      if (in.pos == before && out.pos == 0) return false;  // truncated: no progress
    }
    return true;
  }

  std::optional<std::uint64_t> declared_;
  std::size_t max_decoded_;
};

ZstdFrameSource::ZstdFrameSource(RawFile file, DecodePool* pool, std::size_t ahead,
                                 SegmentLimits limits)
    : file_(std::move(file)),
      pool_(pool),
      ahead_(std::max<std::size_t>(ahead, 1)),
      limits_(limits) {}

ZstdFrameSource::~ZstdFrameSource() {
  for (const std::shared_ptr<Segment>& segment : queued_) segment->cancel();
}

std::uint64_t ZstdFrameSource::compressed_bytes_read() const {
  return streaming_ ? streaming_->compressed_bytes_read() : handed_out_end_;
}

std::size_t ZstdFrameSource::read(std::span<char> out) {
  for (;;) {
    if (streaming_) {
      const std::size_t n = streaming_->read(out);
      if (n == 0) error_ = streaming_->error();
      return n;
    }
    if (current_ && current_position_ < current_->decoded_size) {
      const std::size_t n = std::min(out.size(), current_->decoded_size - current_position_);
      std::memcpy(out.data(), current_->decoded.get() + current_position_, n);
      current_position_ += n;
      return n;
    }
    current_.reset();
    queue_segments();
    if (queued_.empty()) {
      stream_from_here();
      continue;
    }
    const std::shared_ptr<Segment> next = queued_.front();
    next->run_or_wait();
    if (!next->decoded_whole) {  // the streaming decoder finds and words the problem
      stream_from_here();
      continue;
    }
    queued_.pop_front();
    current_ = next;
    current_position_ = 0;
    handed_out_end_ += next->compressed.size();
    queue_segments();
  }
}

void ZstdFrameSource::queue_segments() {
  while (walking_ && queued_.size() < ahead_) {
    std::shared_ptr<Segment> segment = cut_segment();
    if (!segment) break;
    queued_.push_back(segment);
    if (pool_) pool_->submit(std::move(segment));
  }
}

std::shared_ptr<ZstdFrameSource::Segment> ZstdFrameSource::cut_segment() {
  std::size_t used = 0;
  std::uint64_t declared = 0;
  bool all_declared = true;
  for (;;) {
    const FrameExtent frame = measure_frame(std::span(unwalked_).subspan(used));
    if (frame.status == FrameExtent::Status::kNeedMore) {
      if (frame.size <= limits_.max_frame && read_at_least(used + frame.size)) continue;
      walking_ = false;  // the end of the file, or a frame to stream
      break;
    }
    if (frame.status == FrameExtent::Status::kInvalid || frame.size > limits_.max_frame ||
        frame.window_size > (std::uint64_t{1} << kMaxWindowLog)) {  // refused when streamed
      walking_ = false;
      break;
    }
    if (frame.content_size) {
      if (*frame.content_size > limits_.max_decoded - declared) {
        if (used == 0) walking_ = false;  // this frame alone is too large: stream it
        break;
      }
      declared += *frame.content_size;
    } else {
      all_declared = false;
    }
    used += frame.size;
    if (used >= limits_.target_compressed || declared >= limits_.target_decoded) break;
  }
  if (used == 0) return nullptr;
  std::vector<char> frames(unwalked_.begin(),
                           unwalked_.begin() + static_cast<std::ptrdiff_t>(used));
  unwalked_.erase(unwalked_.begin(), unwalked_.begin() + static_cast<std::ptrdiff_t>(used));
  return std::make_shared<Segment>(std::move(frames),
                                   all_declared ? std::optional(declared) : std::nullopt,
                                   limits_.max_decoded);
}

bool ZstdFrameSource::read_at_least(std::size_t bytes) {
  while (unwalked_.size() < bytes) {
    const std::size_t had = unwalked_.size();
    const std::size_t room = std::max(bytes - had, kReadBytes);
    unwalked_.resize(had + room);
    // A read error ends the walk; the streaming decoder meets it again and reports it.
    std::optional<InputError> error;
    const std::size_t n = file_->read(std::span(unwalked_.data() + had, room), error);
    unwalked_.resize(had + n);
    if (n == 0) return false;
  }
  return true;
}

void ZstdFrameSource::stream_from_here() {
  std::vector<char> rest;
  for (const std::shared_ptr<Segment>& segment : queued_) {
    segment->cancel();
    rest.insert(rest.end(), segment->compressed.begin(), segment->compressed.end());
  }
  queued_.clear();
  rest.insert(rest.end(), unwalked_.begin(), unwalked_.end());
  unwalked_ = {};
  walking_ = false;
  streaming_ = std::make_unique<ZstdSource>(std::move(*file_), std::move(rest));
  file_.reset();
}

}  // namespace agentsweep::io
