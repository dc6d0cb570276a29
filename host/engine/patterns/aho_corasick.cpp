/** @file
 * Aho-Corasick construction: a trie over byte classes, then breadth-first
 * completion into a DFA in which every state also reports the literals that
 * end at its failure states (its proper suffixes). Each gets a q-gram filter
 * (literal_filter.hpp) where its literals allow one.
 */
#include "host/engine/patterns/aho_corasick.hpp"

#include "host/engine/patterns/literal_filter.hpp"

#include <algorithm>
#include <deque>

namespace agentsweep::engine {

namespace {

constexpr std::uint32_t kNoState = 0xffffffffu;

unsigned char fold(unsigned char c, bool fold_ascii_case) {
  return fold_ascii_case && c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c;
}

}  // namespace

Automaton build_aho_corasick(const std::vector<std::string>& literals,
                             const std::vector<std::uint32_t>& pattern_ids, bool fold_ascii_case,
                             std::size_t max_bytes) {
  Automaton automaton;
  automaton.kind = Automaton::Kind::kAhoCorasick;
  automaton.pattern_ids = pattern_ids;

  // Bytes that occur in no literal share class 0; each other byte (case
  // folded) gets its own. The last column is the end-of-text step.
  std::array<int, 256> folded_class{};
  std::uint32_t classes = 1;
  for (const std::string& literal : literals)
    for (const char c : literal) {
      int& cls = folded_class[fold(static_cast<unsigned char>(c), fold_ascii_case)];
      if (cls == 0) cls = static_cast<int>(classes++);
    }
  for (int b = 0; b < 256; ++b)
    automaton.byte_class[b] = static_cast<std::uint8_t>(
        folded_class[fold(static_cast<unsigned char>(b), fold_ascii_case)]);
  const std::uint32_t stride = classes + 1;
  automaton.stride = stride;

  std::vector<std::uint32_t> next;
  std::vector<std::vector<std::uint32_t>> ends;  // local literal indices ending in each state
  std::size_t bytes = 0;
  const auto grow = [&] {
    bytes += stride * sizeof(std::uint32_t) + sizeof(std::uint64_t);
    if (bytes > max_bytes || next.size() + stride > kernels::kRowMask) throw AhoCorasickTooLarge{};
    next.resize(next.size() + stride, kNoState);
    ends.emplace_back();
    return static_cast<std::uint32_t>(ends.size() - 1);
  };

  grow();  // the root
  for (std::uint32_t p = 0; p < literals.size(); ++p) {
    std::uint32_t state = 0;
    for (const char c : literals[p]) {
      const std::size_t edge = state * stride + automaton.byte_class[static_cast<unsigned char>(c)];
      if (next[edge] == kNoState) {
        const std::uint32_t child = grow();
        next[edge] = child;
      }
      state = next[edge];
    }
    ends[state].push_back(p);
  }

  // Breadth-first: missing edges follow the failure state's edge; each state
  // inherits what its failure state (the longest proper suffix) reports.
  std::vector<std::uint32_t> failure(ends.size(), 0);
  std::deque<std::uint32_t> queue;
  for (std::uint32_t c = 0; c < classes; ++c) {
    std::uint32_t& edge = next[c];
    if (edge == kNoState)
      edge = 0;
    else
      queue.push_back(edge);
  }
  while (!queue.empty()) {
    const std::uint32_t state = queue.front();
    queue.pop_front();
    const std::vector<std::uint32_t>& inherited = ends[failure[state]];
    ends[state].insert(ends[state].end(), inherited.begin(), inherited.end());
    bytes += ends[state].size() * sizeof(std::uint32_t);
    if (bytes > max_bytes) throw AhoCorasickTooLarge{};
    for (std::uint32_t c = 0; c < classes; ++c) {
      std::uint32_t& edge = next[state * stride + c];
      const std::uint32_t fallback = next[failure[state] * stride + c];
      if (edge == kNoState) {
        edge = fallback;
      } else {
        failure[edge] = fallback;
        queue.push_back(edge);
      }
    }
  }

  // Every state's end-of-text step goes back to the root: AC matches are
  // reported on the byte that completes them, never at the end.
  for (std::size_t s = 0; s < ends.size(); ++s) next[s * stride + classes] = 0;

  // Premultiply targets and flag those that report a literal (kMatchFlag).
  for (std::uint32_t& edge : next)
    edge = edge * stride | (ends[edge].empty() ? 0u : kernels::kMatchFlag);
  automaton.next = std::move(next);
  for (std::vector<std::uint32_t>& reported : ends) {
    std::sort(reported.begin(), reported.end());
    reported.erase(std::unique(reported.begin(), reported.end()), reported.end());
  }
  automaton.set_outputs(ends);
  // The filter is optional: it is built only within what the budget leaves.
  const std::size_t table_bytes = automaton.memory_bytes();
  automaton.literal_filter = build_literal_filter(
      literals, fold_ascii_case, max_bytes > table_bytes ? max_bytes - table_bytes : 0);
  return automaton;
}

}  // namespace agentsweep::engine
