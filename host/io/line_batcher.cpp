/** @file
 * LineBatcher: line-aligned batches from a ByteSource.
 */
#include "host/io/line_batcher.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace agentsweep::io {

LineBatcher::LineBatcher(ByteSource& source, std::uint32_t file_id, BatchLimits limits)
    : source_(source), file_id_(file_id), limits_(limits) {
  limits_.batch_bytes = std::max<std::size_t>(limits_.batch_bytes, 1);
  limits_.read_bytes = std::max<std::size_t>(limits_.read_bytes, 1);
  if (limits_.max_lines == 0)
    limits_.max_lines = std::max<std::size_t>(limits_.batch_bytes / kBytesPerBatchLine, 1);
}

bool LineBatcher::fill() {
  if (end_of_input_) return false;
  const std::size_t room = std::min(limits_.read_bytes, limits_.batch_bytes - filled_);
  const std::size_t n = source_.read({buffer_.get() + filled_, room});
  if (n == 0) {
    end_of_input_ = true;
    return false;
  }
  filled_ += n;
  decoded_bytes_ += n;
  return true;
}

Batch LineBatcher::take(std::size_t length, bool newline_appended) {
  Batch batch;
  batch.file_id = file_id_;
  batch.first_line = next_line_;
  batch.offset = buffer_offset_;
  batch.line_ends = std::move(spare_line_ends_);
  batch.line_ends.clear();
  const char* begin = buffer_.get();
  for (const char* at = begin; at < begin + length;) {
    const char* newline = static_cast<const char*>(
        std::memchr(at, '\n', static_cast<std::size_t>(begin + length - at)));
    batch.line_ends.push_back(static_cast<std::uint32_t>(newline - begin));
    at = newline + 1;
    // Lines past the cap stay for the next batch (an appended final newline
    // never does: that batch holds one line).
    if (batch.line_ends.size() == limits_.max_lines) length = static_cast<std::size_t>(at - begin);
  }
  batch.size = length;
  batch.line_count = batch.line_ends.size();

  // The filled buffer becomes the batch; what follows (a partial line, lines
  // past the cap) moves to a spare one.
  BatchBuffer fresh =
      spare_ ? std::move(spare_) : allocate_buffer(limits_.memory, limits_.batch_bytes + 1);
  std::memcpy(fresh.get(), buffer_.get() + length, filled_ - length);
  batch.data = std::exchange(buffer_, std::move(fresh));
  filled_ -= length;
  buffer_offset_ += length;
  next_line_ += batch.line_count;
  scanned_bytes_ += length - (newline_appended ? 1 : 0);
  return batch;
}

std::vector<Batch> LineBatcher::release_buffers() {
  std::vector<Batch> released;
  for (BatchBuffer* held : {&buffer_, &spare_}) {
    if (!*held) continue;
    released.emplace_back().data = std::move(*held);
    released.back().line_ends = std::move(spare_line_ends_);  // the first gets the storage
  }
  return released;
}

void LineBatcher::skip_rest_of_oversized_line() {
  SkippedLine line{next_line_, buffer_offset_, 0, SkippedLine::Reason::kOversized};
  for (;;) {
    const char* newline = static_cast<const char*>(std::memchr(buffer_.get(), '\n', filled_));
    if (newline != nullptr) {
      const std::size_t consumed = static_cast<std::size_t>(newline - buffer_.get()) + 1;
      line.bytes += consumed - 1;
      std::memmove(buffer_.get(), buffer_.get() + consumed, filled_ - consumed);
      filled_ -= consumed;
      buffer_offset_ += consumed;
      skipped_bytes_ += consumed;
      break;
    }
    line.bytes += filled_;
    buffer_offset_ += filled_;
    skipped_bytes_ += filled_;
    filled_ = 0;
    if (!fill()) break;
  }
  skipped_.push_back(line);
  ++next_line_;
}

std::optional<Batch> LineBatcher::next() {
  if (!buffer_) buffer_ = allocate_buffer(limits_.memory, limits_.batch_bytes + 1);
  for (;;) {
    while (filled_ < limits_.batch_bytes && fill()) {
    }
    if (filled_ == 0) return std::nullopt;

    const char* begin = buffer_.get();
    if (const void* last_newline = ::memrchr(begin, '\n', filled_))
      return take(static_cast<std::size_t>(static_cast<const char*>(last_newline) - begin) + 1);

    if (filled_ == limits_.batch_bytes) {  // one line fills the whole buffer
      skip_rest_of_oversized_line();
      continue;
    }
    // Input ended inside a line. After a read error it is incomplete: report
    // it rather than scan half an event. Otherwise it is the final line.
    if (source_.error()) {
      skipped_.push_back(
          {next_line_, buffer_offset_, filled_, SkippedLine::Reason::kIncompleteAtError});
      buffer_offset_ += filled_;
      skipped_bytes_ += filled_;
      filled_ = 0;
      ++next_line_;
      return std::nullopt;
    }
    buffer_[filled_++] = '\n';
    return take(filled_, /*newline_appended=*/true);
  }
}

}  // namespace agentsweep::io
