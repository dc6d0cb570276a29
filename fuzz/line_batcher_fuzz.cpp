/** @file
 * Fuzzes the line batcher (host/io/line_batcher.cpp) with fuzzed batch and
 * read sizes and line caps, over a source that returns short reads of fuzzed
 * lengths and may end on a read error. Every line must come out exactly once and
 * in order: in a batch, with its number, offset, bytes and line ends right, or
 * as a skipped line, oversized exactly when it needs more than a batch
 * (newline included) and incomplete exactly when a read error cut it off.
 * The byte accounting must balance: decoded = scanned + skipped.
 */
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/io/line_batcher.hpp"

namespace agentsweep::fuzz {
namespace {

/// The text in reads of fuzzed sizes, then the end or a read error.
class ChunkedSource final : public io::ByteSource {
 public:
  ChunkedSource(std::string_view text, std::vector<std::size_t> reads, bool fails_at_end)
      : text_(text), reads_(std::move(reads)), fails_at_end_(fails_at_end) {}

  std::size_t read(std::span<char> out) override {
    if (at_ == text_.size()) {
      if (fails_at_end_) error_ = io::InputError{at_, io::OffsetKind::kCompressed, "fuzzed error"};
      return 0;
    }
    const std::size_t n =
        std::min({out.size(), reads_[next_read_++ % reads_.size()], text_.size() - at_});
    std::memcpy(out.data(), text_.data() + at_, n);
    at_ += n;
    return n;
  }
  std::string_view codec() const override { return "fuzz"; }
  std::uint64_t compressed_bytes_read() const override { return at_; }

