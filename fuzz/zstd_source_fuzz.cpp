/** @file
 * Fuzzes codec detection and the zstd readers (host/io/byte_source.cpp,
 * zstd_frame_source.cpp, zstd_source.cpp), reading with fuzzed read sizes and
 * fuzzed frame segments, decoded on threads or not (gzip and CloudTrail
 * documents have targets of their own). The last input byte picks how the
 * rest is used:
 *  - raw: the bytes are the file. The reader must yield what libzstd yields
 *    when fed the file in the reader's input chunks with the reader's fixed
 *    output room per call (whatever the read sizes), report an error exactly
 *    when that finds the stream corrupt or truncated, and agree with libzstd
 *    decoding the whole file at once as far as both got. A file without zstd
 *    or gzip magic comes out unchanged.
 *  - built: the bytes are text, compressed here into frames cut at fuzzed sizes
 *    (levels, checksums, content sizes, skippable frames between them), then
 *    maybe cut short. A whole stream decodes to exactly the text; a cut one to
 *    a prefix of it, with a "truncated" error unless the cut falls between
 *    frames.
 */
#include <fuzzer/FuzzedDataProvider.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/io/byte_source.hpp"
#include "host/io/zstd_source.hpp"

namespace agentsweep::fuzz {
namespace {

// Enough to cross many reads and frames; a zstd bomb in a 4 KiB input could
// otherwise decode to 128 MiB per run and slow the search to a crawl.
constexpr std::size_t kMaxDecoded = std::size_t{1} << 20;
constexpr int kMaxWindowLog = 27;  // the reader's cap (zstd_source.cpp)

struct Reading {
  std::string codec;
  std::string bytes;
  std::optional<io::InputError> error;
  std::uint64_t compressed_bytes = 0;
  bool capped = false;  ///< stopped at kMaxDecoded, not at the end
};

Reading read_file(std::string_view file, const std::vector<std::size_t>& read_sizes,
                  const io::DecodeOptions& frames) {
  const MemoryFile memory(file);
  Reading r;
  io::InputError open_error;
  const std::unique_ptr<io::ByteSource> source =
      io::open_decoder(memory.path(), open_error, frames);
  FUZZ_REQUIRE(source, "refused: " << open_error.message);
  r.codec = source->codec();
  // Each read's span ends where the allocation ends, so a write past it is caught.
  std::vector<char> buffer(*std::max_element(read_sizes.begin(), read_sizes.end()));
  for (std::size_t i = 0;; ++i) {
    const std::size_t want = read_sizes[i % read_sizes.size()];
    const std::size_t got = source->read({buffer.data() + buffer.size() - want, want});
    FUZZ_REQUIRE(got <= want, got << " bytes from a read of " << want);
    if (got == 0) break;
    r.bytes.append(buffer.data() + buffer.size() - want, got);
    if (r.bytes.size() >= kMaxDecoded) {
      r.capped = true;
      break;
    }
  }
  if (!r.capped) FUZZ_REQUIRE(source->read({buffer.data(), buffer.size()}) == 0, "read after end");
  r.error = source->error();
  r.compressed_bytes = source->compressed_bytes_read();
  FUZZ_REQUIRE(r.compressed_bytes <= file.size(), r.compressed_bytes << " of " << file.size());
  if (r.error) FUZZ_REQUIRE(r.error->offset <= file.size(), "error offset " << r.error->offset);
  return r;
}

/// libzstd on the file, fed in `in_chunk` pieces with `out_step` bytes of room per call.
struct Reference {
  std::string bytes;
  bool corrupt = false;
  bool truncated = false;
};

Reference reference_decode(std::string_view file, std::size_t in_chunk, std::size_t out_step) {
  Reference ref;
  ZSTD_DCtx* context = ZSTD_createDCtx();
  ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, kMaxWindowLog);
  ZSTD_inBuffer in{file.data(), 0, 0};
  std::vector<char> chunk(out_step);
  std::size_t hint = 0;  // of the last call that made progress: 0 at a frame's end
  while (ref.bytes.size() < kMaxDecoded) {
    if (in.pos == in.size) in.size = std::min(file.size(), in.size + in_chunk);
    ZSTD_outBuffer out{chunk.data(), chunk.size(), 0};
    const std::size_t consumed_before = in.pos;
    const std::size_t result = ZSTD_decompressStream(context, &out, &in);
    if (ZSTD_isError(result)) {
      ref.corrupt = true;
      break;
    }
    ref.bytes.append(chunk.data(), out.pos);
    if (out.pos > 0 || in.pos > consumed_before) hint = result;
    if (in.pos == file.size() && out.pos == 0 && in.pos == consumed_before) {
      ref.truncated = hint != 0;
      break;
    }
  }
  ZSTD_freeDCtx(context);
  return ref;
}

void check_raw(std::string_view file, const std::vector<std::size_t>& read_sizes,
               const io::DecodeOptions& frames) {
  const Reading r = read_file(file, read_sizes, frames);
  if (r.codec != "zstd") {
    if (r.codec == "plain")
      FUZZ_REQUIRE(r.bytes == file.substr(0, r.bytes.size()) && (r.capped || !r.error) &&
                       (r.capped || r.bytes.size() == file.size()),
                   "plain input not delivered unchanged");
    return;
  }
  const Reference ref = reference_decode(file, ZSTD_DStreamInSize(), io::ZstdSource::step_bytes());
  const std::size_t common = std::min(r.bytes.size(), ref.bytes.size());
  FUZZ_REQUIRE(r.bytes.compare(0, common, ref.bytes, 0, common) == 0,
               "decoded bytes differ from libzstd's within the first " << common);
  const Reference whole = reference_decode(file, file.size(), std::size_t{1} << 20);
  const std::size_t both = std::min(r.bytes.size(), whole.bytes.size());
  FUZZ_REQUIRE(r.bytes.compare(0, both, whole.bytes, 0, both) == 0,
               "decoded bytes differ from libzstd's on the whole file within the first " << both);
  if (r.capped || ref.bytes.size() >= kMaxDecoded) return;
  FUZZ_REQUIRE(r.bytes.size() == ref.bytes.size(),
               r.bytes.size() << " bytes decoded, libzstd decodes " << ref.bytes.size());
  FUZZ_REQUIRE(r.error.has_value() == (ref.corrupt || ref.truncated),
               "error: " << (r.error ? r.error->message : "none") << "; libzstd: corrupt "
                         << ref.corrupt << ", truncated " << ref.truncated);
  if (ref.truncated) FUZZ_REQUIRE(r.error->message.find("truncated") == 0, r.error->message);
  if (!r.error) FUZZ_REQUIRE(r.compressed_bytes == file.size(), "stopped before the end");
}

struct BuiltStream {
  std::string file;
  std::vector<std::size_t> frame_ends;  ///< file offset after each frame
  std::vector<std::size_t> text_ends;   ///< text decoded once that frame is complete
};

BuiltStream build_stream(const std::string& text, std::uint64_t seed) {
  std::minstd_rand rng(static_cast<std::uint32_t>(seed));
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, static_cast<int>(rng() % 9) - 3);
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, static_cast<int>(rng() % 2));
  ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, static_cast<int>(rng() % 2));
  const std::size_t mean_frame = 1 + rng() % 512;
  BuiltStream s;
  for (std::size_t at = 0; at < text.size() || s.frame_ends.empty();) {
    if (rng() % 4 == 0) {  // a skippable frame, as pzstd writes them
      const std::uint32_t payload = rng() % 16;
      const std::uint32_t magic = 0x184D2A50u + rng() % 16;
      for (const std::uint32_t word : {magic, payload})
        for (int b = 0; b < 4; ++b) s.file += static_cast<char>((word >> (8 * b)) & 0xFF);
      s.file.append(payload, static_cast<char>(rng()));
    } else {
      const std::size_t length = std::min<std::size_t>(rng() % (2 * mean_frame), text.size() - at);
      std::string frame(ZSTD_compressBound(length), '\0');
      const std::size_t n =
          ZSTD_compress2(context, frame.data(), frame.size(), text.data() + at, length);
      FUZZ_REQUIRE(!ZSTD_isError(n), ZSTD_getErrorName(n));
      s.file.append(frame.data(), n);
      at += length;
    }
    s.frame_ends.push_back(s.file.size());
    s.text_ends.push_back(at);
  }
  ZSTD_freeCCtx(context);
  return s;
}

