/** @file
 * CloudTrail `{"Records":[...]}` documents read as one line per record: every
 * layout (pretty-printed, compact, CRLF, byte order mark), records whose
 * strings hold brackets, commas and escapes, offsets kept, other input
 * unchanged, malformed documents reported with every complete record still a
 * line, and the real CloudTrail files in ../shared when they are there.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/cloudtrail_records.hpp"
#include "host/io/line_batcher.hpp"
#include "tests/support/gzip_files.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep::io {
namespace {

using nlohmann::json;
using testing::TempDir;

/// `text` in reads of at most `chunk` bytes, then the end or a decoder error.
class ChunkedSource final : public ByteSource {
 public:
  ChunkedSource(std::string text, std::size_t chunk, bool fails_at_end)
      : text_(std::move(text)), chunk_(chunk), fails_at_end_(fails_at_end) {}

  std::size_t read(std::span<char> out) override {
    if (at_ == text_.size() && fails_at_end_)
      error_ = InputError{at_, OffsetKind::kCompressed, "decoder failed"};
    const std::size_t n = std::min({out.size(), chunk_, text_.size() - at_});
    std::memcpy(out.data(), text_.data() + at_, n);
    at_ += n;
    return n;
  }
  std::string_view codec() const override { return "test"; }
  std::uint64_t compressed_bytes_read() const override { return at_; }

 private:
  std::string text_;
  std::size_t chunk_;
  bool fails_at_end_;
  std::size_t at_ = 0;
};

struct Split {
  std::string codec;
  std::string bytes;
  std::optional<InputError> error;
};

Split split(const std::string& text, std::size_t chunk, std::size_t read_size,
            bool decoder_fails = false) {
  const auto source =
      split_cloudtrail_records(std::make_unique<ChunkedSource>(text, chunk, decoder_fails));
  Split s{std::string(source->codec()), "", std::nullopt};
  std::string buffer(read_size, '\0');
  while (const std::size_t n = source->read({buffer.data(), buffer.size()})) {
    EXPECT_LE(n, read_size);
    s.bytes.append(buffer, 0, n);
  }
  s.error = source->error();
  return s;
}

/// The lines that end in '\n' (what is after the last one is not a whole line).
std::vector<std::string> complete_lines(const std::string& bytes) {
  std::vector<std::string> lines;
  for (std::size_t start = 0, nl; (nl = bytes.find('\n', start)) != std::string::npos;
       start = nl + 1)
    lines.push_back(bytes.substr(start, nl - start));
  return lines;
}

/// Records with the characters a byte-level splitter could trip over.
json tricky_records() {
  return json::parse(R"([
    {"eventVersion":"1.08","eventName":"GetObject",
     "requestParameters":{"bucketName":"b]1,","key":"a\"b{c}[d]"}},
    {"nested":[[1,[2,[3]]],{"a":{"b":{}}}],"empty":[],"obj":{},"n":-1.5e3,"t":true,"z":null},
    {"text":"line\nbreak \\ backslash \\\" quote ]} , {[","trail":"\\",
     "unicode":"\u00e9 \ud83d\ude42"},
    {}
  ])");
}

std::string join(const json& records, std::string_view separator) {
  std::string out;
  for (const json& r : records) out += (out.empty() ? "" : std::string(separator)) + r.dump();
  return out;
}

/// Checks that `text` (a whole Records document of `records`) comes out as one
/// line per record, offsets kept, at many read and chunk sizes.
void expect_one_line_per_record(const std::string& text, const json& records) {
  for (const std::size_t chunk : {1ul, 2ul, 3ul, 5ul, 64ul, 1ul << 20}) {
    for (const std::size_t read_size : {1ul, 7ul, 1ul << 16}) {
      SCOPED_TRACE("chunk " + std::to_string(chunk) + ", read size " + std::to_string(read_size));
      const Split s = split(text, chunk, read_size);
      EXPECT_EQ(s.codec, "test+cloudtrail");
      EXPECT_FALSE(s.error) << s.error->message;
      ASSERT_EQ(s.bytes.size(), text.size());
      ASSERT_EQ(s.bytes.back(), '\n');
      for (std::size_t i = 0; i < text.size(); ++i) {  // only spaces and newlines are new
        if (s.bytes[i] == ' ' || s.bytes[i] == '\n') continue;
        ASSERT_EQ(s.bytes[i], text[i]) << "offset " << i;
      }
      const std::vector<std::string> lines = complete_lines(s.bytes);
      ASSERT_EQ(lines.size(), std::max<std::size_t>(records.size(), 1));
      for (std::size_t i = 0; i < records.size(); ++i)
        EXPECT_EQ(json::parse(lines[i]), records[i]) << "record " << i << ": " << lines[i];
    }
  }
}

TEST(CloudTrailRecords, PrettyPrintedDocumentBecomesOneLinePerRecord) {
  const json records = tricky_records();
  const std::string pretty = json{{"Records", records}}.dump(2);
  expect_one_line_per_record(pretty + "\n", records);
  std::string crlf;
  for (const char c : pretty + "\n") crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  expect_one_line_per_record(crlf, records);
}

TEST(CloudTrailRecords, CompactDocumentBecomesOneLinePerRecord) {
  const json records = tricky_records();
  const std::string compact = json{{"Records", records}}.dump();
  expect_one_line_per_record(compact + "\n", records);
  expect_one_line_per_record(compact, records);  // no newline at the end
}

TEST(CloudTrailRecords, WhitespaceAndByteOrderMarkAroundTokens) {
  const json records = tricky_records();
  expect_one_line_per_record(
      "\xEF\xBB\xBF \n{ \"Records\" :\t[ \n" + join(records, " ,\n\t ") + "\n ] \r\n}\n\n  ",
      records);
  expect_one_line_per_record("{\"Records\":[" + join(records, ",") + "]}", records);
}

TEST(CloudTrailRecords, DocumentsOneAfterAnotherReadAsOne) {
  const json records = tricky_records();
  json all = json::array();
  for (int copy = 0; copy < 3; ++copy)
    for (const json& r : records) all.push_back(r);
  const std::string text = json{{"Records", records}}.dump() + "\n" +
                           json{{"Records", records}}.dump(1) + "{\"Records\":[]}\n" +
                           json{{"Records", records}}.dump() + "\n";
  expect_one_line_per_record(text, all);
}

TEST(CloudTrailRecords, EmptyRecordsArrayIsOneBlankLine) {
  for (const std::string_view text : {"{\"Records\":[]}", "{\n  \"Records\": [ ]\n}\n"}) {
    const Split s = split(std::string(text), 4, 4096);
    EXPECT_EQ(s.codec, "test+cloudtrail");
    EXPECT_FALSE(s.error);
    EXPECT_EQ(s.bytes, std::string(text.size() - 1, ' ') + "\n");
  }
}

TEST(CloudTrailRecords, OtherInputPassesThroughUnchanged) {
  const std::string big_gap(100 << 10, ' ');  // past the bytes looked at to recognise a document
  const std::vector<std::string> texts = {"",
                                          "{\"a\":1}\n{\"Records\":[{\"b\":2}]}\n",  // JSON lines
                                          "{\"Records\":{}}",
                                          "{\"Records2\":[{}]}",
                                          "{\"records\":[{}]}",
                                          "[{\"Records\":[]}]",
                                          "{\"Rec",
                                          "\xEF\xBB",
                                          big_gap + "{\"Records\":[{}]}"};
  for (const std::string& text : texts) {
    for (const std::size_t chunk : {1ul, 1ul << 20}) {
      const Split s = split(text, chunk, 7);
      EXPECT_EQ(s.codec, "test") << text.substr(0, 40);
      EXPECT_FALSE(s.error);
      EXPECT_EQ(s.bytes, text);
    }
  }
}

TEST(CloudTrailRecords, DecoderErrorIsReportedAndRecordsBeforeItAreLines) {
  const Split s = split("{\"Records\":[{\"a\":1},{\"b\":2} ", 3, 5, /*decoder_fails=*/true);
  ASSERT_TRUE(s.error);
  EXPECT_EQ(s.error->message, "decoder failed");
  EXPECT_EQ(s.error->offset_kind, OffsetKind::kCompressed);
  EXPECT_EQ(complete_lines(s.bytes).size(), 2u);
}

