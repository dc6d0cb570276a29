/** @file
 * Inputs built to exhaust memory or time, run through the agentsweep binary
 * as a nightly job would: each must end in a clear error or in a bounded,
 * documented behaviour (docs/reliability.md), and the tests hold the process
 * to its peak memory. Time is not asserted (tests never fail on timing): a
 * hang is caught by ctest's TIMEOUT, and docs/reliability.md records what
 * each case costs. Inputs are generated on the fly.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "tests/reliability/crafted_zstd.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::ChildResult;
using testing::TempDir;

// A sanitized build adds shadow memory and a quarantine of freed blocks to
// every process; the bounds are the program's, so they allow for that.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kSanitizerMib = 512;
#else
constexpr long kSanitizerMib = 0;
#endif
constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

ChildResult scan(const std::vector<std::string>& arguments, const TempDir& dir) {
  std::vector<std::string> argv{AGENTSWEEP_BINARY, "scan", "--backend", "cpu", "-q", "--json"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return testing::run_child(argv, dir.path());
}

nlohmann::json file_report(const ChildResult& r) {
  return nlohmann::json::parse(r.out).at("files").at(0);
}

TEST(Adversarial, GigabyteLineIsSkippedInBoundedMemoryAndTheScanGoesOn) {
  TempDir dir;
  const std::string after = "\n{\"k\":\"after\"}\n";
  const auto file = dir.write("line.zst", testing::zstd_bomb('a', kGiB, after));
  ASSERT_LT(std::filesystem::file_size(file), 40u * 1024);

  // Read to its end: this is about the line, not the expansion (next test).
  const ChildResult r = scan({"--max-expansion", "0", "-F", "-e", "after", file.string()}, dir);
  ASSERT_EQ(r.exit_code, 2) << r.err;  // a line went unscanned: a nightly job must see it
  EXPECT_NE(r.err.find("line of 1073741824 bytes is longer than the batch size"), std::string::npos)
      << r.err;
  const nlohmann::json f = file_report(r);
  EXPECT_EQ(f["decoded_bytes"], kGiB + after.size());
  EXPECT_EQ(f["lines"], 2);
  EXPECT_EQ(f["oversized_lines"], 1);
  EXPECT_EQ(f["events"], 1);  // the line after it was scanned
  EXPECT_EQ(nlohmann::json::parse(r.out)["patterns"][0]["lines"], 1);
  EXPECT_EQ(f["skipped_bytes"], kGiB + 1);
  EXPECT_EQ(f["scanned_bytes"], after.size() - 1);
  // One 64 MiB batch buffer, whatever the line's length.
  EXPECT_LT(r.peak_rss_mib, 192 + kSanitizerMib);
}

TEST(Adversarial, NewlineBombUsesMemoryOfOneBatchNotOfItsLines) {
  TempDir dir;
  // 512 bytes that decode to 16 Mi empty lines.
  const auto file = dir.write("bomb.zst", testing::zstd_bomb('\n', 16 * kMiB));
  ASSERT_LT(std::filesystem::file_size(file), 1024u);

  // Two lanes, as on the CI machine: each lane holds one batch's working
  // memory, so the bound below grows with -j (a 16-core machine reached 561 MiB).
  const ChildResult r = scan({"-j", "2", "-e", "never", file.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json f = file_report(r);
  EXPECT_EQ(f["lines"], 16 * kMiB);
  EXPECT_EQ(f["blank_lines"], 16 * kMiB);
  EXPECT_EQ(f["scanned_bytes"], 16 * kMiB);
  // A backend needs ~80 bytes per line of a batch; batches hold at most one
  // line per 64 bytes of --batch-size (64 MiB), so ~1 Mi lines, not 16 Mi
  // (which would take 1.3 GiB).
  EXPECT_LT(r.peak_rss_mib, 320 + kSanitizerMib);
}

TEST(Adversarial, DecompressionBombStopsAtTheExpansionLimitAndTheScanGoesOn) {
  TempDir dir;
  // 32 KiB that would decode to one line of 1 GiB; then a normal file.
  const auto bomb = dir.write("a-bomb.zst", testing::zstd_bomb('a', kGiB));
  const auto next = dir.write("b-next.jsonl", "{\"k\":\"after\"}\n");
  ASSERT_LT(std::filesystem::file_size(bomb), 40u * 1024);

  const ChildResult r = scan({"-F", "-e", "after", bomb.string(), next.string()}, dir);
  ASSERT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a-bomb.zst: offset"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than 1000 times as many: a decompression bomb? Raise "
                       "--max-expansion to read it"),
            std::string::npos)
      << r.err;
  const nlohmann::json report = nlohmann::json::parse(r.out);
  const nlohmann::json& f = report["files"][0];
  EXPECT_EQ(f["complete"], false);
  // Stopped just past the first 64 MiB, every byte of which is accounted for.
  EXPECT_GT(f["decoded_bytes"].get<std::uint64_t>(), 64 * kMiB);
  EXPECT_LT(f["decoded_bytes"].get<std::uint64_t>(), 80 * kMiB);
  EXPECT_EQ(f["scanned_bytes"].get<std::uint64_t>() + f["skipped_bytes"].get<std::uint64_t>(),
            f["decoded_bytes"].get<std::uint64_t>());
  EXPECT_EQ(report["files"][1]["complete"], true);  // the scan went on
  EXPECT_EQ(report["patterns"][0]["lines"], 1);
}

TEST(Adversarial, HugeDecodingWindowIsRefusedWithAClearError) {
  TempDir dir;
  const auto file = dir.write("window.zst", testing::zstd_frame_with_window(31, "{}\n"));
  const ChildResult r = scan({file.string()}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs a decoding window over 128 MiB"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("recompress it with"), std::string::npos) << r.err;
  const nlohmann::json f = file_report(r);
  EXPECT_EQ(f["complete"], false);
  EXPECT_EQ(f["decoded_bytes"], 0);
  EXPECT_LT(r.peak_rss_mib, 192 + kSanitizerMib);
}

TEST(Adversarial, ThousandsOfRegexesStopAtTheCompileTimeLimitWithAClearError) {
  TempDir dir;
  // Regexes with classes share no DFA states: 20,000 take minutes to compile
  // into shared automata. No literal run is 3 bytes long, so none has a
  // required factor (prefiltered regexes each keep their small DFA instead).
  std::mt19937_64 rng(4);
  std::string regexes;
  for (int i = 0; i < 20000; ++i) {
    char token[16];
    std::snprintf(token, sizeof token, "%08llx", static_cast<unsigned long long>(rng() >> 32));
    const std::string t = token;
    regexes += t.substr(0, 2) + "." + t.substr(2, 2) + "." + t.substr(4, 2) + "." + t.substr(6, 2) +
               "[0-9a-f]{4}\n";
  }
  const auto patterns = dir.write("regexes.txt", regexes);
  const auto file = dir.write("one.jsonl", "{}\n");
  const ChildResult r =
      scan({"--compile-seconds", "1", "-f", patterns.string(), file.string()}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("compiling the pattern set took more than 1 s and stopped here; use -F for "
                       "plain strings, fewer or simpler regexes, or raise --compile-seconds"),
            std::string::npos)
      << r.err;
}

TEST(Adversarial, DeeplyNestedJsonIsAMalformedLineNotACrash) {
  TempDir dir;
  const std::size_t depth = 1 << 20;
  std::string arrays = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}\n";
  std::string objects;
  for (std::size_t i = 0; i < depth / 8; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth / 8, '}') + "\n";
  const std::string unclosed = "{\"a\":" + std::string(depth, '{') + "\n";
  const auto file =
      dir.write("deep.jsonl", arrays + objects + unclosed + "{\"a\":{\"a\":\"ok\"}}\n");

  const ChildResult r = scan({"--field", "a.a", "-F", "-e", "ok", file.string()}, dir);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("JSON nested deeper than 128 levels"), std::string::npos) << r.err;
  const nlohmann::json f = file_report(r);
  EXPECT_EQ(f["malformed_lines"], 3);
  EXPECT_EQ(f["events"], 1);
}

TEST(Adversarial, MillionFixedStringsEndInAClearErrorBeforeAnyInputIsRead) {
  TempDir dir;
  std::string patterns;
  char line[32];
  for (std::uint64_t i = 0; i < 1000000; ++i) {
    std::snprintf(line, sizeof line, "ioc_%016llx\n",
                  static_cast<unsigned long long>(i * 0x9E3779B97F4A7C15ull));
    patterns += line;
  }
  const auto list = dir.write("iocs.txt", patterns);
  const auto file = dir.write("log.jsonl", "{\"k\":\"ioc_0\"}\n");

  const ChildResult r = scan({"-F", "-f", list.string(), file.string()}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs more automaton memory than is left of --pattern-memory (512 MiB); "
                       "raise it or split the pattern set"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());  // no report: the scan never started
  // The tables stay within --pattern-memory; the compiler's own working
  // memory for a million strings comes on top.
  EXPECT_LT(r.peak_rss_mib, 1536 + kSanitizerMib);
}

TEST(Adversarial, DfaExplosionIsBoundedAndStillExactAndSetsAreSplit) {
  TempDir dir;
  const auto file =
      dir.write("log.jsonl", "{\"k\":\"ab\"}\n{\"k\":\"xa" + std::string(20, 'b') + "\"}\n");
  // Subset construction would need 2^21 states for this one pattern: the DFA
  // stops at its budget and lines past it are matched by NFA simulation.
  const ChildResult alone = scan({"-e", "ok", "-e", "[ab]*a[ab]{20}", file.string()}, dir);
  EXPECT_EQ(alone.exit_code, 1) << alone.err;
  EXPECT_EQ(nlohmann::json::parse(alone.out)["patterns"][1]["lines"], 1);
  EXPECT_LT(alone.peak_rss_mib, 512 + kSanitizerMib);

  // Each of these fits alone; together they do not, so the set is split.
  std::string patterns;
  for (int i = 0; i < 120; ++i)
    patterns += "[ab]*a" + std::string(static_cast<std::size_t>(i % 7), 'b') +
                std::string(static_cast<std::size_t>(i / 7), 'c') + "[ab]{10}\n";
  const auto list = dir.write("patterns.txt", patterns);
  const ChildResult split = scan({"-f", list.string(), file.string()}, dir);
  ASSERT_EQ(split.exit_code, 1) << split.err;  // the second line matches some
  EXPECT_GT(nlohmann::json::parse(split.out)["matcher"]["automata"].get<int>(), 1);
  EXPECT_LT(split.peak_rss_mib, 1024 + kSanitizerMib);
}

TEST(Adversarial, LinesForcedOntoTheFallbackAreMatchedExactly) {
  TempDir dir;
  // Lines of a and b walk [ab]*a[ab]{20}'s DFA past its built states, so
  // every one is matched by NFA simulation on the host: the slowest path
  // there is (docs/reliability.md), and still exact.
  std::mt19937_64 rng(9);
  std::string log;
  std::uint64_t expected_hits = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string run(200, 'b');
    const bool hit = i % 3 != 0;  // an 'a' with at least 20 more of [ab] after it
    for (std::size_t k = 0; k < run.size(); ++k)
      if ((hit || k >= 180) && rng() % 2 == 0) run[k] = 'a';
    if (hit) run[rng() % 180] = 'a';
    expected_hits += hit;
    log += "{\"c\":\"" + run + "\"}\n";
  }
  const auto file = dir.write("ab.jsonl", log);
  const ChildResult r = scan({"-e", "[ab]*a[ab]{20}", file.string()}, dir);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json totals = nlohmann::json::parse(r.out)["totals"];
  EXPECT_EQ(totals["hit_lines"], expected_hits);
  // The slow path is visible in the report.
  EXPECT_GE(totals["host_walks"].get<std::uint64_t>(), expected_hits);
  EXPECT_LE(totals["host_walks"].get<std::uint64_t>(), 5000u);
  EXPECT_LT(r.peak_rss_mib, 256 + kSanitizerMib);
}

}  // namespace
}  // namespace agentsweep
