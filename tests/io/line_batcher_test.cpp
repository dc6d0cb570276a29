/** @file
 * The batch contract: complete lines only, exact line numbers and offsets,
 * whatever the read and batch sizes; oversized and incomplete lines reported.
 */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/io/line_batcher.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep::io {
namespace {

using testing::TempDir;

struct Cut {
  std::vector<Batch> batches;
  std::vector<SkippedLine> skipped;
  std::optional<InputError> error;
};

Cut cut(const std::filesystem::path& path, BatchLimits limits) {
  InputError open_error;
  auto source = open_byte_source(path, open_error);
  EXPECT_TRUE(source) << open_error.message;
  LineBatcher batcher(*source, 7, limits);
  Cut c;
  while (auto batch = batcher.next()) c.batches.push_back(std::move(*batch));
  c.skipped = batcher.skipped();
  c.error = source->error();
  return c;
}

/// Checks the batch invariants against `text` and returns the lines seen.
std::vector<std::string> lines_of(const Cut& c, const std::string& text) {
  std::vector<std::string> lines;
  std::uint64_t expected_line = 1;
  for (const Batch& b : c.batches) {
    EXPECT_EQ(b.file_id, 7u);
    EXPECT_GT(b.size, 0u);
    EXPECT_EQ(b.bytes().back(), '\n');
    EXPECT_EQ(b.first_line, expected_line);
    const std::string_view bytes = b.bytes();
    // The batch is the input at its offset (but for an appended final newline).
    EXPECT_EQ(text.compare(b.offset, bytes.size() - 1, bytes.substr(0, bytes.size() - 1)), 0);
    std::size_t start = 0;
    for (std::size_t nl = bytes.find('\n'); nl != std::string_view::npos;
         nl = bytes.find('\n', start)) {
      lines.emplace_back(bytes.substr(start, nl - start));
      start = nl + 1;
    }
    std::vector<std::uint32_t> newlines;
    for (std::size_t i = 0; i < bytes.size(); ++i)
      if (bytes[i] == '\n') newlines.push_back(static_cast<std::uint32_t>(i));
    EXPECT_EQ(b.line_ends, newlines);
    EXPECT_EQ(b.line_count, newlines.size());
    expected_line += b.line_count;
    for (const SkippedLine& s : c.skipped)
      if (s.line_number == expected_line) ++expected_line;
  }
  return lines;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

TEST(LineBatcher, EveryReadAndBatchBoundaryYieldsExactlyTheLines) {
  TempDir dir;
  const std::string text = "{\"a\":1}\n\nsecond line\r\n{\"b\":[1,2,3]}\nlast without newline";
  const auto plain = dir.write("t.jsonl", text);
  const auto zst = dir.write("t.zst", testing::zstd_frames(text, 5));
  for (const auto& path : {plain, zst})
    for (std::size_t read = 1; read <= 9; ++read)
      for (std::size_t batch = 21; batch <= text.size() + 2; ++batch) {
        const Cut c = cut(path, {batch, read});
        EXPECT_TRUE(c.skipped.empty());
        EXPECT_EQ(lines_of(c, text), split_lines(text))
            << path.filename() << " read " << read << " batch " << batch;
      }
}

TEST(LineBatcher, LineLongerThanBatchIsSkippedAndReported) {
  TempDir dir;
  const std::string long_line(1000, 'x');
  const std::string text = "short\n" + long_line + "\nafter\n";
  for (std::size_t read : {1ul, 3ul, 64ul, 4096ul}) {
    const Cut c = cut(dir.write("long.jsonl", text), {100, read});
    ASSERT_EQ(c.skipped.size(), 1u);
    EXPECT_EQ(c.skipped[0].reason, SkippedLine::Reason::kOversized);
    EXPECT_EQ(c.skipped[0].line_number, 2u);
    EXPECT_EQ(c.skipped[0].offset, 6u);
    EXPECT_EQ(c.skipped[0].bytes, 1000u);
    EXPECT_EQ(lines_of(c, text), (std::vector<std::string>{"short", "after"}));
    EXPECT_EQ(c.batches.back().first_line, 3u);
    EXPECT_EQ(c.batches.back().offset, 1007u);
  }
}

TEST(LineBatcher, OversizedFinalLineWithoutNewline) {
  TempDir dir;
  const Cut c = cut(dir.write("tail.jsonl", "ok\n" + std::string(500, 'y')), {64, 16});
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].line_number, 2u);
  EXPECT_EQ(c.skipped[0].bytes, 500u);
  ASSERT_EQ(c.batches.size(), 1u);
  EXPECT_EQ(c.batches[0].bytes(), "ok\n");
}

TEST(LineBatcher, MultiMegabyteLineFitsALargeBatch) {
  TempDir dir;
  const std::string big = "{\"content\":\"" + std::string(5 << 20, 'z') + "\"}";
  const std::string text = "{}\n" + big + "\n{}\n";
  const Cut c = cut(dir.write("big.zst", testing::zstd_frames(text, 1 << 20)), {8 << 20, 1 << 16});
  EXPECT_TRUE(c.skipped.empty());
  EXPECT_EQ(lines_of(c, text), (std::vector<std::string>{"{}", big, "{}"}));
}

TEST(LineBatcher, IncompleteLineBeforeAnErrorIsReportedNotScanned) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 400; ++i)
    text += "{\"event\":" + std::to_string(i) + ",\"pad\":\"abcdefghijklmnop\"}\n";
  std::string frames = testing::zstd_frames(text, 1000);
  const Cut c = cut(dir.write("cut.zst", frames.substr(0, frames.size() / 2)), {4096, 512});
  ASSERT_TRUE(c.error);
  const auto lines = lines_of(c, text);
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) EXPECT_EQ(line.back(), '}');  // only whole events
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].reason, SkippedLine::Reason::kIncompleteAtError);
  EXPECT_EQ(c.skipped[0].line_number, lines.size() + 1);
}

