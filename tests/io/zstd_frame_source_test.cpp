/** @file
 * Frame-parallel zstd decoding: frame extents from headers alone, and the
 * same bytes, error and offsets from ZstdFrameSource whatever its pool, for
 * every kind of file it meets: many small frames, frames without a content
 * size, skippable frames, frames too large for a segment, corrupt and
 * truncated frames, a frame that decodes to more than it may.
 */
#include <gtest/gtest.h>

#include <zstd.h>

#include <memory>
#include <string>
#include <vector>

#include "host/io/zstd_frame_source.hpp"
#include "host/io/zstd_frames.hpp"
#include "tests/reliability/crafted_zstd.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep::io {
namespace {

using testing::TempDir;
using testing::zstd_frame;

std::string log_text(std::size_t lines, std::size_t seed = 0) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i)
    text += R"({"n":)" + std::to_string(i * 7919 + seed) + R"(,"agent":"a-)" +
            std::to_string((i * 31 + seed) % 97) + "\"}\n";
  return text;
}

/// A frame without a content size, as a streaming compressor writes it.
std::string zstd_frame_unsized(std::string_view text) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_contentSizeFlag, 0);
  std::string out(ZSTD_compressBound(text.size()) + 64, '\0');
  ZSTD_inBuffer in{text.data(), text.size(), 0};
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  while (ZSTD_compressStream2(context.get(), &o, &in, ZSTD_e_end) != 0) {
  }
  out.resize(o.pos);
  return out;
}

std::string skippable_frame(std::string_view payload) {
  std::string out("\x50\x2A\x4D\x18", 4);
  for (int b = 0; b < 4; ++b) out += static_cast<char>((payload.size() >> (8 * b)) & 0xFF);
  return out + std::string(payload);
}

struct Decoded {
  std::string bytes;
  std::optional<InputError> error;
  std::uint64_t compressed = 0;
};

/// Small segments, so that a test file of a few hundred KiB makes many.
constexpr SegmentLimits kSmallSegments{4096, 32 * 1024, 64 * 1024, 256 * 1024};

Decoded decode(const std::filesystem::path& path, DecodePool* pool, std::size_t ahead,
               SegmentLimits limits = kSmallSegments, std::size_t read_size = 3000) {
  InputError open_error;
  std::optional<RawFile> file = RawFile::open(path, open_error);
  if (!file) throw std::runtime_error(open_error.message);
  ZstdFrameSource source(std::move(*file), pool, ahead, limits);
  Decoded d;
  std::string chunk(read_size, '\0');
  while (std::size_t n = source.read({chunk.data(), chunk.size()})) d.bytes.append(chunk, 0, n);
  d.error = source.error();
  d.compressed = source.compressed_bytes_read();
  return d;
}

/// Decodes `path` without a pool and with pools of 1 and 3 threads, several
/// segments ahead, and expects the same result from each; returns it.
Decoded decode_everyhow(const std::filesystem::path& path, SegmentLimits limits = kSmallSegments) {
  const Decoded reference = decode(path, nullptr, 1, limits);
  for (const std::size_t threads : {1, 3}) {
    DecodePool pool(threads);
    for (const std::size_t ahead : {1, 2, 9}) {
      const Decoded d = decode(path, &pool, ahead, limits);
      EXPECT_EQ(d.bytes, reference.bytes) << threads << " threads, " << ahead << " ahead";
      EXPECT_EQ(d.error.has_value(), reference.error.has_value());
      if (d.error && reference.error) {
        EXPECT_EQ(d.error->offset, reference.error->offset);
        EXPECT_EQ(d.error->message, reference.error->message);
      }
      EXPECT_EQ(d.compressed, reference.compressed);
    }
  }
  return reference;
}

TEST(ZstdFrames, MeasuresAFrameFromItsHeadersAtEveryPrefix) {
  const std::string text = log_text(10000);  // three blocks
  for (const std::string& frame : {zstd_frame(text), zstd_frame_unsized(text)}) {
    const FrameExtent whole = measure_frame(frame);
    ASSERT_EQ(whole.status, FrameExtent::Status::kComplete);
    EXPECT_EQ(whole.size, frame.size());
    EXPECT_EQ(whole.size, ZSTD_findFrameCompressedSize(frame.data(), frame.size()));
    for (std::size_t cut = 0; cut < frame.size(); cut += 97) {
      const FrameExtent part = measure_frame(std::string_view(frame).substr(0, cut));
      ASSERT_EQ(part.status, FrameExtent::Status::kNeedMore) << cut;
      EXPECT_GT(part.size, cut);
      EXPECT_LE(part.size, frame.size());
    }
  }
  EXPECT_EQ(measure_frame(zstd_frame(text)).content_size, text.size());
  EXPECT_FALSE(measure_frame(zstd_frame_unsized(text)).content_size);
}

