/** @file
 * Sizes of compiled pattern sets, and the host reference matcher.
 */
#include "host/engine/patterns/pattern_set.hpp"

#include "host/engine/patterns/nfa_simulation.hpp"

#include <algorithm>
#include <numeric>

namespace agentsweep::engine {

std::size_t Automaton::memory_bytes() const {
  return byte_class.size() + next.size() * sizeof(next[0]) + masks.size() * sizeof(masks[0]) +
         output_begin.size() * sizeof(output_begin[0]) + outputs.size() * sizeof(outputs[0]) +
         literal_filter.memory_bytes();
}

void Automaton::set_outputs(const std::vector<std::vector<std::uint32_t>>& reported) {
  masks.clear();
  outputs.clear();
  output_begin.clear();
  const bool list = pattern_ids.size() > kernels::kMaskPatterns;
  if (list) output_begin.push_back(0);
  for (const std::vector<std::uint32_t>& state : reported) {
    if (list) {
      for (std::uint32_t p : state) outputs.push_back(pattern_ids[p]);
      output_begin.push_back(static_cast<std::uint32_t>(outputs.size()));
    } else {
      std::uint64_t mask = 0;
      for (std::uint32_t p : state) mask |= std::uint64_t{1} << p;
      masks.push_back(mask);
    }
  }
}

kernels::AutomatonView Automaton::view() const {
  kernels::AutomatonView v;
  v.byte_class = byte_class.data();
  v.next = next.data();
  v.masks = masks.empty() ? nullptr : masks.data();
  v.output_begin = list_mode() ? output_begin.data() : nullptr;
  v.outputs = outputs.data();
  v.stride = stride;
  v.start_row = start_row;
  v.end_column = stride - 1;
  v.fallback_row = fallback_row;
  v.filter = literal_filter.view();
  return v;
}

std::size_t PatternSet::states() const {
  return std::accumulate(automata.begin(), automata.end(), std::size_t{0},
                         [](std::size_t sum, const Automaton& a) { return sum + a.states(); });
}

std::size_t PatternSet::memory_bytes() const {
  std::size_t bytes =
      std::accumulate(automata.begin(), automata.end(), std::size_t{0},
                      [](std::size_t sum, const Automaton& a) { return sum + a.memory_bytes(); });
  for (const Prefilter& p : prefilters) bytes += p.automaton.memory_bytes();
  return bytes;
}

std::vector<std::uint32_t> match_text(const Automaton& automaton, std::string_view text) {
  std::vector<std::uint32_t> found;
  const kernels::AutomatonView view = automaton.view();
  const bool complete = kernels::walk_automaton(
      view, kernels::RawBytes{text.data(), text.data() + text.size()}, [&](std::uint32_t row) {
        const std::uint32_t state = view.state_of(row);
        if (automaton.list_mode()) {
          found.insert(found.end(), automaton.outputs.begin() + view.output_begin[state],
                       automaton.outputs.begin() + view.output_begin[state + 1]);
          return;
        }
        for (std::uint64_t mask = view.masks[state]; mask != 0; mask &= mask - 1)
          found.push_back(automaton.pattern_ids[kernels::lowest_bit(mask)]);
      });
  if (!complete) {
    found.clear();
    for (std::uint32_t local : simulate_nfa(*automaton.nfa, text))
      found.push_back(automaton.pattern_ids[local]);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::vector<std::uint32_t> match_line(const PatternSet& set, std::string_view line) {
  std::vector<std::uint32_t> found;
  for (const Automaton& automaton : set.automata) {
    if (automaton.field != kWholeLine) continue;
    const std::vector<std::uint32_t> more = match_text(automaton, line);
    found.insert(found.end(), more.begin(), more.end());
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace agentsweep::engine
