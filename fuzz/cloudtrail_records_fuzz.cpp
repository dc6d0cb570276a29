/** @file
 * Fuzzes the CloudTrail Records adapter (host/io/cloudtrail_records.cpp,
 * cloudtrail_rewriter.cpp) over a decoder that returns reads of fuzzed sizes
 * and may end on an error, read with fuzzed read sizes. The last input byte
 * picks how the rest is used:
 *  - raw: the bytes are the decoded content.
 *  - built: the bytes are records, separated by 0x01; those nlohmann reads as
 *    objects are laid out here as a Records document (fuzzed indentation,
 *    whitespace, byte order mark), then maybe cut short.
 * Always: nothing comes out past the input, every byte that comes out is the
 * input's byte at that offset or a space or newline put in its place, and the
 * whole input comes out unless an error is reported; input that is not read as
 * a Records document comes out unchanged. For a Records document that
 * nlohmann reads (one key, "Records", an array of objects): no error, the same
 * length, and line N parses to record N. For a built document cut short: the
 * complete lines are the first records, in order.
 *
 * Differences by design, left out of the nlohmann comparison: a "Records" key
 * spelled with escapes is not recognised (the document passes through), a
 * repeated "Records" key is an error here, nlohmann stops at a NUL byte, and
 * it refuses ill-formed UTF-8 and numbers beyond a double (such documents are
 * not compared).
 */
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/io/cloudtrail_records.hpp"

namespace agentsweep::fuzz {
namespace {

using nlohmann::json;

/// The text in reads of fuzzed sizes, then the end or a decoder error.
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

struct Reading {
  std::string codec;
  std::string bytes;
  std::optional<io::InputError> error;
};

struct ReadPlan {
  std::vector<std::size_t> decoder_reads;
  std::vector<std::size_t> read_sizes;
  bool decoder_fails = false;
};

Reading read_all(std::string_view text, const ReadPlan& plan) {
  const auto source = io::split_cloudtrail_records(
      std::make_unique<ChunkedSource>(text, plan.decoder_reads, plan.decoder_fails));
  Reading r{std::string(source->codec()), "", std::nullopt};
  // Each read's span ends where the allocation ends, so a write past it is caught.
  std::vector<char> buffer(*std::max_element(plan.read_sizes.begin(), plan.read_sizes.end()));
  for (std::size_t i = 0;; ++i) {
    const std::size_t want = plan.read_sizes[i % plan.read_sizes.size()];
    const std::size_t got = source->read({buffer.data() + buffer.size() - want, want});
    FUZZ_REQUIRE(got <= want, got << " bytes from a read of " << want);
    if (got == 0) break;
    r.bytes.append(buffer.data() + buffer.size() - want, got);
    FUZZ_REQUIRE(r.bytes.size() <= text.size(), "more bytes out than in");
  }
  FUZZ_REQUIRE(source->read({buffer.data(), buffer.size()}) == 0, "read after end");
  r.error = source->error();
  if (r.error) FUZZ_REQUIRE(!r.error->message.empty(), "an error without a message");
  return r;
}

/// The complete lines of `bytes` (what follows the last '\n' is not one).
std::vector<std::string_view> complete_lines(std::string_view bytes) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0, nl; (nl = bytes.find('\n', start)) != std::string_view::npos;
       start = nl + 1)
    lines.push_back(bytes.substr(start, nl - start));
  return lines;
}

void check_always(std::string_view text, const Reading& r, const ReadPlan& plan) {
  const bool records = r.codec == "fuzz+cloudtrail";
  FUZZ_REQUIRE(records || r.codec == "fuzz", "codec " << r.codec);
  if (!records) {
    FUZZ_REQUIRE(r.bytes == text, "input that is not a Records document changed");
    FUZZ_REQUIRE(r.error.has_value() == plan.decoder_fails, "error without cause");
    return;
  }
  for (std::size_t i = 0; i < r.bytes.size(); ++i)
    FUZZ_REQUIRE(r.bytes[i] == text[i] || r.bytes[i] == ' ' || r.bytes[i] == '\n',
                 "offset " << i << ": " << escaped(r.bytes.substr(i, 1)) << " for "
                           << escaped(text.substr(i, 1)));
  if (!r.error) FUZZ_REQUIRE(r.bytes.size() == text.size(), "bytes lost without an error");
  if (plan.decoder_fails) FUZZ_REQUIRE(r.error, "the decoder's error was lost");
  if (r.error && r.error->offset_kind == io::OffsetKind::kDecoded)
    FUZZ_REQUIRE(r.error->offset <= text.size() && r.bytes.size() <= r.error->offset + 1,
                 "error at " << r.error->offset << " after " << r.bytes.size() << " bytes");
}

/// The records of `text` when nlohmann reads it as a Records document with one
/// key, an array of objects.
std::optional<json> nlohmann_records(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return std::nullopt;  // nlohmann stops there
  int top_level_keys = 0;
  const json document = json::parse(
      text.begin(), text.end(),
      [&](int depth, json::parse_event_t event, json&) {
        if (depth == 1 && event == json::parse_event_t::key) ++top_level_keys;
        return true;
      },
      /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || top_level_keys != 1 ||
      !document.contains("Records") || !document["Records"].is_array())
    return std::nullopt;
  for (const json& record : document["Records"])
    if (!record.is_object()) return std::nullopt;
  return document["Records"];
}

/// Whether the document's first key is spelled `"Records"`, not with escapes.
bool records_key_is_plain(std::string_view text) {
  std::size_t at = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const auto skip_space = [&] {
    while (at < text.size() && std::string_view(" \t\r\n").find(text[at]) != std::string_view::npos)
      ++at;
  };
  skip_space();
  if (at == text.size() || text[at] != '{') return false;
  ++at;
  skip_space();
  return text.substr(at).starts_with("\"Records\"");
}

