/** @file
 * The agentsweep command end to end: exact counts on a multi-frame
 * .jsonl.zst checked against an independent JSON parser (nlohmann) and
 * `zstd -dc | grep -c` (fixed strings, Perl regexes, -i, -w, pattern files
 * of 1, 100 and 10,000 strings), exit codes (a report lost to a full disk
 * too), and error messages.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::TempDir;

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandResult run(const std::string& arguments, const TempDir& dir) {
  const std::string err_file = (dir.path() / "stderr.txt").string();
  const std::string command = std::string(AGENTSWEEP_BINARY) + " " + arguments + " 2>" + err_file;
  CommandResult r;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[65536];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) r.out.append(buffer, n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

std::string shell_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

std::string audit_log(std::size_t events) {
  std::mt19937_64 rng(2026);
  std::string text;
  for (std::size_t i = 0; i < events; ++i) {
    const std::string agent = "agt_" + std::to_string(rng() % 300);
    const std::string op = "op_" + std::to_string(rng() % 20);
    const int kind = static_cast<int>(rng() % 20);
    if (kind == 0)
      text += "garbage line " + std::to_string(i) + "\n";
    else if (kind == 1)
      text += R"({"actor":{"agent_id":")" + agent +
              R"(","operator_id":null},"content":"orphan"})"
              "\n";
    else if (kind == 2)
      text += "\n";
    else
      text += R"({"ts":"2026-03-01T10:00:00.000Z","actor":{"operator_id":")" + op +
              R"(","agent_id":")" + agent + R"("},"action":"post.create","content":"key AKIA)" +
              std::to_string(rng() % 50) + R"( says \"agent_id\":\"x\" ghp_)" +
              std::to_string(rng() % 3) + "\"}\n";
  }
  return text;
}

TEST(EndToEnd, CountsMatchAnIndependentParserAndGrep) {
  TempDir dir;
  const std::string text = audit_log(20000);
  const auto file = dir.write("day.jsonl.zst", testing::zstd_frames(text, 64 << 10));
  const CommandResult r =
      run("scan --backend cpu --json --top 0 -F -e AKIA1 -e ghp_2 -e 'says \\\"agent' -e absent " +
              file.string(),
          dir);
  ASSERT_EQ(r.exit_code, 1) << r.err;  // findings
  const nlohmann::json report = nlohmann::json::parse(r.out);

  // Independent figures.
  std::uint64_t lines = 0, events = 0, malformed = 0, blank = 0;
  std::map<std::string, std::uint64_t> agent_events;
  std::map<std::string, std::set<std::string>> fleets;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    ++lines;
    if (line.empty()) {
      ++blank;
      continue;
    }
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_discarded() || !event.is_object()) {
      ++malformed;
      continue;
    }
    ++events;
    const auto& actor = event["actor"];
    ++agent_events[actor["agent_id"].get<std::string>()];
    if (actor["operator_id"].is_string())
      fleets[actor["operator_id"].get<std::string>()].insert(actor["agent_id"].get<std::string>());
  }
  const auto& totals = report["totals"];
  EXPECT_EQ(totals["lines"], lines);
  EXPECT_EQ(totals["events"], events);
  EXPECT_EQ(totals["malformed_lines"], malformed);
  EXPECT_EQ(totals["blank_lines"], blank);
  EXPECT_EQ(totals["decoded_bytes"], text.size());
  EXPECT_EQ(totals["agents"], agent_events.size());
  EXPECT_EQ(totals["operators"], fleets.size());

  std::map<std::string, std::uint64_t> reported_agents;
  for (const auto& a : report["top_agents_by_events"]) reported_agents[a["id"]] = a["events"];
  EXPECT_EQ(reported_agents, agent_events);
  std::map<std::string, std::uint64_t> reported_fleets, expected_fleets;
  for (const auto& o : report["top_operators"]) reported_fleets[o["id"]] = o["agents"];
  for (const auto& [op, agents] : fleets) expected_fleets[op] = agents.size();
  EXPECT_EQ(reported_fleets, expected_fleets);

  for (const auto& p : report["patterns"]) {
    const std::string pattern = p["pattern"];
    const std::string grep = "zstd -dc " + file.string() + " | grep -c -F -e '" + pattern + "'";
    EXPECT_EQ(p["lines"].get<std::uint64_t>(), std::stoull(shell_output(grep))) << pattern;
  }
}

/// Lines per pattern from agentsweep's JSON report.
std::map<std::string, std::uint64_t> pattern_lines(const std::string& report_text) {
  const nlohmann::json report = nlohmann::json::parse(report_text);
  std::map<std::string, std::uint64_t> lines;
  for (const auto& p : report["patterns"]) lines[p["pattern"]] = p["lines"];
  return lines;
}

std::uint64_t grep_count(const std::string& flags, const std::string& pattern_args,
                         const std::filesystem::path& file) {
  return std::stoull(
      shell_output("zstd -dc " + file.string() + " | grep -c " + flags + " " + pattern_args));
}

TEST(EndToEnd, RegexesCaseAndWordOptionsAgreeWithGrep) {
  TempDir dir;
  const auto file = dir.write("day.jsonl.zst", testing::zstd_frames(audit_log(5000), 16 << 10));
  const std::vector<std::string> regexes{"AKIA[0-9]{2}\\b", "ghp_[12]\"}$", "^\\{\"ts",
                                         "agt_(1|2)[0-9]\"", "garbage line [0-9]*7$"};
  for (const std::string flags : {"", "-i", "-w", "-i -w"}) {
    std::string args;
    for (const std::string& r : regexes) args += " -e '" + r + "'";
    const CommandResult r =
        run("scan -q --backend cpu --json " + flags + args + " " + file.string(), dir);
    ASSERT_EQ(r.exit_code, 1) << r.err;
    const auto lines = pattern_lines(r.out);
    ASSERT_EQ(lines.size(), regexes.size()) << r.out;
    for (const std::string& regex : regexes)
      EXPECT_EQ(lines.at(regex), grep_count("-P " + flags, "-e '" + regex + "'", file))
          << flags << " " << regex;
  }
}

TEST(EndToEnd, PatternFilesOf1To10000FixedStringsAgreeWithGrep) {
  TempDir dir;
  const auto file = dir.write("day.jsonl.zst", testing::zstd_frames(audit_log(5000), 16 << 10));
  std::mt19937_64 rng(11);
  for (const std::size_t count : {1ul, 100ul, 10000ul}) {
    std::string patterns = "agt_7\"\n";
    for (std::size_t i = 1; i < count; ++i)
      patterns += (rng() % 2 ? "agt_" + std::to_string(rng() % 400) + "\""
                             : "AKIA" + std::to_string(rng() % 60) + " ") +
                  "\n";
    const auto pattern_file = dir.write("iocs.txt", patterns);
    const CommandResult r = run(
        "scan -q --backend cpu --json -F -f " + pattern_file.string() + " " + file.string(), dir);
    ASSERT_EQ(r.exit_code, 1) << r.err;  // the first pattern occurs
    const nlohmann::json report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["totals"]["hit_lines"], grep_count("-F", "-f " + pattern_file.string(), file))
        << count;
    // Per pattern, for a sample.
    const auto lines = pattern_lines(r.out);
    for (std::size_t i = 0; i < std::min<std::size_t>(count, 5); ++i) {
      const std::string pattern = report["patterns"][i]["pattern"];
      EXPECT_EQ(lines.at(pattern), grep_count("-F", "-e '" + pattern + "'", file)) << pattern;
    }
  }
}

TEST(EndToEnd, FieldScopeMatchesDecodedValues) {
  TempDir dir;
  const auto file =
      dir.write("a.jsonl", R"({"actor":{"agent_id":"a1"},"content":"say \"hi\" \u0041KIA"})"
                           "\n"
                           R"({"actor":{"agent_id":"a2"},"content":"AKIA raw","other":"\"hi\""})"
                           "\n"
                           R"({"actor":{"agent_id":"a3"},"content":42})"
                           "\n");
  const CommandResult r =
      run("scan -q --backend cpu --json --field content -F -e AKIA -e "
          "'\"hi\"' -e 42 " +
              file.string(),
          dir);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto lines = pattern_lines(r.out);
  EXPECT_EQ(lines.at("AKIA"), 2u);
  EXPECT_EQ(lines.at("\"hi\""), 1u);
  EXPECT_EQ(lines.at("42"), 1u);
  EXPECT_EQ(nlohmann::json::parse(r.out)["patterns"][0]["scope"], "content");
}

TEST(EndToEnd, ReportSaysWhichRegexesArePrefiltered) {
  TempDir dir;
  const auto file = dir.write("a.jsonl", audit_log(200));
  const std::string patterns =
      "-e 'AKIA[0-9A-Z]{16}' -e '(?:ghp|gho)_[0-9a-z]{5}' -e '[a-z]+@[a-z]+' ";
  const CommandResult json = run("scan -q --backend cpu --json " + patterns + file.string(), dir);
  ASSERT_LE(json.exit_code, 1) << json.err;
  const nlohmann::json matcher = nlohmann::json::parse(json.out)["matcher"];
  EXPECT_EQ(matcher["prefiltered_patterns"], 2);
  EXPECT_EQ(matcher["factors"], 3);  // akia, ghp_, gho_
  const CommandResult table = run("scan -q --backend cpu " + patterns + file.string(), dir);
  EXPECT_NE(table.out.find("; 2 regexes prefiltered on 3 factors)"), std::string::npos)
      << table.out;
}

TEST(EndToEnd, ExitCodeIsZeroWhenNothingMatches) {
  TempDir dir;
  const auto file = dir.write("a.jsonl", audit_log(100));
  const CommandResult r = run("scan -q --backend cpu -e never-there " + file.string(), dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("agentsweep report"), std::string::npos);
}

TEST(EndToEnd, AReportThatCannotBeWrittenIsAnError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full to write the report to";
  TempDir dir;
  const auto file = dir.write("a.jsonl", audit_log(100));
  // A report of every agent, and one short enough for stdio to hold until the flush.
  for (const std::string options : {"--top 0 -e agt_", "--json --top 0 -e agt_", "-e never"}) {
    const CommandResult r =
        run("scan -q --backend cpu " + options + " " + file.string() + " >/dev/full", dir);
    EXPECT_EQ(r.exit_code, 2) << options << ": " << r.err;
    EXPECT_NE(r.err.find("the report could not be written to standard output: No space left"),
              std::string::npos)
        << r.err;
  }
}

TEST(EndToEnd, BadInputIsReportedCountedAndTheScanGoesOn) {
  TempDir dir;
  const std::string good = audit_log(500);
  std::string frames = testing::zstd_frames(good, 4096);
  dir.write("in/1-good.jsonl", good);
  dir.write("in/2-truncated.jsonl.zst", frames.substr(0, frames.size() - 100));
  std::string corrupt = frames;
  for (std::size_t i = frames.size() / 2; i < frames.size() / 2 + 64; ++i) corrupt[i] = 'Z';
  dir.write("in/3-corrupt.zst", corrupt);
  dir.write("in/4-binary.bin", std::string("\x00\x01\x02\xff\xfe\n\x7f"
                                           "ELF\n",
                                           11));
  const CommandResult r = run("scan --backend cpu --json -e AKIA " + (dir.path() / "in").string() +
                                  " " + (dir.path() / "missing.zst").string(),
                              dir);
  EXPECT_EQ(r.exit_code, 2);
  const nlohmann::json report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["totals"]["files"], 4);
  EXPECT_EQ(report["totals"]["files_with_errors"], 2);
  EXPECT_EQ(report["files"][0]["complete"], true);
  EXPECT_EQ(report["files"][1]["complete"], false);
  EXPECT_EQ(report["files"][2]["complete"], false);
  EXPECT_EQ(report["files"][3]["malformed_lines"], 2);
  EXPECT_GT(report["files"][1]["events"].get<int>(), 0);  // the good prefix was scanned
  EXPECT_NE(r.err.find("missing.zst: no such file or directory"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2-truncated.jsonl.zst: offset "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated zstd stream"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3-corrupt.zst: offset "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("corrupt zstd data"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("4-binary.bin: offset 0 (line 1): malformed line"), std::string::npos)
      << r.err;
}

TEST(EndToEnd, UsageErrorsExitTwoAndHelpExitsZero) {
  TempDir dir;
  EXPECT_EQ(run("scan --help", dir).exit_code, 0);
  EXPECT_EQ(run("scan --no-such-flag x", dir).exit_code, 2);
  EXPECT_EQ(run("scan --backend tpu x", dir).exit_code, 2);
  EXPECT_EQ(run("", dir).exit_code, 2);
  const CommandResult empty_pattern = run("scan -e '' x", dir);
  EXPECT_EQ(empty_pattern.exit_code, 2);
  EXPECT_NE(empty_pattern.err.find("empty"), std::string::npos);
  const CommandResult backreference = run("scan -e ok -e '(a)\\1' x", dir);
  EXPECT_EQ(backreference.exit_code, 2);
  EXPECT_NE(backreference.err.find("pattern 2 \"(a)\\1\" at byte"), std::string::npos)
      << backreference.err;
}

TEST(EndToEnd, CudaWithoutADeviceIsAClearError) {
  TempDir dir;
  const auto file = dir.write("a.jsonl", "{}\n");
  const CommandResult probe = run("scan --backend auto " + file.string(), dir);
  if (probe.err.find("using the CUDA backend") != std::string::npos)
    GTEST_SKIP() << "a CUDA device is present: nothing to check here";
  const CommandResult r = run("scan --backend cuda " + file.string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--backend cuda"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("use --backend cpu"), std::string::npos) << r.err;
  EXPECT_NE(probe.err.find("using the CPU backend"), std::string::npos) << probe.err;
}

TEST(EndToEnd, StatsNameEveryStageOnStderrAndLeaveStdoutAlone) {
  TempDir dir;
  const auto file = dir.write("a.jsonl", "{\"content\":\"AKIA\"}\n{}\n");
  const CommandResult plain = run("scan -q -e AKIA --json " + file.string(), dir);
  const CommandResult r = run("scan -q --stats -e AKIA --json " + file.string(), dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out).at("totals"),
            nlohmann::json::parse(plain.out).at("totals"));
  for (const char* stage :
       {"decode", "reading the files", "waiting", "backend", "copies to the device", "aggregate",
        "agents", "API keys", "source addresses", "operators", "per-second counts", "report",
        "total"})
    EXPECT_NE(r.err.find(stage), std::string::npos) << stage << " missing from:\n" << r.err;
  EXPECT_EQ(plain.err.find("Stages"), std::string::npos);
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no progress line when stderr is a file";
}

TEST(EndToEnd, MemoryTooSmallForTheBatchesIsAUsageError) {
  TempDir dir;
  const auto file = dir.write("a.jsonl", "{}\n");
  const CommandResult r = run("scan --memory 1M --batch-size 512K " + file.string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("raise --memory or lower --batch-size"), std::string::npos) << r.err;
  // One decode thread's 4 batches and the scan's 3.
  EXPECT_EQ(run("scan --memory 6M --batch-size 1M " + file.string(), dir).exit_code, 2);
  EXPECT_EQ(run("scan --memory 7M --batch-size 1M " + file.string(), dir).exit_code, 0);
}

TEST(EndToEnd, GpuMemoryTooSmallForTheBatchesIsAUsageError) {
  TempDir dir;
  const auto file = dir.write("a.jsonl", "{\"content\":\"AKIA\"}\n{}\n");
  EXPECT_EQ(run("scan --gpu-memory 0 " + file.string(), dir).exit_code, 2);
  EXPECT_EQ(run("scan -q --backend cpu -e AKIA --gpu-memory 1M " + file.string(), dir).exit_code, 1)
      << "the CPU backend takes no device memory";
  const CommandResult probe = run("scan --backend auto " + file.string(), dir);
  if (probe.err.find("using the CUDA backend") == std::string::npos)
    GTEST_SKIP() << "no CUDA device: the cap cannot be checked here";
  const CommandResult r =
      run("scan --backend cuda --gpu-memory 64M --batch-size 64M " + file.string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("raise --gpu-memory or lower --batch-size"), std::string::npos) << r.err;
  const CommandResult fits =
      run("scan -q --stats --backend cuda -e AKIA --gpu-memory 1G " + file.string(), dir);
  EXPECT_EQ(fits.exit_code, 1) << fits.err;
  EXPECT_NE(fits.err.find("MiB of --gpu-memory 1024 MiB"), std::string::npos) << fits.err;
}

}  // namespace
}  // namespace agentsweep
