/** @file
 * The batch algorithm, written once over a Thrust system and instantiated by
 * each backend: thrust::omp on the CPU (cpu/cpu_backend.cpp), thrust::cuda on
 * the GPU (cuda/cuda_backend.cu). A System provides `policy()` and
 * `vector<T>`, a container whose memory lives where the policy runs.
 *
 *   1 split      positions of '\n' (copy_if)
 *   2 fields     one ScanLine per line: validate JSON, locate and hash entities
 *   3 match      one pass per literal automaton: hit masks -> (pattern) counts
 *   4 aggregate  sort + reduce_by_key per agent and per (operator, agent)
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

namespace detail {

template <class T, class Vec>
std::vector<T> to_host(const Vec& v, std::size_t count) {
  std::vector<T> host(count);
  thrust::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(count), host.begin());
  return host;
}

inline std::string decode_id(const io::Batch& batch, const EntityRow& row) {
  std::string id;
  JsonStringDecoder decoder(batch.data.get() + row.offset, row.length);
  unsigned char byte = 0;
  while (decoder.next(byte)) id.push_back(static_cast<char>(byte));
  return id;
}

}  // namespace detail

/**
 * Scans `batch`, whose bytes are at `bytes` in the System's memory (the same
 * pointer as batch.data on the CPU, a device copy on the GPU).
 */
