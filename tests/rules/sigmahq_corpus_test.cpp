/** @file
 * Load coverage over the SigmaHQ rule corpus (../shared/sigma from the repository root;
 * skipped visibly when absent): at least 99 % of its rule documents must parse and
 * compile (loaded, or fully checked but needing the aggregation engine), every loaded
 * rule's pattern predicates must compile with the pattern engine, and every rule that is
 * not taken is printed with its reason.
 */
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "host/rules/rule_set.hpp"

namespace agentsweep::rules {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(AGENTSWEEP_SOURCE_DIR) / ".." / "shared" / "sigma";

/// The start of a reason, without the rule-specific details, for a summary by kind.
std::string reason_kind(const std::string& reason) {
  for (const char* kind : {"Sigma 1.x aggregation", "'timeframe'", "placeholder", "DFA states",
                           "unknown search identifier", "unexpected character", "must be unique"})
    if (reason.find(kind) != std::string::npos) return kind;
  return reason.substr(0, 60);
}

TEST(SigmaHqCorpus, AtLeast99PercentParseAndCompile) {
  if (!fs::is_directory(kCorpus)) GTEST_SKIP() << "no SigmaHQ corpus at " << kCorpus;
  LoadOptions options;
  options.placeholders = Placeholders::load(fs::path(AGENTSWEEP_SOURCE_DIR) /
                                            "tests/rules/data/sigmahq_placeholders.yml");
  const RuleSet set = load_rules({kCorpus.string()}, options);

  // The engine compiles every loaded rule's patterns (field availability aside), with
  // the default state budget per automaton and memory to spare.
  engine::CompileLimits limits;
  limits.memory_bytes = std::size_t{8} << 30;
  std::size_t patterns = 0;
  std::size_t compile_failures = 0;
  for (const CompiledRule& rule : set.rules) {
    patterns += rule.patterns.size();
    try {
      engine::compile_patterns(rule.patterns, limits);
    } catch (const engine::PatternError& e) {
      ++compile_failures;
      std::cout << "  does not compile: " << rule.info.file << ": pattern '"
                << rule.patterns[e.pattern()].text << "': " << e.what() << '\n';
    }
  }

  const std::size_t rejected = set.count(IssueKind::kRejected);
  const std::size_t deferred = set.count(IssueKind::kNotYetSupported);
  const std::size_t taken = set.documents - rejected - compile_failures;
  std::map<std::string, std::size_t> by_kind;
  for (const RuleIssue& issue : set.issues) {
    by_kind[(issue.kind == IssueKind::kRejected ? "rejected: " : "not yet supported: ") +
            reason_kind(issue.reason)]++;
    if (issue.kind == IssueKind::kRejected)
      std::cout << "  not taken: " << issue.file << ':' << issue.line << ": " << issue.id << ": "
                << issue.reason << '\n';
  }
  std::cout << "SigmaHQ corpus: " << set.documents << " rule documents, " << set.rules.size()
            << " loaded (" << patterns << " pattern predicates), " << deferred
            << " parsed and compiled but need the aggregation engine, " << rejected << " rejected, "
            << compile_failures << " failed to compile; parse and compile: "
            << 100.0 * static_cast<double>(taken) / static_cast<double>(set.documents) << " %\n";
  for (const auto& [kind, count] : by_kind) std::cout << "  " << count << "  " << kind << '\n';

  EXPECT_EQ(compile_failures, 0u);
  EXPECT_GE(static_cast<double>(taken), 0.99 * static_cast<double>(set.documents));
  EXPECT_GE(set.documents, 4000u);
}

}  // namespace
}  // namespace agentsweep::rules
