/** @file
 * Streaming gzip decoding: one member, many members, lines across members,
 * empty input, truncated and corrupt streams, data after the last member.
 */
#include <gtest/gtest.h>

#include <string>

#include "host/io/byte_source.hpp"
#include "tests/support/gzip_files.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep::io {
namespace {

using testing::gzip_member;
using testing::gzip_members;
using testing::TempDir;

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

TEST(GzipSource, DecodesOneMember) {
  TempDir dir;
  const std::string text = sample_text(10000);
  const Decoded d = decode(dir.write("one.bin", gzip_member(text)));
  EXPECT_EQ(d.codec, "gzip");
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.bytes, text);
}

TEST(GzipSource, DecodesConcatenatedMembersWithLinesAcrossThem) {
  TempDir dir;
  const std::string text = sample_text(500);
  for (const std::size_t member : {1ul, 7ul, 100ul, 4096ul}) {
    for (const std::size_t read_size : {3ul, 1ul << 20}) {
      const Decoded d = decode(dir.write("many.gz", gzip_members(text, member)), read_size);
      EXPECT_FALSE(d.error) << "member size " << member << ", read size " << read_size;
      EXPECT_EQ(d.bytes, text) << "member size " << member << ", read size " << read_size;
    }
  }
}

TEST(GzipSource, DetectsCodecByContentNotName) {
  TempDir dir;
  const std::string text = sample_text(3);
  EXPECT_EQ(decode(dir.write("looks-plain.jsonl", gzip_member(text))).codec, "gzip");
  const Decoded plain = decode(dir.write("looks-compressed.gz", text));
  EXPECT_EQ(plain.codec, "plain");
  EXPECT_EQ(plain.bytes, text);
}

TEST(GzipSource, EmptyMembersDecodeToNothing) {
  TempDir dir;
  const Decoded d = decode(dir.write("empty.gz", gzip_member("") + gzip_member("")));
  EXPECT_EQ(d.codec, "gzip");
  EXPECT_FALSE(d.error);
  EXPECT_TRUE(d.bytes.empty());
}

TEST(GzipSource, TruncatedStreamKeepsDecodedPrefixAndReportsError) {
  TempDir dir;
  const std::string text = sample_text(2000);
  const std::string members = gzip_members(text, 8192);
  // Cut in the last member's trailer, its data, and right after its header.
  const std::size_t last_member =
      gzip_members(text.substr(0, text.size() / 8192 * 8192), 8192).size();
  for (const std::size_t cut : {members.size() - 3, members.size() - 20, last_member + 10}) {
    const Decoded d = decode(dir.write("cut.gz", members.substr(0, cut)));
    ASSERT_TRUE(d.error) << "cut at " << cut;
    EXPECT_EQ(d.error->message, "truncated gzip stream: the last member ends early");
    EXPECT_EQ(d.error->offset_kind, OffsetKind::kCompressed);
    EXPECT_EQ(d.error->offset, cut);
    EXPECT_EQ(d.bytes, text.substr(0, d.bytes.size())) << "cut at " << cut;
    EXPECT_GE(d.bytes.size(), text.size() / 8192 * 8192) << "every complete member delivered";
  }
  const Decoded header_only = decode(dir.write("header.gz", std::string("\x1f\x8b\x08\x00", 4)));
  EXPECT_EQ(header_only.codec, "gzip");
  ASSERT_TRUE(header_only.error);
  EXPECT_NE(header_only.error->message.find("truncated"), std::string::npos);
}

TEST(GzipSource, CorruptByteReportsOffsetAfterGoodMembers) {
  TempDir dir;
  const std::string good = gzip_member(sample_text(100));
  std::string bad = gzip_member(sample_text(100));
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x5A);
  const Decoded d = decode(dir.write("corrupt.gz", good + bad));
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message.rfind("corrupt gzip data: ", 0), 0u) << d.error->message;
  EXPECT_EQ(d.error->offset_kind, OffsetKind::kCompressed);
  EXPECT_GT(d.error->offset, good.size());
  EXPECT_LE(d.error->offset, good.size() + bad.size());
  EXPECT_EQ(d.bytes.substr(0, sample_text(100).size()), sample_text(100));
}

TEST(GzipSource, WrongChecksumComesAfterEveryDecodedByte) {
  TempDir dir;
  const std::string text = sample_text(100);
  std::string member = gzip_member(text);
  member[member.size() - 8] = static_cast<char>(member[member.size() - 8] ^ 1);  // CRC-32
  const Decoded d = decode(dir.write("crc.gz", member));
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message, "corrupt gzip data: incorrect data check");
  EXPECT_EQ(d.bytes, text);
}

TEST(GzipSource, DataAfterTheLastMemberIsAnError) {
  TempDir dir;
  const std::string text = sample_text(10);
  const std::string member = gzip_member(text);
  const Decoded d = decode(dir.write("trailing.gz", member + member + "not gzip\n"));
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message,
            "corrupt gzip data: what follows member 2 is not another gzip member (incorrect "
            "header check)");
  EXPECT_GE(d.error->offset, 2 * member.size());
  EXPECT_EQ(d.bytes, text + text);
}

TEST(GzipSource, ResultDoesNotDependOnReadSize) {
  TempDir dir;
  const std::string text = sample_text(20000);  // several steps of output
  std::string members = gzip_members(text, 300000);
  char& hit = members[members.size() * 3 / 4];
  hit = static_cast<char>(hit ^ 0x21);
  const auto file = dir.write("bad.gz", members);
  const Decoded reference = decode(file, 1 << 20);
  ASSERT_TRUE(reference.error);
  for (const std::size_t read_size : {1ul, 7ul, 4096ul, 200000ul}) {
    const Decoded d = decode(file, read_size);
    EXPECT_EQ(d.bytes, reference.bytes) << "read size " << read_size;
    ASSERT_TRUE(d.error);
    EXPECT_EQ(d.error->offset, reference.error->offset) << "read size " << read_size;
    EXPECT_EQ(d.error->message, reference.error->message) << "read size " << read_size;
  }
}

}  // namespace
}  // namespace agentsweep::io
