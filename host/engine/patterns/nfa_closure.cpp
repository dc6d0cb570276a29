/** @file
 * Depth-first epsilon closure with generation marks instead of clearing a
 * visited set per call.
 */
#include "host/engine/patterns/nfa_closure.hpp"

namespace agentsweep::engine {

bool AssertionContext::holds(regex::Assertion a) const {
  using regex::Assertion;
  switch (a) {
    case Assertion::kBeginText:
      return at_begin;
    case Assertion::kEndText:
      return at_end;
    case Assertion::kBeginLine:
      return at_begin || prev_newline;
    case Assertion::kEndLine:
      return at_end || next_newline;
    case Assertion::kWordBoundary:
      return prev_word != next_word;
    case Assertion::kNotWordBoundary:
      return prev_word == next_word;
    case Assertion::kNoWordBefore:
      return !prev_word;
    case Assertion::kNoWordAfter:
      return !next_word;
  }
  return false;
}

std::vector<std::uint32_t> NfaClosure::operator()(const std::vector<std::uint32_t>& from,
                                                  const AssertionContext& context) {
  ++generation_;
  std::vector<std::uint32_t> out;
  std::vector<std::uint32_t> stack(from.rbegin(), from.rend());
  stack.insert(stack.end(), nfa_.starts.rbegin(), nfa_.starts.rend());
  while (!stack.empty()) {
    const std::uint32_t id = stack.back();
    stack.pop_back();
    if (mark_[id] == generation_) continue;
    mark_[id] = generation_;
    const NfaState& state = nfa_.states[id];
    switch (state.kind) {
      case NfaState::Kind::kSplit:
        stack.push_back(state.out1);
        stack.push_back(state.out);
        break;
      case NfaState::Kind::kAssert:
        if (context.holds(state.assertion)) stack.push_back(state.out);
        break;
      case NfaState::Kind::kByteRange:
      case NfaState::Kind::kMatch:
        out.push_back(id);
        break;
      case NfaState::Kind::kFail:
        break;
    }
  }
  return out;
}

}  // namespace agentsweep::engine
