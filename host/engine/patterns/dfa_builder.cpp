/** @file
 * A DFA state is the set of NFA states reached after the bytes so far (its
 * "kernel", taken before epsilon closure), plus what the assertions need to
 * know about the previous byte (start of text, word byte, "\n") and the set
 * of patterns that matched on the transition into it. Closure happens on the
 * way out, when the next byte (or the end of text) is known, so ^ $ \b and
 * -w are decided exactly; a match is thus reported one step late, on the
 * transition after its last byte, and the end-of-text column reports the
 * matches that end with the text.
 */
#include "host/engine/patterns/dfa_builder.hpp"

#include "host/engine/patterns/nfa_closure.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

namespace agentsweep::engine {

namespace {

using regex::Assertion;

struct DfaState {
  std::vector<std::uint32_t> kernel;   // sorted NFA states
  std::vector<std::uint32_t> emitted;  // sorted local pattern indices
  bool at_begin = false;
  bool prev_word = false;
  bool prev_newline = false;

  std::string key() const {
    std::string k;
    k.reserve(4 * (kernel.size() + emitted.size()) + 8);
    const auto put = [&](std::uint32_t v) { k.append(reinterpret_cast<const char*>(&v), 4); };
    put(static_cast<std::uint32_t>(at_begin | prev_word << 1 | prev_newline << 2));
    put(static_cast<std::uint32_t>(kernel.size()));
    for (std::uint32_t s : kernel) put(s);
    for (std::uint32_t p : emitted) put(p);
    return k;
  }
};

class DfaBuilder {
 public:
  DfaBuilder(const Nfa& nfa, std::size_t max_states, std::size_t max_bytes)
      : nfa_(nfa), max_states_(max_states), max_bytes_(max_bytes), closure_(nfa) {
    compute_byte_classes();
  }

  Automaton build(const std::vector<std::uint32_t>& pattern_ids,
                  std::chrono::steady_clock::time_point deadline) {
    DfaState start;
    start.at_begin = true;
    intern(std::move(start));
    std::vector<std::vector<std::uint32_t>> kernels(classes_);
    for (std::size_t s = 0; s < states_.size(); ++s) {
      if (s % 256 == 0 && std::chrono::steady_clock::now() > deadline) throw DfaOutOfTime{};
      // Closures depend on the next byte only through its word and newline
      // kinds: one closure per kind, then its byte ranges fan out to classes.
      for (int kind = 0; kind < 4; ++kind)
        if (kind_used_[kind]) step_bytes_of_kind(s, kind, kernels);
      const std::uint32_t end = end_step(closure(states_[s], false, false, true));
      table_[s * stride() + classes_] = end;
    }
    return finish(pattern_ids);
  }

 private:
  std::uint32_t stride() const { return classes_ + 1; }

  /// Classes: bytes that no byte range, word test or newline test tells apart.
  void compute_byte_classes() {
    std::array<bool, 257> boundary{};
    for (const NfaState& s : nfa_.states)
      if (s.kind == NfaState::Kind::kByteRange) {
        boundary[s.lo] = true;
        boundary[s.hi + 1] = true;
      }
    if (nfa_.uses_word_assertions)
      for (int b = 1; b < 256; ++b) boundary[b] |= is_word_byte(b) != is_word_byte(b - 1);
    if (nfa_.uses_line_assertions) boundary['\n'] = boundary['\n' + 1] = true;
    classes_ = 0;
    for (int b = 0; b < 256; ++b) {
      if (b > 0 && boundary[b]) ++classes_;
      byte_class_[b] = static_cast<std::uint8_t>(classes_);
      if (b == 0 || boundary[b]) {
        representative_.push_back(b);
        const int kind = is_word_byte(b) | (b == '\n') << 1;
        class_kind_.push_back(kind);
        kind_used_[kind] = true;
      }
    }
    ++classes_;
  }

  std::vector<std::uint32_t> closure(const DfaState& from, bool next_word, bool next_newline,
                                     bool at_end) {
    AssertionContext context;
    context.at_begin = from.at_begin;
    context.prev_word = from.prev_word;
    context.prev_newline = from.prev_newline;
    context.next_word = next_word;
    context.next_newline = next_newline;
    context.at_end = at_end;
    return closure_(from.kernel, context);
  }

  std::vector<std::uint32_t> matches_in(const std::vector<std::uint32_t>& closure_set) const {
    std::vector<std::uint32_t> emitted;
    for (std::uint32_t id : closure_set)
      if (nfa_.states[id].kind == NfaState::Kind::kMatch)
        emitted.push_back(nfa_.states[id].pattern);
    std::sort(emitted.begin(), emitted.end());
    emitted.erase(std::unique(emitted.begin(), emitted.end()), emitted.end());
    return emitted;
  }

