/** @file
 * compile_patterns: sorts patterns by scope, sends fixed strings that need no
 * zero-width tests to Aho-Corasick and everything else through
 * parse -> NFA -> DFA, and splits a group in halves whenever its automaton
 * would pass the state or memory budget.
 */
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "host/engine/patterns/aho_corasick.hpp"
#include "host/engine/patterns/dfa_builder.hpp"
#include "host/engine/patterns/nfa.hpp"
#include "host/engine/patterns/pattern_set.hpp"
#include "host/engine/patterns/prefilter_builder.hpp"
#include "host/engine/patterns/regex/regex_parser.hpp"
#include "host/engine/patterns/required_factors.hpp"

namespace agentsweep::engine {

namespace {

using regex::RegexNode;

/// Case-insensitive fixed strings can use ASCII folding in byte classes when
/// they are ASCII and avoid 'k' and 's', the only ASCII letters whose simple
/// case folding orbit has non-ASCII members (U+212A KELVIN SIGN, U+017F LONG S).
bool ascii_folding_is_exact(const std::string& text) {
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || b == 'k' || b == 'K' || b == 's' || b == 'S') return false;
  }
  return true;
}

/// A regex of plain ASCII characters means the same as that fixed string,
/// so IOC lists given without -F still get Aho-Corasick.
bool is_plain_ascii_regex(const std::string& text) {
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || std::strchr("\\.+*?()|[]{}^$", c) != nullptr) return false;
  }
  return true;
}

bool uses_aho_corasick(const PatternSpec& spec) {
  return (spec.literal || is_plain_ascii_regex(spec.text)) && !spec.word &&
         (!spec.case_insensitive || ascii_folding_is_exact(spec.text));
}

bool matches_empty(const RegexNode& node) {
  switch (node.kind) {
    case RegexNode::Kind::kEmpty:
    case RegexNode::Kind::kAssert:
      return true;
    case RegexNode::Kind::kChars:
      return false;
    case RegexNode::Kind::kConcat:
      for (const RegexNode& child : node.children)
        if (!matches_empty(child)) return false;
      return true;
    case RegexNode::Kind::kAlternate:
      for (const RegexNode& child : node.children)
        if (matches_empty(child)) return true;
      return false;
    case RegexNode::Kind::kRepeat:
      return node.min == 0 || matches_empty(node.children.front());
  }
  return false;
}

RegexNode assertion(regex::Assertion a) {
  RegexNode node;
  node.kind = RegexNode::Kind::kAssert;
  node.assertion = a;
  return node;
}

/// The parsed pattern, with -w's conditions around it.
RegexNode parse_pattern(const PatternSpec& spec, std::size_t index) {
  RegexNode node;
  try {
    node = regex::parse_regex(spec.text, {spec.case_insensitive, spec.literal});
  } catch (const regex::RegexError& e) {
    throw PatternError(index, e.position(), e.what());
  }
  if (matches_empty(node))
    throw PatternError(index, 0,
                       "matches the empty string, so it would match every line; make it "
                       "require at least one character");
  if (!spec.word) return node;
  RegexNode worded;
  worded.kind = RegexNode::Kind::kConcat;
  worded.children.push_back(assertion(regex::Assertion::kNoWordBefore));
  worded.children.push_back(std::move(node));
  worded.children.push_back(assertion(regex::Assertion::kNoWordAfter));
  return worded;
}

