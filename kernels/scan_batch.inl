/** @file
 * The batch algorithm, written once over a Thrust system and instantiated by
 * each backend: thrust::omp on the CPU (cpu/cpu_backend.cpp), thrust::cuda on
 * the GPU (cuda/cuda_backend.cu). A System provides `policy()` and
 * `vector<T>`, a container whose memory lives where the policy runs.
 *
 *   fields     one ScanLine per line: validate JSON, locate and hash entities
 *   match      per scope, one literal prefilter pass (kernels/prefilter.cuh)
 *              marks candidate lines; then one pass per automaton
 *              (kernels/match_lines.cuh) over its candidates, or every line
 *              its literal filter passes (kernels/literal_filter.cuh), or every
 *              line: masks or (line, pattern) pairs -> lines and events per pattern
 *   aggregate  rows per agent, per (operator | key | address, agent) and per
 *              (agent, second): sorted and reduced by key (sort +
 *              reduce_by_key), or one per event (System::rows, batch_rows.hpp)
 *
 * Line ends come with the batch (found by the host batcher in the pass that
 * counts lines).
 */
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <thrust/binary_search.h>
#include <thrust/copy.h>
#include <thrust/count.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/gather.h>
#include <thrust/iterator/constant_iterator.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/permutation_iterator.h>
#include <thrust/iterator/transform_iterator.h>
#include <thrust/iterator/zip_iterator.h>
#include <thrust/reduce.h>
#include <thrust/scan.h>
#include <thrust/sequence.h>
#include <thrust/sort.h>
#include <thrust/transform.h>
#include <thrust/transform_reduce.h>
#include <thrust/transform_scan.h>
#include <thrust/unique.h>

#include "host/engine/backend.hpp"
#include "kernels/batch_reduce.cuh"
#include "kernels/batch_rows.hpp"
#include "kernels/match_lines.cuh"
#include "kernels/prefilter.cuh"
#include "kernels/rule_program.cuh"
#include "kernels/scan_line.cuh"

namespace agentsweep::kernels {

/// A container of T in the memory that System's policy works on.
template <class System, class T>
using SystemVector = typename System::template vector<T>;

/// A ScanPlan's tables copied into a System's memory.
template <class System>
struct LoadedPlan {
  template <class T>
  using Vector = SystemVector<System, T>;

  struct Automaton {
    Vector<std::uint8_t> byte_class;
    Vector<std::uint32_t> next;
    Vector<std::uint64_t> masks;
    Vector<std::uint32_t> output_begin;
    Vector<std::uint32_t> outputs;
    Vector<std::uint32_t> pattern_ids;
    Vector<std::uint64_t> filter_words;  ///< literal filter (literal_filter.cuh)
    Vector<std::uint32_t> filter_buckets;
    Vector<FilterEntry> filter_entries;
    Vector<char> filter_text;
    const engine::Automaton* host = nullptr;  ///< for lines too large for the hit buffer
    AutomatonView view;
    int span_index = kLineScope;
  };

  /// A scope's prefilter: slot s stands for automata[slot_automata[s]].
  struct Prefilter {
    Automaton automaton;
    std::vector<std::uint32_t> slot_automata;
  };

  /// A compiled PatternSet: the scan's patterns, or the rules' predicates.
  struct Set {
    std::vector<Automaton> automata;
    std::vector<Prefilter> prefilters;
    std::vector<bool> prefiltered;  ///< per automaton: runs on a prefilter's candidates only
    /// Index of prefilters[0] in a lane's BatchWorkspace::prefilter_rest.
    std::size_t first_rest = 0;

    bool any_filter() const {
      return std::any_of(automata.begin(), automata.end(),
                         [](const Automaton& a) { return a.view.filter.present(); });
    }
  };

  Vector<char> path_text;
  FieldPathsView paths;
  EntityFields entities;
  int first_span_field = EntityFields::kCount;
  int span_fields = 0;
  Set patterns;
  Set predicates;  ///< rule pattern predicates, mask mode
  Vector<RuleOp> rule_code;
  Vector<std::uint32_t> rule_begin;
  Vector<ValuePredicateView> rule_values;
  Vector<char> rule_value_text;
  Vector<std::uint8_t> rule_alerts;
  RuleProgramView rules;
  std::vector<CorrelationView> correlations;
  /// Span fields whose value hash (a group key of that field alone, a counted
  /// value) two or more correlation slots take: hashed once per line, into
  /// column i of BatchWorkspace::value_hashes for hashed_spans[i].
  std::vector<std::int32_t> hashed_spans;
  std::uint32_t evidence_per_rule = 0;

  /// Working memory per line of a batch that this plan adds to every scan:
  /// located field spans, bit words per line (prefilter candidates, rule
  /// predicates, rules), and a list of the lines a prefilter or literal
  /// filter passes.
  std::size_t bytes_per_line() const {
    std::size_t candidate_words = 0;
    bool lists_lines = false;
    for (const Set* set : {&patterns, &predicates}) {
      for (const Prefilter& p : set->prefilters)
        candidate_words =
            std::max<std::size_t>(candidate_words, (p.slot_automata.size() + 63) / 64);
      lists_lines = lists_lines || !set->prefilters.empty() || set->any_filter();
    }
    return std::size_t(span_fields) * sizeof(FieldValue) +
           (candidate_words + rules.predicate_words + rules.rule_words + hashed_spans.size()) *
               sizeof(std::uint64_t) +
           (lists_lines ? sizeof(std::uint32_t) : 0);
  }

  void load(const engine::ScanPlan& plan) {
    const std::string& text = plan.fields.segment_text();
    path_text = Vector<char>(text.begin(), text.end());
    paths = plan.fields.view(thrust::raw_pointer_cast(path_text.data()));
    entities = plan.entities;
    span_fields = paths.count - first_span_field;
    load_set(plan.patterns, patterns);
    load_set(plan.rules.predicates, predicates);
    predicates.first_rest = patterns.prefilters.size();

    const engine::RulePlan& r = plan.rules;
    rule_code = Vector<RuleOp>(r.code.begin(), r.code.end());
    rule_begin = Vector<std::uint32_t>(r.rule_begin.begin(), r.rule_begin.end());
    rule_values = Vector<ValuePredicateView>(r.values.begin(), r.values.end());
    rule_value_text = Vector<char>(r.value_text.begin(), r.value_text.end());
    rules.code = thrust::raw_pointer_cast(rule_code.data());
    rules.rule_begin = thrust::raw_pointer_cast(rule_begin.data());
    rules.values = thrust::raw_pointer_cast(rule_values.data());
    rules.value_text = thrust::raw_pointer_cast(rule_value_text.data());
    rule_alerts = Vector<std::uint8_t>(r.alerts.begin(), r.alerts.end());
    rules.alerts = thrust::raw_pointer_cast(rule_alerts.data());
    correlations = r.correlations;
    hashed_spans = shared_value_hashes(correlations);
    rules.rules = r.rules;
    rules.predicate_words = std::max<std::uint32_t>(r.predicate_words, 1);
    rules.rule_words = r.rule_words;
    evidence_per_rule = r.evidence_per_rule;
  }

 private:
  static std::vector<std::int32_t> shared_value_hashes(
      const std::vector<CorrelationView>& correlations) {
    std::vector<std::int32_t> uses;  // a span field for each slot that hashes it alone
    for (const CorrelationView& c : correlations)
      for (std::int32_t slot = 0; slot < c.slots; ++slot) {
        if (c.group_fields == 1 && c.group_spans[slot][0] >= 0)
          uses.push_back(c.group_spans[slot][0]);
        if (c.value == CorrelationValue::kValueHash && c.value_spans[slot] >= 0)
          uses.push_back(c.value_spans[slot]);
      }
    std::sort(uses.begin(), uses.end());
    std::vector<std::int32_t> shared;
    for (std::size_t i = 1; i < uses.size(); ++i)
      if (uses[i] == uses[i - 1] && (shared.empty() || shared.back() != uses[i]))
        shared.push_back(uses[i]);
    return shared;
  }

