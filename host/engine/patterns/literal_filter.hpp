/** @file
 * Builds the sampled q-gram filter (kernels/literal_filter.cuh) of a set of
 * fixed strings, which lets an Aho-Corasick walk skip the lines that hold none.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/literal_filter.cuh"

namespace agentsweep::engine {

/// Host tables of a LiteralFilterView; no words when the set has none.
struct LiteralFilter {
  std::vector<std::uint64_t> words;
  std::vector<std::uint32_t> bucket_begin;
  std::vector<kernels::FilterEntry> entries;
  std::string text;  ///< the literals, folded where the filter folds
  std::uint32_t word_bits = 0;
  std::uint32_t step = 0;
  bool fold_case = false;

  bool present() const { return !words.empty(); }
  std::size_t memory_bytes() const;
  /// The tables in place (null words when absent).
  kernels::LiteralFilterView view() const;
};

/// Shortest literal the filter takes: a window plus a step of 2.
inline constexpr std::size_t kMinFilteredLiteral = kernels::kFilterWindow + 1;

/**
 * The filter of `literals` (matched with ASCII case folding when
 * `fold_ascii_case`), or none when it would not pay: a literal shorter than
 * kMinFilteredLiteral bytes (windows would be checked too densely), a Bloom
 * table past 256 KiB (thousands of literals: its loads would miss the
 * cache), or tables larger than `max_bytes`.
 */
LiteralFilter build_literal_filter(const std::vector<std::string>& literals, bool fold_ascii_case,
                                   std::size_t max_bytes);

}  // namespace agentsweep::engine