struct Malformed {
  std::string text;
  std::size_t error_offset;
  std::string message;
  std::size_t delivered;                  ///< bytes that come out
  std::vector<std::string> record_lines;  ///< the complete lines, as records
};

// `at`: where in `text` the error is; `stops_after`: whether that byte still comes out (as the
// newline that closes the last record's line).
Malformed malformed(std::string text, std::string_view at, bool stops_after, std::string message,
                    std::vector<std::string> records) {
  const std::size_t offset = at.empty() ? text.size() : text.rfind(at);
  const std::size_t delivered = at.empty() ? text.size() : offset + (stops_after ? 1 : 0);
  return {std::move(text), offset, std::move(message), delivered, std::move(records)};
}

TEST(CloudTrailRecords, MalformedDocumentIsAnErrorAfterEveryCompleteRecord) {
  const std::string a = R"({"a":1})", b = R"({"b":"]}"})";
  const std::string head = "{\"Records\":[" + a + ",\n" + b;
  const Malformed cases[] = {
      malformed(head + ",{\"c\":", "", false,
                "truncated CloudTrail file: the document ends inside record 3; was the file cut "
                "short?",
                {a, b}),
      malformed(head + "  ", "", false,
                "truncated CloudTrail file: the document ends before the closing \"]}\", after 2 "
                "records; was the file cut short?",
                {a, b}),
      malformed(head + "]", "", false, "ends before the closing", {a, b}),
      // Cut right after a record: no byte is left to end its line, so it stays incomplete.
      malformed(head, "", false, "ends before the closing", {a}),
      malformed("{\"Records\":[", "", false, "after 0 records", {}),
      malformed(head + "]}xyz", "xyz", true,
                "malformed CloudTrail file: found 'x' after the end of the document", {a, b}),
      malformed(head + std::string("]}\n\0", 4), std::string_view("\0", 1), true, "found byte 0x00",
                {a, b}),
      malformed(head + "]}\n{\"x\":1}", "x\"", false,
                "malformed CloudTrail file: found 'x' after the end of a document, where only "
                "another {\"Records\":[...]} document may follow",
                {a, b}),
      malformed(head + "],\"more\":1}", ",", true,
                "malformed CloudTrail file: found ',' after the Records array, where '}' should "
                "end the document: only {\"Records\":[...]} documents are read as records",
                {a, b}),
      malformed(head + ", 5]}", "5", false,
                "malformed CloudTrail file: found '5' where record 3 (a JSON object) should start",
                {a, b}),
      malformed(head + " {\"c\":3}]}", "{", true,
                "malformed CloudTrail file: found '{' after record 2, where ',' or ']' should "
                "follow",
                {a, b}),
      malformed(head + ",]}", "]}", false, "found ']' where record 3", {a, b}),
      malformed("{\"Records\":[\"x\"]}", "\"x", false, "found '\"' where record 1", {}),
  };
  for (const Malformed& m : cases) {
    for (const std::size_t chunk : {1ul, 3ul, 1ul << 20}) {
      for (const std::size_t read_size : {1ul, 1ul << 16}) {
        SCOPED_TRACE(m.text + " (chunk " + std::to_string(chunk) + ", read size " +
                     std::to_string(read_size) + ")");
        const Split s = split(m.text, chunk, read_size);
        EXPECT_EQ(s.codec, "test+cloudtrail");
        ASSERT_TRUE(s.error);
        EXPECT_NE(s.error->message.find(m.message), std::string::npos) << s.error->message;
        EXPECT_EQ(s.error->offset, m.error_offset);
        EXPECT_EQ(s.error->offset_kind, OffsetKind::kDecoded);
        EXPECT_EQ(s.bytes.size(), m.delivered);
        const std::vector<std::string> lines = complete_lines(s.bytes);
        ASSERT_EQ(lines.size(), m.record_lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i)
          EXPECT_EQ(json::parse(lines[i]), json::parse(m.record_lines[i]));
      }
    }
  }
}

