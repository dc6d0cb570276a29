/** @file
 * Thompson construction, built back to front: each node is compiled with
 * its continuation already known, so no fragment patching is needed.
 */
#include "host/engine/patterns/nfa.hpp"

#include "host/engine/patterns/utf8_sequences.hpp"

namespace agentsweep::engine {

namespace {

using regex::Assertion;
using regex::RegexNode;

class NfaBuilder {
 public:
  NfaBuilder(Nfa& nfa, std::size_t max_states) : nfa_(nfa), max_states_(max_states) {}

  /// Entry state of `node` followed by `next`.
  std::uint32_t build(const RegexNode& node, std::uint32_t next) {
    switch (node.kind) {
      case RegexNode::Kind::kEmpty:
        return next;
      case RegexNode::Kind::kChars:
        return build_chars(node.chars, next);
      case RegexNode::Kind::kConcat:
        for (auto child = node.children.rbegin(); child != node.children.rend(); ++child)
          next = build(*child, next);
        return next;
      case RegexNode::Kind::kAlternate:
        return build_alternation(node.children, next);
      case RegexNode::Kind::kRepeat:
        return build_repeat(node.children.front(), node.min, node.max, next);
      case RegexNode::Kind::kAssert:
        note_assertion(node.assertion);
        return add({NfaState::Kind::kAssert, 0, 0, node.assertion, next});
    }
    return next;
  }

  std::uint32_t add(const NfaState& state) {
    if (nfa_.states.size() >= max_states_) throw NfaTooLarge{};
    nfa_.states.push_back(state);
    return static_cast<std::uint32_t>(nfa_.states.size() - 1);
  }

 private:
  std::uint32_t split(std::uint32_t a, std::uint32_t b) {
    NfaState state;
    state.kind = NfaState::Kind::kSplit;
    state.out = a;
    state.out1 = b;
    return add(state);
  }

  std::uint32_t build_chars(const regex::CodepointSet& chars, std::uint32_t next) {
    std::vector<Utf8Sequence> sequences;
    for (const regex::CodepointRange& range : chars)
      append_utf8_sequences(range.lo, range.hi, sequences);
    if (sequences.empty()) return add({});  // kFail
    std::uint32_t entry = 0;
    bool first = true;
    for (const Utf8Sequence& sequence : sequences) {
      std::uint32_t state = next;
      for (int i = sequence.length - 1; i >= 0; --i)
        state = add({NfaState::Kind::kByteRange, sequence.bytes[i].lo, sequence.bytes[i].hi,
                     Assertion::kBeginText, state});
      entry = first ? state : split(state, entry);
      first = false;
    }
    return entry;
  }

  std::uint32_t build_alternation(const std::vector<RegexNode>& children, std::uint32_t next) {
    std::uint32_t entry = build(children.back(), next);
    for (auto child = children.rbegin() + 1; child != children.rend(); ++child)
      entry = split(build(*child, next), entry);
    return entry;
  }

  /// x{min,max}: min copies of x, then max-min optional ones (nested, so
  /// x{0,3} is (x(x(x)?)?)?), or a loop when max is unbounded.
  std::uint32_t build_repeat(const RegexNode& child, int min, int max, std::uint32_t next) {
    std::uint32_t tail = next;
    if (max < 0) {
      const std::uint32_t loop = split(0, next);
      nfa_.states[loop].out = build(child, loop);
      tail = loop;
    } else {
      for (int i = min; i < max; ++i) tail = split(build(child, tail), next);
    }
    for (int i = 0; i < min; ++i) tail = build(child, tail);
    return tail;
  }

  void note_assertion(Assertion assertion) {
    switch (assertion) {
      case Assertion::kBeginLine:
      case Assertion::kEndLine:
        nfa_.uses_line_assertions = true;
        break;
      case Assertion::kWordBoundary:
      case Assertion::kNotWordBoundary:
      case Assertion::kNoWordBefore:
      case Assertion::kNoWordAfter:
        nfa_.uses_word_assertions = true;
        break;
      case Assertion::kBeginText:
      case Assertion::kEndText:
        break;
    }
  }

  Nfa& nfa_;
  std::size_t max_states_;
};

}  // namespace

void add_to_nfa(Nfa& nfa, const regex::RegexNode& pattern, std::size_t max_states) {
  NfaBuilder builder(nfa, max_states);
  NfaState match;
  match.kind = NfaState::Kind::kMatch;
  match.pattern = static_cast<std::uint32_t>(nfa.starts.size());
  const std::uint32_t accept = builder.add(match);
  nfa.starts.push_back(builder.build(pattern, accept));
}

}  // namespace agentsweep::engine