template <class System>
engine::BatchResult scan_batch(System& system, const LoadedPlan<System>& plan,
                               const io::Batch& batch, const char* bytes) {
  using thrust::make_counting_iterator;
  using thrust::raw_pointer_cast;
  auto policy = system.policy();
  engine::BatchResult result;
  const auto lines = static_cast<std::uint32_t>(batch.line_count);
  result.lines = lines;
  if (lines == 0) return result;

  // 1 split
  SystemVector<System, std::uint32_t> line_ends(lines);
  thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0),
                  make_counting_iterator<std::uint32_t>(static_cast<std::uint32_t>(batch.size)),
                  bytes, line_ends.begin(), IsNewline{});

  // 2 fields
  SystemVector<System, LineRecord> records(lines);
  thrust::transform(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records.begin(),
                    ScanLine{bytes, raw_pointer_cast(line_ends.data()), plan.paths, plan.entities});
  LineRecord* record_ptr = raw_pointer_cast(records.data());

  // 3 match
  if (!plan.automata.empty()) {
    SystemVector<System, std::uint64_t> masks(lines);
    SystemVector<System, std::uint32_t> slots(lines);
    for (const auto& automaton : plan.automata) {
      thrust::for_each(
          policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
          MatchLine{bytes, record_ptr, raw_pointer_cast(masks.data()), automaton.view()});
      const std::uint64_t hits =
          thrust::transform_reduce(policy, masks.begin(), masks.end(), MaskPopcount{},
                                   std::uint64_t{0}, thrust::plus<std::uint64_t>());
      if (hits == 0) continue;
      thrust::transform_exclusive_scan(policy, masks.begin(), masks.end(), slots.begin(),
                                       MaskPopcount{}, std::uint32_t{0},
                                       thrust::plus<std::uint32_t>());
      SystemVector<System, std::uint32_t> patterns(hits);
      thrust::for_each(policy, make_counting_iterator<std::uint32_t>(0),
                       make_counting_iterator(lines),
                       ExpandHits{raw_pointer_cast(masks.data()), raw_pointer_cast(slots.data()),
                                  raw_pointer_cast(patterns.data()), automaton.first_pattern});
      thrust::sort(policy, patterns.begin(), patterns.end());
      SystemVector<System, std::uint32_t> unique_patterns(hits);
      SystemVector<System, std::uint64_t> counts(hits);
      const auto ends = thrust::reduce_by_key(policy, patterns.begin(), patterns.end(),
                                              thrust::make_constant_iterator<std::uint64_t>(1),
                                              unique_patterns.begin(), counts.begin());
      const auto found = static_cast<std::size_t>(ends.first - unique_patterns.begin());
      const auto ids = detail::to_host<std::uint32_t>(unique_patterns, found);
      const auto lines_hit = detail::to_host<std::uint64_t>(counts, found);
      for (std::size_t i = 0; i < found; ++i) result.patterns.push_back({ids[i], lines_hit[i]});
    }
  }

  const LineCounts counts = thrust::transform_reduce(policy, records.begin(), records.end(),
                                                     CountLine{}, LineCounts{}, PlusLineCounts{});
  result.blank_lines = counts.blank;
  result.events = counts.events;
  result.malformed_lines = counts.malformed;
  result.events_without_agent = counts.without_agent;
  result.events_without_operator = counts.without_operator;
  result.hit_lines = counts.hit;

  if (counts.malformed > 0) {
    SystemVector<System, std::uint32_t> malformed(counts.malformed);
    thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records.begin(), malformed.begin(), IsMalformed{});
    const std::size_t shown =
        std::min<std::size_t>(counts.malformed, engine::kMalformedSamplesPerBatch);
    const auto indices = detail::to_host<std::uint32_t>(malformed, shown);
    std::vector<LineRecord> sample(shown);
    thrust::copy(thrust::make_permutation_iterator(records.begin(), malformed.begin()),
                 thrust::make_permutation_iterator(
                     records.begin(), malformed.begin() + static_cast<std::ptrdiff_t>(shown)),
                 sample.begin());
    for (std::size_t i = 0; i < shown; ++i)
      result.malformed.push_back({batch.first_line + indices[i],
                                  batch.offset + sample[i].begin + sample[i].error_offset,
                                  sample[i].error});
  }

  // 4 aggregate: per agent
  const std::uint64_t with_agent = counts.events - counts.without_agent;
  if (with_agent > 0) {
    SystemVector<System, std::uint64_t> keys(with_agent);
    SystemVector<System, EntityRow> rows(with_agent);
    SystemVector<System, std::uint32_t> line_index(with_agent);
    thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records.begin(), line_index.begin(), IsEventWithAgent{});
    thrust::transform(policy, line_index.begin(), line_index.end(), keys.begin(),
                      AgentKeyOf{record_ptr});
    thrust::transform(policy, line_index.begin(), line_index.end(), rows.begin(),
                      AgentRowOf{record_ptr});
    thrust::sort_by_key(policy, keys.begin(), keys.end(), rows.begin());
    result.id_collisions += thrust::transform_reduce(
        policy, make_counting_iterator<std::uint32_t>(1),
        make_counting_iterator(static_cast<std::uint32_t>(with_agent)),
        NeighbourCollides{bytes, raw_pointer_cast(keys.data()), raw_pointer_cast(rows.data())},
        std::uint64_t{0}, thrust::plus<std::uint64_t>());
    SystemVector<System, std::uint64_t> unique_keys(with_agent);
    SystemVector<System, EntityRow> merged(with_agent);
    const auto ends =
        thrust::reduce_by_key(policy, keys.begin(), keys.end(), rows.begin(), unique_keys.begin(),
                              merged.begin(), thrust::equal_to<std::uint64_t>(), MergeEntityRows{});
    const auto agents = static_cast<std::size_t>(ends.first - unique_keys.begin());
    const auto host_keys = detail::to_host<std::uint64_t>(unique_keys, agents);
    const auto host_rows = detail::to_host<EntityRow>(merged, agents);
    result.agents.reserve(agents);
    for (std::size_t i = 0; i < agents; ++i)
      result.agents.push_back({host_keys[i], detail::decode_id(batch, host_rows[i]),
                               host_rows[i].events, host_rows[i].hit_events,
                               host_rows[i].with_operator});
  }

  // 4 aggregate: per (operator, agent)
  const std::uint64_t with_operator = counts.events - counts.without_operator;
  if (with_operator > 0) {
    SystemVector<System, std::uint64_t> op_keys(with_operator);
    SystemVector<System, std::uint64_t> agent_keys(with_operator);
    SystemVector<System, EntityRow> rows(with_operator);
    SystemVector<System, std::uint32_t> line_index(with_operator);
    thrust::copy_if(policy, make_counting_iterator<std::uint32_t>(0), make_counting_iterator(lines),
                    records.begin(), line_index.begin(), IsEventWithOperator{});
    thrust::transform(policy, line_index.begin(), line_index.end(), op_keys.begin(),
                      OperatorKeyOf{record_ptr});
    thrust::transform(policy, line_index.begin(), line_index.end(), agent_keys.begin(),
                      AgentKeyOf{record_ptr});
    thrust::transform(policy, line_index.begin(), line_index.end(), rows.begin(),
                      OperatorRowOf{record_ptr});
    auto pair_begin = thrust::make_zip_iterator(op_keys.begin(), agent_keys.begin());
    auto pair_end = thrust::make_zip_iterator(op_keys.end(), agent_keys.end());
    thrust::sort_by_key(policy, pair_begin, pair_end, rows.begin());
    result.id_collisions += thrust::transform_reduce(
        policy, make_counting_iterator<std::uint32_t>(1),
        make_counting_iterator(static_cast<std::uint32_t>(with_operator)),
        NeighbourCollides{bytes, raw_pointer_cast(op_keys.data()), raw_pointer_cast(rows.data())},
        std::uint64_t{0}, thrust::plus<std::uint64_t>());
    SystemVector<System, std::uint64_t> unique_ops(with_operator);
    SystemVector<System, std::uint64_t> unique_agents(with_operator);
    SystemVector<System, EntityRow> merged(with_operator);
    const auto ends = thrust::reduce_by_key(
        policy, pair_begin, pair_end, rows.begin(),
        thrust::make_zip_iterator(unique_ops.begin(), unique_agents.begin()), merged.begin(),
        thrust::equal_to<thrust::tuple<std::uint64_t, std::uint64_t>>(), MergeEntityRows{});
    const auto pairs = static_cast<std::size_t>(ends.second - merged.begin());
    const auto host_ops = detail::to_host<std::uint64_t>(unique_ops, pairs);
    const auto host_agents = detail::to_host<std::uint64_t>(unique_agents, pairs);
    const auto host_rows = detail::to_host<EntityRow>(merged, pairs);
    result.operators.reserve(pairs);
    for (std::size_t i = 0; i < pairs; ++i)
      result.operators.push_back({host_ops[i], host_agents[i],
                                  detail::decode_id(batch, host_rows[i]), host_rows[i].events});
  }
  return result;
}

}  // namespace agentsweep::kernels
