/** @file
 * Sizing and filling the q-gram filter of a literal set.
 */
#include "host/engine/patterns/literal_filter.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace agentsweep::engine {

namespace {

/// Windows are sampled at most this far apart: a larger step puts more
/// windows per literal in the filter for fewer checks per line.
constexpr std::uint32_t kMostStep = 8;
/// Filter words per window: about one bit in 32 is set, so a window of no
/// literal passes the Bloom test about once in 1,000 checks.
constexpr std::size_t kWordsPerWindow = 2;
constexpr std::uint32_t kLeastWordBits = 9;  // 4 KiB
/// 256 KiB: a check is one load, which must hit the cache to beat the walk.
/// Larger sets (thousands of strings) go without a filter: the walk near the
/// root stays in cache, the filter's loads would not (100,000 addresses and
/// ids: 1.50 s with the walk alone, 2.05 s with a filter of 8 MiB).
constexpr std::uint32_t kMostWordBits = 15;

}  // namespace

std::size_t LiteralFilter::memory_bytes() const {
  return words.size() * sizeof(words[0]) + bucket_begin.size() * sizeof(bucket_begin[0]) +
         entries.size() * sizeof(entries[0]) + text.size();
}

kernels::LiteralFilterView LiteralFilter::view() const {
  kernels::LiteralFilterView v;
  if (!present()) return v;
  v.words = words.data();
  v.bucket_begin = bucket_begin.data();
  v.entries = entries.data();
  v.text = text.data();
  v.word_bits = word_bits;
  v.step = step;
  v.fold_case = fold_case;
  return v;
}

LiteralFilter build_literal_filter(const std::vector<std::string>& literals, bool fold_ascii_case,
                                   std::size_t max_bytes) {
  LiteralFilter filter;
  if (literals.empty()) return filter;
  std::size_t shortest = literals.front().size();
  std::size_t text_bytes = 0;
  for (const std::string& literal : literals) {
    shortest = std::min(shortest, literal.size());
    text_bytes += literal.size();
  }
  if (shortest < kMinFilteredLiteral) return filter;

  const auto step = static_cast<std::uint32_t>(
      std::min<std::size_t>(shortest - kernels::kFilterWindow + 1, kMostStep));
  const std::size_t windows = literals.size() * step;
  const auto word_bits = std::max<std::uint32_t>(
      static_cast<std::uint32_t>(std::bit_width(windows * kWordsPerWindow - 1)), kLeastWordBits);
  if (word_bits > kMostWordBits) return filter;
  const std::size_t word_count = std::size_t{1} << word_bits;
  const std::size_t bytes = word_count * (sizeof(std::uint64_t) + sizeof(std::uint32_t)) +
                            windows * sizeof(kernels::FilterEntry) + text_bytes;
  if (bytes > max_bytes) return filter;

  filter.word_bits = word_bits;
  filter.step = step;
  filter.fold_case = fold_ascii_case;
  filter.words.assign(word_count, 0);
  const kernels::LiteralFilterView hashing = filter.view();

  // Each literal's `step` windows within its last step + 3 bytes (see the
  // kernel), as (word, entry); then grouped by word.
  std::vector<std::pair<std::uint32_t, kernels::FilterEntry>> placed;
  placed.reserve(windows);
  filter.text.reserve(text_bytes);
  for (const std::string& literal : literals) {
    const auto text_offset = static_cast<std::uint32_t>(filter.text.size());
    for (const char c : literal) filter.text.push_back(hashing.fold(c));
    const std::size_t last = literal.size() - kernels::kFilterWindow;
    for (std::size_t at = last + 1 - step; at <= last; ++at) {
      std::uint32_t window;
      std::memcpy(&window, literal.data() + at, kernels::kFilterWindow);
      const std::uint64_t h = kernels::LiteralFilterView::hash(hashing.fold(window));
      filter.words[hashing.word_of(h)] |= kernels::LiteralFilterView::bits_of(h);
      placed.push_back({hashing.word_of(h),
                        {text_offset, static_cast<std::uint32_t>(literal.size()),
                         static_cast<std::uint32_t>(at)}});
    }
  }
  std::stable_sort(placed.begin(), placed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  filter.bucket_begin.assign(word_count + 1, 0);
  for (const auto& [word, entry] : placed) ++filter.bucket_begin[word + 1];
  for (std::size_t w = 0; w < word_count; ++w) filter.bucket_begin[w + 1] += filter.bucket_begin[w];
  filter.entries.reserve(placed.size());
  for (const auto& [word, entry] : placed) filter.entries.push_back(entry);
  return filter;
}

}  // namespace agentsweep::engine