  void load_set(const engine::PatternSet& set, Set& loaded) {
    loaded.automata.clear();
    loaded.automata.reserve(set.automata.size());
    for (const engine::Automaton& a : set.automata)
      load_automaton(a, loaded.automata.emplace_back());
    loaded.prefilters.clear();
    loaded.prefilters.reserve(set.prefilters.size());  // views point into the elements
    loaded.prefiltered.assign(set.automata.size(), false);
    for (const engine::Prefilter& p : set.prefilters) {
      Prefilter& prefilter = loaded.prefilters.emplace_back();
      load_automaton(p.automaton, prefilter.automaton);
      prefilter.slot_automata = p.slot_automata;
      for (std::uint32_t a : p.slot_automata) loaded.prefiltered[a] = true;
    }
  }

  void load_automaton(const engine::Automaton& a, Automaton& loaded) {
    loaded.byte_class = Vector<std::uint8_t>(a.byte_class.begin(), a.byte_class.end());
    loaded.next = Vector<std::uint32_t>(a.next.begin(), a.next.end());
    loaded.masks = Vector<std::uint64_t>(a.masks.begin(), a.masks.end());
    loaded.output_begin = Vector<std::uint32_t>(a.output_begin.begin(), a.output_begin.end());
    loaded.outputs = Vector<std::uint32_t>(a.outputs.begin(), a.outputs.end());
    loaded.pattern_ids = Vector<std::uint32_t>(a.pattern_ids.begin(), a.pattern_ids.end());
    loaded.host = &a;
    loaded.span_index = a.field == engine::kWholeLine ? kLineScope : a.field - first_span_field;
    AutomatonView& v = loaded.view;
    v = a.view();
    v.byte_class = thrust::raw_pointer_cast(loaded.byte_class.data());
    v.next = thrust::raw_pointer_cast(loaded.next.data());
    v.masks = a.list_mode() ? nullptr : thrust::raw_pointer_cast(loaded.masks.data());
    v.output_begin = a.list_mode() ? thrust::raw_pointer_cast(loaded.output_begin.data()) : nullptr;
    v.outputs = thrust::raw_pointer_cast(loaded.outputs.data());
    const engine::LiteralFilter& filter = a.literal_filter;
    loaded.filter_words = Vector<std::uint64_t>(filter.words.begin(), filter.words.end());
    loaded.filter_buckets =
        Vector<std::uint32_t>(filter.bucket_begin.begin(), filter.bucket_begin.end());
    loaded.filter_entries = Vector<FilterEntry>(filter.entries.begin(), filter.entries.end());
    loaded.filter_text = Vector<char>(filter.text.begin(), filter.text.end());
    if (filter.present()) {
      v.filter.words = thrust::raw_pointer_cast(loaded.filter_words.data());
      v.filter.bucket_begin = thrust::raw_pointer_cast(loaded.filter_buckets.data());
      v.filter.entries = thrust::raw_pointer_cast(loaded.filter_entries.data());
      v.filter.text = thrust::raw_pointer_cast(loaded.filter_text.data());
    }
  }
};

/// Scratch memory reused from batch to batch, so steady state allocates
/// nothing (on the GPU, no cudaMalloc per batch). Grows to the largest batch.
template <class System>
struct BatchWorkspace {
  SystemVector<System, std::uint32_t> line_ends;
  SystemVector<System, LineRecord> records;
  SystemVector<System, FieldValue> spans;
  SystemVector<System, std::uint64_t> masks;
  SystemVector<System, std::uint32_t> output_counts;
  SystemVector<System, std::uint8_t> fallback;
  SystemVector<System, std::uint64_t> candidate_bits;
  SystemVector<System, std::uint32_t> candidates;
  SystemVector<System, std::uint64_t> output_ends;
  SystemVector<System, std::uint32_t> slots;
  SystemVector<System, std::uint64_t> hits;
  SystemVector<System, std::uint32_t> unique_patterns;
  SystemVector<System, PatternHit> pattern_hits;
  SystemVector<System, std::uint32_t> line_index;
  SystemVector<System, std::uint64_t> keys;
  SystemVector<System, std::uint64_t> second_keys;
  SystemVector<System, std::uint64_t> unique_keys;
  SystemVector<System, std::uint64_t> unique_second_keys;
  SystemVector<System, EntityRow> merged;
  SystemVector<System, std::uint64_t> predicate_bits;
  SystemVector<System, std::uint64_t> rule_bits;
  SystemVector<System, std::uint64_t> third_keys;
  SystemVector<System, std::uint64_t> unique_third_keys;
  SystemVector<System, std::uint64_t> value_hashes;  ///< LoadedPlan::hashed_spans' columns
  SystemVector<System, std::uint32_t> sort_order;    ///< sort_columns' permutation
  SystemVector<System, std::uint64_t> sort_scratch;  ///< one column, gathered
  SystemVector<System, std::uint32_t> payload_scratch;
  SystemVector<System, std::uint64_t> group_events;
  SystemVector<System, std::uint32_t> group_lines;
  SystemVector<System, FieldValue> group_values;
  SystemVector<System, IdCopies> id_copies;  ///< BatchRows::kPerEvent only
  /// Per prefilter (the patterns', then the predicates'): batches left in
  /// which it rests (kPrefilterRest).
  std::vector<std::uint32_t> prefilter_rest;
};

namespace detail {

/// Raw pointer to at least `count` elements of `v`, growing it if needed.
template <class Vec>
auto* at_least(Vec& v, std::size_t count) {
  if (v.size() < count) v.resize(count);
  return thrust::raw_pointer_cast(v.data());
}

template <class T, class System>
std::vector<T> to_host(const SystemVector<System, T>& v, std::size_t count) {
  std::vector<T> host(count);
  thrust::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(count), host.begin());
  return host;
}

/// Reorders `n` rows held as 64-bit columns (and a line-index payload, when
/// not null) so that the columns ascend, the first most significant, ties in
/// their present order. One stable sort per column, least significant first:
/// plain integer keys get radix sorts on both backends, where a tuple key
/// gets a merge sort.
template <class System, std::size_t Columns>
void sort_columns(System& system, BatchWorkspace<System>& ws, std::size_t n,
                  const std::array<std::uint64_t*, Columns>& columns, std::uint32_t* payload) {
  auto policy = system.policy();
  std::uint32_t* order = at_least(ws.sort_order, n);
  std::uint64_t* scratch = at_least(ws.sort_scratch, n);
  thrust::sequence(policy, order, order + n);
  for (std::size_t c = Columns; c-- > 0;) {
    thrust::gather(policy, order, order + n, columns[c], scratch);
    thrust::stable_sort_by_key(policy, scratch, scratch + n, order);
  }
  // The last sort left the first column in order; the others follow `order`.
  thrust::copy(policy, scratch, scratch + n, columns[0]);
  for (std::size_t c = 1; c < Columns; ++c) {
    thrust::gather(policy, order, order + n, columns[c], scratch);
    thrust::copy(policy, scratch, scratch + n, columns[c]);
  }
  if (payload == nullptr) return;
  std::uint32_t* moved = at_least(ws.payload_scratch, n);
  thrust::gather(policy, order, order + n, payload, moved);
  thrust::copy(policy, moved, moved + n, payload);
}

inline engine::IdSpan id_span(const EntityRow& row) {
  return {row.offset, row.length, row.escaped};
}

inline engine::IdSpan id_span(const EntityRef& ref) {
  return {ref.offset, ref.length, ref.escaped != 0};
}

/// The span of `ref`, with its copy when ScanLine made one. The whole width is
/// copied, a fixed-size move: bytes past the id's length are never read.
inline engine::IdSpan id_span(const EntityRef& ref, const char* copy) {
  engine::IdSpan span = id_span(ref);
  if (ref.length <= kIdCopyBytes) {
    span.copied = true;
    memcpy(span.raw, copy, kIdCopyBytes);
  }
  return span;
}

/// Events per (agent, rule or pattern) of packed hits (id << 32 | line), into
/// `tallies`; lines without an agent are left out.
template <class System>
void tally_per_agent(System& system, BatchWorkspace<System>& ws, const std::uint64_t* hits,
                     std::size_t count, std::vector<engine::AgentMatchTally>& tallies) {
  if (count == 0) return;
  auto policy = system.policy();
  std::uint64_t* agents = at_least(ws.keys, count);
  std::uint64_t* ids = at_least(ws.second_keys, count);
  const LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  thrust::transform(policy, hits, hits + count, agents, AgentOfHit{records});
  thrust::transform(policy, hits, hits + count, ids, IdOfHit{});
  const auto pairs = thrust::make_zip_iterator(agents, ids);
  const auto end = static_cast<std::ptrdiff_t>(count);
  sort_columns<System, 2>(system, ws, count, {agents, ids}, nullptr);
  std::uint64_t* unique_agents = at_least(ws.unique_keys, count);
  std::uint64_t* unique_ids = at_least(ws.unique_second_keys, count);
  std::uint64_t* events = at_least(ws.group_events, count);
  const auto reduced = thrust::reduce_by_key(
      policy, pairs, pairs + end, thrust::make_constant_iterator(std::uint64_t{1}),
      thrust::make_zip_iterator(unique_agents, unique_ids), events);
  const auto rows = static_cast<std::size_t>(reduced.second - events);
  const auto agent = to_host<std::uint64_t, System>(ws.unique_keys, rows);
  const auto id = to_host<std::uint64_t, System>(ws.unique_second_keys, rows);
  const auto n = to_host<std::uint64_t, System>(ws.group_events, rows);
  for (std::size_t i = 0; i < rows; ++i)
    if (agent[i] != kNoEntity)
      tallies.push_back({agent[i], static_cast<std::uint32_t>(id[i]), n[i]});
}

/// Sorts packed hits (pattern << 32 | line, each pair once) and adds them up
/// per pattern, and per agent and pattern, into `result`.
template <class System>
void tally_hits(System& system, BatchWorkspace<System>& ws, std::uint64_t* hits, std::size_t count,
                engine::BatchResult& result) {
  if (count == 0) return;
  auto policy = system.policy();
  thrust::sort(policy, hits, hits + count);
  std::uint32_t* unique = at_least(ws.unique_patterns, count);
  PatternHit* sums = at_least(ws.pattern_hits, count);
  const CountOfHit count_of{thrust::raw_pointer_cast(ws.records.data())};
  const auto ends =
      thrust::reduce_by_key(policy, thrust::make_transform_iterator(hits, IdOfHit{}),
                            thrust::make_transform_iterator(hits + count, IdOfHit{}),
                            thrust::make_transform_iterator(hits, count_of), unique, sums,
                            thrust::equal_to<std::uint32_t>(), PlusPatternHit{});
  const auto found = static_cast<std::size_t>(ends.first - unique);
  const auto ids = to_host<std::uint32_t, System>(ws.unique_patterns, found);
  const auto counted = to_host<PatternHit, System>(ws.pattern_hits, found);
  for (std::size_t i = 0; i < found; ++i)
    result.patterns.push_back({ids[i], counted[i].lines, counted[i].events});
  tally_per_agent(system, ws, hits, count, result.agent_patterns);
}

/// Mask mode: per-line masks expanded into packed hits (exclusive scan of
/// popcounts, scatter), then tallied.
template <class System>
void tally_mask_hits(System& system, BatchWorkspace<System>& ws,
                     const typename LoadedPlan<System>::Automaton& automaton, std::uint32_t lines,
                     engine::BatchResult& result) {
  auto policy = system.policy();
  const std::uint64_t* masks = thrust::raw_pointer_cast(ws.masks.data());
  const std::uint64_t count =
      thrust::transform_reduce(policy, masks, masks + lines, MaskPopcount{}, std::uint64_t{0},
                               thrust::plus<std::uint64_t>());
  if (count == 0) return;
  std::uint32_t* slots = at_least(ws.slots, lines);
  thrust::transform_exclusive_scan(policy, masks, masks + lines, slots, MaskPopcount{},
                                   std::uint32_t{0}, thrust::plus<std::uint32_t>());
  std::uint64_t* hits = at_least(ws.hits, count);
  thrust::for_each(
      policy, thrust::make_counting_iterator<std::uint32_t>(0),
      thrust::make_counting_iterator(lines),
      ExpandMaskHits{masks, slots, thrust::raw_pointer_cast(automaton.pattern_ids.data()), hits});
  tally_hits(system, ws, hits, count, result);
}

/// What `scope` reads of line `index`, from the host copy of the batch;
/// false when the line has nothing in scope.
template <class System>
bool scope_text_on_host(BatchWorkspace<System>& ws, const PatternScope& scope,
                        const io::Batch& batch, std::uint32_t index, std::string& text) {
  const LineRecord record = ws.records[index];
  std::vector<FieldValue> spans(static_cast<std::size_t>(scope.span_fields));
  const auto first_span = ws.spans.begin() + static_cast<std::ptrdiff_t>(index) * scope.span_fields;
  thrust::copy(first_span, first_span + scope.span_fields, spans.begin());
  // The line as line 0 of a one-line view over the host copy of the batch.
  const PatternScope host_scope{batch.data.get(), &record, spans.data(), scope.span_fields,
                                scope.span_index};
  bool in_scope = false;
  host_scope.read(0, [&](auto source) {
    in_scope = true;
    for (unsigned char byte = 0; source.next(byte);) text.push_back(static_cast<char>(byte));
  });
  return in_scope;
}

/// One line counted on the host, exactly (engine::match_text): a list-mode
/// line whose outputs alone exceed the hit buffer (e.g. a multi-megabyte line
/// that matches at every byte), or a line on which a DFA fell back. Marks the
/// line as hit on the backend when something matched.
template <class System>
void tally_line_on_host(BatchWorkspace<System>& ws, const PatternScope& scope,
                        const typename LoadedPlan<System>::Automaton& automaton,
                        const io::Batch& batch, std::uint32_t index, engine::BatchResult& result) {
  std::string text;
  if (!scope_text_on_host(ws, scope, batch, index, text)) return;
  const std::vector<std::uint32_t> found = engine::match_text(*automaton.host, text);
  if (found.empty()) return;
  LineRecord record = ws.records[index];
  const std::uint64_t event = record.kind == LineKind::kEvent ? 1 : 0;
  for (std::uint32_t pattern : found) {
    result.patterns.push_back({pattern, 1, event});
    if (record.agent.key != kNoEntity)
      result.agent_patterns.push_back({record.agent.key, pattern, 1});
  }
  record.hit = true;
  ws.records[index] = record;
}

/// Lines whose walk reached the DFA's fallback state, redone on the host.
template <class System>
void tally_fallback_lines(System& system, BatchWorkspace<System>& ws, const PatternScope& scope,
                          const typename LoadedPlan<System>::Automaton& automaton,
                          const io::Batch& batch, std::uint32_t lines,
                          engine::BatchResult& result) {
  auto policy = system.policy();
  const std::uint8_t* fallback = thrust::raw_pointer_cast(ws.fallback.data());
  const auto count =
      static_cast<std::size_t>(thrust::count(policy, fallback, fallback + lines, std::uint8_t{1}));
  if (count == 0) return;
  result.host_walks += count;
  std::uint32_t* index = at_least(ws.line_index, count);
  thrust::copy_if(policy, thrust::make_counting_iterator<std::uint32_t>(0),
                  thrust::make_counting_iterator(lines), fallback, index, IsSet{});
  for (const std::uint32_t line : to_host<std::uint32_t, System>(ws.line_index, count))
    tally_line_on_host(ws, scope, automaton, batch, line, result);
}

/**
 * List mode: a second walk of the lines with outputs writes (line, pattern)
 * pairs, which are sorted, made unique and tallied. The pair buffer holds at
 * most a quarter of the batch's byte count (at least 4096), so memory is
 * bounded by --batch-size: lines are taken in chunks that fit, and a single
 * line that does not fit is done on the host.
 */
template <class System>
void tally_list_hits(System& system, BatchWorkspace<System>& ws, const PatternScope& scope,
                     const typename LoadedPlan<System>::Automaton& automaton,
                     const io::Batch& batch, std::uint32_t lines, engine::BatchResult& result) {
  auto policy = system.policy();
  const std::uint32_t* counts = thrust::raw_pointer_cast(ws.output_counts.data());
  std::uint64_t* ends = at_least(ws.output_ends, lines);
  thrust::inclusive_scan(policy, thrust::make_transform_iterator(counts, WidenCount{}),
                         thrust::make_transform_iterator(counts + lines, WidenCount{}), ends);
  const std::uint64_t total = ws.output_ends[lines - 1];
  if (total == 0) return;
  const std::uint64_t capacity = std::max<std::uint64_t>(batch.size / 4, 4096);
  std::uint64_t* pairs = at_least(ws.hits, std::min(total, capacity));
  std::uint32_t first = 0;
  std::uint64_t consumed = 0;
  while (first < lines) {
    const auto last = static_cast<std::uint32_t>(
        thrust::upper_bound(policy, ends + first, ends + lines, consumed + capacity) - ends);
    if (last == first) {  // line `first` alone does not fit
      ++result.host_walks;
      tally_line_on_host(ws, scope, automaton, batch, first, result);
      consumed = ws.output_ends[first];
      ++first;
      continue;
    }
    const std::uint64_t chunk_end = ws.output_ends[last - 1];
    const std::size_t count = chunk_end - consumed;
    thrust::for_each(policy, thrust::make_counting_iterator<std::uint32_t>(0),
                     thrust::make_counting_iterator(last - first),
                     ListLineOutputs{scope, automaton.view, ends, counts, consumed, first, pairs});
    thrust::sort(policy, pairs, pairs + count);
    const std::size_t unique =
        static_cast<std::size_t>(thrust::unique(policy, pairs, pairs + count) - pairs);
    thrust::transform(policy, pairs, pairs + unique, pairs, PatternFirst{});
    tally_hits(system, ws, pairs, unique, result);
    consumed = chunk_end;
    first = last;
  }
}

/// `summarize` over the `count` lines `listed` (null: lines 0 .. count):
/// interleaved walks where the System asks for them.
template <class System>
void summarize_lines(System& system, const SummarizeLine& summarize, std::uint32_t count,
                     const std::uint32_t* listed = nullptr) {
  constexpr int kWays = System::kInterleavedWalks;
  if constexpr (kWays > 1) {
    const std::uint32_t groups = (count + kWays - 1) / kWays;
    thrust::for_each(system.policy(), thrust::make_counting_iterator<std::uint32_t>(0),
                     thrust::make_counting_iterator(groups),
                     SummarizeLineGroup<kWays>{summarize, listed, count});
  } else {
    thrust::for_each(system.policy(), thrust::make_counting_iterator<std::uint32_t>(0),
                     thrust::make_counting_iterator(count), SummarizeListedLine{summarize, listed});
  }
}

/// What `summarize` stores for a line it does not walk: nothing found.
template <class System>
void clear_summaries(System& system, const SummarizeLine& summarize, std::uint32_t lines) {
  auto policy = system.policy();
  thrust::fill(policy, summarize.fallback, summarize.fallback + lines, std::uint8_t{0});
  if (summarize.automaton.list_mode())
    thrust::fill(policy, summarize.output_counts, summarize.output_counts + lines,
                 std::uint32_t{0});
  else
    thrust::fill(policy, summarize.masks, summarize.masks + lines, std::uint64_t{0});
}

/// The lines [0, lines) whose bytes in `scope` pass `automaton`'s literal
/// filter (literal_filter.cuh), in order, in ws.candidates, and their `count`;
/// null and `count` = lines when it has none (every line is walked).
template <class System>
const std::uint32_t* filtered_lines(System& system, BatchWorkspace<System>& ws,
                                    const PatternScope& scope, const AutomatonView& automaton,
                                    std::uint32_t lines, std::uint32_t& count) {
  count = lines;
  if (!automaton.filter.present()) return nullptr;
  std::uint32_t* passed = at_least(ws.candidates, lines);
  count = static_cast<std::uint32_t>(
      thrust::copy_if(system.policy(), thrust::make_counting_iterator<std::uint32_t>(0),
                      thrust::make_counting_iterator(lines), passed,
                      MayHoldLiteral{scope, automaton.filter}) -
      passed);
  return passed;
}

/// `summarize` over the `count` lines `candidates`, or, when null, over every
/// line its automaton's literal filter passes (every line without a filter).
/// Lines not walked summarize to nothing.
template <class System>
void summarize_candidates(System& system, BatchWorkspace<System>& ws,
                          const SummarizeLine& summarize, std::uint32_t lines,
                          const std::uint32_t* candidates, std::uint32_t count) {
  if (candidates == nullptr)
    candidates = filtered_lines(system, ws, summarize.scope, summarize.automaton, lines, count);
  if (candidates != nullptr) clear_summaries(system, summarize, lines);
  summarize_lines(system, summarize, count, candidates);
}

/// One automaton over the `candidate_count` lines `candidates` (null: every
/// line, summarize_candidates): walk summaries, then tallies per pattern.
template <class System>
void match_automaton(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
                     const typename LoadedPlan<System>::Automaton& automaton,
                     const io::Batch& batch, const char* bytes, std::uint32_t lines,
                     engine::BatchResult& result, const std::uint32_t* candidates,
                     std::uint32_t candidate_count) {
  LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  const PatternScope scope{bytes, records, thrust::raw_pointer_cast(ws.spans.data()),
                           plan.span_fields, automaton.span_index};
  std::uint64_t* masks = at_least(ws.masks, lines);
  std::uint32_t* counts = at_least(ws.output_counts, lines);
  std::uint8_t* fallback = at_least(ws.fallback, lines);
  const SummarizeLine summarize{scope, automaton.view, records, masks, counts, fallback, true};
  summarize_candidates(system, ws, summarize, lines, candidates, candidate_count);
  if (automaton.view.list_mode())
    tally_list_hits(system, ws, scope, automaton, batch, lines, result);
  else
    tally_mask_hits(system, ws, automaton, lines, result);
  if (automaton.view.fallback_row != kNoFallback)
    tally_fallback_lines(system, ws, scope, automaton, batch, lines, result);
}

/// A scope's prefilter over every line (over the lines its literal filter
/// passes, when it has one): per line, a bit per slot in ws.candidate_bits.
/// Returns, per word of slots, the OR over lines: the slots with candidates.
template <class System>
std::vector<std::uint64_t> mark_candidates(System& system, BatchWorkspace<System>& ws,
                                           const LoadedPlan<System>& plan,
                                           const typename LoadedPlan<System>::Prefilter& prefilter,
                                           const char* bytes, std::uint32_t lines) {
  using thrust::make_counting_iterator;
  auto policy = system.policy();
  LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  const PatternScope scope{bytes, records, thrust::raw_pointer_cast(ws.spans.data()),
                           plan.span_fields, prefilter.automaton.span_index};
  const auto slots = static_cast<std::uint32_t>(prefilter.slot_automata.size());
  const std::uint32_t words = (slots + 63) / 64;
  std::uint64_t* bits = at_least(ws.candidate_bits, std::size_t{lines} * words);
  const MarkCandidates mark{scope, prefilter.automaton.view, bits, words};
  std::uint32_t passed = 0;
  if (const std::uint32_t* listed =
          filtered_lines(system, ws, scope, prefilter.automaton.view, lines, passed)) {
    // Lines the filter rules out hold no factor: they have no candidates.
    thrust::fill(policy, bits, bits + std::size_t{lines} * words, std::uint64_t{0});
    thrust::for_each(policy, make_counting_iterator<std::uint32_t>(0),
                     make_counting_iterator(passed), AtListedLine<MarkCandidates>{mark, listed});
  } else {
    thrust::for_each(policy, make_counting_iterator<std::uint32_t>(0),
                     make_counting_iterator(lines), mark);
  }
  std::vector<std::uint64_t> any_line(words);
  for (std::uint32_t w = 0; w < words; ++w)
    any_line[w] = thrust::transform_reduce(
        policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
        CandidateWord{bits, words, w}, std::uint64_t{0}, thrust::bit_or<std::uint64_t>());
  return any_line;
}

/// For each slot of `prefilter` with candidates after mark_candidates:
/// `walk(automaton index, candidate lines, their count)`.
template <class System, class Walk>
void each_candidate_slot(System& system, BatchWorkspace<System>& ws,
                         const typename LoadedPlan<System>::Prefilter& prefilter,
                         const std::vector<std::uint64_t>& any_line, std::uint32_t lines,
                         Walk&& walk) {
  using thrust::make_counting_iterator;
  const auto slots = static_cast<std::uint32_t>(prefilter.slot_automata.size());
  const std::uint32_t words = (slots + 63) / 64;
  const std::uint64_t* bits = thrust::raw_pointer_cast(ws.candidate_bits.data());
  std::uint32_t* candidates = at_least(ws.candidates, lines);
  for (std::uint32_t slot = 0; slot < slots; ++slot) {
    if ((any_line[slot / 64] >> (slot % 64) & 1u) == 0) continue;
    const auto count = static_cast<std::uint32_t>(
        thrust::copy_if(system.policy(), make_counting_iterator<std::uint32_t>(0),
                        make_counting_iterator(lines), candidates, IsCandidate{bits, words, slot}) -
        candidates);
    walk(prefilter.slot_automata[slot], candidates, count);
  }
}

/// Batches a prefilter rests after one in which its automata's candidates
/// were more than half of their lines: a factor that most lines hold (a key
/// name, for a regex over the raw line) makes the prefilter's walk cost more
/// than it saves. Resting, its automata walk every line; every 16th batch
/// tries it again, as the logs may change. Counts never depend on it.
inline constexpr std::uint32_t kPrefilterRest = 15;

/// `walk(automaton, candidates, count)` for each automaton of prefilter
/// `which` (ws.prefilter_rest's index) over its candidate lines, or with null
/// candidates (every line) while the prefilter rests.
template <class System, class Walk>
void walk_prefiltered(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
                      const typename LoadedPlan<System>::Prefilter& prefilter, std::size_t which,
                      const char* bytes, std::uint32_t lines, Walk&& walk) {
  if (ws.prefilter_rest.size() <= which) ws.prefilter_rest.resize(which + 1, 0);
  if (ws.prefilter_rest[which] > 0) {
    --ws.prefilter_rest[which];
    for (const std::uint32_t a : prefilter.slot_automata) walk(a, nullptr, 0u);
    return;
  }
  const std::vector<std::uint64_t> any_line =
      mark_candidates(system, ws, plan, prefilter, bytes, lines);
  std::uint64_t walked = 0;
  each_candidate_slot(system, ws, prefilter, any_line, lines,
                      [&](std::uint32_t a, const std::uint32_t* candidates, std::uint32_t count) {
                        walked += count;
                        walk(a, candidates, count);
                      });
  if (walked * 2 > std::uint64_t{lines} * prefilter.slot_automata.size())
    ws.prefilter_rest[which] = kPrefilterRest;
}

/// `walk(automaton, candidates, count)` for every automaton of `set`: those
/// of a prefilter over its candidate lines (walk_prefiltered), the others
/// with null candidates (every line).
template <class System, class Walk>
void walk_set(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
              const typename LoadedPlan<System>::Set& set, const char* bytes, std::uint32_t lines,
              Walk&& walk) {
  for (std::size_t p = 0; p < set.prefilters.size(); ++p)
    walk_prefiltered(system, ws, plan, set.prefilters[p], set.first_rest + p, bytes, lines, walk);
  for (std::uint32_t a = 0; a < set.automata.size(); ++a)
    if (!set.prefiltered[a]) walk(a, nullptr, 0u);
}

/// One predicate automaton's bits over the `candidate_count` lines
/// `candidates` (null: every line, summarize_candidates): one mask-mode walk;
/// lines on which its DFA fell back are matched on the host.
template <class System>
void set_predicate_bits(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
                        const typename LoadedPlan<System>::Automaton& automaton,
                        const io::Batch& batch, const char* bytes, std::uint32_t lines,
                        engine::BatchResult& result, const std::uint32_t* candidates,
                        std::uint32_t candidate_count) {
  auto policy = system.policy();
  const std::uint32_t words = plan.rules.predicate_words;
  std::uint64_t* bits = thrust::raw_pointer_cast(ws.predicate_bits.data());
  LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  const PatternScope scope{bytes, records, thrust::raw_pointer_cast(ws.spans.data()),
                           plan.span_fields, automaton.span_index};
  std::uint64_t* masks = at_least(ws.masks, lines);
  std::uint8_t* fallback = at_least(ws.fallback, lines);
  const SummarizeLine summarize{
      scope, automaton.view, records, masks, at_least(ws.output_counts, lines), fallback, false};
  summarize_candidates(system, ws, summarize, lines, candidates, candidate_count);
  const std::uint32_t* ids = thrust::raw_pointer_cast(automaton.pattern_ids.data());
  thrust::for_each(policy, thrust::make_counting_iterator<std::uint32_t>(0),
                   thrust::make_counting_iterator(lines),
                   SetPredicateBits{masks, ids, bits, words});
  if (automaton.view.fallback_row == kNoFallback) return;
  const auto count =
      static_cast<std::size_t>(thrust::count(policy, fallback, fallback + lines, std::uint8_t{1}));
  if (count == 0) return;
  result.host_walks += count;
  std::uint32_t* index = at_least(ws.line_index, count);
  thrust::copy_if(policy, thrust::make_counting_iterator<std::uint32_t>(0),
                  thrust::make_counting_iterator(lines), fallback, index, IsSet{});
  for (const std::uint32_t line : to_host<std::uint32_t, System>(ws.line_index, count)) {
    std::string text;
    if (!scope_text_on_host(ws, scope, batch, line, text)) continue;
    for (const std::uint32_t predicate : engine::match_text(*automaton.host, text)) {
      const std::size_t word = std::size_t{line} * words + predicate / 64;
      ws.predicate_bits[word] = ws.predicate_bits[word] | std::uint64_t{1} << (predicate % 64);
    }
  }
}

/// Rule pattern predicates as bits per line: prefiltered automata (regexes
/// with required factors) over their candidate lines, the others over every
/// line.
template <class System>
void find_predicates(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
                     const io::Batch& batch, const char* bytes, std::uint32_t lines,
                     engine::BatchResult& result) {
  const std::uint32_t words = plan.rules.predicate_words;
  std::uint64_t* bits = at_least(ws.predicate_bits, std::size_t{lines} * words);
  thrust::fill(system.policy(), bits, bits + std::size_t{lines} * words, std::uint64_t{0});
  walk_set(system, ws, plan, plan.predicates, bytes, lines,
           [&](std::uint32_t a, const std::uint32_t* candidates, std::uint32_t count) {
             set_predicate_bits(system, ws, plan, plan.predicates.automata[a], batch, bytes, lines,
                                result, candidates, count);
           });
}

/// Every rule on every event; events per rule, and the first evidence lines
/// of each rule. Lines with a rule hit are marked as hit.
template <class System>
void run_rules(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
               const io::Batch& batch, const char* bytes, std::uint32_t lines,
               std::uint32_t evidence_per_rule, engine::BatchResult& result) {
  auto policy = system.policy();
  find_predicates(system, ws, plan, batch, bytes, lines, result);
  const RuleProgramView& program = plan.rules;
  std::uint64_t* rule_bits = at_least(ws.rule_bits, std::size_t{lines} * program.rule_words);
  LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  thrust::for_each(
      policy, thrust::make_counting_iterator<std::uint32_t>(0),
      thrust::make_counting_iterator(lines),
      RunRules{program, bytes, records, thrust::raw_pointer_cast(ws.spans.data()), plan.span_fields,
               thrust::raw_pointer_cast(ws.predicate_bits.data()), rule_bits});

  // (rule << 32 | line) for every hit, sorted: by rule, then in line order.
  const RuleBitCount count_of{rule_bits, program.rule_words};
  const auto counts =
      thrust::make_transform_iterator(thrust::make_counting_iterator<std::uint32_t>(0), count_of);
  const std::uint64_t total =
      thrust::transform_reduce(policy, thrust::make_counting_iterator<std::uint32_t>(0),
                               thrust::make_counting_iterator(lines), count_of, std::uint64_t{0},
                               thrust::plus<std::uint64_t>());
  if (total == 0) return;
  std::uint32_t* slots = at_least(ws.slots, lines);
  thrust::exclusive_scan(policy, counts, counts + lines, slots);
  std::uint64_t* hits = at_least(ws.hits, total);
  thrust::for_each(policy, thrust::make_counting_iterator<std::uint32_t>(0),
                   thrust::make_counting_iterator(lines),
                   ExpandRuleHits{rule_bits, program.rule_words, slots, hits});
  thrust::sort(policy, hits, hits + total);
  const std::vector<std::uint64_t> sorted = to_host<std::uint64_t, System>(ws.hits, total);
  tally_per_agent(system, ws, hits, static_cast<std::size_t>(total), result.agent_rules);

  // Tallies and evidence on the host: at most one entry per hit, read once.
  std::vector<std::uint32_t> evidence_lines;
  for (std::size_t i = 0; i < sorted.size();) {
    const auto rule = static_cast<std::uint32_t>(sorted[i] >> 32);
    std::size_t end = i;
    while (end < sorted.size() && (sorted[end] >> 32) == rule) ++end;
    result.rules.push_back({rule, end - i});
    for (std::size_t e = i; e < end && e - i < evidence_per_rule; ++e) {
      result.evidence.push_back({rule, 0, 0});
      evidence_lines.push_back(static_cast<std::uint32_t>(sorted[e] & 0xffffffffu));
    }
    i = end;
  }
  // The evidence lines' records, gathered in one copy.
  at_least(ws.line_index, evidence_lines.size());
  thrust::copy(evidence_lines.begin(), evidence_lines.end(), ws.line_index.begin());
  std::vector<LineRecord> evidence_records(evidence_lines.size());
  thrust::copy(thrust::make_permutation_iterator(ws.records.begin(), ws.line_index.begin()),
               thrust::make_permutation_iterator(
                   ws.records.begin(),
                   ws.line_index.begin() + static_cast<std::ptrdiff_t>(evidence_lines.size())),
               evidence_records.begin());
  for (std::size_t e = 0; e < evidence_lines.size(); ++e) {
    result.evidence[e].line_number = batch.first_line + evidence_lines[e];
    result.evidence[e].offset = batch.offset + evidence_records[e].begin;
  }
}

/// (events, first line) of correlation rows: summed, and the smallest line kept.
struct CountAndFirstLine {
  AGENTSWEEP_HD thrust::tuple<std::uint64_t, std::uint32_t> operator()(
      const thrust::tuple<std::uint64_t, std::uint32_t>& a,
      const thrust::tuple<std::uint64_t, std::uint32_t>& b) const {
    const std::uint32_t la = thrust::get<1>(a);
    const std::uint32_t lb = thrust::get<1>(b);
    return thrust::make_tuple(thrust::get<0>(a) + thrust::get<0>(b), la < lb ? la : lb);
  }
};

/// The value hashes that several correlation slots take (LoadedPlan::hashed_spans),
/// once per line: the rule pack hashes `actor.agent_id` for four of its slots.
template <class System>
void hash_shared_values(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
                        const char* bytes, std::uint32_t lines) {
  if (plan.hashed_spans.empty()) return;
  std::uint64_t* hashes = at_least(ws.value_hashes, std::size_t{lines} * plan.hashed_spans.size());
  const FieldValue* spans = thrust::raw_pointer_cast(ws.spans.data());
  for (std::size_t i = 0; i < plan.hashed_spans.size(); ++i)
    thrust::transform(system.policy(), thrust::make_counting_iterator<std::uint32_t>(0),
                      thrust::make_counting_iterator(lines), hashes + i * lines,
                      ValueHashOf{bytes, spans, plan.span_fields, plan.hashed_spans[i]});
}

/// Correlation `c`'s rows of one slot: events per (group, time, counted
/// value), sorted, with the group field values of each group's first line.
template <class System>
void tally_correlation_slot(System& system, BatchWorkspace<System>& ws,
                            const LoadedPlan<System>& plan, const char* bytes, std::uint32_t lines,
                            std::uint32_t c, std::int32_t slot, engine::BatchResult& result) {
  using thrust::make_counting_iterator;
  auto policy = system.policy();
  const CorrelationView& view = plan.correlations[c];
  const LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  const FieldValue* spans = thrust::raw_pointer_cast(ws.spans.data());
  const IsCorrelated counted{view,
                             slot,
                             records,
                             thrust::raw_pointer_cast(ws.rule_bits.data()),
                             plan.rules.rule_words,
                             spans,
                             plan.span_fields};
  const auto selected = static_cast<std::size_t>(thrust::count_if(
      policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines), counted));
  if (selected == 0) return;
  std::uint32_t* index = at_least(ws.line_index, selected);
  thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                  index, counted);
  std::uint64_t* groups = at_least(ws.keys, selected);
  std::uint64_t* values = at_least(ws.second_keys, selected);
  std::uint64_t* times = at_least(ws.third_keys, selected);
  // Hashes hash_shared_values made, where this slot's group or value is one of them.
  const auto hashed = [&](std::int32_t span) -> const std::uint64_t* {
    const std::vector<std::int32_t>& shared = plan.hashed_spans;
    const auto at = std::find(shared.begin(), shared.end(), span);
    if (at == shared.end()) return nullptr;
    return thrust::raw_pointer_cast(ws.value_hashes.data()) +
           static_cast<std::size_t>(at - shared.begin()) * lines;
  };
  const std::uint64_t* group_hashes =
      view.group_fields == 1 ? hashed(view.group_spans[slot][0]) : nullptr;
  const std::uint64_t* value_hashes =
      view.value == CorrelationValue::kValueHash ? hashed(view.value_spans[slot]) : nullptr;
  thrust::transform(policy, index, index + selected, groups,
                    GroupKeyOf{view, slot, bytes, spans, plan.span_fields, group_hashes});
  thrust::transform(policy, index, index + selected, values,
                    CountedValueOf{view, slot, bytes, spans, plan.span_fields, value_hashes});
  thrust::transform(policy, index, index + selected, times, CorrelationTimeOf{records});
  // Rows in the state's order, (group, time, value): a batch's rows of a slot
  // reach its store as one ascending stretch, merged there rather than sorted.
  // A value the slot fixes (none, or the slot itself) needs no sort.
  const auto keys = thrust::make_zip_iterator(groups, times, values);
  const auto end = static_cast<std::ptrdiff_t>(selected);
  if (view.value == CorrelationValue::kNone || view.value == CorrelationValue::kSlot)
    sort_columns<System, 2>(system, ws, selected, {groups, times}, index);
  else
    sort_columns<System, 3>(system, ws, selected, {groups, times, values}, index);
  std::uint64_t* unique_groups = at_least(ws.unique_keys, selected);
  std::uint64_t* unique_values = at_least(ws.unique_second_keys, selected);
  std::uint64_t* unique_times = at_least(ws.unique_third_keys, selected);
  std::uint64_t* events = at_least(ws.group_events, selected);
  std::uint32_t* first_lines = at_least(ws.group_lines, selected);
  const auto unique_keys = thrust::make_zip_iterator(unique_groups, unique_times, unique_values);
  const auto reduced = thrust::reduce_by_key(
      policy, keys, keys + end,
      thrust::make_zip_iterator(thrust::make_constant_iterator(std::uint64_t{1}), index),
      unique_keys, thrust::make_zip_iterator(events, first_lines),
      thrust::equal_to<thrust::tuple<std::uint64_t, std::uint64_t, std::uint64_t>>(),
      CountAndFirstLine{});
  const auto rows = static_cast<std::size_t>(reduced.first - unique_keys);

  const auto group = to_host<std::uint64_t, System>(ws.unique_keys, rows);
  const auto value = to_host<std::uint64_t, System>(ws.unique_second_keys, rows);
  const auto time = to_host<std::uint64_t, System>(ws.unique_third_keys, rows);
  const auto count = to_host<std::uint64_t, System>(ws.group_events, rows);
  const auto line = to_host<std::uint32_t, System>(ws.group_lines, rows);
  // The group field values of the first line of each group, in one gather.
  std::vector<std::uint32_t> span_index;
  const auto fields = static_cast<std::uint32_t>(view.group_fields);
  for (std::size_t i = 0; i < rows; ++i) {
    const bool first_of_group = i == 0 || group[i] != group[i - 1];
    const auto label =
        first_of_group ? static_cast<std::uint32_t>(result.group_values.size() + span_index.size())
                       : result.correlations.back().label;
    if (first_of_group)
      for (std::uint32_t f = 0; f < fields; ++f)
        span_index.push_back(line[i] * static_cast<std::uint32_t>(plan.span_fields) +
                             static_cast<std::uint32_t>(view.group_spans[slot][f]));
    result.correlations.push_back(
        {c, group[i], value[i], static_cast<std::int64_t>(time[i]), count[i], label, fields});
  }
  if (span_index.empty()) return;
  at_least(ws.line_index, span_index.size());
  thrust::copy(span_index.begin(), span_index.end(), ws.line_index.begin());
  const std::size_t first_value = result.group_values.size();
  result.group_values.resize(first_value + span_index.size());
  thrust::copy(
      thrust::make_permutation_iterator(ws.spans.begin(), ws.line_index.begin()),
      thrust::make_permutation_iterator(
          ws.spans.begin(), ws.line_index.begin() + static_cast<std::ptrdiff_t>(span_index.size())),
      result.group_values.begin() + static_cast<std::ptrdiff_t>(first_value));
}

