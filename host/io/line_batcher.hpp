/** @file
 * Cuts a decoded byte stream into batches of complete lines.
 *
 * The batcher owns the chunk contract: a batch holds only complete lines, the
 * partial tail rolls into the next batch, and every batch knows its first line
 * number and absolute decoded offset. A line longer than a whole batch is not
 * scanned: it is reported as oversized (with its number and offset), skipped
 * to its end, and counted. Memory is one batch buffer, whatever the input.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/io/batch.hpp"
#include "host/io/byte_source.hpp"

namespace agentsweep::io {

struct BatchLimits {
  std::size_t batch_bytes = std::size_t{64} << 20;  ///< also the longest line scanned
  std::size_t read_bytes = std::size_t{1} << 20;    ///< decoded bytes requested per read
  /// Most lines per batch; 0: one per kBytesPerBatchLine bytes of batch_bytes.
  std::size_t max_lines = 0;
  BufferMemory memory{};  ///< where batch buffers come from (pinned for the CUDA backend)
};

/// A line the batcher could not hand on, with why.
struct SkippedLine {
  enum class Reason { kOversized, kIncompleteAtError };
  std::uint64_t line_number = 0;
  std::uint64_t offset = 0;  ///< decoded offset of its first byte
  std::uint64_t bytes = 0;
  Reason reason = Reason::kOversized;
};

class LineBatcher {
 public:
  LineBatcher(ByteSource& source, std::uint32_t file_id, BatchLimits limits);

  /// The next batch, or nullopt when the input is exhausted (check the
  /// source's error()). Lines skipped meanwhile are appended to skipped().
  std::optional<Batch> next();

  /// Whether it lacks a buffer or a spare, which recycle() would supply.
  bool wants_buffer() const { return !buffer_ || !spare_; }
  /// Hands a scanned batch's buffer (of this batcher's capacity) back for
  /// reuse, so steady state allocates nothing: it becomes the buffer, if none
  /// is allocated yet, else the spare.
  void recycle(Batch&& batch) {
    (buffer_ ? spare_ : buffer_) = std::move(batch.data);
    spare_line_ends_ = std::move(batch.line_ends);
  }
  /// The buffers it holds, as batches to recycle into the next file's batcher,
  /// once next() has returned nullopt (none of their bytes are needed then).
  std::vector<Batch> release_buffers();

  std::vector<SkippedLine>& skipped() { return skipped_; }
  std::uint64_t decoded_bytes() const { return decoded_bytes_; }
  /// Decoded bytes handed out in batches (not counting an appended final newline).
  std::uint64_t scanned_bytes() const { return scanned_bytes_; }
  /// Decoded bytes of skipped lines, their newlines included. Once the input
  /// is exhausted, decoded_bytes() == scanned_bytes() + skipped_bytes().
  std::uint64_t skipped_bytes() const { return skipped_bytes_; }

 private:
  bool fill();  ///< reads once into the buffer; false at end
  /// Hands out buffer_[0, length); the last byte may be a newline the input lacked.
  Batch take(std::size_t length, bool newline_appended = false);
  void skip_rest_of_oversized_line();

  ByteSource& source_;
  std::uint32_t file_id_;
  BatchLimits limits_;
  /// Capacity batch_bytes + 1 (room for a final '\n'); allocated by the first
  /// next() unless recycle() gave one.
  BatchBuffer buffer_;
  BatchBuffer spare_;                           ///< a recycled buffer of the same capacity, or null
  std::vector<std::uint32_t> spare_line_ends_;  ///< recycled line-end storage (capacity only)
  std::size_t filled_ = 0;  ///< bytes in buffer_; those after the last '\n' are a partial line
  std::uint64_t buffer_offset_ = 0;  ///< decoded offset of buffer_[0]
  std::uint64_t next_line_ = 1;      ///< number of the line starting at buffer_[0]
  std::uint64_t decoded_bytes_ = 0;
  std::uint64_t scanned_bytes_ = 0;
  std::uint64_t skipped_bytes_ = 0;
  bool end_of_input_ = false;
  std::vector<SkippedLine> skipped_;
};

}  // namespace agentsweep::io
