/** @file Corpus generation and independent reading (see test_support.hpp). */
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <fstream>
#include <sstream>

#include "clock.hpp"

namespace agentsweep::gen::testing {

std::filesystem::path fresh_directory(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("agentsweep-gen-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

GeneratorOptions small_options(const std::filesystem::path& out_dir) {
  GeneratorOptions options;
  options.events = 50'000;
  options.days = kDormantMinDays;
  options.agents = 20'000;
  options.operators = 250;
  options.seed = 7;
  options.out_dir = out_dir;
  options.threads = 2;
  options.frame_size = 256 << 10;
  options.fleet_jump_agents = 100;
  options.incidents.fill(2);
  return options;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string read_log(const std::filesystem::path& path) {
  const std::string raw = read_file(path);
  return path.extension() == ".zst" ? decode_zstd_frames(raw) : raw;
}

std::string decode_zstd_frames(const std::string& raw) {
  std::string text;
  std::size_t offset = 0;
  while (offset < raw.size()) {
    const char* frame = raw.data() + offset;
    const std::size_t compressed = ZSTD_findFrameCompressedSize(frame, raw.size() - offset);
    EXPECT_FALSE(ZSTD_isError(compressed)) << "frame at " << offset;
    const unsigned long long size = ZSTD_getFrameContentSize(frame, compressed);
    EXPECT_NE(size, ZSTD_CONTENTSIZE_UNKNOWN) << "frame at " << offset << " without content size";
    EXPECT_NE(size, ZSTD_CONTENTSIZE_ERROR) << "frame at " << offset;
    if (ZSTD_isError(compressed) || size >= ZSTD_CONTENTSIZE_ERROR) return text;
    std::string decoded(size, '\0');
    const std::size_t got = ZSTD_decompress(decoded.data(), decoded.size(), frame, compressed);
    EXPECT_EQ(got, size) << "frame at " << offset;
    text += decoded;
    offset += compressed;
  }
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::int64_t parse_timestamp(const std::string& text) {
  const auto day = parse_date(text.substr(0, 10));
  const auto number = [&](std::size_t at, std::size_t width) {
    return std::stoll(text.substr(at, width));
  };
  return *day * kMillisPerDay + number(11, 2) * kMillisPerHour + number(14, 2) * kMillisPerMinute +
         number(17, 2) * 1000 + number(20, 3);
}

namespace {

Line extract(const nlohmann::json& event) {
  Line line;
  line.event_id = event.at("event_id").get<std::string>();
  line.ts_ms = parse_timestamp(event.at("ts").get<std::string>());
  const auto& actor = event.at("actor");
  line.agent = actor.at("agent_id").get<std::string>();
  line.operator_absent = !actor.contains("operator_id");
  line.operator_null = !line.operator_absent && actor.at("operator_id").is_null();
  if (!line.operator_absent && !line.operator_null)
    line.operator_id = actor.at("operator_id").get<std::string>();
  line.key = event.at("auth").at("api_key_id").get<std::string>();
  for (const auto& scope : event.at("auth").at("scopes")) line.admin_scope |= scope == "admin";
  line.action = event.at("action").get<std::string>();
  line.path = event.at("request").at("path").get<std::string>();
  line.resource = event.at("resource").get<std::string>();
  line.status = event.at("status").get<int>();
  line.bytes_out = event.at("bytes_out").get<std::uint64_t>();
  if (event.contains("content")) line.content = event.at("content").get<std::string>();
  line.producer = event.at("producer").get<std::string>();
  return line;
}

Corpus make_corpus() {
  Corpus corpus;
  corpus.options = small_options(fresh_directory("corpus"));
  corpus.summary = generate(corpus.options);
  for (const GeneratedFile& file : corpus.summary.files) {
    corpus.compressed[file.name] = read_file(corpus.options.out_dir / file.name);
    corpus.text[file.name] = decode_zstd_frames(corpus.compressed[file.name]);
    const auto texts = split_lines(corpus.text[file.name]);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      Line line = extract(nlohmann::json::parse(texts[i]));
      line.file = file.name;
      line.number = i + 1;
      corpus.by_location[{file.name, line.number}] = corpus.lines.size();
      corpus.lines.push_back(std::move(line));
    }
  }
  corpus.truth = nlohmann::json::parse(read_file(corpus.summary.ground_truth));
  std::filesystem::remove_all(corpus.options.out_dir);
  for (const auto& incident : corpus.truth.at("incidents")) {
    for (const auto& event : incident.at("events")) {
      corpus.incident_lines.insert(corpus.by_location.at(
          {event.at("file").get<std::string>(), event.at("line").get<std::uint64_t>()}));
    }
  }
  return corpus;
}

}  // namespace

const Corpus& corpus() {
  static const Corpus shared = make_corpus();
  return shared;
}

}  // namespace agentsweep::gen::testing
