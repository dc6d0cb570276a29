/** @file
 * DecodeAhead: the decode workers and the per-file queues between them and the scan.
 */
#include "host/pipeline/decode_ahead.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "host/io/byte_source.hpp"
#include "host/pipeline/stopwatch.hpp"

namespace agentsweep::pipeline {

namespace {
/// Files read at once: a quarter of the workers, at least 2. The scan takes
/// batches in file order and a reader queues one step ahead, so readers past
/// the first few mostly wait; the other workers decode zstd frames of the
/// files being read instead. (With a reader per file, 16 files on 16 threads
/// left an H100 machine's scan waiting on one decoder 13.7 s of 18.4 s.)
std::size_t file_workers(std::size_t workers, std::size_t files) {
  const std::size_t readers = std::min(workers, std::max<std::size_t>(2, workers / 4));
  return std::clamp<std::size_t>(readers, 1, std::max<std::size_t>(files, 1));
}

/// The workers without a file of their own decode frames for the others.
std::size_t frame_threads(std::size_t workers, std::size_t files) {
  return workers - std::min(workers, file_workers(workers, files));
}
}  // namespace

DecodeAhead::DecodeAhead(const std::vector<io::InputFile>& files, io::BatchLimits limits,
                         std::size_t workers, io::ExpansionLimit expansion)
    : files_(files),
      limits_(limits),
      frame_pool_(frame_threads(workers, files.size())),
      expansion_(expansion),
      queues_(files.size()) {
  const std::size_t count = file_workers(workers, files.size());
  // Enough segments queued per file to keep every frame thread busy.
  segments_ahead_ = 1 + (2 * frame_pool_.threads() + count - 1) / count;
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { work(); });
}

DecodeAhead::~DecodeAhead() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  room_.notify_all();
  for (std::thread& t : threads_) t.join();
}

double DecodeAhead::decode_seconds() const {
  std::lock_guard lock(mutex_);
  return decode_seconds_;
}

void DecodeAhead::work() {
  for (;;) {
    std::size_t file = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || next_file_ == files_.size()) return;
      file = next_file_++;
    }
    try {
      decode_file(file);
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        queues_[file].failure = std::current_exception();
      }
      step_ready_.notify_all();
    }
  }
}

bool DecodeAhead::push(std::size_t file, DecodedStep&& step, double busy_seconds) {
  {
    std::lock_guard lock(mutex_);
    decode_seconds_ += busy_seconds;
    if (stopping_) return false;
    queues_[file].ready.push_back(std::move(step));
  }
  step_ready_.notify_all();
  return true;
}

void DecodeAhead::decode_file(std::size_t file) {
  io::InputError open_error;
  std::unique_ptr<io::ByteSource> source = io::open_byte_source(
      files_[file].path, open_error, {&frame_pool_, segments_ahead_, {}, &read_clock_});
  if (!source) {
    DecodedStep step;
    step.end.emplace().open_error = open_error;
    push(file, std::move(step), 0);
    return;
  }
  source = io::guard_expansion(std::move(source), expansion_);
  io::LineBatcher batcher(*source, static_cast<std::uint32_t>(file), limits_);
  for (;;) {
    {
      // One step queued at most: the scan is behind, so decoding further only costs memory.
      std::unique_lock lock(mutex_);
      FileQueue& queue = queues_[file];
      room_.wait(lock, [&] { return stopping_ || queue.ready.empty(); });
      if (stopping_) return;
      while (!spares_.empty() && batcher.wants_buffer()) {
        batcher.recycle(std::move(spares_.back()));
        spares_.pop_back();
      }
    }
    const Clock::time_point start = Clock::now();
    DecodedStep step;
    step.batch = batcher.next();
    step.skipped = std::move(batcher.skipped());
    batcher.skipped().clear();
    step.compressed_position = source->compressed_bytes_read();
    const bool last = !step.batch;
    if (last) {
      FileEnd& end = step.end.emplace();
      end.read_error = source->error();
      end.codec = source->codec();
      end.compressed_bytes = source->compressed_bytes_read();
      end.decoded_bytes = batcher.decoded_bytes();
      end.scanned_bytes = batcher.scanned_bytes();
      end.skipped_bytes = batcher.skipped_bytes();
    }
    if (last) {
      // The next file's batcher takes these instead of fresh pages.
      std::vector<io::Batch> released = batcher.release_buffers();
      std::lock_guard lock(mutex_);
      for (io::Batch& buffer : released) spares_.push_back(std::move(buffer));
    }
    if (!push(file, std::move(step), seconds_since(start)) || last) return;
  }
}

DecodedStep DecodeAhead::next(std::size_t file) {
  const Clock::time_point start = Clock::now();
  std::unique_lock lock(mutex_);
  FileQueue& queue = queues_[file];
  step_ready_.wait(lock, [&] { return !queue.ready.empty() || queue.failure; });
  wait_seconds_ += seconds_since(start);
  if (queue.ready.empty()) std::rethrow_exception(queue.failure);
  DecodedStep step = std::move(queue.ready.front());
  queue.ready.pop_front();
  lock.unlock();
  room_.notify_all();
  return step;
}

void DecodeAhead::recycle(io::Batch&& batch) {
  std::lock_guard lock(mutex_);
  spares_.push_back(std::move(batch));
}

}  // namespace agentsweep::pipeline