 private:
  std::string_view text_;
  std::vector<std::size_t> reads_;
  bool fails_at_end_;
  std::size_t at_ = 0;
  std::size_t next_read_ = 0;
};

struct InputLine {
  std::uint64_t offset = 0;
  std::string_view content;  ///< without its newline
  bool has_newline = true;
};

std::vector<InputLine> split_lines(std::string_view text) {
  std::vector<InputLine> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t newline = text.find('\n', start);
    const bool last = newline == std::string_view::npos;
    const std::size_t end = last ? text.size() : newline;
    lines.push_back({start, text.substr(start, end - start), !last});
    start = end + 1;
  }
  return lines;
}

/// What the batcher must do with one line.
enum class Fate { kScanned, kOversized, kIncomplete };

Fate expected_fate(const InputLine& line, std::size_t batch_bytes, bool read_error) {
  // A final line without newline fills a whole buffer at batch_bytes bytes.
  if (line.content.size() + (line.has_newline ? 1 : 0) > batch_bytes ||
      (!line.has_newline && line.content.size() == batch_bytes))
    return Fate::kOversized;
  if (!line.has_newline && read_error) return Fate::kIncomplete;
  return Fate::kScanned;
}

void check(std::string_view text, io::BatchLimits limits, std::vector<std::size_t> reads,
           bool read_error, std::uint64_t recycle_pattern) {
  ChunkedSource source(text, std::move(reads), read_error);
  io::LineBatcher batcher(source, 3, limits);
  const std::vector<InputLine> lines = split_lines(text);
  std::size_t next = 0;  // index of the next line expected
  std::uint64_t scanned = 0;
  const std::size_t max_lines =
      limits.max_lines != 0 ? limits.max_lines
                            : std::max<std::size_t>(limits.batch_bytes / io::kBytesPerBatchLine, 1);

  const auto take_skipped = [&] {
    for (const io::SkippedLine& s : batcher.skipped()) {
      FUZZ_REQUIRE(next < lines.size(), "skipped line " << s.line_number << " past the input");
      const InputLine& line = lines[next];
      const Fate fate = expected_fate(line, limits.batch_bytes, read_error);
      const Fate reported =
          s.reason == io::SkippedLine::Reason::kOversized ? Fate::kOversized : Fate::kIncomplete;
      FUZZ_REQUIRE(s.line_number == next + 1 && s.offset == line.offset &&
                       s.bytes == line.content.size() && reported == fate,
                   "skipped line " << s.line_number << " at " << s.offset << " (" << s.bytes
                                   << " bytes, reason " << static_cast<int>(reported)
                                   << ") but line " << next + 1 << " is at " << line.offset
                                   << " with " << line.content.size() << " bytes, fate "
                                   << static_cast<int>(fate));
      ++next;
    }
    batcher.skipped().clear();
  };

  for (std::uint64_t round = 0;; ++round) {
    std::optional<io::Batch> batch = batcher.next();
    take_skipped();
    if (!batch) break;
    const std::string_view bytes = batch->bytes();
    FUZZ_REQUIRE(batch->file_id == 3 && !bytes.empty() && bytes.back() == '\n' &&
                     bytes.size() <= limits.batch_bytes,
                 "batch of " << bytes.size() << " bytes for batches of " << limits.batch_bytes);
    FUZZ_REQUIRE(batch->first_line == next + 1,
                 "batch starts at line " << batch->first_line << ", expected " << next + 1);
    FUZZ_REQUIRE(batch->line_count == batch->line_ends.size() && batch->line_count <= max_lines,
                 batch->line_count << " lines, " << batch->line_ends.size()
                                   << " line ends, at most " << max_lines);
    std::size_t begin = 0;
    for (const std::uint32_t end : batch->line_ends) {
      FUZZ_REQUIRE(next < lines.size(), "batch line past the input");
      const InputLine& line = lines[next];
      FUZZ_REQUIRE(end < bytes.size() && bytes[end] == '\n' &&
                       std::count(bytes.begin() + begin, bytes.begin() + end, '\n') == 0,
                   "line end " << end << " is not the next newline");
      FUZZ_REQUIRE(expected_fate(line, limits.batch_bytes, read_error) == Fate::kScanned &&
                       batch->offset + begin == line.offset &&
                       bytes.substr(begin, end - begin) == line.content,
                   "line " << next + 1 << " scanned as \""
                           << escaped(bytes.substr(begin, end - begin)) << "\" at "
                           << batch->offset + begin << ", input has \"" << escaped(line.content)
                           << "\" at " << line.offset);
      scanned += end - begin + (line.has_newline ? 1 : 0);
      begin = end + 1;
      ++next;
    }
    FUZZ_REQUIRE(begin == bytes.size(), "bytes after the last line end");
    if ((recycle_pattern >> (round % 64)) & 1) batcher.recycle(std::move(*batch));
  }
  FUZZ_REQUIRE(next == lines.size(), next << " of " << lines.size() << " lines came out");
  FUZZ_REQUIRE(batcher.decoded_bytes() == text.size(), batcher.decoded_bytes()
                                                           << " decoded bytes of " << text.size());
  FUZZ_REQUIRE(batcher.scanned_bytes() == scanned &&
                   batcher.scanned_bytes() + batcher.skipped_bytes() == text.size(),
               "scanned " << batcher.scanned_bytes() << " (lines hold " << scanned << ") + skipped "
                          << batcher.skipped_bytes() << " != decoded " << text.size());
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agentsweep::fuzz;
  FuzzedDataProvider input(data, size);
  agentsweep::io::BatchLimits limits;
  limits.batch_bytes = input.ConsumeIntegralInRange<std::size_t>(1, 300);
  limits.read_bytes = input.ConsumeIntegralInRange<std::size_t>(1, 300);
  limits.max_lines = input.ConsumeIntegralInRange<std::size_t>(0, 20);  // 0: derived
  std::vector<std::size_t> reads;
  for (int i = 0; i < 4; ++i) reads.push_back(input.ConsumeIntegralInRange<std::size_t>(1, 300));
  const bool read_error = input.ConsumeBool();
  const auto recycle_pattern = input.ConsumeIntegral<std::uint64_t>();
  check(input.ConsumeRemainingBytesAsString(), limits, std::move(reads), read_error,
        recycle_pattern);
  return 0;
}
