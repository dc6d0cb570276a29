/** @file
 * Detection rules per line, written once for every backend. A rule is a
 * postfix program over predicate results (host/rules/condition_program.hpp):
 * pattern predicates were found by the pattern engine and stand as bits per
 * line; value predicates are evaluated here, when the program asks for them.
 * The stack is a 64-bit word (rules deeper than that are refused on the host).
 */
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/hash.cuh"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"
#include "kernels/packed_hit.cuh"
#include "kernels/portability.cuh"
#include "kernels/scan_line.cuh"
#include "kernels/value_predicates.cuh"

namespace agentsweep::kernels {

inline constexpr std::uint32_t kMaxConditionDepth = 64;
inline constexpr std::uint32_t kMaxRuleWords = 8;         ///< 512 rules per scan
inline constexpr std::uint32_t kMaxGroupFields = 4;       ///< group-by fields of a correlation
inline constexpr std::uint32_t kMaxCorrelationSlots = 8;  ///< rules of a temporal correlation

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

/// What a correlation row carries besides its group and time.
enum class CorrelationValue : std::uint8_t {
  kNone,       ///< event_count: 0
  kValueHash,  ///< value_count: hash of the counted field's value
  kSlot,       ///< temporal, temporal_ordered: which of its rules matched
  kNumber,     ///< value_sum, value_avg, value_percentile: the field's number, as double bits
};

/// A correlation where backends count for it. Its rules come in slots, one
/// per rule when each rule has its own field names (aliases) or when the
/// correlation asks which rules matched (temporal types), else one slot for
/// all. A slot has its rules as a bit mask and the spans (of a line's located
/// fields) of its group and value fields.
struct CorrelationView {
  std::uint64_t rules[kMaxCorrelationSlots][kMaxRuleWords];
  std::int32_t group_spans[kMaxCorrelationSlots][kMaxGroupFields];
  std::int32_t value_spans[kMaxCorrelationSlots];  ///< -1: counts no field
  std::int32_t slots;
  std::int32_t group_fields;
  CorrelationValue value;
  /// A line counts in every slot whose rules it matched (temporal types), or
  /// only in the first such slot, so that it counts once.
  bool every_slot;
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
  const char* raw = bytes + value.offset;
  if (!value.has_escape) {  // the raw bytes are the decoded value: no decoder step per byte
    for (std::uint32_t i = 0; i < value.length; ++i) hasher.add(static_cast<unsigned char>(raw[i]));
  } else {
    JsonStringDecoder decoder(raw, value.length);
    for (unsigned char byte = 0; decoder.next(byte);) hasher.add(byte);
  }
  hasher.add(0xff);  // never a byte of UTF-8 text: ends the value
}

/// Whether line `index` matched one of `slot`'s rules.
AGENTSWEEP_HD inline bool matched_slot(const CorrelationView& c, std::int32_t slot,
                                       const std::uint64_t* rule_bits, std::uint32_t rule_words,
                                       std::uint32_t index) {
  bool matched = false;
  for (std::uint32_t w = 0; w < rule_words; ++w)
    matched = matched || (rule_bits[std::size_t{index} * rule_words + w] & c.rules[slot][w]);
  return matched;
}

/// Line `index` counts for the correlation in `slot`: an event with a valid
/// time that matched the slot (and no earlier one, unless every_slot), with a
/// value to count where the correlation counts one.
struct IsCorrelated {
  CorrelationView correlation;
  std::int32_t slot;
  const LineRecord* records;
  const std::uint64_t* rule_bits;
  std::uint32_t rule_words;
  const FieldValue* spans;
  int span_fields;
  AGENTSWEEP_HD bool operator()(std::uint32_t index) const {
    const LineRecord& r = records[index];
    if (r.kind != LineKind::kEvent || r.time != TimeStatus::kValid) return false;
    if (!matched_slot(correlation, slot, rule_bits, rule_words, index)) return false;
    if (!correlation.every_slot)
      for (std::int32_t earlier = 0; earlier < slot; ++earlier)
        if (matched_slot(correlation, earlier, rule_bits, rule_words, index)) return false;
    const std::int32_t value_span = correlation.value_spans[slot];
    if (value_span < 0) return true;
    const FieldValue& value = spans[std::size_t{index} * span_fields + value_span];
    return correlation.value == CorrelationValue::kNumber ? value.kind == ValueKind::kNumber
                                                          : has_scalar(value);
  }
};

/// The hash of line `index`'s value of span field `span`: a group key of that
/// field alone, and a counted value's key (GroupKeyOf, CountedValueOf).
struct ValueHashOf {
  const char* bytes;
  const FieldValue* spans;
  int span_fields;
  std::int32_t span;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    EntityHasher hasher;
    hash_value(hasher, bytes, spans[std::size_t{index} * span_fields + span]);
    return hasher.finish();
  }
};

/// The group key of line `index` in `slot` (combined hash of its group field values).
struct GroupKeyOf {
  CorrelationView correlation;
  std::int32_t slot;
  const char* bytes;
  const FieldValue* spans;
  int span_fields;
  /// Per line, ValueHashOf the one group field, hashed for several slots at
  /// once; null: hashed here.
  const std::uint64_t* hashed = nullptr;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    if (hashed != nullptr) return hashed[index];
    EntityHasher hasher;
    for (int f = 0; f < correlation.group_fields; ++f)
      hash_value(hasher, bytes,
                 spans[std::size_t{index} * span_fields + correlation.group_spans[slot][f]]);
    return hasher.finish();
  }
};

/// What line `index` contributes to its row besides the count (see CorrelationValue).
struct CountedValueOf {
  CorrelationView correlation;
  std::int32_t slot;
  const char* bytes;
  const FieldValue* spans;
  int span_fields;
  /// Per line, ValueHashOf the counted field (kValueHash), hashed for several
  /// slots at once; null: hashed here.
  const std::uint64_t* hashed = nullptr;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    if (hashed != nullptr) return hashed[index];
    switch (correlation.value) {
      case CorrelationValue::kNone:
        return 0;
      case CorrelationValue::kSlot:
        return static_cast<std::uint64_t>(slot);
      case CorrelationValue::kValueHash:
      case CorrelationValue::kNumber:
        break;
    }
    const FieldValue& value =
        spans[std::size_t{index} * span_fields + correlation.value_spans[slot]];
    if (correlation.value == CorrelationValue::kNumber) {
      // + 0.0 turns -0.0 into 0.0: one number, one row.
      const double number = read_json_number(bytes + value.offset, value.length).as_double() + 0.0;
      std::uint64_t bits = 0;
      memcpy(&bits, &number, sizeof bits);
      return bits;
    }
    return ValueHashOf{bytes, spans, span_fields, correlation.value_spans[slot]}(index);
  }
};

/// The time of line `index` in milliseconds: correlation windows start at an event's exact time.
struct CorrelationTimeOf {
  const LineRecord* records;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    return static_cast<std::uint64_t>(records[index].time_ms);
  }
};

}  // namespace agentsweep::kernels
