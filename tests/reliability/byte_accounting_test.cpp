/** @file
 * "Nothing lost" is checkable: per file, the report's figures reconcile
 * (lines = events + malformed + blank + oversized + incomplete; decoded bytes
 * = scanned + skipped bytes; compressed bytes = the file's size when it was
 * read completely; totals = the sum of the files) and agree with figures
 * computed independently from the decoded text, for plain, multi-frame,
 * truncated and corrupt inputs, lines longer than a batch, CRLF and a final
 * line without a newline, at several read sizes.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "kernels/cpu/cpu_backend.hpp"
#include "tests/reliability/crafted_zstd.hpp"
#include "tests/support/scan_report.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::TempDir;

constexpr std::size_t kBatchBytes = 256;

std::string mixed_log(int lines, std::size_t seed) {
  std::string text;
  for (int i = 0; i < lines; ++i) {
    switch ((i * 7 + seed) % 9) {
      case 0:
        text += "garbage " + std::to_string(i) + "\n";
        break;
      case 1:
        text += i % 2 ? "\n" : " \t\n";
        break;
      case 2:  // longer than a batch
        text += "{\"content\":\"" + std::string(kBatchBytes + i % 50, 'x') + "\"}\n";
        break;
      case 3:
        text += "{\"crlf\":" + std::to_string(i) + "}\r\n";
        break;
      case 4:  // exactly a batch with its newline: still scanned
        text += "{\"fit\":\"" + std::string(kBatchBytes - 11, 'f') + "\"}\n";
        break;
      default:
        text += R"({"actor":{"agent_id":"agt_)" + std::to_string(i % 13) +
                R"(","operator_id":"op_)" + std::to_string(i % 3) + R"("},"seq":)" +
                std::to_string(i) + "}\n";
    }
  }
  return text + "{\"last\":\"no newline\"}";
}

/// What the report must say about a file whose decoded bytes are `decoded`.
struct Expected {
  std::uint64_t lines = 0, events = 0, malformed = 0, blank = 0, oversized = 0, incomplete = 0;
  std::uint64_t scanned_bytes = 0, skipped_bytes = 0;
};

Expected expected_for(std::string_view decoded, bool read_error) {
  Expected e;
  for (std::size_t start = 0; start < decoded.size();) {
    const std::size_t newline = decoded.find('\n', start);
    const bool has_newline = newline != std::string_view::npos;
    const std::size_t end = has_newline ? newline : decoded.size();
    const std::size_t bytes = end - start + (has_newline ? 1 : 0);
    std::string_view line = decoded.substr(start, end - start);
    start = end + 1;
    ++e.lines;
    if (line.size() + 1 > kBatchBytes) {  // a line needs room for its newline
      ++e.oversized;
      e.skipped_bytes += bytes;
      continue;
    }
    if (!has_newline && read_error) {
      ++e.incomplete;
      e.skipped_bytes += bytes;
      continue;
    }
    e.scanned_bytes += bytes;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      ++e.blank;
      continue;
    }
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    ++(event.is_object() ? e.events : e.malformed);
  }
  return e;
}

void expect_reconciled(const nlohmann::json& f, const std::string& decoded_text, bool complete,
                       std::uint64_t file_size) {
  SCOPED_TRACE(f["path"].get<std::string>());
  EXPECT_EQ(f["lines"],
            f["events"].get<std::uint64_t>() + f["malformed_lines"].get<std::uint64_t>() +
                f["blank_lines"].get<std::uint64_t>() + f["oversized_lines"].get<std::uint64_t>() +
                f["incomplete_lines"].get<std::uint64_t>());
  EXPECT_EQ(f["decoded_bytes"],
            f["scanned_bytes"].get<std::uint64_t>() + f["skipped_bytes"].get<std::uint64_t>());
  EXPECT_EQ(f["complete"], complete);
  if (complete) {
    EXPECT_EQ(f["compressed_bytes"], file_size);
  }
  EXPECT_LE(f["compressed_bytes"].get<std::uint64_t>(), file_size);

  // Independent figures from the bytes that were decoded.
  const std::uint64_t decoded = f["decoded_bytes"];
  ASSERT_LE(decoded, decoded_text.size());
  const Expected e = expected_for(std::string_view(decoded_text).substr(0, decoded), !complete);
  EXPECT_EQ(f["lines"], e.lines);
  EXPECT_EQ(f["events"], e.events);
  EXPECT_EQ(f["malformed_lines"], e.malformed);
  EXPECT_EQ(f["blank_lines"], e.blank);
  EXPECT_EQ(f["oversized_lines"], e.oversized);
  EXPECT_EQ(f["incomplete_lines"], e.incomplete);
  EXPECT_EQ(f["scanned_bytes"], e.scanned_bytes);
  EXPECT_EQ(f["skipped_bytes"], e.skipped_bytes);
}

TEST(ByteAccounting, EveryDecodedByteIsScannedOrSkippedAndTheTotalsAddUp) {
  TempDir dir;
  const std::string whole = mixed_log(300, 0);
  const std::string cut_text = mixed_log(300, 4);
  const std::string frames = testing::zstd_frames(cut_text, 97);  // frames end mid-line
  std::string corrupt = testing::zstd_frames(whole, 97);
  for (std::size_t i = corrupt.size() / 2; i < corrupt.size() / 2 + 40; ++i) corrupt[i] = 'Z';

  struct Input {
    std::filesystem::path path;
    const std::string* text;
    bool complete;
  };
  const std::vector<Input> inputs{
      {dir.write("1-plain.jsonl", whole), &whole, true},
      {dir.write("2-frames.zst", testing::zstd_frames(whole, 97)), &whole, true},
      {dir.write("3-truncated.zst", frames.substr(0, frames.size() * 2 / 3)), &cut_text, false},
      {dir.write("4-corrupt.zst", corrupt), &whole, false},
      {dir.write("5-empty.jsonl", ""), nullptr, true},
  };
  std::vector<std::string> paths;
  for (const Input& input : inputs) paths.push_back(input.path.string());

  const auto backend = backends::make_cpu_backend();
  for (const std::size_t read : {std::size_t{7}, std::size_t{4096}}) {
    SCOPED_TRACE("read size " + std::to_string(read));
    const nlohmann::json report =
        testing::scan_report(*backend, paths, {{kBatchBytes, read}, {}, {}, {}});
    const nlohmann::json& files = report["files"];
    ASSERT_EQ(files.size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string empty;
      expect_reconciled(files[i], inputs[i].text ? *inputs[i].text : empty, inputs[i].complete,
                        std::filesystem::file_size(inputs[i].path));
    }
    EXPECT_EQ(files[0]["decoded_bytes"], whole.size());
    EXPECT_EQ(files[1]["decoded_bytes"], whole.size());
    EXPECT_EQ(files[2]["incomplete_lines"], 1);  // the stream ends inside a line
    EXPECT_GT(files[0]["oversized_lines"].get<int>(), 0);

    const nlohmann::json& totals = report["totals"];
    for (const char* key :
         {"compressed_bytes", "decoded_bytes", "scanned_bytes", "skipped_bytes", "lines", "events",
          "malformed_lines", "blank_lines", "oversized_lines", "incomplete_lines"}) {
      std::uint64_t sum = 0;
      for (const nlohmann::json& f : files) sum += f[key].get<std::uint64_t>();
      EXPECT_EQ(totals[key], sum) << key;
    }
  }
}

// Files decoded in parallel reach the scan in file and batch order, and
// batches scanned on several lanes reach the state in that order too: the
// report and every diagnostic, in order, are the same for any number of
// decode threads and scan lanes.
TEST(ByteAccounting, DecodeThreadsAndScanLanesNeverChangeTheReportOrTheDiagnostics) {
  TempDir dir;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < 7; ++i) {
    const std::string text = mixed_log(200 + static_cast<int>(i) * 37, i);
    std::string bytes = i % 2 ? testing::zstd_frames(text, 101) : text;
    if (i == 3) bytes.resize(bytes.size() / 2);                          // truncated
    if (i == 5) std::fill_n(bytes.begin() + bytes.size() / 2, 30, 'Z');  // corrupt frame
    paths.push_back(dir.write(std::to_string(i) + ".log", bytes).string());
  }
  const auto backend = backends::make_cpu_backend(4);
  std::vector<std::string> serial_messages;
  const nlohmann::json serial = testing::scan_report(
      *backend, paths, {{kBatchBytes, 64}, {}, {}, {}, 1, 1}, &serial_messages);
  ASSERT_GT(serial_messages.size(), 10u);  // oversized, malformed, truncated, corrupt: all said
  const std::pair<std::size_t, std::size_t> shapes[] = {{2, 1}, {3, 1}, {8, 1},
                                                        {1, 2}, {3, 3}, {8, 4}};
  for (const auto& [workers, lanes] : shapes) {
    std::vector<std::string> messages;
    EXPECT_EQ(testing::scan_report(*backend, paths, {{kBatchBytes, 64}, {}, {}, {}, workers, lanes},
                                   &messages),
              serial)
        << workers << " decode threads, " << lanes << " scan lanes";
    EXPECT_EQ(messages, serial_messages) << workers << " decode threads, " << lanes << " lanes";
  }
}

// One large file of many frames is decoded on every decode thread (frame
// segments on io::DecodePool): the report and the diagnostics, a corrupt
// frame's included, are the same for any number of threads.
TEST(ByteAccounting, FrameThreadsNeverChangeTheReportOfOneFile) {
  TempDir dir;
  std::string text;
  for (std::size_t part = 0; text.size() < (std::size_t{10} << 20); ++part)
    text += mixed_log(2000, part) + "\n";
  const std::string bytes = testing::zstd_frames(text, 256 * 1024) +
                            testing::zstd_frame_with_bad_last_block(mixed_log(50, 1), 1000) +
                            testing::zstd_frame(mixed_log(50, 2));
  const std::vector<std::string> paths{dir.write("large.zst", bytes).string()};
  const auto backend = backends::make_cpu_backend(2);
  std::vector<std::string> serial_messages;
  const nlohmann::json serial =
      testing::scan_report(*backend, paths, {{64 * 1024, 4096}, {}, {}, {}, 1}, &serial_messages);
  EXPECT_EQ(serial["files"][0]["complete"], false);
  EXPECT_GE(serial["files"][0]["decoded_bytes"].get<std::size_t>(), text.size());
  for (const std::size_t workers : {2, 5}) {
    std::vector<std::string> messages;
    EXPECT_EQ(testing::scan_report(*backend, paths, {{64 * 1024, 4096}, {}, {}, {}, workers, 2},
                                   &messages),
              serial)
        << workers << " decode threads";
    EXPECT_EQ(messages, serial_messages) << workers << " decode threads";
  }
}

}  // namespace
}  // namespace agentsweep
