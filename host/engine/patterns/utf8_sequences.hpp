/** @file
 * Code point ranges as UTF-8 byte-range sequences, the form byte automata
 * match: [U+0080, U+07FF] becomes [C2-DF][80-BF], and so on.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agentsweep::engine {

struct ByteRange {
  std::uint8_t lo = 0;
  std::uint8_t hi = 0;
};

/// One to four byte ranges, matched in sequence.
struct Utf8Sequence {
  ByteRange bytes[4];
  int length = 0;
};

/**
 * Appends to `out` sequences that together match exactly the UTF-8 encodings
 * of [lo, hi]. Like RE2, the full non-ASCII range U+0080..U+10FFFF is matched
 * leniently (any lead byte with the right number of continuation bytes), which
 * keeps `.` and negated classes small.
 */
void append_utf8_sequences(char32_t lo, char32_t hi, std::vector<Utf8Sequence>& out);

/// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF) to `out`.
void append_utf8(char32_t code_point, std::string& out);

}  // namespace agentsweep::engine
