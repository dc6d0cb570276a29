/** @file
 * Backend behaviour, parameterised over every backend: the requested backend
 * is the one that runs, its rows come in its form, and a scan's report is
 * identical whatever the batch size, read size, thread count or backend.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "tests/support/backends.hpp"
#include "tests/support/scan_report.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::ScanConfig;
using testing::TempDir;

class BackendTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendTest, RequestedBackendIsTheOneThatRuns) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const std::string name = GetParam() == "cuda" ? "cuda" : "cpu";
  EXPECT_EQ(backend->name(), name);
  const auto selected = backends::select_backend(
      name == "cpu" ? backends::BackendChoice::kCpu : backends::BackendChoice::kCuda, 0);
  EXPECT_EQ(selected.backend->name(), name);
}

/// The rows a backend hands the state come in its form: one per event on the
/// CPU, reduced per entity on CUDA and on "cpu_reduced", which stands in for it.
TEST_P(BackendTest, RowsComeInTheBackendsForm) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  backend->load(engine::make_scan_plan({}));
  const std::string text =
      "{\"actor\": {\"agent_id\": \"a1\"}, \"ts\": \"2026-03-01T00:00:00Z\"}\n"
      "{\"actor\": {\"agent_id\": \"a2\"}, \"ts\": \"2026-03-01T00:00:00Z\"}\n"
      "{\"actor\": {\"agent_id\": \"a1\"}, \"ts\": \"2026-03-01T00:00:00Z\"}\n";
  io::Batch batch;
  batch.data = io::allocate_buffer(backend->batch_memory(), text.size());
  std::copy(text.begin(), text.end(), batch.data.get());
  batch.size = text.size();
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') batch.line_ends.push_back(static_cast<std::uint32_t>(i));
  batch.line_count = batch.line_ends.size();
  const engine::BatchResult result = backend->scan(batch, 0);
  const bool per_event = GetParam() == "cpu";
  EXPECT_EQ(result.rows, per_event ? kernels::BatchRows::kPerEvent : kernels::BatchRows::kReduced);
  EXPECT_EQ(result.agents.size(), per_event ? 3u : 2u);  // a1 twice: one row or two
  EXPECT_EQ(result.agent_seconds.size(), per_event ? 3u : 2u);
}

/// Rows per event carry a copy of each short id, the bytes the batch holds
/// (escapes kept raw), so the state need not read the batch again; an id
/// longer than kIdCopyBytes is left to be read there.
TEST_P(BackendTest, RowsPerEventCarryCopiesOfShortIds) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  backend->load(engine::make_scan_plan({}));
  const std::string long_ip = "2001:0db8:85a3:0000:0000:8a2e:0370:7334";
  const std::string text = R"({"actor": {"agent_id": "agt_\u0041b", "operator_id": "op_7"}, )"
                           R"("auth": {"api_key_id": "key_123456789012345678"}, )"
                           R"("request": {"ip": ")" +
                           long_ip + "\"}}\n";
  io::Batch batch;
  batch.data = io::allocate_buffer(backend->batch_memory(), text.size());
  std::copy(text.begin(), text.end(), batch.data.get());
  batch.size = text.size();
  batch.line_ends.push_back(static_cast<std::uint32_t>(text.size() - 1));
  batch.line_count = 1;
  const engine::BatchResult result = backend->scan(batch, 0);
  if (result.rows != kernels::BatchRows::kPerEvent) GTEST_SKIP() << "this backend reduces rows";
  const auto copy_of = [](const engine::IdSpan& id) {
    return id.copied ? std::string(id.raw, id.length) : std::string("(not copied)");
  };
  ASSERT_EQ(result.agents.size(), 1u);
  EXPECT_EQ(copy_of(result.agents[0].id), "agt_\\u0041b");
  EXPECT_TRUE(result.agents[0].id.escaped);
  ASSERT_EQ(result.operators.size(), 1u);
  EXPECT_EQ(copy_of(result.operators[0].id), "op_7");
  ASSERT_EQ(result.keys.size(), 1u);
  EXPECT_EQ(copy_of(result.keys[0].id), "key_123456789012345678");  // 22 bytes: just fits
  ASSERT_EQ(result.ips.size(), 1u);
  EXPECT_FALSE(result.ips[0].id.copied);
  EXPECT_EQ(std::string(result.bytes + result.ips[0].id.offset, result.ips[0].id.length), long_ip);
}

/// A log with agents, operators, orphans, decoys, escapes, malformed and blank lines.
std::string mixed_log(std::size_t events, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string text;
  for (std::size_t i = 0; i < events; ++i) {
    const auto agent = "agt_" + std::to_string(rng() % 50);
    const auto op = "op_" + std::to_string(rng() % 7);
    switch (rng() % 10) {
      case 0:
        text += "\n";
        break;
      case 1:
        text += "{\"broken\": \n";
        break;
      case 2:
        text += R"({"actor":{"agent_id":")" + agent +
                R"("},"content":"no operator AKIA"})"
                "\n";
        break;
      case 3:
        text += R"({"content":"{\"actor\":{\"agent_id\":\"decoy\"}}","actor":{"operator_id":")" +
                op + "\"}}\r\n";
        break;
      case 4:
        text += R"({"actor":{"operator_id":")" + op + R"(","agent_\u0069d":")" + agent +
                R"("},"x":"ghp_"})"
                "\n";
        break;
      default:
        text += R"({"ts":"2026-01-01T00:00:00.000Z","actor":{"agent_id":")" + agent +
                R"(","operator_id":")" + op + R"("},"content":"hello )" +
                std::to_string(rng() % 1000) + "\"}\n";
    }
  }
  return text;
}

TEST_P(BackendTest, ReportIsIdenticalForEveryBatchingAndBackend) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  TempDir dir;
  dir.write("logs/a.jsonl.zst", testing::zstd_frames(mixed_log(3000, 1), 777));
  dir.write("logs/b.jsonl", mixed_log(2000, 2));
  const std::vector<std::string> paths{(dir.path() / "logs").string()};
  ScanConfig reference_config;
  for (const char* literal : {"AKIA", "ghp_", "hello 1", "decoy", "never-present"})
    reference_config.patterns.push_back({literal, true});
  reference_config.patterns.push_back({"hello [0-9]{2}\"", false});
  reference_config.patterns.push_back({"\\bno OPERATOR", false, true});
  reference_config.pattern_fields = {"content"};
  reference_config.patterns.push_back({"^hello 4", false, false, false, 0});
  reference_config.patterns.push_back({"{\"actor", true, false, false, 0});  // decoded escapes
  // More than 64 fixed strings: a list-mode automaton.
  for (int i = 0; i < 100; ++i)
    reference_config.patterns.push_back(
        {i < 50 ? "agt_" + std::to_string(i) + "\"" : ":\"agt_" + std::to_string(i - 50), true});
  auto cpu = backends::make_cpu_backend(1);
  const nlohmann::json reference = testing::scan_report(*cpu, paths, reference_config);
  EXPECT_EQ(reference["totals"]["files"], 2);
  EXPECT_GT(reference["totals"]["malformed_lines"].get<int>(), 0);
  for (const auto& pattern : reference["patterns"]) {
    const bool expected = pattern["pattern"] != "never-present";
    EXPECT_EQ(pattern["lines"].get<int>() > 0, expected) << pattern;
  }

  for (const std::size_t batch : {300ul, 4096ul, 1ul << 20})
    for (const std::size_t read : {1ul, 333ul, 65536ul}) {
      ScanConfig config = reference_config;
      config.limits = {batch, read};
      EXPECT_EQ(testing::scan_report(*backend, paths, config), reference)
          << GetParam() << " batch " << batch << " read " << read;
    }
  // Every lane the backend has, scanning batches at once (CUDA: one stream each),
  // and each batch merged by 1 to 4 threads besides the state's.
  for (const std::size_t batch : {300ul, 4096ul})
    for (const std::size_t helpers : {0ul, 1ul, 4ul}) {
      ScanConfig config = reference_config;
      config.limits = {batch, 65536};
      config.scan_lanes = backend->lanes();
      config.merge_threads = helpers;
      EXPECT_EQ(testing::scan_report(*backend, paths, config), reference)
          << GetParam() << " batch " << batch << ", " << backend->lanes() << " lanes, " << helpers
          << " merge helpers";
    }
  // Per-second counts spilled to many runs on disk: the same report, busiest windows included.
  for (const std::size_t batch : {300ul, 1ul << 20}) {
    ScanConfig config = reference_config;
    config.limits = {batch, 65536};
    config.spill.memory_bytes = 4096;
    EXPECT_EQ(testing::scan_report(*backend, paths, config), reference)
        << GetParam() << " batch " << batch << ", spilled";
  }
}

/// A line with more (line, pattern) outputs than the pair buffer holds goes
/// to the host path; its counts must not change.
TEST_P(BackendTest, LinesWithMoreOutputsThanTheHitBufferCountOnce) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  TempDir dir;
  const std::string busy = "{\"content\":\"" + std::string(30000, 'a') + "\"}\n";
  dir.write("busy.jsonl", "{\"content\":\"ab\"}\n" + busy + busy + "{\"x\":1}\n");
  ScanConfig config;
  config.limits = {1 << 16, 4096};
  for (int i = 1; i <= 70; ++i) config.patterns.push_back({std::string(1 + i % 3, 'a'), true});
  const nlohmann::json report =
      testing::scan_report(*backend, {(dir.path() / "busy.jsonl").string()}, config);
  for (const auto& pattern : report["patterns"]) {
    EXPECT_EQ(pattern["lines"], pattern["pattern"] == "a" ? 3 : 2) << pattern;
    EXPECT_EQ(pattern["events"], pattern["lines"]);
  }
}

/// Multi-megabyte lines, binary bytes and invalid UTF-8 go through the same
/// automata; every backend and batching agrees with the host reference matcher.
TEST_P(BackendTest, LongLinesBinaryAndInvalidUtf8MatchLikeTheReference) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937_64 rng(5);
  std::string long_line = "{\"content\":\"";
  while (long_line.size() < (3u << 20)) long_line += "word " + std::to_string(rng() % 1000) + ' ';
  long_line += "AKIAIOSFODNN7EXAMPLE\"}";
  std::string binary;
  for (int i = 0; i < 4000; ++i) {
    const auto byte = static_cast<char>(rng() % 256);
    binary += byte == '\n' ? ' ' : byte;
  }
  const std::vector<std::string> lines{long_line, binary, "caf\xc3\xa9 \xff\xfe AKIA1234",
                                       "\xc3(\xa9 \xe2\x84\xaa ghp_x"};
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  TempDir dir;
  dir.write("mixed.jsonl.zst", testing::zstd_frames(text, 1 << 20));

  ScanConfig config;
  config.limits = {8u << 20, 333};
  for (const char* regex : {"AKIA[0-9A-Z]{4,16}", "(?i)k", "[\\x{80}-\\x{10FFFF}]", "caf.\\b",
                            "\\xff", "ghp_\\w", "word 99[0-9] word"})
    config.patterns.push_back({regex, false});
  const engine::PatternSet reference = engine::compile_patterns(config.patterns);
  const nlohmann::json report =
      testing::scan_report(*backend, {(dir.path() / "mixed.jsonl.zst").string()}, config);
  for (std::size_t p = 0; p < config.patterns.size(); ++p) {
    std::uint64_t expected = 0;
    for (const std::string& line : lines) {
      const auto found = engine::match_line(reference, line);
      expected += std::binary_search(found.begin(), found.end(), p);
    }
    EXPECT_EQ(report["patterns"][p]["lines"], expected) << config.patterns[p].text;
  }
  EXPECT_EQ(report["totals"]["lines"], lines.size());
}

/// With a tiny DFA budget most lines reach the fallback state and are redone
/// on the host; counts must equal those of fully built DFAs.
TEST_P(BackendTest, LinesThatReachTheDfaFallbackCountExactly) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937_64 rng(9);
  std::string text;
  for (int i = 0; i < 400; ++i) {
    std::string content;
    for (int j = 0; j < 30; ++j) content += "ab"[rng() % 2];
    content += rng() % 3 ? "c" : "d";
    text += R"({"actor":{"agent_id":"a)" + std::to_string(i % 7) + R"("},"content":")" + content +
            "\"}\n";
  }
  TempDir dir;
  dir.write("ab.jsonl", text);
  ScanConfig config;
  config.limits = {4096, 1000};
  config.pattern_fields = {"content"};
  config.patterns = {{"[ab]*a[ab]{9}c", false}, {"b[ab]{7}a[ab]{3}d", false, false, false, 0}};
  const std::vector<std::string> paths{(dir.path() / "ab.jsonl").string()};
  const nlohmann::json full = testing::scan_report(*backend, paths, config);
  config.compile_limits.max_states = 40;
  const nlohmann::json fallback = testing::scan_report(*backend, paths, config);
  EXPECT_EQ(fallback["patterns"], full["patterns"]);
  EXPECT_EQ(fallback["top_agents_by_hits"], full["top_agents_by_hits"]);
  EXPECT_GT(full["patterns"][0]["lines"].get<int>(), 0);
  EXPECT_GT(full["patterns"][1]["lines"].get<int>(), 0);
  EXPECT_LT(full["totals"]["hit_lines"].get<int>(), 400);
}

/// Events per agent and pattern, through every way a hit is counted: a
/// 64-pattern mask automaton, a list-mode automaton of 100 literals, and lines
/// redone on the host when a regex DFA falls back. The reference is the host
/// matcher on each line, and nlohmann's reading of the agent id.
TEST_P(BackendTest, EventsPerAgentAndPatternMatchTheReference) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937_64 rng(21);
  std::vector<std::string> words;
  for (int w = 0; w < 100; ++w) words.push_back("ioc" + std::to_string(w * 7919 % 100003) + "x");
  std::vector<std::string> lines;
  for (int i = 0; i < 3000; ++i) {
    std::string content;
    for (int k = 0; k < 3; ++k)
      content +=
          rng() % 4 == 0 ? words[rng() % words.size()] + " " : std::string("ab") + "ab"[rng() % 2];
    content += rng() % 5 == 0 ? " AKIA0123456789ABCDEF" : " c";
    const std::string agent = "agt_" + std::to_string(rng() % 40);
    lines.push_back(i % 97 == 0 ? "{\"broken\": \"" + content + " AKIA"  // malformed: no agent
                                : R"({"actor":{"agent_id":")" + agent + R"("},"content":")" +
                                      content + "\"}");
  }
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  TempDir dir;
  dir.write("iocs.jsonl", text);

  ScanConfig config;
  config.limits = {1 << 16, 4096};
  config.patterns.push_back({"AKIA[0-9A-Z]{16}", false});
  config.patterns.push_back({"[ab]*a[ab]{5}c", false});  // falls back with a tiny DFA budget
  for (const std::string& w : words) config.patterns.push_back({w, true});
  config.compile_limits.max_states = 60;
  const engine::PatternSet reference = engine::compile_patterns(config.patterns);
  std::map<std::string, std::map<std::uint32_t, std::uint64_t>> expected;
  for (const std::string& line : lines) {
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_discarded()) continue;
    for (const std::uint32_t p : engine::match_line(reference, line))
      ++expected[event["actor"]["agent_id"].get<std::string>()][p];
  }
  const nlohmann::json report =
      testing::scan_report(*backend, {(dir.path() / "iocs.jsonl").string()}, config);
  EXPECT_GT(report["totals"]["host_walks"].get<int>(), 0) << "the fallback path is not exercised";
  std::map<std::string, std::map<std::uint32_t, std::uint64_t>> found;
  for (const nlohmann::json& agent : report["top_agents_by_events"])
    for (const nlohmann::json& hit : agent["pattern_events"])
      found[agent["id"]][hit["pattern"].get<std::uint32_t>()] = hit["events"];
  EXPECT_EQ(found, expected);
  EXPECT_GT(expected.size(), 30u);
}

/// Regexes with required factors run only on the prefilter's candidate lines:
/// per-pattern counts must equal the host reference, which runs every
/// automaton on every line, for the raw line and a decoded field, with more
/// than 64 prefiltered automata (list-mode prefilter), DFA fallbacks on
/// candidates, factors in escaped JSON and tiny batches.
TEST_P(BackendTest, PrefilteredRegexesCountLikeTheReference) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937_64 rng(33);
  std::vector<std::string> lines;
  for (int i = 0; i < 1500; ++i) {
    std::string content;
    for (int k = 0; k < 4; ++k) {
      switch (rng() % 6) {
        case 0:
          content += "identifier" + std::to_string(rng() % 80) + "=";
          for (int d = 0; d < 28 + static_cast<int>(rng() % 4); ++d)
            content += "0123456789"[rng() % 10];
          break;
        case 1:
          content += rng() % 2 ? "Secret" : "SECRET";
          content += "_abc ";
          break;
        case 2:
          content += "xyz";
          for (int j = 0; j < 14; ++j) content += "ab"[rng() % 2];
          content += "c";
          break;
        case 3:
          content += "t\\u006fken";  // "token" once the field is decoded
          content += std::to_string(rng() % 10);
          break;
        default:
          content += "filler text ";
      }
      content += ' ';
    }
    lines.push_back(R"({"actor":{"agent_id":"a)" + std::to_string(i % 9) + R"("},"content":")" +
                    content + "\"}");
  }
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  TempDir dir;
  dir.write("prefilter.jsonl", text);

  ScanConfig config;
  // Each "identifier" regex needs more than 40 states: an automaton of its own.
  for (int i = 0; i < 70; ++i)
    config.patterns.push_back({"identifier" + std::to_string(i) + "=[0-9]{30}", false});
  config.patterns.push_back({"(?i)secret_[a-z]+", false});
  config.patterns.push_back({"xyz[ab]*a[ab]{9}c", false});  // falls back past 40 states
  config.patterns.push_back({"[0-9]{31}", false});          // no factor: every line
  config.pattern_fields = {"content"};
  config.patterns.push_back({"token[0-9]", false, false, true, 0});
  config.compile_limits.max_states = 40;
  const engine::PatternSet reference =
      engine::compile_patterns(config.patterns, config.compile_limits);
  ASSERT_FALSE(reference.prefilters.empty());
  std::size_t slots = 0;
  for (const engine::Prefilter& p : reference.prefilters) slots += p.slot_automata.size();
  EXPECT_GT(slots, 64u) << "the list-mode prefilter is not exercised";
  EXPECT_TRUE(
      std::any_of(reference.prefilters.begin(), reference.prefilters.end(),
                  [](const engine::Prefilter& p) { return p.automaton.literal_filter.present(); }))
      << "no prefilter runs behind a literal filter (factors of 5 bytes or more)";

  std::vector<std::uint64_t> expected(config.patterns.size());
  for (const std::string& line : lines) {
    for (const std::uint32_t p : engine::match_line(reference, line)) ++expected[p];
    const std::string content = nlohmann::json::parse(line)["content"];
    for (const engine::Automaton& automaton : reference.automata)
      if (automaton.field == 0)
        for (const std::uint32_t p : engine::match_text(automaton, content)) ++expected[p];
  }
  EXPECT_GT(expected[70], 0u);
  EXPECT_GT(expected[71], 0u);
  EXPECT_GT(expected[73], 0u);
  const std::vector<std::string> paths{(dir.path() / "prefilter.jsonl").string()};
  for (const std::size_t batch : {300ul, 4096ul, 1ul << 20}) {
    config.limits = {batch, 333};
    const nlohmann::json report = testing::scan_report(*backend, paths, config);
    for (std::size_t p = 0; p < config.patterns.size(); ++p)
      EXPECT_EQ(report["patterns"][p]["lines"], expected[p])
          << config.patterns[p].text << " batch " << batch;
  }
}

/// A prefilter whose factor every line holds rests after a batch in which
/// it passed most lines (kernels/scan_batch.inl, walk_prefiltered): its
/// automaton then walks every line for some batches and is tried again.
/// Counts must equal the reference through many such cycles (tiny batches)
/// and in one batch.
TEST_P(BackendTest, PrefiltersWhoseFactorEveryLineHoldsCountLikeTheReference) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  std::vector<std::string> lines;
  for (int i = 0; i < 2000; ++i)
    lines.push_back(R"({"kind":"event-)" + std::to_string(i * 7919 % 10007) + R"("})");
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  TempDir dir;
  dir.write("kinds.jsonl", text);

  ScanConfig config;
  config.patterns.push_back({R"("kind":"event-[0-9]*7")", false});
  const engine::PatternSet reference = engine::compile_patterns(config.patterns);
  ASSERT_EQ(reference.prefilters.size(), 1u) << "the regex is not prefiltered";
  std::uint64_t expected = 0;
  for (const std::string& line : lines) expected += !engine::match_line(reference, line).empty();
  EXPECT_GT(expected, 100u);
  const std::vector<std::string> paths{(dir.path() / "kinds.jsonl").string()};
  for (const std::size_t batch : {256ul, 1ul << 20}) {
    config.limits = {batch, 333};
    const nlohmann::json report = testing::scan_report(*backend, paths, config);
    EXPECT_EQ(report["patterns"][0]["lines"], expected) << "batch " << batch;
  }
}

/// Fixed strings walk only the lines their q-gram filter passes
/// (kernels/literal_filter.cuh): per-pattern counts must equal the host
/// reference, which walks every line, for literals at a line's first and last
/// bytes, folded case, a decoded field whose literal is spelled with escapes
/// (the filter leaves such values to the walk), and mask and list mode.
TEST_P(BackendTest, FilteredLiteralsCountLikeTheReference) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937_64 rng(45);
  std::vector<std::string> iocs;
  for (int i = 0; i < 80; ++i)
    iocs.push_back("10." + std::to_string(i) + ".7." + std::to_string(i * 37 % 256));
  std::vector<std::string> lines;
  for (int i = 0; i < 2000; ++i) {
    std::string content;
    for (int k = 0; k < 3; ++k) {
      switch (rng() % 5) {
        case 0:
          content += iocs[rng() % iocs.size()] + " ";
          break;
        case 1:
          content += rng() % 2 ? "BEARER-Auth " : "bearer-auth ";
          break;
        case 2:
          content += "t\\u006fken-value ";  // "token-value" once decoded
          break;
        default:
          content += "10." + std::to_string(rng() % 90) + ".7." + std::to_string(rng() % 256) + " ";
      }
    }
    std::string line = R"({"actor":{"agent_id":"a)" + std::to_string(i % 5) + R"("},"content":")" +
                       content + "\"}";
    if (i % 50 == 0) line = iocs[i % iocs.size()] + " not json";  // literal at the first byte
    if (i % 50 == 1) line = "not json " + iocs[i % iocs.size()];  // and at the last
    lines.push_back(line);
  }
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  TempDir dir;
  dir.write("literals.jsonl", text);

  ScanConfig config;
  for (const std::string& ioc : iocs) config.patterns.push_back({ioc, true});  // list mode
  config.patterns.push_back({"Bearer-AUTH", true, true});                      // folded
  config.pattern_fields = {"content"};
  config.patterns.push_back({"token-value", true, false, false, 0});  // field, escaped
  const engine::PatternSet reference = engine::compile_patterns(config.patterns);
  for (const engine::Automaton& automaton : reference.automata)
    EXPECT_TRUE(automaton.literal_filter.present()) << "every automaton here has a filter";

  std::vector<std::uint64_t> expected(config.patterns.size());
  for (const std::string& line : lines) {
    for (const std::uint32_t p : engine::match_line(reference, line)) ++expected[p];
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_discarded()) continue;
    const std::string content = event["content"];
    for (const engine::Automaton& automaton : reference.automata)
      if (automaton.field == 0)
        for (const std::uint32_t p : engine::match_text(automaton, content)) ++expected[p];
  }
  EXPECT_GT(expected[80], 0u);
  EXPECT_GT(expected[81], 0u);
  const std::vector<std::string> paths{(dir.path() / "literals.jsonl").string()};
  for (const std::size_t batch : {300ul, 1ul << 20}) {
    config.limits = {batch, 333};
    const nlohmann::json report = testing::scan_report(*backend, paths, config);
    for (std::size_t p = 0; p < config.patterns.size(); ++p)
      EXPECT_EQ(report["patterns"][p]["lines"], expected[p])
          << config.patterns[p].text << " batch " << batch;
  }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendTest, ::testing::ValuesIn(testing::kBackendNames),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace agentsweep
