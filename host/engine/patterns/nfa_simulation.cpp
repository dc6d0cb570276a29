/** @file
 * Simulation step by step, with the same closure as the DFA builder.
 */
#include "host/engine/patterns/nfa_simulation.hpp"

#include <algorithm>

#include "host/engine/patterns/nfa_closure.hpp"

namespace agentsweep::engine {

std::vector<std::uint32_t> simulate_nfa(const Nfa& nfa, std::string_view text) {
  NfaClosure closure(nfa);
  std::vector<std::uint32_t> found;
  std::vector<std::uint32_t> current;
  AssertionContext context;
  context.at_begin = true;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool at_end = i == text.size();
    const int byte = at_end ? -1 : static_cast<unsigned char>(text[i]);
    context.next_word = !at_end && is_word_byte(byte);
    context.next_newline = byte == '\n';
    context.at_end = at_end;
    std::vector<std::uint32_t> next;
    for (std::uint32_t id : closure(current, context)) {
      const NfaState& state = nfa.states[id];
      if (state.kind == NfaState::Kind::kMatch)
        found.push_back(state.pattern);
      else if (!at_end && state.lo <= byte && byte <= state.hi)
        next.push_back(state.out);
    }
    current = std::move(next);
    context.at_begin = false;
    context.prev_word = context.next_word;
    context.prev_newline = context.next_newline;
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace agentsweep::engine
