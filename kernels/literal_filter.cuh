/** @file
 * A sampled q-gram filter in front of an Aho-Corasick walk (Navarro and
 * Raffinot, "Flexible Pattern Matching in Strings", 2002, ch. 3; Hyperscan's
 * FDR samples in the same spirit). The walk costs a dependent table load per
 * byte; most lines hold none of the literals, and the filter says so at a
 * fraction of that cost: it hashes only every `step`-th 4-byte window.
 *
 * Why that is enough: every literal is at least `step + 3` bytes long, and the
 * filter holds, per literal, the `step` windows within its last `step + 3`
 * bytes. An occurrence puts those windows at `step` consecutive offsets of the
 * line, one of which is a multiple of `step` and is checked. Windows come from
 * the literals' ends, past shared prefixes such as "agt_" that every log line
 * holds.
 *
 * A check is one load from a blocked Bloom filter (one 64-bit word per window,
 * two bits set, chosen by one multiplicative hash). Where it passes, the
 * literals whose window landed in that word are compared with the line at the
 * place they would start: in logs, windows of structured ids (the ".141" of an
 * address) recur across lines, so the Bloom filter alone would pass a tenth of
 * the lines. With ASCII case folding, windows, literals and text are folded by
 * setting bit 5 of every byte, which maps the two cases of a letter together
 * (and some punctuation pairs, so a folded line may still pass falsely).
 */
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/portability.cuh"

namespace agentsweep::kernels {

/// Bytes per window: one 32-bit load.
inline constexpr std::uint32_t kFilterWindow = 4;

/// A literal whose window landed in a filter word, and where in it.
struct FilterEntry {
  std::uint32_t text_offset;    ///< of the (folded) literal in LiteralFilterView::text
  std::uint32_t length;         ///< of the literal
  std::uint32_t window_offset;  ///< of the window in the literal
};

struct LiteralFilterView {
  const std::uint64_t* words = nullptr;  ///< 2^word_bits words; null: no filter
  /// Entries of word w: entries[bucket_begin[w] .. bucket_begin[w + 1]).
  const std::uint32_t* bucket_begin = nullptr;
  const FilterEntry* entries = nullptr;
  const char* text = nullptr;
  std::uint32_t word_bits = 0;
  std::uint32_t step = 0;  ///< windows sampled every `step` bytes
  bool fold_case = false;

  AGENTSWEEP_HD bool present() const { return words != nullptr; }

  /// The word a window lands in and the two bits it sets there.
  AGENTSWEEP_HD static std::uint64_t hash(std::uint32_t window) {
    return window * 0x9E3779B97F4A7C15ull;
  }
  AGENTSWEEP_HD std::uint32_t word_of(std::uint64_t h) const {
    return static_cast<std::uint32_t>(h >> (64 - word_bits));
  }
  AGENTSWEEP_HD static std::uint64_t bits_of(std::uint64_t h) {
    return (std::uint64_t{1} << (h >> 20 & 63)) | (std::uint64_t{1} << (h >> 26 & 63));
  }
  AGENTSWEEP_HD std::uint32_t fold(std::uint32_t window) const {
    return fold_case ? window | 0x20202020u : window;
  }
  AGENTSWEEP_HD char fold(char c) const { return fold_case ? static_cast<char>(c | 0x20) : c; }

  /// Whether `line` may hold one of the literals: false only if none occurs.
  AGENTSWEEP_HD bool may_match(const char* line, std::uint32_t length) const {
    for (std::uint32_t at = 0; at + kFilterWindow <= length; at += step) {
      std::uint32_t window;
      memcpy(&window, line + at, kFilterWindow);  // unaligned; little-endian on every backend
      const std::uint64_t h = hash(fold(window));
      const std::uint64_t bits = bits_of(h);
      const std::uint32_t word = word_of(h);
      if ((words[word] & bits) == bits && literal_at(line, length, at, word)) return true;
    }
    return false;
  }

  /// Whether a literal of word `word` occurs with its window at `at`.
  AGENTSWEEP_HD bool literal_at(const char* line, std::uint32_t length, std::uint32_t at,
                                std::uint32_t word) const {
    for (std::uint32_t e = bucket_begin[word]; e < bucket_begin[word + 1]; ++e) {
      const FilterEntry entry = entries[e];
      if (entry.window_offset > at || at - entry.window_offset + entry.length > length) continue;
      const char* start = line + (at - entry.window_offset);
      const char* literal = text + entry.text_offset;
      std::uint32_t k = 0;
      while (k < entry.length && fold(start[k]) == literal[k]) ++k;
      if (k == entry.length) return true;
    }
    return false;
  }
};

}  // namespace agentsweep::kernels
