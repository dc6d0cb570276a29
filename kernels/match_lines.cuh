/** @file
 * The pattern pass of a batch, per line: what a pattern scope (the whole line
 * or one field's decoded value) reads, one automaton's walk summary per line,
 * and the second walk that lists the pattern ids of list-mode automata.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/automaton.cuh"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"
#include "kernels/packed_hit.cuh"
#include "kernels/portability.cuh"
#include "kernels/scan_line.cuh"

namespace agentsweep::kernels {

/// span_index of automata that read the whole raw line.
inline constexpr int kLineScope = -1;

/// Where an automaton reads in each line: the raw line, or field values as
/// ScanLine stored them (strings decoded, numbers and true/false as written;
/// null, containers and absent fields read nothing).
struct PatternScope {
  const char* bytes;
  const LineRecord* records;
  const FieldValue* spans;
  int span_fields;
  int span_index;

  /// Calls `walk(source)` with the line's bytes in scope, if it has any.
  AGENTSWEEP_CALLS_ANY_CALLABLE
  template <class Walk>
  AGENTSWEEP_HD void read(std::uint32_t index, Walk&& walk) const {
    const LineRecord& record = records[index];
    if (span_index == kLineScope) {
      if (record.kind != LineKind::kBlank)
        walk(RawBytes{bytes + record.begin, bytes + record.begin + record.length});
      return;
    }
    if (record.kind != LineKind::kEvent) return;
    const FieldValue& value = spans[static_cast<std::size_t>(index) * span_fields + span_index];
    const char* text = bytes + value.offset;
    switch (value.kind) {
      case ValueKind::kString:
        if (value.has_escape)
          walk(JsonStringDecoder(text, value.length));
        else
          walk(RawBytes{text, text + value.length});
        return;
      case ValueKind::kNumber:
      case ValueKind::kTrue:
      case ValueKind::kFalse:
        walk(RawBytes{text, text + value.length});
        return;
      default:
        return;
    }
  }
};

/// Whether line `index`'s bytes in scope may hold one of the literals of a
/// filter (literal_filter.cuh); false only when they hold none.
struct MayHoldLiteral {
  PatternScope scope;
  LiteralFilterView filter;

  AGENTSWEEP_HD bool operator()(std::uint32_t index) const {
    bool may = false;
    scope.read(index, [&](const auto& source) { may = may_hold(source); });
    return may;
  }
  AGENTSWEEP_HD bool may_hold(const RawBytes& raw) const {
    return filter.may_match(raw.at, static_cast<std::uint32_t>(raw.end - raw.at));
  }
  /// A value with escapes reads decoded bytes: left to the walk.
  AGENTSWEEP_HD bool may_hold(const JsonStringDecoder&) const { return true; }
};

/// `per_line` for the lines listed[i], i in [0, count).
template <class PerLine>
struct AtListedLine {
  PerLine per_line;
  const std::uint32_t* listed;

  AGENTSWEEP_HD void operator()(std::uint32_t i) const { per_line(listed[i]); }
};

/// First walk: per line, the mask-mode bits or the list-mode output count;
/// marks lines with a match as hit (unless the patterns are only rule
/// predicates), and lines whose walk reached the fallback state in `fallback`
/// (their counts stay 0: the host redoes them).
struct SummarizeLine {
  PatternScope scope;
  AutomatonView automaton;
  LineRecord* records;
  std::uint64_t* masks;
  std::uint32_t* output_counts;
  std::uint8_t* fallback;
  bool mark_hits;

  AGENTSWEEP_HD void operator()(std::uint32_t index) const {
    WalkSummary summary;
    scope.read(index, [&](auto source) { summary = summarize_walk(automaton, source); });
    store(index, summary);
  }

  AGENTSWEEP_HD void store(std::uint32_t index, const WalkSummary& summary) const {
    fallback[index] = summary.fallback ? 1 : 0;
    if (automaton.list_mode())
      output_counts[index] = summary.outputs;
    else
      masks[index] = summary.mask;
    if (mark_hits && (summary.mask != 0 || summary.outputs != 0)) records[index].hit = true;
  }
};

/// SummarizeLine for the lines listed[i] (or i when `listed` is null), i in
/// [0, count): the prefilter's candidate lines, or all.
struct SummarizeListedLine {
  SummarizeLine line;
  const std::uint32_t* listed;

  AGENTSWEEP_HD void operator()(std::uint32_t i) const { line(listed ? listed[i] : i); }
};

/// SummarizeListedLine for entries [Ways * group, Ways * group + Ways):
/// whole-line scopes walk interleaved (walk_interleaved), others one by one.
template <int Ways>
struct SummarizeLineGroup {
  SummarizeLine line;
  const std::uint32_t* listed;  ///< line of each entry; null: entry i is line i
  std::uint32_t count;          ///< entries

  AGENTSWEEP_HD std::uint32_t line_of(std::uint32_t entry) const {
    return listed ? listed[entry] : entry;
  }

  AGENTSWEEP_HD void operator()(std::uint32_t group) const {
    const std::uint32_t first = group * Ways;
    bool interleave = line.scope.span_index == kLineScope && first + Ways <= count;
    for (int w = 0; w < Ways && interleave; ++w)
      interleave = line.records[line_of(first + w)].kind != LineKind::kBlank;
    if (!interleave) {
      for (std::uint32_t entry = first; entry < first + Ways && entry < count; ++entry)
        line(line_of(entry));
      return;
    }
    const char* text[Ways];
    std::uint32_t length[Ways];
    WalkSummary summary[Ways];
    for (int w = 0; w < Ways; ++w) {
      const LineRecord& record = line.records[line_of(first + w)];
      text[w] = line.scope.bytes + record.begin;
      length[w] = record.length;
    }
    bool complete[Ways];
    walk_interleaved(line.automaton, text, length, complete, [&](int w, std::uint32_t row) {
      add_to_summary(line.automaton, row, summary[w]);
    });
    for (int w = 0; w < Ways; ++w)
      line.store(line_of(first + w), complete[w] ? summary[w] : WalkSummary{0, 0, true});
  }
};

/// Second walk of a list-mode automaton over the lines [first, ...): writes
/// (line << 32 | pattern id) for every output, at the line's slot of the
/// inclusive scan `output_ends` minus `consumed` (the outputs of earlier chunks).
struct ListLineOutputs {
  PatternScope scope;
  AutomatonView automaton;
  const std::uint64_t* output_ends;
  const std::uint32_t* output_counts;
  std::uint64_t consumed;
  std::uint32_t first;
  std::uint64_t* line_patterns;

  AGENTSWEEP_HD void operator()(std::uint32_t offset) const {
    const std::uint32_t index = first + offset;
    const std::uint32_t count = output_counts[index];
    if (count == 0) return;
    std::uint64_t slot = output_ends[index] - count - consumed;
    const std::uint64_t line_bits = static_cast<std::uint64_t>(index) << 32;
    scope.read(index, [&](auto source) {
      walk_automaton(automaton, source, [&](std::uint32_t row) {
        const std::uint32_t state = automaton.state_of(row);
        for (std::uint32_t o = automaton.output_begin[state]; o < automaton.output_begin[state + 1];
             ++o)
          line_patterns[slot++] = line_bits | automaton.outputs[o];
      });
    });
  }
};

/// A (line, pattern) hit as a count: always a line, an event when the line is one.
struct PatternHit {
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
};

struct PlusPatternHit {
  AGENTSWEEP_HD PatternHit operator()(const PatternHit& a, const PatternHit& b) const {
    return {a.lines + b.lines, a.events + b.events};
  }
};

/// (line << 32 | pattern) into a packed hit (pattern << 32 | line, packed_hit.cuh).
struct PatternFirst {
  AGENTSWEEP_HD std::uint64_t operator()(std::uint64_t line_pattern) const {
    return line_pattern << 32 | line_pattern >> 32;
  }
};

/// One line, and one event when the line is one.
struct CountOfHit {
  const LineRecord* records;
  AGENTSWEEP_HD PatternHit operator()(std::uint64_t hit) const {
    return {1, records[hit & 0xffffffffu].kind == LineKind::kEvent ? 1u : 0u};
  }
};

struct IsSet {
  AGENTSWEEP_HD bool operator()(std::uint8_t flag) const { return flag != 0; }
};

struct WidenCount {
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t count) const { return count; }
};

struct MaskPopcount {
  AGENTSWEEP_HD std::uint32_t operator()(std::uint64_t mask) const {
    return static_cast<std::uint32_t>(popcount64(mask));
  }
};

/// Mask mode: writes the packed hit of every set bit of line `index`'s mask
/// at the line's slot of the exclusive scan.
struct ExpandMaskHits {
  const std::uint64_t* masks;
  const std::uint32_t* slots;
  const std::uint32_t* pattern_ids;
  std::uint64_t* hits;

  AGENTSWEEP_HD void operator()(std::uint32_t index) const {
    std::uint32_t slot = slots[index];
    for (std::uint64_t mask = masks[index]; mask != 0; mask &= mask - 1)
      hits[slot++] = std::uint64_t{pattern_ids[lowest_bit(mask)]} << 32 | index;
  }
};

}  // namespace agentsweep::kernels