/// Correlation `c`'s rows, slot after slot; a slot without rules (its events are
/// another correlation's firings, counted on the host) costs no pass over the lines.
template <class System>
void tally_correlation(System& system, BatchWorkspace<System>& ws, const LoadedPlan<System>& plan,
                       const char* bytes, std::uint32_t lines, std::uint32_t c,
                       engine::BatchResult& result) {
  const CorrelationView& view = plan.correlations[c];
  for (std::int32_t slot = 0; slot < view.slots; ++slot) {
    const std::uint64_t* rules = view.rules[slot];
    if (std::any_of(rules, rules + kMaxRuleWords, [](std::uint64_t word) { return word != 0; }))
      tally_correlation_slot(system, ws, plan, bytes, lines, c, slot, result);
  }
}

/// Rows of the lines selected by `select`, sorted by (key, second key) and
/// reduced; returns the number of unique rows, left in ws.unique_keys,
/// ws.unique_second_keys and ws.merged. Adds the ids that share a key to
/// `collisions` unless it is null.
template <class System, class Select, class KeyOf, class SecondKeyOf, class RowOf>
std::size_t reduce_entities(System& system, BatchWorkspace<System>& ws, const char* bytes,
                            std::uint32_t lines, std::size_t selected, Select select, KeyOf key_of,
                            SecondKeyOf second_key_of, RowOf row_of, std::uint64_t* collisions) {
  using thrust::make_counting_iterator;
  auto policy = system.policy();
  const LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  std::uint32_t* index = at_least(ws.line_index, selected);
  std::uint64_t* keys = at_least(ws.keys, selected);
  std::uint64_t* second = at_least(ws.second_keys, selected);
  thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                  records, index, select);
  thrust::transform(policy, index, index + selected, keys, key_of);
  thrust::transform(policy, index, index + selected, second, second_key_of);
  // Sort line indices, not rows: rows are built from them on the fly, so the
  // sort moves 4 bytes per event instead of a whole row.
  if constexpr (std::is_same_v<SecondKeyOf, NoKey>)
    sort_columns<System, 1>(system, ws, selected, {keys}, index);
  else
    sort_columns<System, 2>(system, ws, selected, {keys, second}, index);
  const auto pairs = thrust::make_zip_iterator(keys, second);
  const auto rows = thrust::make_transform_iterator(index, row_of);
  if (collisions != nullptr)
    *collisions +=
        thrust::transform_reduce(policy, make_counting_iterator<std::uint32_t>(1),
                                 make_counting_iterator(static_cast<std::uint32_t>(selected)),
                                 NeighbourCollides<RowOf>{bytes, keys, index, row_of},
                                 std::uint64_t{0}, thrust::plus<std::uint64_t>());
  std::uint64_t* unique_keys = at_least(ws.unique_keys, selected);
  std::uint64_t* unique_second = at_least(ws.unique_second_keys, selected);
  EntityRow* merged = at_least(ws.merged, selected);
  const auto ends = thrust::reduce_by_key(
      policy, pairs, pairs + static_cast<std::ptrdiff_t>(selected), rows,
      thrust::make_zip_iterator(unique_keys, unique_second), merged,
      thrust::equal_to<thrust::tuple<std::uint64_t, std::uint64_t>>(), MergeEntityRows{});
  return static_cast<std::size_t>(ends.second - merged);
}

