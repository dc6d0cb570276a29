/** @file
 * Aho-Corasick construction: trie over byte classes, then breadth-first
 * completion into a DFA whose per-state masks include suffix matches.
 */
#include "host/engine/literal_compiler.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace agentsweep::engine {

namespace {

constexpr std::uint32_t kNoState = 0xffffffffu;

LiteralAutomaton compile_group(const std::vector<std::string>& patterns, std::uint32_t first,
                               std::uint32_t count, std::size_t& budget_left) {
  LiteralAutomaton automaton;
  automaton.first_pattern = first;
  automaton.pattern_count = count;

  // Bytes that occur in no pattern share class 0; each other byte gets its own.
  std::array<bool, 256> used{};
  for (std::uint32_t p = first; p < first + count; ++p)
    for (const char c : patterns[p]) used[static_cast<unsigned char>(c)] = true;
  std::uint32_t classes = 1;
  for (int b = 0; b < 256; ++b)
    automaton.byte_class[b] = used[b] ? static_cast<std::uint8_t>(classes++) : std::uint8_t{0};
  automaton.stride = classes;

  const auto grow = [&] {
    const std::size_t row_bytes = classes * sizeof(std::uint32_t) + sizeof(std::uint64_t);
    if (row_bytes > budget_left)
      throw std::invalid_argument(
          "the literal patterns need more automaton memory than the budget allows; "
          "split the pattern file or raise --pattern-memory");
    budget_left -= row_bytes;
    automaton.next.resize(automaton.next.size() + classes, kNoState);
    automaton.matches.push_back(0);
    return static_cast<std::uint32_t>(automaton.matches.size() - 1);
  };

  grow();  // the root
  for (std::uint32_t p = first; p < first + count; ++p) {
    std::uint32_t state = 0;
    for (const char c : patterns[p]) {
      std::uint32_t& edge =
          automaton.next[state * classes + automaton.byte_class[static_cast<unsigned char>(c)]];
      if (edge == kNoState) {
        const std::uint32_t child = grow();
        automaton.next[state * classes + automaton.byte_class[static_cast<unsigned char>(c)]] =
            child;
        state = child;
      } else {
        state = edge;
      }
    }
    automaton.matches[state] |= std::uint64_t{1} << (p - first);
  }

  // Breadth-first: missing edges follow the failure link's edge; each state
  // inherits the matches of its failure state (the longest proper suffix).
  std::vector<std::uint32_t> failure(automaton.states(), 0);
  std::deque<std::uint32_t> queue;
  for (std::uint32_t c = 0; c < classes; ++c) {
    std::uint32_t& edge = automaton.next[c];
    if (edge == kNoState) {
      edge = 0;
    } else {
      failure[edge] = 0;
      queue.push_back(edge);
    }
  }
  while (!queue.empty()) {
    const std::uint32_t state = queue.front();
    queue.pop_front();
    automaton.matches[state] |= automaton.matches[failure[state]];
    for (std::uint32_t c = 0; c < classes; ++c) {
      std::uint32_t& edge = automaton.next[state * classes + c];
      const std::uint32_t fallback = automaton.next[failure[state] * classes + c];
      if (edge == kNoState) {
        edge = fallback;
      } else {
        failure[edge] = fallback;
        queue.push_back(edge);
      }
    }
  }

  // Premultiply targets and flag those that end a pattern (see kMatchFlag).
  for (std::uint32_t& edge : automaton.next) {
    const std::uint32_t target = edge;
    edge = target * classes;
    if (automaton.matches[target] != 0) edge |= kernels::kMatchFlag;
  }
  if (automaton.states() * classes > kernels::kRowMask)
    throw std::invalid_argument(
        "a literal automaton exceeds 2^31 transitions; use fewer or shorter patterns");
  return automaton;
}

}  // namespace

std::vector<LiteralAutomaton> compile_literals(const std::vector<std::string>& patterns,
                                               std::size_t memory_budget) {
  for (std::size_t p = 0; p < patterns.size(); ++p)
    if (patterns[p].empty())
      throw std::invalid_argument("pattern " + std::to_string(p + 1) +
                                  " is empty and would match every line; remove it");
  std::vector<LiteralAutomaton> automata;
  std::size_t budget_left = memory_budget;
  for (std::size_t first = 0; first < patterns.size(); first += kernels::kPatternsPerAutomaton) {
    const std::size_t count =
        std::min<std::size_t>(kernels::kPatternsPerAutomaton, patterns.size() - first);
    automata.push_back(compile_group(patterns, static_cast<std::uint32_t>(first),
                                     static_cast<std::uint32_t>(count), budget_left));
  }
  return automata;
}

}  // namespace agentsweep::engine
