/** @file
 * Fuzzes the gzip reader (host/io/gzip_source.cpp) and its detection in
 * host/io/byte_source.cpp, reading with fuzzed read sizes. The last input byte
 * picks how the rest is used:
 *  - raw: the bytes are the file. The reader must yield exactly what zlib's
 *    inflate yields on the whole file in one call per member (all input, 1 MiB
 *    of output room), and report an error exactly when that finds the stream
 *    corrupt or truncated, "truncated" for the latter.
 *  - built: the bytes are text, compressed here into members cut at fuzzed
 *    sizes (levels, strategies, window sizes, header fields), then maybe cut
 *    short or hit by a flipped byte. Besides the raw checks: a whole stream
 *    decodes to exactly the text; a cut one to a prefix of it holding every
 *    complete member, with a "truncated" error unless the cut falls between
 *    members.
 */
#include <fuzzer/FuzzedDataProvider.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/io/byte_source.hpp"

namespace agentsweep::fuzz {
namespace {

// Enough to cross many reads and members; deflate expands up to 1032-fold, so
// a 4 KiB input could otherwise decode to 4 MiB per run.
constexpr std::size_t kMaxDecoded = std::size_t{1} << 20;

struct Reading {
  std::string codec;
  std::string bytes;
  std::optional<io::InputError> error;
  std::uint64_t compressed_bytes = 0;
  bool capped = false;  ///< stopped at kMaxDecoded, not at the end
};

Reading read_file(std::string_view file, const std::vector<std::size_t>& read_sizes) {
  const MemoryFile memory(file);
  io::InputError open_error;
  const std::unique_ptr<io::ByteSource> source = io::open_decoder(memory.path(), open_error);
  FUZZ_REQUIRE(source, "refused: " << open_error.message);
  Reading r;
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
  if (r.error) {
    FUZZ_REQUIRE(r.error->offset <= file.size(), "error offset " << r.error->offset);
    FUZZ_REQUIRE(!r.error->message.empty(), "an error without a message");
  }
  return r;
}

/// zlib on the whole file at once: members one after another, as `gzip -dc`.
struct Reference {
  std::string bytes;
  bool corrupt = false;
  bool truncated = false;
  bool capped = false;
};

Reference reference_inflate(std::string_view file) {
  Reference ref;
  z_stream stream{};
  FUZZ_REQUIRE(inflateInit2(&stream, 16 + MAX_WBITS) == Z_OK, "inflateInit2");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data()));
  stream.avail_in = static_cast<uInt>(file.size());
  ref.bytes.resize(kMaxDecoded);
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(ref.bytes.data() + stream.total_out);
    stream.avail_out = static_cast<uInt>(kMaxDecoded - stream.total_out);
    const uInt input_before = stream.avail_in;
    const uInt output_before = stream.avail_out;
    const int result = inflate(&stream, Z_NO_FLUSH);
    if (result == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      const uLong total = stream.total_out;  // inflateReset clears it
      inflateReset(&stream);
      stream.total_out = total;
      continue;
    }
    if (result != Z_OK && result != Z_BUF_ERROR) {
      ref.corrupt = true;
      break;
    }
    if (stream.avail_out == 0) {
      ref.capped = true;
      break;
    }
    if (stream.avail_in == input_before && stream.avail_out == output_before) {
      ref.truncated = true;  // no progress with all input given: it ends early
      break;
    }
  }
  ref.bytes.resize(stream.total_out);
  inflateEnd(&stream);
  return ref;
}

bool has_gzip_magic(std::string_view file) {
  return file.size() >= 2 && static_cast<unsigned char>(file[0]) == 0x1F &&
         static_cast<unsigned char>(file[1]) == 0x8B;
}

void check_raw(std::string_view file, const Reading& r) {
  if (!has_gzip_magic(file)) {
    FUZZ_REQUIRE(r.codec != "gzip", "gzip without its magic bytes");
    return;
  }
  FUZZ_REQUIRE(r.codec == "gzip", "codec " << r.codec);
  const Reference ref = reference_inflate(file);
  if (r.capped || ref.capped) {
    const std::size_t common = std::min(r.bytes.size(), ref.bytes.size());
    FUZZ_REQUIRE(r.bytes.compare(0, common, ref.bytes, 0, common) == 0,
                 "decoded bytes differ from zlib's within the first " << common);
    return;
  }
  FUZZ_REQUIRE(r.bytes == ref.bytes,
               r.bytes.size() << " bytes decoded, zlib decodes " << ref.bytes.size()
                              << (r.bytes.size() == ref.bytes.size() ? " (different ones)" : ""));
  FUZZ_REQUIRE(r.error.has_value() == (ref.corrupt || ref.truncated),
               "error: " << (r.error ? r.error->message : "none") << "; zlib: corrupt "
                         << ref.corrupt << ", truncated " << ref.truncated);
  if (ref.truncated) FUZZ_REQUIRE(r.error->message.find("truncated") == 0, r.error->message);
  if (ref.corrupt) FUZZ_REQUIRE(r.error->message.find("corrupt") == 0, r.error->message);
  if (!r.error) FUZZ_REQUIRE(r.compressed_bytes == file.size(), "stopped before the end");
}

struct BuiltStream {
  std::string file;
  std::vector<std::size_t> member_ends;  ///< file offset after each member
  std::vector<std::size_t> text_ends;    ///< text decoded once that member is complete
};