/// Per (`Entity`, agent) rows of the events with that entity, as tallies
/// with the entity's id.
template <EntityRef LineRecord::*Entity, class System>
std::vector<engine::EntityAgentTally> tally_with_agents(System& system, BatchWorkspace<System>& ws,
                                                        const char* bytes, std::uint32_t lines,
                                                        std::size_t selected,
                                                        std::uint64_t& collisions) {
  std::vector<engine::EntityAgentTally> tallies;
  if (selected == 0) return tallies;
  const LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  const std::size_t pairs = reduce_entities(
      system, ws, bytes, lines, selected, IsEventWith<Entity>{}, EntityKeyOf<Entity>{records},
      EntityKeyOf<&LineRecord::agent>{records}, EntityRowOf<Entity>{records}, &collisions);
  const auto keys = to_host<std::uint64_t, System>(ws.unique_keys, pairs);
  const auto agents = to_host<std::uint64_t, System>(ws.unique_second_keys, pairs);
  const auto rows = to_host<EntityRow, System>(ws.merged, pairs);
  tallies.reserve(pairs);
  for (std::size_t i = 0; i < pairs; ++i)
    tallies.push_back({keys[i], agents[i], id_span(rows[i]), rows[i].events});
  return tallies;
}

/// BatchRows::kPerEvent: the rows of every event, in line order, read from the
/// batch's records and id copies where they are (host memory). Ids are checked
/// by the state, row by row.
inline void rows_per_event(const LineRecord* records, const IdCopies* id_copies,
                           std::uint32_t lines, const LineCounts& counts,
                           engine::BatchResult& result) {
  result.rows = BatchRows::kPerEvent;
  result.agents.reserve(counts.events - counts.without_agent);
  result.operators.reserve(counts.events - counts.without_operator);
  result.keys.reserve(counts.events - counts.without_key);
  result.ips.reserve(counts.events - counts.without_ip);
  result.agent_seconds.reserve(counts.timed_agent);
  const auto add_entity = [](std::vector<engine::EntityAgentTally>& tallies, const EntityRef& ref,
                             const char* copy, std::uint64_t agent) {
    if (ref.key != kNoEntity) tallies.push_back({ref.key, agent, id_span(ref, copy), 1});
  };
  for (std::uint32_t line = 0; line < lines; ++line) {
    const LineRecord& r = records[line];
    if (r.kind != LineKind::kEvent) continue;
    const IdCopies& copies = id_copies[line];
    const std::uint64_t agent = r.agent.key;
    const bool timed = r.time == TimeStatus::kValid;
    if (agent != kNoEntity) {
      const std::int64_t ms = timed ? r.time_ms : kNoTime;
      result.agents.push_back({agent, id_span(r.agent, copies.raw[0]), 1, r.hit ? 1u : 0u,
                               r.op.key != kNoEntity ? 1u : 0u, ms, ms});
      if (timed) result.agent_seconds.push_back({agent, second_of(r.time_ms), 1});
    }
    add_entity(result.operators, r.op, copies.raw[1], agent);
    add_entity(result.keys, r.key, copies.raw[2], agent);
    add_entity(result.ips, r.ip, copies.raw[3], agent);
  }
}

}  // namespace detail

