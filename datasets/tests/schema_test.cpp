/** @file Every line is a JSON object with the documented fields, formats and mess. */
#include <gtest/gtest.h>
#include <zstd.h>

#include <regex>
#include <set>

#include "test_support.hpp"

namespace agentsweep::gen::testing {
namespace {

bool is_content_action(const std::string& action) {
  return action == "post.create" || action == "comment.create" || action == "dm.send";
}

TEST(Schema, EveryLineIsAnObjectWithTheRequiredFields) {
  const Corpus& c = corpus();
  ASSERT_EQ(c.lines.size(), c.options.events);
  const std::regex ts(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  const std::regex agent("agt_[0-9a-hjkmnp-tv-z]{12}");
  const std::regex op("op_[0-9a-hjkmnp-tv-z]{8}");
  const std::regex key("key_[0-9a-hjkmnp-tv-z]{10}");
  const std::regex ip(R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})");
  for (const GeneratedFile& file : c.summary.files) {
    for (const std::string& text : split_lines(c.text.at(file.name))) {
      const auto event = nlohmann::json::parse(text);
      ASSERT_TRUE(event.is_object()) << text;
      EXPECT_TRUE(std::regex_match(event.at("ts").get<std::string>(), ts)) << text;
      EXPECT_TRUE(event.at("event_id").is_string());
      EXPECT_TRUE(std::regex_match(event.at("actor").at("agent_id").get<std::string>(), agent));
      const auto& actor = event.at("actor");
      if (actor.contains("operator_id") && !actor.at("operator_id").is_null()) {
        EXPECT_TRUE(std::regex_match(actor.at("operator_id").get<std::string>(), op)) << text;
      }
      EXPECT_TRUE(std::regex_match(event.at("auth").at("api_key_id").get<std::string>(), key));
      ASSERT_TRUE(event.at("auth").at("scopes").is_array());
      for (const auto& scope : event.at("auth").at("scopes")) EXPECT_TRUE(scope.is_string());
      const auto& request = event.at("request");
      EXPECT_TRUE(request.at("method") == "GET" || request.at("method") == "POST");
      EXPECT_EQ(request.at("path").get<std::string>().rfind("/v1/", 0), 0u);
      EXPECT_TRUE(std::regex_match(request.at("ip").get<std::string>(), ip));
      if (request.contains("user_agent")) {
        EXPECT_TRUE(request.at("user_agent").is_string());
      }
      EXPECT_TRUE(event.at("resource").is_string());
      EXPECT_TRUE(event.at("status").is_number_integer());
      EXPECT_TRUE(event.at("bytes_out").is_number_unsigned());
      EXPECT_TRUE(event.at("latency_ms").is_number_unsigned());
      const std::string action = event.at("action").get<std::string>();
      EXPECT_EQ(event.contains("content"), is_content_action(action)) << text;
    }
  }
}

TEST(Schema, EventIdsAreUnique) {
  std::set<std::string> ids;
  for (const Line& line : corpus().lines) ids.insert(line.event_id);
  EXPECT_EQ(ids.size(), corpus().lines.size());
}

TEST(Schema, HasTheRealisticMess) {
  const Corpus& c = corpus();
  std::size_t gateway = 0, worker = 0, null_operator = 0, absent_operator = 0, non_ascii = 0;
  for (const Line& line : c.lines) {
    (line.producer == "gateway" ? gateway : worker) += 1;
    null_operator += line.operator_null ? 1 : 0;
    absent_operator += line.operator_absent ? 1 : 0;
    if (line.content) {
      for (char ch : *line.content) non_ascii += static_cast<unsigned char>(ch) >= 0x80 ? 1 : 0;
    }
  }
  EXPECT_GT(gateway, c.lines.size() / 3);
  EXPECT_GT(worker, c.lines.size() / 3);
  EXPECT_GT(null_operator, 0u);
  EXPECT_GT(absent_operator, 0u);
  EXPECT_GT(non_ascii, 0u);

  const std::string& raw = c.text.at(c.summary.files.front().name);
  EXPECT_NE(raw.find("\\\""), std::string::npos) << "escaped quotes";
  EXPECT_NE(raw.find("\\u"), std::string::npos) << "\\u escapes";
  EXPECT_NE(raw.find("\\ud83d"), std::string::npos) << "surrogate pairs";
  EXPECT_NE(raw.find("\xe6\x97\xa5"), std::string::npos) << "raw UTF-8 (CJK)";
  EXPECT_NE(raw.find("{\"ts\":"), std::string::npos) << "gateway key order";
  EXPECT_NE(raw.find("{\"actor\": {"), std::string::npos) << "worker key order";
  const auto lines = split_lines(raw);
  std::size_t without_user_agent = 0;
  for (const auto& text : lines) without_user_agent += text.find("user_agent") == std::string::npos;
  EXPECT_GT(without_user_agent, 0u);
}

TEST(Schema, MostlyTimeOrderedWithinAFile) {
  const Corpus& c = corpus();
  std::size_t backwards = 0;
  for (std::size_t i = 1; i < c.lines.size(); ++i) {
    if (c.lines[i].file != c.lines[i - 1].file) continue;
    if (c.lines[i].ts_ms < c.lines[i - 1].ts_ms) {
      ++backwards;
      EXPECT_LT(c.lines[i - 1].ts_ms - c.lines[i].ts_ms, 1500) << c.lines[i].event_id;
    }
  }
  EXPECT_GT(backwards, 0u);
  EXPECT_LT(backwards, c.lines.size() / 10);
}

TEST(Schema, FilesAreNamedByDateAndFramedBySize) {
  const Corpus& c = corpus();
  ASSERT_EQ(c.summary.files.size(), static_cast<std::size_t>(c.options.days));
  EXPECT_EQ(c.summary.files.front().name, "2026-03-01.jsonl.zst");
  EXPECT_EQ(c.summary.files.back().name, "2026-03-16.jsonl.zst");
  for (const GeneratedFile& file : c.summary.files) {
    const std::string& raw = c.compressed.at(file.name);
    std::size_t offset = 0;
    std::size_t frames = 0;
    while (offset < raw.size()) {
      const std::size_t size =
          ZSTD_findFrameCompressedSize(raw.data() + offset, raw.size() - offset);
      ASSERT_FALSE(ZSTD_isError(size));
      const auto content = ZSTD_getFrameContentSize(raw.data() + offset, size);
      EXPECT_LE(content, c.options.frame_size);
      offset += size;
      ++frames;
    }
    EXPECT_EQ(frames, file.frames);
    EXPECT_GT(frames, 1u);
  }
}

}  // namespace
}  // namespace agentsweep::gen::testing