  /// Fills state s's transitions on the byte classes of one kind.
  void step_bytes_of_kind(std::size_t s, int kind,
                          std::vector<std::vector<std::uint32_t>>& kernels) {
    const std::vector<std::uint32_t> closure_set =
        closure(states_[s], (kind & 1) != 0, (kind & 2) != 0, false);
    for (std::vector<std::uint32_t>& k : kernels) k.clear();
    for (std::uint32_t id : closure_set) {
      const NfaState& state = nfa_.states[id];
      if (state.kind != NfaState::Kind::kByteRange) continue;
      for (std::uint32_t c = byte_class_[state.lo]; c <= byte_class_[state.hi]; ++c)
        if (class_kind_[c] == kind) kernels[c].push_back(state.out);
    }
    const std::vector<std::uint32_t> emitted = matches_in(closure_set);
    // Neighbouring classes often lead to the same state (the letters of one
    // wide class): the previous class's target is then reused without
    // building and hashing its key again.
    DfaState previous;
    std::uint32_t previous_target = kFallbackTarget;
    bool has_previous = false;
    for (std::uint32_t c = 0; c < classes_; ++c) {
      if (class_kind_[c] != kind) continue;
      const int byte = representative_[c];
      DfaState to;
      to.kernel = kernels[c];
      std::sort(to.kernel.begin(), to.kernel.end());
      to.kernel.erase(std::unique(to.kernel.begin(), to.kernel.end()), to.kernel.end());
      to.prev_word = nfa_.uses_word_assertions && is_word_byte(byte);
      to.prev_newline = nfa_.uses_line_assertions && byte == '\n';
      if (has_previous && to.kernel == previous.kernel && to.prev_word == previous.prev_word &&
          to.prev_newline == previous.prev_newline) {
        table_[s * stride() + c] = previous_target;
        continue;
      }
      previous.kernel = to.kernel;
      previous.prev_word = to.prev_word;
      previous.prev_newline = to.prev_newline;
      has_previous = true;
      to.emitted = emitted;
      previous_target = transition_to(std::move(to));
      table_[s * stride() + c] = previous_target;
    }
  }

  std::uint32_t end_step(const std::vector<std::uint32_t>& closure_set) {
    DfaState to;
    to.emitted = matches_in(closure_set);
    return transition_to(std::move(to));
  }

  std::uint32_t transition_to(DfaState to) {
    const bool matched = !to.emitted.empty();
    const std::uint32_t target = intern(std::move(to));
    // A transition into the fallback state carries no match: the line is redone exactly.
    return target | (matched && target != kFallbackTarget ? kernels::kMatchFlag : 0u);
  }

  std::uint32_t intern(DfaState state) {
    std::string key = state.key();
    const auto found = index_.find(key);
    if (found != index_.end()) return found->second;
    const std::size_t bytes = stride() * sizeof(std::uint32_t) + sizeof(std::uint64_t) +
                              state.emitted.size() * sizeof(std::uint32_t);
    // Past the budget, transitions lead to the fallback state (one row is
    // kept for it); the start state must fit.
    const bool fits = states_.size() + 1 < max_states_ && table_bytes_ + 2 * bytes <= max_bytes_ &&
                      (states_.size() + 2) * stride() <= kernels::kRowMask;
    if (!fits) {
      if (states_.empty()) throw DfaTooLarge{};
      return kFallbackTarget;
    }
    const auto id = static_cast<std::uint32_t>(states_.size());
    table_bytes_ += bytes;
    index_.emplace(std::move(key), id);
    states_.push_back(std::move(state));
    table_.resize(states_.size() * stride(), 0);
    return id;
  }

  Automaton finish(const std::vector<std::uint32_t>& pattern_ids) {
    Automaton automaton;
    automaton.kind = Automaton::Kind::kRegexDfa;
    automaton.byte_class = byte_class_;
    automaton.stride = stride();
    automaton.start_row = 0;
    automaton.pattern_ids = pattern_ids;
    const bool complete = std::find(table_.begin(), table_.end(), kFallbackTarget) == table_.end();
    if (!complete) {
      // The fallback state: loops on itself, reports nothing; walks stop there.
      const auto fallback = static_cast<std::uint32_t>(states_.size());
      states_.emplace_back();
      table_.resize(states_.size() * stride(), fallback);
      for (std::uint32_t& entry : table_)
        if (entry == kFallbackTarget) entry = fallback;
      automaton.fallback_row = fallback * stride();
    }
    automaton.next = std::move(table_);
    for (std::uint32_t& entry : automaton.next)
      entry = (entry & kernels::kMatchFlag) | (entry & kernels::kRowMask) * stride();
    std::vector<std::vector<std::uint32_t>> reported;
    reported.reserve(states_.size());
    for (DfaState& state : states_) reported.push_back(std::move(state.emitted));
    automaton.set_outputs(reported);
    return automaton;
  }

  /// Stands for "not built" in table_ until finish() gives it a row.
  static constexpr std::uint32_t kFallbackTarget = kernels::kRowMask;

  const Nfa& nfa_;
  std::size_t max_states_;
  std::size_t max_bytes_;
  std::size_t table_bytes_ = 0;
  NfaClosure closure_;
  std::array<std::uint8_t, 256> byte_class_{};
  std::vector<int> representative_;
  std::vector<int> class_kind_;  ///< per class: is_word | is_newline << 1 of its bytes
  std::array<bool, 4> kind_used_{};
  std::uint32_t classes_ = 0;
  std::vector<DfaState> states_;
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<std::uint32_t> table_;
};

}  // namespace

Automaton build_dfa(std::shared_ptr<const Nfa> nfa, const std::vector<std::uint32_t>& pattern_ids,
                    std::size_t max_states, std::size_t max_bytes,
                    std::chrono::steady_clock::time_point deadline) {
  Automaton automaton = DfaBuilder(*nfa, max_states, max_bytes).build(pattern_ids, deadline);
  automaton.nfa = std::move(nfa);
  return automaton;
}

}  // namespace agentsweep::engine
