/** @file
 * The batch algorithm, written once over a Thrust system and instantiated by
 * each backend: thrust::omp on the CPU (cpu/cpu_backend.cpp), thrust::cuda on
 * the GPU (cuda/cuda_backend.cu). A System provides `policy()` and
 * `vector<T>`, a container whose memory lives where the policy runs.
 *
 *   fields     one ScanLine per line: validate JSON, locate and hash entities
 *   match      one pass per literal automaton: hit masks -> lines per pattern
 *   aggregate  sort + reduce_by_key per agent and per (operator, agent)
 *
 * Line ends come with the batch (found by the host batcher in the pass that
 * counts lines).
 */
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <thrust/copy.h>
#include <thrust/count.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/constant_iterator.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/permutation_iterator.h>
#include <thrust/iterator/transform_iterator.h>
#include <thrust/iterator/zip_iterator.h>
#include <thrust/reduce.h>
#include <thrust/scan.h>
#include <thrust/sort.h>
#include <thrust/transform.h>
#include <thrust/transform_reduce.h>
#include <thrust/transform_scan.h>

#include "host/engine/backend.hpp"
#include "kernels/batch_reduce.cuh"
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
    Vector<std::uint64_t> matches;
    std::uint32_t stride = 0;
    std::uint32_t first_pattern = 0;

    LiteralAutomatonView view() const {
      return {thrust::raw_pointer_cast(byte_class.data()), thrust::raw_pointer_cast(next.data()),
              thrust::raw_pointer_cast(matches.data()), stride};
    }
  };

  Vector<char> path_text;
  FieldPathsView paths;
  EntityFields entities;
  std::vector<Automaton> automata;

  void load(const engine::ScanPlan& plan) {
    const std::string& text = plan.fields.segment_text();
    path_text = Vector<char>(text.begin(), text.end());
    paths = plan.fields.view(thrust::raw_pointer_cast(path_text.data()));
    entities = plan.entities;
    automata.clear();
    for (const engine::LiteralAutomaton& a : plan.automata) {
      Automaton& loaded = automata.emplace_back();
      loaded.byte_class = Vector<std::uint8_t>(a.byte_class.begin(), a.byte_class.end());
      loaded.next = Vector<std::uint32_t>(a.next.begin(), a.next.end());
      loaded.matches = Vector<std::uint64_t>(a.matches.begin(), a.matches.end());
      loaded.stride = a.stride;
      loaded.first_pattern = a.first_pattern;
    }
  }
};