TEST(ZstdFrames, SkippableFramesDecodeToNothingAndBadBlocksAreInvalid) {
  const std::string skippable = skippable_frame("pzstd index");
  const FrameExtent skip = measure_frame(skippable + "more");
  EXPECT_EQ(skip.status, FrameExtent::Status::kComplete);
  EXPECT_EQ(skip.size, skippable.size());
  EXPECT_EQ(skip.content_size, 0u);
  const FrameExtent cut = measure_frame(std::string_view(skippable).substr(0, 10));
  EXPECT_EQ(cut.status, FrameExtent::Status::kNeedMore);
  EXPECT_EQ(cut.size, skippable.size());
  const std::string bad = testing::zstd_frame_with_bad_last_block("abc", 2);
  EXPECT_EQ(measure_frame(bad).status, FrameExtent::Status::kInvalid);
  EXPECT_EQ(measure_frame("not zstd at all").status, FrameExtent::Status::kInvalid);
}

TEST(ZstdFrameSource, ManyFramesDecodeToTheSameBytesWhateverThePool) {
  TempDir dir;
  const std::string text = log_text(40000);
  const auto path = dir.write("many.zst", testing::zstd_frames(text, 3000));
  const Decoded d = decode_everyhow(path);
  EXPECT_EQ(d.bytes, text);
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.compressed, std::filesystem::file_size(path));
}

TEST(ZstdFrameSource, UnsizedSkippableAndOversizedFramesMixed) {
  TempDir dir;
  const std::string a = log_text(5000, 1), b = log_text(5000, 2), c = log_text(30000, 3),
                    e = log_text(5000, 4);
  std::string big;  // a frame over max_frame: streamed from there on
  for (int i = 0; i < 8; ++i) big += log_text(20000, 10 + i);
  std::string bytes = testing::zstd_frames(a, 2000) + skippable_frame("index") +
                      zstd_frame_unsized(b) + testing::zstd_frames(c, 5000);
  std::string tail = zstd_frame(big, 1) + testing::zstd_frames(e, 1000);
  ASSERT_GT(zstd_frame(big, 1).size(), kSmallSegments.max_frame);
  const auto path = dir.write("mixed.zst", bytes + tail);
  const Decoded d = decode_everyhow(path);
  EXPECT_EQ(d.bytes, a + b + c + big + e);
  EXPECT_FALSE(d.error);
}

TEST(ZstdFrameSource, AFrameDeclaringTooMuchIsStreamed) {
  TempDir dir;
  const std::string small = log_text(100), large = log_text(20000);
  ASSERT_GT(large.size(), kSmallSegments.max_decoded);
  const auto path =
      dir.write("declares.zst", zstd_frame(small) + zstd_frame(large) + zstd_frame(small));
  EXPECT_EQ(decode_everyhow(path).bytes, small + large + small);
}

TEST(ZstdFrameSource, UnsizedFramesDecodingToMoreThanASegmentMayAreStreamed) {
  TempDir dir;
  // 2 MiB of one byte: a few hundred compressed bytes, no content size.
  const std::string bomb = testing::zstd_bomb('x', 2 << 20, "\n");
  const std::string text = log_text(1000);
  const auto path = dir.write("bomb.zst", zstd_frame(text) + bomb + zstd_frame(text));
  const Decoded d = decode_everyhow(path);
  EXPECT_EQ(d.bytes, text + std::string(2 << 20, 'x') + "\n" + text);
  EXPECT_FALSE(d.error);
}

TEST(ZstdFrameSource, CorruptFrameKeepsEveryFrameBeforeItAndNamesItsOffset) {
  TempDir dir;
  const std::string good = log_text(20000);
  const std::string frames = testing::zstd_frames(good, 3000);
  const std::string bad = testing::zstd_frame_with_bad_last_block(log_text(50), 1000);
  const auto path = dir.write("corrupt.zst", frames + bad + zstd_frame(log_text(10)));
  const Decoded d = decode_everyhow(path);
  ASSERT_TRUE(d.error);
  EXPECT_GE(d.error->offset, frames.size());
  EXPECT_LE(d.error->offset, frames.size() + bad.size());
  EXPECT_NE(d.error->message.find("corrupt zstd data"), std::string::npos) << d.error->message;
  ASSERT_GE(d.bytes.size(), good.size());
  EXPECT_EQ(d.bytes.substr(0, good.size()), good);
}

TEST(ZstdFrameSource, TruncatedLastFrameIsReportedAfterTheFramesBeforeIt) {
  TempDir dir;
  const std::string good = log_text(20000);
  const std::string frames = testing::zstd_frames(good, 3000);
  std::string last = zstd_frame(log_text(3000, 5));
  last.resize(last.size() / 2);
  const auto path = dir.write("truncated.zst", frames + last);
  const Decoded d = decode_everyhow(path);
  ASSERT_TRUE(d.error);
  EXPECT_NE(d.error->message.find("truncated"), std::string::npos) << d.error->message;
  EXPECT_EQ(d.bytes.substr(0, good.size()), good);
}

TEST(ZstdFrameSource, WrongDeclaredSizeGetsTheStreamingVerdict) {
  TempDir dir;
  const std::string text = log_text(2000);
  const auto path =
      dir.write("size.zst", zstd_frame(text) + testing::zstd_frame_declaring(200, "{\"a\":1}\n"));
  const Decoded d = decode_everyhow(path);
  EXPECT_TRUE(d.error);
  EXPECT_EQ(d.bytes.substr(0, text.size()), text);
}

}  // namespace
}  // namespace agentsweep::io
