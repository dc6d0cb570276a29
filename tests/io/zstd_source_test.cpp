/** @file
 * Codec detection and streaming zstd decoding: one frame, many frames,
 * skippable frames, empty input, truncated and corrupt streams.
 */
#include <gtest/gtest.h>

#include <string>

#include "host/io/byte_source.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep::io {
namespace {

using testing::TempDir;
using testing::zstd_frame;
using testing::zstd_frames;

struct Decoded {
  std::string codec;
  std::string bytes;
  std::optional<InputError> error;
};

Decoded decode(const std::filesystem::path& path, std::size_t read_size = 4096) {
  InputError open_error;
  auto source = open_byte_source(path, open_error);
  if (!source) return {"", "", open_error};
  Decoded d{std::string(source->codec()), "", std::nullopt};
  std::string chunk(read_size, '\0');
  while (std::size_t n = source->read({chunk.data(), chunk.size()})) d.bytes.append(chunk, 0, n);
  d.error = source->error();
  return d;
}

std::string sample_text(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i)
    text += R"({"n":)" + std::to_string(i) +
            R"(,"pad":"xxxxxxxxxxxxxxxx"})"
            "\n";
  return text;
}

TEST(ZstdSource, DecodesOneFrame) {
  TempDir dir;
  const std::string text = sample_text(1000);
  const Decoded d = decode(dir.write("one.bin", zstd_frame(text)));
  EXPECT_EQ(d.codec, "zstd");
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.bytes, text);
}

TEST(ZstdSource, DecodesConcatenatedFramesWithTinyReads) {
  TempDir dir;
  const std::string text = sample_text(500);
  for (const std::size_t frame : {1ul, 7ul, 100ul, 4096ul}) {
    const Decoded d = decode(dir.write("many.zst", zstd_frames(text, frame)), 3);
    EXPECT_FALSE(d.error) << "frame size " << frame;
    EXPECT_EQ(d.bytes, text) << "frame size " << frame;
  }
}

TEST(ZstdSource, SkipsSkippableFramesAsPzstdWrites) {
  TempDir dir;
  const std::string text = sample_text(10);
  const std::string skippable("\x50\x2A\x4D\x18\x04\x00\x00\x00\x01\x02\x03\x04", 12);
  const Decoded d =
      decode(dir.write("p.zst", skippable + zstd_frame(text) + skippable + zstd_frame(text)));
  EXPECT_EQ(d.codec, "zstd");
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.bytes, text + text);
}

TEST(ZstdSource, DetectsCodecByContentNotName) {
  TempDir dir;
  const std::string text = sample_text(3);
  EXPECT_EQ(decode(dir.write("looks-plain.jsonl", zstd_frame(text))).codec, "zstd");
  const Decoded plain = decode(dir.write("looks-compressed.zst", text));
  EXPECT_EQ(plain.codec, "plain");
  EXPECT_EQ(plain.bytes, text);
}

TEST(ZstdSource, EmptyFileIsEmptyPlainInput) {
  TempDir dir;
  const Decoded d = decode(dir.write("empty", ""));
  EXPECT_EQ(d.codec, "plain");
  EXPECT_TRUE(d.bytes.empty());
  EXPECT_FALSE(d.error);
}

TEST(ZstdSource, EmptyFrameDecodesToNothing) {
  TempDir dir;
  const Decoded d = decode(dir.write("empty.zst", zstd_frame("")));
  EXPECT_FALSE(d.error);
  EXPECT_TRUE(d.bytes.empty());
}

TEST(ZstdSource, TruncatedStreamKeepsDecodedPrefixAndReportsError) {
  TempDir dir;
  const std::string text = sample_text(2000);
  const std::string frames = zstd_frames(text, 8192);
  const Decoded d = decode(dir.write("cut.zst", frames.substr(0, frames.size() - 10)));
  ASSERT_TRUE(d.error);
  EXPECT_NE(d.error->message.find("truncated"), std::string::npos) << d.error->message;
  EXPECT_EQ(d.error->offset_kind, OffsetKind::kCompressed);
  EXPECT_LT(d.bytes.size(), text.size());
  EXPECT_EQ(d.bytes, text.substr(0, d.bytes.size()));
  EXPECT_GE(d.bytes.size(), text.size() - 8192);  // every complete frame was delivered
}

TEST(ZstdSource, CorruptFrameReportsOffsetAfterGoodFrames) {
  TempDir dir;
  const std::string good = zstd_frame(sample_text(100));
  std::string bad = zstd_frame(sample_text(100));
  for (std::size_t i = 8; i < bad.size(); ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
  const Decoded d = decode(dir.write("corrupt.zst", good + bad));
  ASSERT_TRUE(d.error);
  EXPECT_NE(d.error->message.find("corrupt zstd data"), std::string::npos) << d.error->message;
  EXPECT_GE(d.error->offset, good.size());
  EXPECT_EQ(d.bytes.substr(0, sample_text(100).size()), sample_text(100));
}

TEST(ZstdSource, MissingFileIsAnOpenError) {
  const Decoded d = decode("/nonexistent/agentsweep/file.zst");
  ASSERT_TRUE(d.error);
  EXPECT_NE(d.error->message.find("cannot open"), std::string::npos);
}

TEST(ZstdSource, ReadsAddTheirTimeToTheReadClock) {
  TempDir dir;
  const auto path = dir.write("clocked.zst", zstd_frames(sample_text(20000), 4096));
  ReadClock clock{0};
  InputError open_error;
  auto source = open_byte_source(path, open_error, {nullptr, 1, {}, &clock});
  ASSERT_TRUE(source) << open_error.message;
  std::string chunk(4096, '\0');
  std::string bytes;
  while (std::size_t n = source->read({chunk.data(), chunk.size()})) bytes.append(chunk, 0, n);
  EXPECT_EQ(bytes, sample_text(20000));
  EXPECT_GT(clock.load(), 0u) << "every read(2) of the file is timed";
  const std::uint64_t after_file = clock.load();
  EXPECT_EQ(decode(path).bytes, bytes);
  EXPECT_EQ(clock.load(), after_file) << "a source opened without the clock leaves it alone";
}

}  // namespace
}  // namespace agentsweep::io