/// One deflate stream with fuzzed parameters, reset for each member (fresh
/// streams per member would make runs slow).
class MemberWriter {
 public:
  explicit MemberWriter(std::minstd_rand& rng) : rng_(rng) {
    const int level = static_cast<int>(rng_() % 11) - 1;  // -1 (default) to 9
    const int window_bits = 9 + static_cast<int>(rng_() % 7);
    const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    FUZZ_REQUIRE(deflateInit2(&stream_, level, Z_DEFLATED, 16 + window_bits,
                              1 + static_cast<int>(rng_() % 9), strategies[rng_() % 5]) == Z_OK,
                 "deflateInit2");
  }
  ~MemberWriter() { deflateEnd(&stream_); }
  MemberWriter(const MemberWriter&) = delete;
  MemberWriter& operator=(const MemberWriter&) = delete;

  std::string member(std::string_view text) {
    FUZZ_REQUIRE(deflateReset(&stream_) == Z_OK, "deflateReset");
    // Optional header fields make the reader skip a name, comment, extra field and header CRC.
    // zlib keeps a pointer to the header across resets, so it lives as long as the stream.
    header_ = {};
    if (rng_() % 2 == 0) {
      header_.name = reinterpret_cast<Bytef*>(name_.data());
      header_.comment = rng_() % 2 ? reinterpret_cast<Bytef*>(name_.data()) : Z_NULL;
      header_.extra = reinterpret_cast<Bytef*>(extra_.data());
      header_.extra_len = static_cast<uInt>(rng_() % extra_.size());
      header_.hcrc = static_cast<int>(rng_() % 2);
    }
    deflateSetHeader(&stream_, &header_);
    std::string out(deflateBound(&stream_, static_cast<uLong>(text.size())) + 64, '\0');
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream_.avail_in = static_cast<uInt>(text.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream_, Z_FINISH);
    FUZZ_REQUIRE(result == Z_STREAM_END, "deflate: " << result);
    out.resize(out.size() - stream_.avail_out);
    return out;
  }

 private:
  std::minstd_rand& rng_;
  z_stream stream_{};
  gz_header header_{};
  std::string name_ = "audit.jsonl";
  std::string extra_ = "xxxxxxxx";
};

BuiltStream build_stream(const std::string& text, std::uint64_t seed) {
  std::minstd_rand rng(static_cast<std::uint32_t>(seed));
  MemberWriter writer(rng);
  const std::size_t mean_member = 1 + rng() % 512;
  BuiltStream s;
  for (std::size_t at = 0; at < text.size() || s.member_ends.empty();) {
    const std::size_t length = std::min<std::size_t>(rng() % (2 * mean_member), text.size() - at);
    s.file += writer.member(std::string_view(text).substr(at, length));
    at += length;
    s.member_ends.push_back(s.file.size());
    s.text_ends.push_back(at);
  }
  return s;
}

void check_built(const std::string& text, std::uint64_t seed, std::optional<std::uint32_t> cut_at,
                 std::optional<std::uint32_t> flip_at, const std::vector<std::size_t>& read_sizes) {
  BuiltStream s = build_stream(text, seed);
  if (flip_at) {
    char& byte = s.file[*flip_at % s.file.size()];
    byte = static_cast<char>(byte ^ (1 + (*flip_at >> 24) % 255));
  }
  const std::size_t cut = cut_at ? *cut_at % (s.file.size() + 1) : s.file.size();
  const std::string_view file = std::string_view(s.file).substr(0, cut);
  const Reading r = read_file(file, read_sizes);
  check_raw(file, r);
  if (flip_at || r.capped || !has_gzip_magic(file)) return;

  const auto member = std::lower_bound(s.member_ends.begin(), s.member_ends.end(), cut);
  const std::size_t index = static_cast<std::size_t>(member - s.member_ends.begin());
  if (*member == cut) {  // the file ends between members: nothing is missing
    FUZZ_REQUIRE(!r.error, "error " << r.error->message << " at a member boundary " << cut);
    FUZZ_REQUIRE(r.bytes == text.substr(0, s.text_ends[index]),
                 "decoded " << r.bytes.size() << " bytes, expected " << s.text_ends[index]);
    return;
  }
  const std::size_t complete_text = index == 0 ? 0 : s.text_ends[index - 1];
  FUZZ_REQUIRE(r.error && r.error->message.find("truncated") == 0,
               "a stream cut at " << cut << " inside member " << index << " gave error "
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
    // Tiny reads, reads up to 64 KiB, and up to 2 MiB (more than one inflate step).
    read_sizes.push_back(1 + (v % 3 == 0 ? v % 64 : v % 3 == 1 ? v : std::size_t{v} * 32));
  }
  if (built) {
    const auto seed = input.ConsumeIntegral<std::uint64_t>();
    const auto cut = input.ConsumeIntegral<std::uint32_t>();
    const auto flip = input.ConsumeIntegral<std::uint32_t>();
    const auto damage = input.ConsumeIntegral<std::uint8_t>();  // bit 0: cut, bit 1: flip
    check_built(input.ConsumeRemainingBytesAsString(), seed,
                damage & 1 ? std::optional<std::uint32_t>(cut) : std::nullopt,
                damage & 2 ? std::optional<std::uint32_t>(flip) : std::nullopt, read_sizes);
  } else {
    const std::string file = input.ConsumeRemainingBytesAsString();
    check_raw(file, read_file(file, read_sizes));
  }
  return 0;
}