TEST(LineBatcher, ReleasedBuffersAreTheNextBatchersOwn) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) text += "{\"n\": " + std::to_string(i) + "}\n";
  dir.write("a.jsonl", text);
  dir.write("b.jsonl", text);
  BatchLimits limits;
  limits.batch_bytes = 1000;
  limits.read_bytes = 333;
  InputError open_error;
  auto first_source = open_byte_source(dir.path() / "a.jsonl", open_error);
  ASSERT_TRUE(first_source) << open_error.message;
  LineBatcher first(*first_source, 7, limits);
  while (auto batch = first.next()) first.recycle(std::move(*batch));  // as the scan does
  std::vector<Batch> released = first.release_buffers();
  ASSERT_EQ(released.size(), 2u);  // its buffer and its spare
  std::vector<const char*> buffers;
  for (const Batch& b : released) buffers.push_back(b.data.get());

  auto second_source = open_byte_source(dir.path() / "b.jsonl", open_error);
  ASSERT_TRUE(second_source) << open_error.message;
  LineBatcher second(*second_source, 7, limits);
  for (Batch& b : released) {
    ASSERT_TRUE(second.wants_buffer());
    second.recycle(std::move(b));
  }
  EXPECT_FALSE(second.wants_buffer());
  // Without recycling, its batches would be fresh buffers; here the first
  // two are the released ones, and the lines are whole and in order.
  Cut c;
  while (auto batch = second.next()) c.batches.push_back(std::move(*batch));
  ASSERT_GE(c.batches.size(), 2u);
  EXPECT_EQ(c.batches[0].data.get(), buffers[0]);
  EXPECT_EQ(c.batches[1].data.get(), buffers[1]);
  EXPECT_EQ(lines_of(c, text), split_lines(text));
}

TEST(LineBatcher, EmptyInputGivesNoBatch) {
  TempDir dir;
  const Cut c = cut(dir.write("empty", ""), {});
  EXPECT_TRUE(c.batches.empty());
  EXPECT_TRUE(c.skipped.empty());
}

}  // namespace
}  // namespace agentsweep::io
