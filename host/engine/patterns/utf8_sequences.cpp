/** @file
 * Splitting a code point range until each piece encodes as a fixed sequence
 * of byte ranges: first by encoded length, then wherever the low bits of
 * lo and hi do not span whole continuation-byte blocks.
 */
#include "host/engine/patterns/utf8_sequences.hpp"

namespace agentsweep::engine {

namespace {

constexpr char32_t kMaxOfLength[] = {0x7F, 0x7FF, 0xFFFF, 0x10FFFF};

int encode(char32_t c, std::uint8_t* out) {
  if (c <= 0x7F) {
    out[0] = static_cast<std::uint8_t>(c);
    return 1;
  }
  if (c <= 0x7FF) {
    out[0] = static_cast<std::uint8_t>(0xC0 | (c >> 6));
    out[1] = static_cast<std::uint8_t>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c <= 0xFFFF) {
    out[0] = static_cast<std::uint8_t>(0xE0 | (c >> 12));
    out[1] = static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<std::uint8_t>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<std::uint8_t>(0xF0 | (c >> 18));
  out[1] = static_cast<std::uint8_t>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<std::uint8_t>(0x80 | (c & 0x3F));
  return 4;
}

void append_lenient_non_ascii(std::vector<Utf8Sequence>& out) {
  out.push_back({{{0xC2, 0xDF}, {0x80, 0xBF}}, 2});
  out.push_back({{{0xE0, 0xEF}, {0x80, 0xBF}, {0x80, 0xBF}}, 3});
  out.push_back({{{0xF0, 0xF4}, {0x80, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}}, 4});
}

}  // namespace

void append_utf8_sequences(char32_t lo, char32_t hi, std::vector<Utf8Sequence>& out) {
  if (lo > hi) return;
  if (lo == 0x80 && hi == 0x10FFFF) return append_lenient_non_ascii(out);
  // Pieces of one encoded length.
  for (char32_t max : kMaxOfLength) {
    if (lo <= max && max < hi) {
      append_utf8_sequences(lo, max, out);
      append_utf8_sequences(max + 1, hi, out);
      return;
    }
  }
  // Pieces whose trailing continuation bytes each cover whole 0x80-0xBF blocks.
  for (int bits = 6; bits < 24; bits += 6) {
    const char32_t low_mask = (char32_t{1} << bits) - 1;
    if ((lo & ~low_mask) != (hi & ~low_mask)) {
      if ((lo & low_mask) != 0) {
        append_utf8_sequences(lo, lo | low_mask, out);
        append_utf8_sequences((lo | low_mask) + 1, hi, out);
        return;
      }
      if ((hi & low_mask) != low_mask) {
        append_utf8_sequences(lo, (hi & ~low_mask) - 1, out);
        append_utf8_sequences(hi & ~low_mask, hi, out);
        return;
      }
    }
  }
  std::uint8_t first[4];
  std::uint8_t last[4];
  Utf8Sequence sequence;
  sequence.length = encode(lo, first);
  encode(hi, last);
  for (int i = 0; i < sequence.length; ++i) sequence.bytes[i] = {first[i], last[i]};
  out.push_back(sequence);
}

void append_utf8(char32_t code_point, std::string& out) {
  std::uint8_t bytes[4];
  const int length = encode(code_point, bytes);
  out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}

}  // namespace agentsweep::engine
