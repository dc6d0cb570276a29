/** @file
 * Prefilter construction: factors become Aho-Corasick literals whose ids are
 * slots (one per prefiltered automaton), then each state's outputs are
 * turned into the set of slots it reports, so a line's walk yields the
 * automata it is a candidate for.
 */
#include "host/engine/patterns/prefilter_builder.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

#include "host/engine/patterns/aho_corasick.hpp"

namespace agentsweep::engine {

namespace {

struct ScopeFactors {
  std::vector<std::string> literals;
  std::vector<std::uint32_t> literal_slots;
  std::vector<std::uint32_t> slot_automata;
};

bool all_prefiltered(const PatternSet& set, const Automaton& automaton) {
  return automaton.kind == Automaton::Kind::kRegexDfa &&
         std::all_of(automaton.pattern_ids.begin(), automaton.pattern_ids.end(),
                     [&](std::uint32_t id) { return !set.factors[id].empty(); });
}

/// Makes the states of `automaton` (built with pattern_ids = literal slots)
/// report slots, each once: mask mode for at most 64 slots.
void report_slots(Automaton& automaton, std::uint32_t slots) {
  std::vector<std::vector<std::uint32_t>> reported(automaton.states());
  for (std::size_t s = 0; s < reported.size(); ++s) {
    std::vector<std::uint32_t>& state = reported[s];
    if (automaton.list_mode()) {
      state.assign(automaton.outputs.begin() + automaton.output_begin[s],
                   automaton.outputs.begin() + automaton.output_begin[s + 1]);
    } else {
      for (std::uint64_t mask = automaton.masks[s]; mask != 0; mask &= mask - 1)
        state.push_back(automaton.pattern_ids[kernels::lowest_bit(mask)]);
    }
    std::sort(state.begin(), state.end());
    state.erase(std::unique(state.begin(), state.end()), state.end());
  }
  automaton.pattern_ids.resize(slots);
  std::iota(automaton.pattern_ids.begin(), automaton.pattern_ids.end(), 0u);
  automaton.set_outputs(reported);
}

}  // namespace

std::vector<Prefilter> build_prefilters(const PatternSet& set, std::size_t max_bytes) {
  std::map<int, ScopeFactors> scopes;
  for (std::uint32_t a = 0; a < set.automata.size(); ++a) {
    const Automaton& automaton = set.automata[a];
    if (!all_prefiltered(set, automaton)) continue;
    ScopeFactors& scope = scopes[automaton.field];
    const auto slot = static_cast<std::uint32_t>(scope.slot_automata.size());
    scope.slot_automata.push_back(a);
    for (std::uint32_t id : automaton.pattern_ids)
      for (const std::string& factor : set.factors[id]) {
        scope.literals.push_back(factor);
        scope.literal_slots.push_back(slot);
      }
  }
  std::vector<Prefilter> prefilters;
  for (auto& [field, scope] : scopes) {
    Prefilter prefilter;
    prefilter.field = field;
    prefilter.automaton = build_aho_corasick(scope.literals, scope.literal_slots,
                                             /*fold_ascii_case=*/true, max_bytes);
    report_slots(prefilter.automaton, static_cast<std::uint32_t>(scope.slot_automata.size()));
    prefilter.automaton.field = field;
    prefilter.slot_automata = std::move(scope.slot_automata);
    max_bytes -= std::min(max_bytes, prefilter.automaton.memory_bytes());
    prefilters.push_back(std::move(prefilter));
  }
  return prefilters;
}

std::size_t prefilter_bytes_at_most(const PatternSet& set, std::size_t max_bytes) {
  std::map<int, std::vector<std::string>> scopes;
  for (std::uint32_t id = 0; id < set.factors.size(); ++id)
    for (const std::string& factor : set.factors[id])
      scopes[set.patterns[id].field].push_back(factor);
  std::size_t bytes = 0;
  for (const auto& [field, literals] : scopes) {
    std::vector<std::uint32_t> slots(literals.size());
    std::iota(slots.begin(), slots.end(), 0u);
    const Automaton automaton =
        build_aho_corasick(literals, slots, /*fold_ascii_case=*/true, max_bytes - bytes);
    // A slot mask per state, should the real prefilter have few enough slots for masks.
    bytes += automaton.memory_bytes() + automaton.states() * sizeof(std::uint64_t);
    if (bytes > max_bytes) throw AhoCorasickTooLarge();
  }
  return bytes;
}

std::vector<std::uint32_t> candidate_automata(const Prefilter& prefilter, std::string_view text) {
  const std::vector<std::uint32_t> slots = match_text(prefilter.automaton, text);
  std::vector<std::uint32_t> automata;
  for (std::uint32_t slot : slots) automata.push_back(prefilter.slot_automata[slot]);
  std::sort(automata.begin(), automata.end());
  return automata;
}

}  // namespace agentsweep::engine