/// Scratch memory reused from batch to batch, so steady state allocates
/// nothing (on the GPU, no cudaMalloc per batch). Grows to the largest batch.
template <class System>
struct BatchWorkspace {
  SystemVector<System, std::uint32_t> line_ends;
  SystemVector<System, LineRecord> records;
  SystemVector<System, std::uint64_t> masks;
  SystemVector<System, std::uint32_t> slots;
  SystemVector<System, std::uint32_t> patterns;
  SystemVector<System, std::uint32_t> unique_patterns;
  SystemVector<System, std::uint64_t> pattern_lines;
  SystemVector<System, std::uint32_t> line_index;
  SystemVector<System, std::uint64_t> keys;
  SystemVector<System, std::uint64_t> second_keys;
  SystemVector<System, std::uint64_t> unique_keys;
  SystemVector<System, std::uint64_t> unique_second_keys;
  SystemVector<System, EntityRow> rows;
  SystemVector<System, EntityRow> merged;
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

inline std::string decode_id(const io::Batch& batch, const EntityRow& row) {
  return decode_json_string(batch.data.get() + row.offset, row.length);
}

/// Lines per pattern of one automaton: per-line hit masks expanded into
/// pattern ids (exclusive scan of popcounts, scatter), sorted and counted.
template <class System>
void count_pattern_lines(System& system, BatchWorkspace<System>& ws,
                         const LiteralAutomatonView& automaton, std::uint32_t first_pattern,
                         const char* bytes, std::uint32_t lines, engine::BatchResult& result) {
  using thrust::make_counting_iterator;
  auto policy = system.policy();
  LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  std::uint64_t* masks = at_least(ws.masks, lines);
  thrust::for_each(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                   MatchLine{bytes, records, masks, automaton});
  const std::uint64_t hits =
      thrust::transform_reduce(policy, masks, masks + lines, MaskPopcount{}, std::uint64_t{0},
                               thrust::plus<std::uint64_t>());
  if (hits == 0) return;
  std::uint32_t* slots = at_least(ws.slots, lines);
  thrust::transform_exclusive_scan(policy, masks, masks + lines, slots, MaskPopcount{},
                                   std::uint32_t{0}, thrust::plus<std::uint32_t>());
  std::uint32_t* patterns = at_least(ws.patterns, hits);
  thrust::for_each(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                   ExpandHits{masks, slots, patterns, first_pattern});
  thrust::sort(policy, patterns, patterns + hits);
  std::uint32_t* unique = at_least(ws.unique_patterns, hits);
  std::uint64_t* counts = at_least(ws.pattern_lines, hits);
  const auto ends =
      thrust::reduce_by_key(policy, patterns, patterns + hits,
                            thrust::make_constant_iterator<std::uint64_t>(1), unique, counts);
  const auto found = static_cast<std::size_t>(ends.first - unique);
  const auto ids = to_host<std::uint32_t, System>(ws.unique_patterns, found);
  const auto lines_hit = to_host<std::uint64_t, System>(ws.pattern_lines, found);
  for (std::size_t i = 0; i < found; ++i) result.patterns.push_back({ids[i], lines_hit[i]});
}

/// Rows of the lines selected by `select`, sorted by (key, second key) and
/// reduced; returns the number of unique rows, left in ws.unique_keys,
/// ws.unique_second_keys and ws.merged.
template <class System, class Select, class KeyOf, class SecondKeyOf, class RowOf>
std::size_t reduce_entities(System& system, BatchWorkspace<System>& ws, const char* bytes,
                            std::uint32_t lines, std::size_t selected, Select select, KeyOf key_of,
                            SecondKeyOf second_key_of, RowOf row_of, std::uint64_t& collisions) {
  using thrust::make_counting_iterator;
  auto policy = system.policy();
  const LineRecord* records = thrust::raw_pointer_cast(ws.records.data());
  std::uint32_t* index = at_least(ws.line_index, selected);
  std::uint64_t* keys = at_least(ws.keys, selected);
  std::uint64_t* second = at_least(ws.second_keys, selected);
  EntityRow* rows = at_least(ws.rows, selected);
  thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                  records, index, select);
  thrust::transform(policy, index, index + selected, keys, key_of);
  thrust::transform(policy, index, index + selected, second, second_key_of);
  thrust::transform(policy, index, index + selected, rows, row_of);
  const auto pairs = thrust::make_zip_iterator(keys, second);
  thrust::sort_by_key(policy, pairs, pairs + static_cast<std::ptrdiff_t>(selected), rows);
  collisions += thrust::transform_reduce(
      policy, make_counting_iterator<std::uint32_t>(1),
      make_counting_iterator(static_cast<std::uint32_t>(selected)),
      NeighbourCollides{bytes, keys, rows}, std::uint64_t{0}, thrust::plus<std::uint64_t>());
  std::uint64_t* unique_keys = at_least(ws.unique_keys, selected);
  std::uint64_t* unique_second = at_least(ws.unique_second_keys, selected);
  EntityRow* merged = at_least(ws.merged, selected);
  const auto ends = thrust::reduce_by_key(
      policy, pairs, pairs + static_cast<std::ptrdiff_t>(selected), rows,
      thrust::make_zip_iterator(unique_keys, unique_second), merged,
      thrust::equal_to<thrust::tuple<std::uint64_t, std::uint64_t>>(), MergeEntityRows{});
  return static_cast<std::size_t>(ends.second - merged);
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
  const auto lines = static_cast<std::uint32_t>(batch.line_count);
  result.lines = lines;
  if (lines == 0) return result;

  // fields
  LineRecord* records = detail::at_least(ws.records, lines);
  thrust::transform(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records, ScanLine{bytes, line_ends, plan.paths, plan.entities});

  // match
  for (const auto& automaton : plan.automata)
    detail::count_pattern_lines(system, ws, automaton.view(), automaton.first_pattern, bytes, lines,
                                result);

  const LineCounts counts = thrust::transform_reduce(policy, records, records + lines, CountLine{},
                                                     LineCounts{}, PlusLineCounts{});
  result.blank_lines = counts.blank;
  result.events = counts.events;
  result.malformed_lines = counts.malformed;
  result.events_without_agent = counts.without_agent;
  result.events_without_operator = counts.without_operator;
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

  // aggregate per agent
  if (const std::size_t selected = counts.events - counts.without_agent) {
    const std::size_t agents = detail::reduce_entities(
        system, ws, bytes, lines, selected, IsEventWithAgent{}, AgentKeyOf{records}, NoKey{},
        AgentRowOf{records}, result.id_collisions);
    const auto keys = detail::to_host<std::uint64_t, System>(ws.unique_keys, agents);
    const auto rows = detail::to_host<EntityRow, System>(ws.merged, agents);
    result.agents.reserve(agents);
    for (std::size_t i = 0; i < agents; ++i)
      result.agents.push_back({keys[i], detail::decode_id(batch, rows[i]), rows[i].events,
                               rows[i].hit_events, rows[i].with_operator});
  }

  // aggregate per (operator, agent)
  if (const std::size_t selected = counts.events - counts.without_operator) {
    const std::size_t pairs = detail::reduce_entities(
        system, ws, bytes, lines, selected, IsEventWithOperator{}, OperatorKeyOf{records},
        AgentKeyOf{records}, OperatorRowOf{records}, result.id_collisions);
    const auto ops = detail::to_host<std::uint64_t, System>(ws.unique_keys, pairs);
    const auto agents = detail::to_host<std::uint64_t, System>(ws.unique_second_keys, pairs);
    const auto rows = detail::to_host<EntityRow, System>(ws.merged, pairs);
    result.operators.reserve(pairs);
    for (std::size_t i = 0; i < pairs; ++i)
      result.operators.push_back(
          {ops[i], agents[i], detail::decode_id(batch, rows[i]), rows[i].events});
  }
  return result;
}

}  // namespace agentsweep::kernels
