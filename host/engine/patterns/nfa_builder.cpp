/** @file
 * Thompson construction, built back to front: each node is compiled with
 * its continuation already known, so no fragment patching is needed.
 */
#include "host/engine/patterns/nfa.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

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
        return add_assert(node.assertion, next);
    }
    return next;
  }

  std::uint32_t add(const NfaState& state) {
    if (nfa_.states.size() >= max_states_) throw NfaTooLarge{};
    nfa_.states.push_back(state);
    return static_cast<std::uint32_t>(nfa_.states.size() - 1);
  }

  std::uint32_t add_match(std::uint32_t pattern) {
    NfaState match;
    match.kind = NfaState::Kind::kMatch;
    match.pattern = pattern;
    return add(match);
  }

  std::uint32_t add_assert(Assertion assertion, std::uint32_t next) {
    note_assertion(assertion);
    return add({NfaState::Kind::kAssert, 0, 0, assertion, next});
  }

  /// Entry of a choice between `entries` (at least one).
  std::uint32_t alternatives(const std::vector<std::uint32_t>& entries) {
    std::uint32_t entry = entries.back();
    for (auto e = entries.rbegin() + 1; e != entries.rend(); ++e) entry = split(*e, entry);
    return entry;
  }

  std::uint32_t build_chars(const regex::CodepointSet& chars, std::uint32_t next) {
    std::vector<Utf8Sequence> sequences;
    for (const regex::CodepointRange& range : chars)
      append_utf8_sequences(range.lo, range.hi, sequences);
    if (sequences.empty()) return add({});  // kFail
    std::vector<std::uint32_t> entries;
    for (const Utf8Sequence& sequence : sequences) {
      std::uint32_t state = next;
      for (int i = sequence.length - 1; i >= 0; --i)
        state = add({NfaState::Kind::kByteRange, sequence.bytes[i].lo, sequence.bytes[i].hi,
                     Assertion::kBeginText, state});
      entries.push_back(state);
    }
    return alternatives(entries);
  }

 private:
  std::uint32_t split(std::uint32_t a, std::uint32_t b) {
    NfaState state;
    state.kind = NfaState::Kind::kSplit;
    state.out = a;
    state.out1 = b;
    return add(state);
  }

  std::uint32_t build_alternation(const std::vector<RegexNode>& children, std::uint32_t next) {
    std::vector<std::uint32_t> entries;
    for (const RegexNode& child : children) entries.push_back(build(child, next));
    return alternatives(entries);
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
  const std::uint32_t accept = builder.add_match(nfa.patterns++);
  nfa.starts.push_back(builder.build(pattern, accept));
}

bool is_character_sequence(const regex::RegexNode& pattern) {
  if (pattern.kind == RegexNode::Kind::kChars) return true;
  if (pattern.kind != RegexNode::Kind::kConcat || pattern.children.empty()) return false;
  const auto& c = pattern.children;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].kind == RegexNode::Kind::kChars) continue;
    const bool word_before = i == 0 && c[i].kind == RegexNode::Kind::kAssert &&
                             c[i].assertion == Assertion::kNoWordBefore;
    const bool word_after = i + 1 == c.size() && c[i].kind == RegexNode::Kind::kAssert &&
                            c[i].assertion == Assertion::kNoWordAfter;
    // -w wraps a sequence in a concat of its own.
    const bool nested = c[i].kind == RegexNode::Kind::kConcat && is_character_sequence(c[i]);
    if (!word_before && !word_after && !nested) return false;
  }
  return true;
}

namespace {

/// A pattern flattened to its character sets and -w conditions.
struct Sequence {
  std::vector<const regex::CodepointSet*> chars;
  bool word_before = false;
  bool word_after = false;
};

void flatten(const RegexNode& node, Sequence& out) {
  if (node.kind == RegexNode::Kind::kChars) {
    out.chars.push_back(&node.chars);
  } else if (node.kind == RegexNode::Kind::kAssert) {
    (node.assertion == Assertion::kNoWordBefore ? out.word_before : out.word_after) = true;
  } else {
    for (const RegexNode& child : node.children) flatten(child, out);
  }
}

struct CodepointSetLess {
  bool operator()(const regex::CodepointSet& a, const regex::CodepointSet& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](const regex::CodepointRange& x, const regex::CodepointRange& y) {
          return x.lo != y.lo ? x.lo < y.lo : x.hi < y.hi;
        });
  }
};

struct TrieNode {
  std::map<regex::CodepointSet, std::unique_ptr<TrieNode>, CodepointSetLess> children;
  std::vector<std::pair<std::uint32_t, bool>> ends;  ///< (pattern, needs no word after)
};

}  // namespace

void add_sequences_as_trie(Nfa& nfa, const std::vector<const regex::RegexNode*>& patterns,
                           std::size_t max_states) {
  // Two tries: sequences that need a non-word byte (or the start) before them, and the rest.
  TrieNode roots[2];
  for (const regex::RegexNode* pattern : patterns) {
    Sequence sequence;
    flatten(*pattern, sequence);
    TrieNode* node = &roots[sequence.word_before ? 1 : 0];
    for (const regex::CodepointSet* chars : sequence.chars) {
      std::unique_ptr<TrieNode>& child = node->children[*chars];
      if (!child) child = std::make_unique<TrieNode>();
      node = child.get();
    }
    node->ends.emplace_back(nfa.patterns++, sequence.word_after);
  }
  NfaBuilder builder(nfa, max_states);
  // Back to front: a node's entry is a split over its matches and its edges.
  const std::function<std::uint32_t(const TrieNode&)> emit = [&](const TrieNode& node) {
    std::vector<std::uint32_t> branches;
    for (const auto& [pattern, word_after] : node.ends) {
      const std::uint32_t match = builder.add_match(pattern);
      branches.push_back(word_after ? builder.add_assert(Assertion::kNoWordAfter, match) : match);
    }
    for (const auto& [chars, child] : node.children)
      branches.push_back(builder.build_chars(chars, emit(*child)));
    return builder.alternatives(branches);
  };
  if (!roots[0].children.empty()) nfa.starts.push_back(emit(roots[0]));
  if (!roots[1].children.empty())
    nfa.starts.push_back(builder.add_assert(Assertion::kNoWordBefore, emit(roots[1])));
}

}  // namespace agentsweep::engine