class Compiler {
 public:
  Compiler(const std::vector<PatternSpec>& patterns, const CompileLimits& limits)
      : patterns_(patterns),
        limits_(limits),
        budget_left_(limits.memory_bytes),
        deadline_(limits.max_seconds > 0
                      ? std::chrono::steady_clock::now() +
                            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double>(limits.max_seconds))
                      : std::chrono::steady_clock::time_point::max()) {}

  PatternSet compile() {
    PatternSet set;
    set.patterns = patterns_;
    set.factors.resize(patterns_.size());
    // Groups: (field, kind of automaton, case folding for Aho-Corasick,
    // prefiltered). Regexes with required factors are kept apart from those
    // without, so that their automata can skip the lines the prefilter rules out.
    std::map<std::tuple<int, bool, bool, bool>, std::vector<std::uint32_t>> groups;
    for (std::uint32_t i = 0; i < patterns_.size(); ++i) {
      const PatternSpec& spec = patterns_[i];
      if (spec.text.empty())
        throw PatternError(i, 0, "is empty and would match every line; remove it");
      const bool aho_corasick = uses_aho_corasick(spec);
      if (!aho_corasick) {
        const RegexNode& parsed = parsed_.emplace(i, parse_pattern(spec, i)).first->second;
        if (auto factors = required_factors(parsed)) set.factors[i] = std::move(*factors);
      }
      groups[{spec.field, aho_corasick, aho_corasick && spec.case_insensitive,
              !set.factors[i].empty()}]
          .push_back(i);
    }
    // The prefilters' room first: regex automata shrink to the budget (lines past
    // their states fall back), prefilters cannot, and without one a scope would walk
    // every automaton over every line.
    const std::size_t prefilter_room = set_aside_prefilter_room(set);
    build_alone_ahead(groups);
    for (const auto& [key, ids] : groups) {
      const auto& [field, aho_corasick, fold, prefiltered] = key;
      const auto finish = [field = field](Automaton automaton) {
        automaton.field = field;
        return automaton;
      };
      if (aho_corasick) {
        compile_group(ids, set, [&](const std::vector<std::uint32_t>& group) {
          return finish(build_literals(group, fold));
        });
        continue;
      }
      // Regexes whose DFA alone is large get an automaton each, built up to
      // kLoneRegexStates (more states would mostly cost cache misses); the
      // rest share automata. A prefiltered regex whose DFA alone is small
      // keeps that DFA: it walks only its candidate lines, and a shared
      // automaton would walk the candidates of all its patterns.
      const bool own_small = prefiltered && ids.size() <= kMostOwnSmallAutomata;
      std::vector<std::uint32_t> shared;
      for (std::uint32_t id : ids) {
        if (is_character_sequence(parsed_.at(id))) {
          shared.push_back(id);
          continue;
        }
        const bool small = is_small(id);
        if (small && !own_small) {
          shared.push_back(id);
          continue;
        }
        Automaton automaton =
            finish(take_or_build(id, small ? kSmallRegexStates : kLoneRegexStates));
        budget_left_ -= std::min(budget_left_, automaton.memory_bytes());
        set.automata.push_back(std::move(automaton));
      }
      for (const std::vector<std::uint32_t>& chunk : presplit(shared))
        compile_group(chunk, set, [&](const std::vector<std::uint32_t>& group) {
          return finish(build_regexes(group, limits_.max_states, budget_left_));
        });
    }
    try {
      set.prefilters = build_prefilters(set, budget_left_ + prefilter_room);
    } catch (const AhoCorasickTooLarge&) {
      throw_prefilter_too_large(set);
    }
    return set;
  }

 private:
  /// Takes from the budget what the prefilters of `set` need at most, and returns it.
  std::size_t set_aside_prefilter_room(const PatternSet& set) {
    try {
      const std::size_t room = prefilter_bytes_at_most(set, budget_left_);
      budget_left_ -= room;
      return room;
    } catch (const AhoCorasickTooLarge&) {
      throw_prefilter_too_large(set);
    }
  }

  [[noreturn]] void throw_prefilter_too_large(const PatternSet& set) const {
    const auto first = std::find_if(set.factors.begin(), set.factors.end(),
                                    [](const auto& factors) { return !factors.empty(); });
    throw PatternError(static_cast<std::size_t>(first - set.factors.begin()), 0,
                       "needs, with the other regexes that have required factors, a literal "
                       "prefilter larger than --pattern-memory (" +
                           std::to_string(limits_.memory_bytes >> 20) + " MiB); raise it");
  }

  using Build = std::function<Automaton(const std::vector<std::uint32_t>&)>;

  /// A regex is small when its DFA alone has at most this many states.
  static constexpr std::size_t kSmallRegexStates = 1000;
  static constexpr std::size_t kLoneRegexStates = 10000;
  /// Each prefiltered automaton takes a bit per line of every batch for its
  /// candidates (kernels/prefilter.cuh): past this many prefiltered regexes
  /// in a scope, the small ones share automata again, which keeps the marks
  /// within 256 bytes a line.
  static constexpr std::size_t kMostOwnSmallAutomata = 2048;

  /// A regex's DFA alone, built ahead of the pass that places automata.
  struct AloneBuild {
    bool small = false;             ///< its whole DFA has at most kSmallRegexStates states
    std::size_t small_states = 0;   ///< of that DFA
    std::size_t small_bytes = 0;    ///< of that DFA's tables
    std::optional<Automaton> kept;  ///< the small DFA when its group keeps it, or the lone one
    std::exception_ptr failure;     ///< the PatternError building it threw
  };

  /// Builds every regex's DFA alone, as the pass that places automata will
  /// ask for them, on all threads: these builds are most of the compile time
  /// (thousands of states for a regex with classes), and each depends on its
  /// regex only. They get the whole memory budget; that pass uses one only
  /// while it fits in what is left then, and builds again otherwise, so the
  /// set is the same as when built one by one. Small DFAs that will join a
  /// shared automaton are dropped at once, keeping only their size.
  void build_alone_ahead(
      const std::map<std::tuple<int, bool, bool, bool>, std::vector<std::uint32_t>>& groups) {
    std::vector<std::pair<std::uint32_t, bool>> jobs;  // (id, its group keeps small DFAs)
    for (const auto& [key, group] : groups) {
      if (std::get<1>(key)) continue;  // Aho-Corasick
      const bool keep_small = std::get<3>(key) && group.size() <= kMostOwnSmallAutomata;
      for (std::uint32_t id : group)
        if (!is_character_sequence(parsed_.at(id))) jobs.emplace_back(id, keep_small);
    }
    std::vector<AloneBuild> built(jobs.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i; (i = next.fetch_add(1)) < jobs.size();) {
        const auto [id, keep_small] = jobs[i];
        AloneBuild& out = built[i];
        try {
          Automaton small = build_regex(id, kSmallRegexStates, limits_.memory_bytes);
          out.small = small.fallback_row == kernels::kNoFallback;
          if (out.small) {
            out.small_states = small.states();
            out.small_bytes = small.memory_bytes();
            if (keep_small) out.kept = std::move(small);
          } else {
            out.kept = build_regex(id, kLoneRegexStates, limits_.memory_bytes);
          }
        } catch (...) {
          out.failure = std::current_exception();
        }
      }
    };
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threads =
        std::min(jobs.size(), limits_.threads > 0 ? limits_.threads : cores);
    if (threads <= 1) return;  // one thread builds each DFA when it is asked for
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
    for (std::size_t i = 0; i < jobs.size(); ++i)
      ahead_.emplace(jobs[i].first, std::move(built[i]));
  }

  /// Regex `id` alone as one automaton of at most `most_states` states, as
  /// far as `budget` bytes of tables allow.
  Automaton build_regex(std::uint32_t id, std::size_t most_states, std::size_t budget) const {
    try {
      return build_regexes({id}, std::min(most_states, limits_.max_states), budget);
    } catch (const TooLarge& e) {
      throw PatternError(id, 0, e.message);
    }
  }

  /// True when pattern `id`'s whole DFA has at most kSmallRegexStates states
  /// within what is left of the budget; its size is kept for presplit.
  bool is_small(std::uint32_t id) {
    std::optional<std::size_t> states;
    if (const auto ahead = ahead_.find(id); ahead != ahead_.end()) {
      const AloneBuild& built = ahead->second;
      if (built.failure) std::rethrow_exception(built.failure);
      if (!built.small) return false;  // nor would it be with less budget
      if (built.small_bytes <= budget_left_) states = built.small_states;
    }
    if (!states) {  // not built ahead, or with more budget than is left now
      const Automaton alone = build_regex(id, kSmallRegexStates, budget_left_);
      if (alone.fallback_row != kernels::kNoFallback) return false;
      states = alone.states();
    }
    alone_states_[id] = *states;
    return true;
  }

  /// Pattern `id` as an automaton of its own of at most `most_states`
  /// states: the one built ahead when it fits in what is left of the budget
  /// (its small DFA once is_small said so, else its lone one), else built now.
  Automaton take_or_build(std::uint32_t id, std::size_t most_states) {
    const auto ahead = ahead_.find(id);
    if (ahead != ahead_.end() && ahead->second.kept &&
        ahead->second.kept->memory_bytes() <= budget_left_)
      return std::move(*ahead->second.kept);
    return build_regex(id, most_states, budget_left_);
  }

  /// Regex groups cut into chunks whose patterns alone would not pass the
  /// state budget together: a trie of n characters determinises into fewer
  /// than n states (prefixes are shared; measured about 0.7 n for 100,000
  /// IOCs with -w), other regexes count their own DFA size, so large sets
  /// skip attempts that would fail.
  std::vector<std::vector<std::uint32_t>> presplit(const std::vector<std::uint32_t>& ids) const {
    std::vector<std::vector<std::uint32_t>> chunks;
    if (ids.empty()) return chunks;
    chunks.emplace_back();
    std::size_t estimate = 0;
    for (std::uint32_t id : ids) {
      const RegexNode& node = parsed_.at(id);
      const std::size_t states =
          is_character_sequence(node) ? patterns_[id].text.size() : alone_states_.at(id);
      if (estimate + states > limits_.max_states && !chunks.back().empty()) {
        chunks.emplace_back();
        estimate = 0;
      }
      estimate += states;
      chunks.back().push_back(id);
    }
    return chunks;
  }

  /// Builds `ids` as one automaton, or in halves when it would be too large.
  void compile_group(const std::vector<std::uint32_t>& ids, PatternSet& set, const Build& build) {
    try {
      Automaton automaton = build(ids);
      budget_left_ -= std::min(budget_left_, automaton.memory_bytes());
      set.automata.push_back(std::move(automaton));
      return;
    } catch (const TooLarge& e) {
      if (ids.size() == 1) throw PatternError(ids.front(), 0, e.message);
    }
    const auto middle = ids.begin() + static_cast<std::ptrdiff_t>(ids.size() / 2);
    compile_group({ids.begin(), middle}, set, build);
    compile_group({middle, ids.end()}, set, build);
  }

  struct TooLarge {
    std::string message;
  };

  Automaton build_literals(const std::vector<std::uint32_t>& ids, bool fold) {
    std::vector<std::string> literals;
    for (std::uint32_t id : ids) literals.push_back(patterns_[id].text);
    try {
      return build_aho_corasick(literals, ids, fold, budget_left_);
    } catch (const AhoCorasickTooLarge&) {
      throw TooLarge{"needs more automaton memory than is left of --pattern-memory (" +
                     std::to_string(limits_.memory_bytes >> 20) +
                     " MiB); raise it or split the pattern set"};
    }
  }

  Automaton build_regexes(const std::vector<std::uint32_t>& ids, std::size_t max_states,
                          std::size_t budget) const {
    check_time(ids.front());
    const std::size_t max_nfa_states = std::max<std::size_t>(4 * limits_.max_states, 1 << 18);
    try {
      // Character sequences first, as one trie; NFA pattern i is ordered[i].
      auto nfa = std::make_shared<Nfa>();
      std::vector<std::uint32_t> ordered;
      std::vector<const RegexNode*> sequences;
      for (std::uint32_t id : ids)
        if (is_character_sequence(parsed_.at(id))) {
          ordered.push_back(id);
          sequences.push_back(&parsed_.at(id));
        }
      add_sequences_as_trie(*nfa, sequences, max_nfa_states);
      for (std::uint32_t id : ids)
        if (!is_character_sequence(parsed_.at(id))) {
          ordered.push_back(id);
          add_to_nfa(*nfa, parsed_.at(id), max_nfa_states);
        }
      Automaton automaton = build_dfa(nfa, ordered, max_states, budget, deadline_);
      // A group whose DFA falls back is split while that can help: its
      // patterns alone may each fit. A single pattern keeps its fallback.
      if (automaton.fallback_row != kernels::kNoFallback && ids.size() > 1)
        throw TooLarge{"needs its own automaton"};
      return automaton;
    } catch (const NfaTooLarge&) {
      throw TooLarge{"is too large to compile (more than " + std::to_string(max_nfa_states) +
                     " NFA states); use smaller counted repetitions"};
    } catch (const DfaTooLarge&) {
      throw TooLarge{"needs more memory than is left of --pattern-memory (" +
                     std::to_string(limits_.memory_bytes >> 20) + " MiB); raise it"};
    } catch (const DfaOutOfTime&) {
      throw PatternError(ids.front(), 0, out_of_time());
    }
  }

  /// Stops compiling, at pattern `id`, once the set has taken its time.
  void check_time(std::uint32_t id) const {
    if (std::chrono::steady_clock::now() > deadline_) throw PatternError(id, 0, out_of_time());
  }
  std::string out_of_time() const {
    return "compiling the pattern set took more than " +
           std::to_string(static_cast<long>(limits_.max_seconds)) +
           " s and stopped here; use -F for plain strings, fewer or simpler regexes, or raise "
           "--compile-seconds";
  }

  const std::vector<PatternSpec>& patterns_;
  CompileLimits limits_;
  std::size_t budget_left_;
  std::chrono::steady_clock::time_point deadline_;  ///< time_point::max(): no limit
  std::map<std::uint32_t, RegexNode> parsed_;
  std::map<std::uint32_t, std::size_t> alone_states_;
  std::map<std::uint32_t, AloneBuild> ahead_;  ///< per regex id, from build_alone_ahead
};

}  // namespace

PatternSet compile_patterns(const std::vector<PatternSpec>& patterns, const CompileLimits& limits) {
  return Compiler(patterns, limits).compile();
}

}  // namespace agentsweep::engine
