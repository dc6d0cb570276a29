/** @file
 * A compiled pattern set: every -e/-f pattern (regex or literal, any case
 * and word options, line or field scope) turned into one or more DFAs that
 * kernels/automaton.cuh walks in time linear in the input. Built once per
 * scan on the host, then loaded into a backend.
 */
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "host/engine/patterns/literal_filter.hpp"
#include "kernels/automaton.cuh"

namespace agentsweep::engine {

struct Nfa;

/// Pattern scope: the whole raw line, or the decoded value of one located field.
inline constexpr int kWholeLine = -1;

struct PatternSpec {
  std::string text;
  bool literal = false;           ///< fixed string (-F)
  bool case_insensitive = false;  ///< -i: ASCII and simple Unicode case folding
  bool word = false;              ///< -w: no word character right before or after
  int field = kWholeLine;         ///< index into the plan's field paths, or kWholeLine
};

struct CompileLimits {
  std::size_t max_states = 200000;                    ///< per DFA; larger sets split into more DFAs
  std::size_t memory_bytes = std::size_t{512} << 20;  ///< all tables together
  /// Seconds one pattern set may take to compile (0: no limit). Thousands of
  /// regexes with classes can take minutes: past this, compiling stops with
  /// an error rather than delay a nightly run for hours.
  double max_seconds = 0;
  /// Threads that build regexes' DFAs at once (0: one per core). The set
  /// compiled is the same for any number.
  std::size_t threads = 0;
};

/// A pattern that cannot be compiled: which one, where in it, and why.
class PatternError : public std::invalid_argument {
 public:
  PatternError(std::size_t pattern, std::size_t position, const std::string& message)
      : std::invalid_argument(message), pattern_(pattern), position_(position) {}
  std::size_t pattern() const { return pattern_; }
  std::size_t position() const { return position_; }

 private:
  std::size_t pattern_;
  std::size_t position_;
};

/// One DFA in host memory (layout in kernels/automaton.cuh).
struct Automaton {
  enum class Kind : std::uint8_t { kAhoCorasick, kRegexDfa };

  Kind kind = Kind::kAhoCorasick;
  int field = kWholeLine;
  std::array<std::uint8_t, 256> byte_class{};
  std::uint32_t stride = 0;     ///< columns per row: byte classes plus the end-of-text column
  std::uint32_t start_row = 0;  ///< premultiplied
  std::uint32_t fallback_row = kernels::kNoFallback;
  /// Regex DFAs: the NFA they were built from, to match exactly the lines on
  /// which a walk reaches the fallback state (NFA pattern i is pattern_ids[i]).
  std::shared_ptr<const Nfa> nfa;
  std::vector<std::uint32_t> next;  ///< premultiplied targets, kMatchFlag set where matches end
  /// Mask mode (at most 64 patterns): per state, bits of `pattern_ids` ending there.
  std::vector<std::uint64_t> masks;
  /// List mode (more patterns): outputs[output_begin[s] .. output_begin[s+1]) are
  /// the global ids of patterns ending in state s.
  std::vector<std::uint32_t> output_begin;
  std::vector<std::uint32_t> outputs;
  std::vector<std::uint32_t>
      pattern_ids;  ///< global ids covered; in mask mode bit i is pattern_ids[i]
  /// Aho-Corasick: lines it rules out hold none of the literals (a walk skips them).
  LiteralFilter literal_filter;

  bool list_mode() const { return !output_begin.empty(); }
  /// Fills masks or outputs, one entry per state, from what each state reports
  /// (indexes into pattern_ids, ascending); list mode when pattern_ids exceed a mask.
  void set_outputs(const std::vector<std::vector<std::uint32_t>>& reported);
  std::size_t states() const { return next.size() / stride; }
  std::size_t memory_bytes() const;
  /// The tables in place, for host-side walks.
  kernels::AutomatonView view() const;
};

/// The literal prefilter of one scope: Aho-Corasick over the required
/// factors (required_factors.hpp) of that scope's regexes, folding ASCII
/// case. Its pattern ids are slots: a line in which it reports slot s is a
/// candidate of automata[slot_automata[s]], and only candidates can match.
struct Prefilter {
  int field = kWholeLine;
  Automaton automaton;
  std::vector<std::uint32_t> slot_automata;  ///< indexes into PatternSet::automata
};

struct PatternSet {
  std::vector<PatternSpec> patterns;
  std::vector<Automaton> automata;
  /// Automata whose patterns all have required factors run on candidates only.
  std::vector<Prefilter> prefilters;
  /// Per pattern, its required factors; empty when it has none (fixed strings
  /// in Aho-Corasick, or regexes that must run on every line).
  std::vector<std::vector<std::string>> factors;

  std::size_t states() const;
  std::size_t memory_bytes() const;
};

/// Throws PatternError naming the first pattern that cannot be compiled.
PatternSet compile_patterns(const std::vector<PatternSpec>& patterns,
                            const CompileLimits& limits = {});

/// Sorted global ids of the patterns of `automaton` that occur in `text`,
/// exactly (through the NFA where the DFA falls back). Host code only.
std::vector<std::uint32_t> match_text(const Automaton& automaton, std::string_view text);

/// The reference matcher: sorted ids of the whole-line patterns that occur in
/// `line` (a line without its "\n"). Tests compare backends and RE2 with it.
std::vector<std::uint32_t> match_line(const PatternSet& set, std::string_view line);

}  // namespace agentsweep::engine