void check_against_nlohmann(std::string_view text, const Reading& r, const ReadPlan& plan) {
  const std::optional<json> records = nlohmann_records(text);
  if (!records || plan.decoder_fails) return;
  if (r.codec != "fuzz+cloudtrail") {
    FUZZ_REQUIRE(!records_key_is_plain(text), "a Records document was not recognised");
    return;
  }
  FUZZ_REQUIRE(!r.error,
               "a valid document gave error " << r.error->message << " at " << r.error->offset);
  const std::vector<std::string_view> lines = complete_lines(r.bytes);
  FUZZ_REQUIRE(lines.size() == std::max<std::size_t>(records->size(), 1),
               lines.size() << " lines for " << records->size() << " records");
  FUZZ_REQUIRE(r.bytes.back() == '\n', "the last line has no newline");
  for (std::size_t i = 0; i < records->size(); ++i) {
    // Around a record only spaces: the record is all that is left of the document on its line.
    const std::string_view line = lines[i];
    const std::size_t first = line.find_first_not_of(' '), last = line.find_last_not_of(' ');
    FUZZ_REQUIRE(first != std::string_view::npos && line[first] == '{' && line[last] == '}',
                 "line " << i + 1 << " is " << escaped(line));
    FUZZ_REQUIRE(json::parse(line, nullptr, false) == (*records)[i],
                 "line " << i + 1 << " is " << escaped(line));
  }
}

struct BuiltDocument {
  std::string text;
  json records = json::array();
};

/// Objects among the 0x01-separated `pieces`, laid out as a Records document.
BuiltDocument build_document(std::string_view pieces, std::uint32_t seed) {
  std::minstd_rand rng(seed);
  const auto space = [&] {
    static const char* const kSpaces[] = {"", " ", "\n", "\r\n", "\t", "  \n  "};
    return std::string(kSpaces[rng() % 6]);
  };
  BuiltDocument d;
  const int indent = static_cast<int>(rng() % 4) - 1;  // -1: compact
  std::string body;
  for (std::size_t start = 0; start <= pieces.size();) {
    std::size_t end = pieces.find('\x01', start);
    if (end == std::string_view::npos) end = pieces.size();
    const json record = json::parse(pieces.substr(start, end - start), nullptr, false);
    if (record.is_object()) {
      body += (d.records.empty() ? space() : space() + "," + space()) + record.dump(indent);
      d.records.push_back(record);
    }
    start = end + 1;
  }
  d.text = (rng() % 4 == 0 ? "\xEF\xBB\xBF" : "") + space() + "{" + space() + "\"Records\"" +
           space() + ":" + space() + "[" + body + space() + "]" + space() + "}" + space();
  return d;
}

void check_built(std::string_view pieces, std::uint32_t seed, std::optional<std::uint32_t> cut_at,
                 const ReadPlan& plan) {
  const BuiltDocument d = build_document(pieces, seed);
  const std::size_t cut = cut_at ? *cut_at % (d.text.size() + 1) : d.text.size();
  const std::string_view text = std::string_view(d.text).substr(0, cut);
  const Reading r = read_all(text, plan);
  check_always(text, r, plan);
  check_against_nlohmann(text, r, plan);
  if (r.codec != "fuzz+cloudtrail") return;  // cut before "Records" was complete
  const std::vector<std::string_view> lines = complete_lines(r.bytes);
  FUZZ_REQUIRE(lines.size() <= std::max<std::size_t>(d.records.size(), 1),
               lines.size() << " lines for " << d.records.size() << " records");
  for (std::size_t i = 0; i < std::min(lines.size(), d.records.size()); ++i)
    FUZZ_REQUIRE(json::parse(lines[i], nullptr, false) == d.records[i],
                 "line " << i + 1 << " is " << escaped(lines[i]));
  if (!r.error)
    FUZZ_REQUIRE(
        lines.size() == std::max<std::size_t>(d.records.size(), 1),
        "no error, but " << lines.size() << " lines for " << d.records.size() << " records");
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agentsweep::fuzz;
  if (size == 0) return 0;
  const bool built = data[size - 1] & 1;
  FuzzedDataProvider input(data, size - 1);
  ReadPlan plan;
  for (int i = 0; i < 3; ++i) {
    // Tiny reads and reads past the adapter's 64 KiB buffer, from the decoder and of the adapter.
    const auto v = input.ConsumeIntegral<std::uint16_t>();
    plan.decoder_reads.push_back(1 + (v % 2 == 0 ? v % 16 : std::size_t{v} * 2));
    const auto w = input.ConsumeIntegral<std::uint16_t>();
    plan.read_sizes.push_back(1 + (w % 2 == 0 ? w % 16 : std::size_t{w} * 2));
  }
  plan.decoder_fails = input.ConsumeIntegralInRange<int>(0, 7) == 0;
  if (built) {
    const auto seed = input.ConsumeIntegral<std::uint32_t>();
    const auto cut = input.ConsumeIntegral<std::uint32_t>();
    const bool whole = input.ConsumeBool();
    check_built(input.ConsumeRemainingBytesAsString(), seed,
                whole ? std::nullopt : std::optional<std::uint32_t>(cut), plan);
  } else {
    const std::string text = input.ConsumeRemainingBytesAsString();
    const Reading r = read_all(text, plan);
    check_always(text, r, plan);
    check_against_nlohmann(text, r, plan);
  }
  return 0;
}
