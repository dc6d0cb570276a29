/** @file
 * The CloudTrail adapter: recognises a Records document from the first decoded
 * bytes, then feeds every byte through the rewriter, or passes everything on.
 */
#include "host/io/cloudtrail_records.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "host/io/cloudtrail_rewriter.hpp"

namespace agentsweep::io {
namespace {

// Decoded bytes held at once; also the most that is read to recognise a document.
constexpr std::size_t kBufferBytes = std::size_t{64} << 10;

enum class Start { kRecords, kOther, kUndecided };

/// Whether `head` starts a Records document: an optional byte order mark, then
/// `{ "Records" : [`, whitespace before and between the tokens. On kRecords,
/// `array_start` is the offset just past the '['.
Start match_records_start(std::string_view head, std::size_t& array_start) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (head.size() < kByteOrderMark.size() && kByteOrderMark.starts_with(head))
    return Start::kUndecided;
  RecordsStart start;
  for (std::size_t at = head.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
       at < head.size(); ++at) {
    switch (start.feed(head[at])) {
      case RecordsStart::Verdict::kMore:
        break;
      case RecordsStart::Verdict::kMatched:
        array_start = at + 1;
        return Start::kRecords;
      case RecordsStart::Verdict::kMismatch:
        return Start::kOther;
    }
  }
  return Start::kUndecided;
}

class CloudTrailRecords final : public ByteSource {
 public:
  explicit CloudTrailRecords(std::unique_ptr<ByteSource> decoded)
      : decoded_(std::move(decoded)), buffer_(kBufferBytes) {
    std::size_t array_start = 0;
    Start start = Start::kUndecided;
    do {
      start = match_records_start({buffer_.data(), end_}, array_start);
    } while (start == Start::kUndecided && end_ < buffer_.size() && fill());
    if (start == Start::kRecords) rewriter_.emplace(array_start);
    codec_ = std::string(decoded_->codec()) + (rewriter_ ? "+cloudtrail" : "");
  }

  std::string_view codec() const override { return codec_; }
  std::uint64_t compressed_bytes_read() const override { return decoded_->compressed_bytes_read(); }

  std::size_t read(std::span<char> out) override {
    return rewriter_ ? rewrite(out) : pass_through(out);
  }

 private:
  /// Appends to the buffer what `decoded_` gives in one read; false at its end.
  bool fill() {
    if (decoded_ended_) return false;
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    const std::size_t n = decoded_->read({buffer_.data() + end_, buffer_.size() - end_});
    end_ += n;
    decoded_ended_ = n == 0;
    return n > 0;
  }

  std::size_t pass_through(std::span<char> out) {
    const std::size_t held = std::min(out.size(), end_ - begin_);
    std::copy_n(buffer_.data() + begin_, held, out.data());
    begin_ += held;
    std::size_t n = 0;
    if (held < out.size() && !decoded_ended_) {
      n = decoded_->read(out.subspan(held));
      decoded_ended_ = n == 0;
    }
    if (decoded_ended_ && begin_ == end_) error_ = decoded_->error();
    return held + n;
  }

  std::size_t rewrite(std::span<char> out) {
    std::size_t done = 0;
    while (done < out.size() && !stopped_) {
      // The last byte waits until it is known whether it is the input's last.
      if (end_ - begin_ < 2 && fill()) continue;
      if (begin_ == end_) {
        stop();
        break;
      }
      const std::size_t ready =
          std::min(end_ - begin_ - (decoded_ended_ ? 0 : 1), out.size() - done);
      const auto [consumed, delivered] =
          rewriter_->rewrite({buffer_.data() + begin_, ready},
                             decoded_ended_ && begin_ + ready == end_, out.data() + done);
      begin_ += consumed;
      done += delivered;
      if (rewriter_->error()) stop();
    }
    return done;
  }

  /// No more output: the input ended or the document went wrong. A decoder
  /// error explains a truncated document better than the rewriter can.
  void stop() {
    stopped_ = true;
    if (rewriter_->error()) {
      error_ = rewriter_->error();
      return;
    }
    error_ = decoded_->error();
    if (error_) return;
    rewriter_->finish();
    error_ = rewriter_->error();
  }

  std::unique_ptr<ByteSource> decoded_;
  std::string codec_;
  std::optional<CloudTrailRewriter> rewriter_;  ///< set for a Records document
  std::vector<char> buffer_;                    ///< buffer_[begin_, end_): not handed out yet
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool decoded_ended_ = false;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> split_cloudtrail_records(std::unique_ptr<ByteSource> decoded) {
  return std::make_unique<CloudTrailRecords>(std::move(decoded));
}

}  // namespace agentsweep::io
