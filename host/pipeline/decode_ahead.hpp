/** @file
 * Decodes input files on worker threads while the backend scans: each worker
 * takes the next file in order, decodes it and cuts it into batches, and queues
 * them for that file. The scan takes each file's batches in file order, so it
 * sees the same batches in the same order whatever the number of workers, and
 * its report is identical to a one-thread scan's.
 *
 * A quarter of the workers (at least 2, at most one per file) read files; the
 * others decode zstd frames for them (io::DecodePool, zstd_frame_source.hpp),
 * so that the file the scan is waiting for is decoded on every thread.
 *
 * Memory is bounded by the workers and the batch size, never by the input: a
 * worker holds at most its batcher's buffer and spare and one batch queued;
 * scanned buffers, and those of a file's batcher once the file is done, go back
 * to a pool that every worker draws from, and a buffer is only allocated when
 * the pool is empty. Frame segments in flight, at most
 * 33 MiB each, number one per file worker plus two per frame thread.
 */
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "host/io/decode_pool.hpp"
#include "host/io/expansion_guard.hpp"
#include "host/io/input_error.hpp"
#include "host/io/input_files.hpp"
#include "host/io/line_batcher.hpp"

namespace agentsweep::pipeline {

/// What a file's reader knows once it is done with the file.
struct FileEnd {
  std::optional<io::InputError> open_error;  ///< the file could not be opened: nothing was read
  std::optional<io::InputError> read_error;  ///< reading stopped here; bytes before it were scanned
  std::string codec;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t decoded_bytes = 0;
  std::uint64_t scanned_bytes = 0;
  std::uint64_t skipped_bytes = 0;
};

/// One step of a file: a batch, or the file's end. Either way, the lines the
/// batcher skipped since the previous step.
struct DecodedStep {
  std::optional<io::Batch> batch;
  std::vector<io::SkippedLine> skipped;
  std::optional<FileEnd> end;             ///< set on a file's last step, which has no batch
  std::uint64_t compressed_position = 0;  ///< compressed bytes of the file read so far
};

/// Batch buffers one decode worker holds at most (see the file comment).
constexpr std::size_t kBatchesPerWorker = 4;

class DecodeAhead {
 public:
  DecodeAhead(const std::vector<io::InputFile>& files, io::BatchLimits limits, std::size_t workers,
              io::ExpansionLimit expansion = {});
  ~DecodeAhead();  ///< stops the workers, whatever they are doing, and joins them
  DecodeAhead(const DecodeAhead&) = delete;
  DecodeAhead& operator=(const DecodeAhead&) = delete;

  /// The next step of file `file`: call for each file in order, until its end.
  /// Rethrows what a worker threw while decoding that file.
  DecodedStep next(std::size_t file);
  /// Hands a scanned batch back, so that a worker reuses its buffers for any file:
  /// fresh pages cost the kernel a fault and a clearing each, about a tenth of a scan.
  void recycle(io::Batch&& batch);

  /// Seconds the workers spent reading, decoding and cutting lines, summed over workers.
  double decode_seconds() const;
  /// Seconds in read(2) of the input files, summed over the threads that read.
  double read_seconds() const { return static_cast<double>(read_clock_.load()) * 1e-9; }
  /// Seconds next() waited for a worker.
  double wait_seconds() const { return wait_seconds_; }
  std::size_t workers() const { return threads_.size() + frame_pool_.threads(); }

 private:
  struct FileQueue {
    std::deque<DecodedStep> ready;
    std::exception_ptr failure;
  };
  void work();
  void decode_file(std::size_t file);
  /// Queues a step that took `busy_seconds` to decode; false when the scan is stopping.
  bool push(std::size_t file, DecodedStep&& step, double busy_seconds);

  const std::vector<io::InputFile>& files_;
  io::BatchLimits limits_;
  io::DecodePool frame_pool_;  ///< declared before threads_: outlives the file workers
  std::size_t segments_ahead_ = 1;
  io::ExpansionLimit expansion_;
  std::vector<FileQueue> queues_;
  /// Scanned batches, for any worker to fill again. A buffer is only allocated
  /// when none is here, so there are never more than were once in flight.
  std::vector<io::Batch> spares_;
  std::size_t next_file_ = 0;
  bool stopping_ = false;
  double decode_seconds_ = 0;
  double wait_seconds_ = 0;
  io::ReadClock read_clock_{0};
  mutable std::mutex mutex_;
  std::condition_variable step_ready_;  ///< the scan waits on it
  std::condition_variable room_;        ///< workers wait on it for queue room
  std::vector<std::thread> threads_;
};

}  // namespace agentsweep::pipeline