/**
 * Scans `batch`, whose bytes and line ends are at `bytes` and `line_ends` in
 * the System's memory (batch.data and batch.line_ends themselves on the CPU,
 * device copies on the GPU).
 */
template <class System>
engine::BatchResult scan_batch(System& system, const LoadedPlan<System>& plan,
                               BatchWorkspace<System>& ws, const io::Batch& batch,
                               const char* bytes, const std::uint32_t* line_ends) {
  using thrust::make_counting_iterator;
  auto policy = system.policy();
  engine::BatchResult result;
  result.bytes = batch.data.get();
  const auto lines = static_cast<std::uint32_t>(batch.line_count);
  result.lines = lines;
  if (lines == 0) return result;

  // fields
  LineRecord* records = detail::at_least(ws.records, lines);
  FieldValue* spans =
      detail::at_least(ws.spans, std::max<std::size_t>(1, std::size_t{lines} * plan.span_fields));
  IdCopies* id_copies =
      system.rows == BatchRows::kPerEvent ? detail::at_least(ws.id_copies, lines) : nullptr;
  thrust::transform(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records,
                    ScanLine{bytes, line_ends, plan.paths, plan.entities, spans,
                             plan.first_span_field, id_copies});

  // match
  detail::walk_set(system, ws, plan, plan.patterns, bytes, lines,
                   [&](std::uint32_t a, const std::uint32_t* candidates, std::uint32_t count) {
                     detail::match_automaton(system, ws, plan, plan.patterns.automata[a], batch,
                                             bytes, lines, result, candidates, count);
                   });
  if (plan.rules.rules > 0)
    detail::run_rules(system, ws, plan, batch, bytes, lines, plan.evidence_per_rule, result);
  detail::hash_shared_values(system, ws, plan, bytes, lines);
  for (std::uint32_t c = 0; c < plan.correlations.size(); ++c)
    detail::tally_correlation(system, ws, plan, bytes, lines, c, result);

  const LineCounts counts = thrust::transform_reduce(policy, records, records + lines, CountLine{},
                                                     LineCounts{}, PlusLineCounts{});
  result.blank_lines = counts.blank;
  result.events = counts.events;
  result.malformed_lines = counts.malformed;
  result.events_without_agent = counts.without_agent;
  result.events_without_operator = counts.without_operator;
  result.events_without_key = counts.without_key;
  result.events_without_ip = counts.without_ip;
  result.events_without_time = counts.without_time;
  result.events_with_invalid_time = counts.invalid_time;
  result.hit_lines = counts.hit;

  if (counts.malformed > 0) {
    std::uint32_t* malformed = detail::at_least(ws.line_index, counts.malformed);
    thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records, malformed, IsMalformed{});
    const std::size_t shown =
        std::min<std::size_t>(counts.malformed, engine::kMalformedSamplesPerBatch);
    const auto indices = detail::to_host<std::uint32_t, System>(ws.line_index, shown);
    std::vector<LineRecord> sample(shown);
    thrust::copy(
        thrust::make_permutation_iterator(ws.records.begin(), ws.line_index.begin()),
        thrust::make_permutation_iterator(
            ws.records.begin(), ws.line_index.begin() + static_cast<std::ptrdiff_t>(shown)),
        sample.begin());
    for (std::size_t i = 0; i < shown; ++i)
      result.malformed.push_back({batch.first_line + indices[i],
                                  batch.offset + sample[i].begin + sample[i].error_offset,
                                  sample[i].error});
  }

  if (system.rows == BatchRows::kPerEvent) {
    detail::rows_per_event(records, id_copies, lines, counts, result);
    return result;
  }

  // aggregate per agent
  if (const std::size_t selected = counts.events - counts.without_agent) {
    const std::size_t agents = detail::reduce_entities(
        system, ws, bytes, lines, selected, IsEventWith<&LineRecord::agent>{},
        EntityKeyOf<&LineRecord::agent>{records}, NoKey{}, EntityRowOf<&LineRecord::agent>{records},
        &result.id_collisions);
    const auto keys = detail::to_host<std::uint64_t, System>(ws.unique_keys, agents);
    const auto rows = detail::to_host<EntityRow, System>(ws.merged, agents);
    result.agents.reserve(agents);
    for (std::size_t i = 0; i < agents; ++i)
      result.agents.push_back({keys[i], detail::id_span(rows[i]), rows[i].events,
                               rows[i].hit_events, rows[i].with_operator, rows[i].first_ms,
                               rows[i].last_ms});
  }

  // aggregate per (operator | key | address, agent)
  result.operators = detail::tally_with_agents<&LineRecord::op>(
      system, ws, bytes, lines, counts.events - counts.without_operator, result.id_collisions);
  result.keys = detail::tally_with_agents<&LineRecord::key>(
      system, ws, bytes, lines, counts.events - counts.without_key, result.id_collisions);
  result.ips = detail::tally_with_agents<&LineRecord::ip>(
      system, ws, bytes, lines, counts.events - counts.without_ip, result.id_collisions);

  // aggregate per (agent, second): time windows are counted from these
  if (counts.timed_agent > 0) {
    const std::size_t pairs = detail::reduce_entities(
        system, ws, bytes, lines, counts.timed_agent, IsTimedEventWithAgent{},
        EntityKeyOf<&LineRecord::agent>{records}, SecondOf{records},
        EntityRowOf<&LineRecord::agent>{records}, nullptr);  // agent ids were checked above
    const auto agents = detail::to_host<std::uint64_t, System>(ws.unique_keys, pairs);
    const auto seconds = detail::to_host<std::uint64_t, System>(ws.unique_second_keys, pairs);
    const auto rows = detail::to_host<EntityRow, System>(ws.merged, pairs);
    result.agent_seconds.reserve(pairs);
    for (std::size_t i = 0; i < pairs; ++i)
      result.agent_seconds.push_back(
          {agents[i], static_cast<std::int64_t>(seconds[i]), rows[i].events});
  }
  return result;
}

}  // namespace agentsweep::kernels