/// `cut` is where the file ends, modulo its length + 1; nullopt keeps it whole.
void check_built(const std::string& text, std::uint64_t seed, std::optional<std::uint32_t> cut_at,
                 const std::vector<std::size_t>& read_sizes, const io::DecodeOptions& frames) {
  const BuiltStream s = build_stream(text, seed);
  const std::size_t cut = cut_at ? *cut_at % (s.file.size() + 1) : s.file.size();
  const std::string_view file = std::string_view(s.file).substr(0, cut);
  const Reading r = read_file(file, read_sizes, frames);
  if (cut < 4) {  // too short for any magic number: plain bytes
    FUZZ_REQUIRE(r.codec == "plain" && r.bytes == file, "codec " << r.codec);
    return;
  }
  FUZZ_REQUIRE(r.codec == "zstd", "codec " << r.codec);
  if (r.capped) {
    FUZZ_REQUIRE(text.compare(0, r.bytes.size(), r.bytes) == 0, "capped prefix differs");
    return;
  }
  const auto frame = std::lower_bound(s.frame_ends.begin(), s.frame_ends.end(), cut);
  const std::size_t index = static_cast<std::size_t>(frame - s.frame_ends.begin());
  const std::size_t complete_text = index == 0 ? 0 : s.text_ends[index - 1];
  if (*frame == cut) {  // the file ends between frames: nothing is missing
    FUZZ_REQUIRE(!r.error, "error " << r.error->message << " at a frame boundary " << cut);
    FUZZ_REQUIRE(r.bytes == text.substr(0, s.text_ends[index]),
                 "decoded " << r.bytes.size() << " bytes, expected " << s.text_ends[index]);
    FUZZ_REQUIRE(r.compressed_bytes == cut, "read " << r.compressed_bytes << " of " << cut);
    return;
  }
  FUZZ_REQUIRE(r.error && r.error->message.find("truncated") == 0,
               "a stream cut at " << cut << " inside frame " << index << " gave error "
                                  << (r.error ? r.error->message : "none"));
  FUZZ_REQUIRE(r.bytes.size() >= complete_text && r.bytes.size() <= s.text_ends[index] &&
                   text.compare(0, r.bytes.size(), r.bytes) == 0,
               "decoded " << r.bytes.size() << " bytes, not a prefix of the text between "
                          << complete_text << " and " << s.text_ends[index]);
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agentsweep::fuzz;
  if (size == 0) return 0;
  const bool built = data[size - 1] & 1;
  FuzzedDataProvider input(data, size - 1);
  std::vector<std::size_t> read_sizes;
  for (int i = 0; i < 3; ++i) {
    const auto v = input.ConsumeIntegral<std::uint16_t>();
    // Tiny reads, reads up to 64 KiB, and up to 2 MiB (more than one libzstd call).
    read_sizes.push_back(1 + (v % 3 == 0 ? v % 64 : v % 3 == 1 ? v : std::size_t{v} * 32));
  }
  // Segments of a few frames, decoded ahead on threads or by the reader
  // (zstd_frame_source.hpp): the properties hold whatever the segments.
  static agentsweep::io::DecodePool pool(2);
  const std::size_t segment = input.ConsumeIntegral<std::uint16_t>();
  const agentsweep::io::DecodeOptions frames{
      segment & 1 ? &pool : nullptr,
      1 + (segment >> 1) % 4,
      {1 + segment % 512, 1 + segment % 4096, 64 + segment % 8192, 64 + segment * 16},
      nullptr};
  if (built) {
    const auto seed = input.ConsumeIntegral<std::uint64_t>();
    const auto cut = input.ConsumeIntegral<std::uint32_t>();
    const bool whole = input.ConsumeBool();
    check_built(input.ConsumeRemainingBytesAsString(), seed,
                whole ? std::nullopt : std::optional<std::uint32_t>(cut), read_sizes, frames);
  } else {
    check_raw(input.ConsumeRemainingBytesAsString(), read_sizes, frames);
  }
  return 0;
}
