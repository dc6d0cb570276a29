/** @file
 * Detection rules per line, written once for every backend. A rule is a
 * postfix program over predicate results (host/rules/condition_program.hpp):
 * pattern predicates were found by the pattern engine and stand as bits per
 * line; value predicates are evaluated here, when the program asks for them.
 * The stack is a 64-bit word (rules deeper than that are refused on the host).
 */
#pragma once

#include <cstdint>

#include "kernels/hash.cuh"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"
#include "kernels/packed_hit.cuh"
#include "kernels/portability.cuh"
#include "kernels/scan_line.cuh"
#include "kernels/value_predicates.cuh"

namespace agentsweep::kernels {

inline constexpr std::uint32_t kMaxConditionDepth = 64;
inline constexpr std::uint32_t kMaxRuleWords = 8;    ///< 512 rules per scan
inline constexpr std::uint32_t kMaxGroupFields = 4;  ///< group-by fields of a correlation

enum class RuleOpCode : std::uint8_t { kPushPattern, kPushValue, kAnd, kOr, kNot };

struct RuleOp {
  RuleOpCode op = RuleOpCode::kPushPattern;
  std::uint32_t operand = 0;  ///< predicate id of pushes
};

/// The tables of a rule set where a backend runs it.
struct RuleProgramView {
  const RuleOp* code = nullptr;
  const std::uint32_t* rule_begin = nullptr;  ///< rule r: code[rule_begin[r], rule_begin[r + 1])
  const ValuePredicateView* values = nullptr;
  const char* value_text = nullptr;
  const std::uint8_t* alerts = nullptr;  ///< per rule: its matches are findings
  std::uint32_t rules = 0;
  std::uint32_t predicate_words = 0;  ///< 64-bit words of pattern predicate bits per line
  std::uint32_t rule_words = 0;       ///< 64-bit words of rule hit bits per line
};

/// Runs rule `rule` on one event: `pattern_bits` are its predicate words,
/// `fields` its field spans (batch-relative).
AGENTSWEEP_HD inline bool run_rule(const RuleProgramView& program, std::uint32_t rule,
                                   const std::uint64_t* pattern_bits, const char* bytes,
                                   const FieldValue* fields) {
  std::uint64_t stack = 0;  // bit 0 is the top
  for (std::uint32_t i = program.rule_begin[rule]; i < program.rule_begin[rule + 1]; ++i) {
    const RuleOp& in = program.code[i];
    switch (in.op) {
      case RuleOpCode::kPushPattern:
        stack = stack << 1 | ((pattern_bits[in.operand / 64] >> (in.operand % 64)) & 1u);
        break;
      case RuleOpCode::kPushValue:
        stack =
            stack << 1 |
            (evaluate_value(program.values[in.operand], bytes, fields, program.value_text) ? 1u
                                                                                           : 0u);
        break;
      case RuleOpCode::kNot:
        stack ^= 1u;
        break;
      case RuleOpCode::kAnd:
        stack = (stack >> 1) & (stack | ~std::uint64_t{1});
        break;
      case RuleOpCode::kOr:
        stack = (stack >> 1) | (stack & 1u);
        break;
    }
  }
  return (stack & 1u) != 0;
}

/// Mask-mode automaton over rule pattern predicates: sets each matched
/// predicate's bit (pattern_ids are predicate ids) in the line's words.
struct SetPredicateBits {
  const std::uint64_t* masks;
  const std::uint32_t* pattern_ids;
  std::uint64_t* bits;
  std::uint32_t words;
  AGENTSWEEP_HD void operator()(std::uint32_t index) const {
    std::uint64_t* line_bits = bits + static_cast<std::size_t>(index) * words;
    for (std::uint64_t mask = masks[index]; mask != 0; mask &= mask - 1) {
      const std::uint32_t predicate = pattern_ids[lowest_bit(mask)];
      line_bits[predicate / 64] |= std::uint64_t{1} << (predicate % 64);
    }
  }
};

/// Every rule on every event: rule hit bits per line, and the line marked as
/// hit when an alerting rule matched.
struct RunRules {
  RuleProgramView program;
  const char* bytes;
  LineRecord* records;
  const FieldValue* spans;
  int span_fields;
  const std::uint64_t* predicate_bits;
  std::uint64_t* rule_bits;
  AGENTSWEEP_HD void operator()(std::uint32_t index) const {
    std::uint64_t* hits = rule_bits + static_cast<std::size_t>(index) * program.rule_words;
    for (std::uint32_t w = 0; w < program.rule_words; ++w) hits[w] = 0;
    if (records[index].kind != LineKind::kEvent) return;
    const std::uint64_t* line_bits =
        predicate_bits + static_cast<std::size_t>(index) * program.predicate_words;
    const FieldValue* fields = spans + static_cast<std::size_t>(index) * span_fields;
    bool any = false;
    for (std::uint32_t r = 0; r < program.rules; ++r)
      if (run_rule(program, r, line_bits, bytes, fields)) {
        hits[r / 64] |= std::uint64_t{1} << (r % 64);
        any = any || program.alerts[r] != 0;
      }
    if (any) records[index].hit = true;
  }
};

/// Set bits in a line's rule words.
struct RuleBitCount {
  const std::uint64_t* rule_bits;
  std::uint32_t words;
  AGENTSWEEP_HD std::uint32_t operator()(std::uint32_t index) const {
    std::uint32_t count = 0;
    for (std::uint32_t w = 0; w < words; ++w)
      count += static_cast<std::uint32_t>(popcount64(rule_bits[std::size_t{index} * words + w]));
    return count;
  }
};

/// Writes (rule << 32 | line) for every rule hit of line `index` at its slot.
struct ExpandRuleHits {
  const std::uint64_t* rule_bits;
  std::uint32_t words;
  const std::uint32_t* slots;
  std::uint64_t* hits;
  AGENTSWEEP_HD void operator()(std::uint32_t index) const {
    std::uint32_t slot = slots[index];
    for (std::uint32_t w = 0; w < words; ++w)
      for (std::uint64_t bits = rule_bits[std::size_t{index} * words + w]; bits != 0;
           bits &= bits - 1)
        hits[slot++] =
            std::uint64_t{w * 64u + static_cast<std::uint32_t>(lowest_bit(bits))} << 32 | index;
  }
};

/// A correlation where backends count for it: its rules as a bit mask, and
/// the spans (of a line's located fields) of its group and value fields.
struct CorrelationView {
  std::uint64_t rules[kMaxRuleWords];
  std::int32_t group_spans[kMaxGroupFields];
  std::int32_t group_fields;
  std::int32_t value_span;  ///< -1: event_count
};

AGENTSWEEP_HD inline bool has_scalar(const FieldValue& value) {
  return value.kind == ValueKind::kString || value.kind == ValueKind::kNumber ||
         value.kind == ValueKind::kTrue || value.kind == ValueKind::kFalse;
}

/// Hash of a field value for grouping: its kind and decoded text, so "1" and 1
/// and an absent field all differ.
AGENTSWEEP_HD inline void hash_value(EntityHasher& hasher, const char* bytes,
                                     const FieldValue& value) {
  hasher.add(static_cast<unsigned char>(value.kind));
  if (!has_scalar(value)) return;
  JsonStringDecoder decoder(bytes + value.offset, value.length);
  for (unsigned char byte = 0; decoder.next(byte);) hasher.add(byte);
  hasher.add(0xff);  // never a byte of UTF-8 text: ends the value
}

/// Line `index` counts for the correlation: an event with a valid time that
/// one of its rules matched (and, for value_count, a value to count).
struct IsCorrelated {
  CorrelationView correlation;
  const LineRecord* records;
  const std::uint64_t* rule_bits;
  std::uint32_t rule_words;
  const FieldValue* spans;
  int span_fields;
  AGENTSWEEP_HD bool operator()(std::uint32_t index) const {
    const LineRecord& r = records[index];
    if (r.kind != LineKind::kEvent || r.time != TimeStatus::kValid) return false;
    bool matched = false;
    for (std::uint32_t w = 0; w < rule_words; ++w)
      matched = matched || (rule_bits[std::size_t{index} * rule_words + w] & correlation.rules[w]);
    if (!matched) return false;
    return correlation.value_span < 0 ||
           has_scalar(spans[std::size_t{index} * span_fields + correlation.value_span]);
  }
};

/// The group key of line `index` (combined hash of its group field values).
struct GroupKeyOf {
  CorrelationView correlation;
  const char* bytes;
  const FieldValue* spans;
  int span_fields;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    EntityHasher hasher;
    for (int f = 0; f < correlation.group_fields; ++f)
      hash_value(hasher, bytes,
                 spans[std::size_t{index} * span_fields + correlation.group_spans[f]]);
    return hasher.finish();
  }
};

/// The counted value's key of line `index` (0 for event_count).
struct CountedValueOf {
  CorrelationView correlation;
  const char* bytes;
  const FieldValue* spans;
  int span_fields;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    if (correlation.value_span < 0) return 0;
    EntityHasher hasher;
    hash_value(hasher, bytes, spans[std::size_t{index} * span_fields + correlation.value_span]);
    return hasher.finish();
  }
};

}  // namespace agentsweep::kernels