TEST(CloudTrailRecords, EveryCodecReadsTheDocument) {
  TempDir dir;
  const json records = tricky_records();
  const std::string text = json{{"Records", records}}.dump() + "\n";
  const std::pair<std::string, std::string> files[] = {
      {"plain+cloudtrail", text},
      {"gzip+cloudtrail", testing::gzip_members(text, 50)},
      {"zstd+cloudtrail", testing::zstd_frames(text, 50)}};
  for (const auto& [codec, content] : files) {
    InputError open_error;
    const auto source = open_byte_source(dir.write("ct.json", content), open_error);
    ASSERT_TRUE(source) << open_error.message;
    EXPECT_EQ(source->codec(), codec);
    std::string bytes(text.size() + 1, '\0');
    bytes.resize(source->read({bytes.data(), bytes.size()}));
    EXPECT_FALSE(source->error());
    EXPECT_EQ(complete_lines(bytes).size(), records.size()) << codec;
  }
}

// The public CloudTrail sample (../shared/realdata/cloudtrail-stratus, not in the repo),
// gzipped as CloudTrail stores it in S3: line N of each file is its record N.
TEST(CloudTrailRecords, RealCloudTrailFilesGiveOneLinePerRecord) {
  const std::filesystem::path samples = std::filesystem::path(AGENTSWEEP_SOURCE_DIR) /
                                        "../shared/realdata/cloudtrail-stratus/CloudTrail";
  if (!std::filesystem::is_directory(samples))
    GTEST_SKIP() << "no CloudTrail samples at " << samples << "; this test reads them when present";
  TempDir dir;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(samples)) {
    std::ostringstream text;
    text << std::ifstream(entry.path(), std::ios::binary).rdbuf();
    const json records = json::parse(text.str()).at("Records");
    InputError open_error;
    const auto source =
        open_byte_source(dir.write("sample.json.gz", testing::gzip_member(text.str())), open_error);
    ASSERT_TRUE(source) << open_error.message;
    EXPECT_EQ(source->codec(), "gzip+cloudtrail");
    LineBatcher batcher(*source, 0, {1 << 20, 4096, 0});
    std::size_t line = 0;
    while (const auto batch = batcher.next()) {
      EXPECT_EQ(batch->first_line, line + 1);
      std::size_t start = 0;
      for (const std::uint32_t end : batch->line_ends) {
        ASSERT_LT(line, records.size()) << entry.path();
        EXPECT_EQ(json::parse(batch->bytes().substr(start, end - start)), records[line])
            << entry.path() << " record " << line;
        start = end + 1;
        ++line;
      }
    }
    EXPECT_FALSE(source->error()) << entry.path();
    EXPECT_TRUE(batcher.skipped().empty()) << entry.path();
    EXPECT_EQ(line, records.size()) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 0u);
}

}  // namespace
}  // namespace agentsweep::io
