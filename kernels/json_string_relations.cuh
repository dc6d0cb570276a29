/** @file
 * Relations between raw JSON strings (the bytes between the quotes) by their decoded bytes,
 * without copying: prefix, suffix, substring, and ASCII case-insensitive equality with plain
 * text. Equality of two raw strings is json_strings_equal in json_string.cuh.
 */
#pragma once

#include <cstdint>

#include "kernels/json_string.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {
namespace detail {

AGENTSWEEP_HD inline std::uint32_t decoded_length(const char* raw, std::uint32_t length) {
  JsonStringDecoder decoder(raw, length);
  std::uint32_t count = 0;
  for (unsigned char byte = 0; decoder.next(byte);) ++count;
  return count;
}

/// Whether the bytes `rest` has still to yield begin with the decoded `prefix`. `rest` is a
/// copy, so the caller's decoder does not move.
AGENTSWEEP_HD inline bool yields_prefix(JsonStringDecoder rest, const char* prefix,
                                        std::uint32_t prefix_length) {
  JsonStringDecoder wanted(prefix, prefix_length);
  unsigned char want = 0;
  unsigned char got = 0;
  while (wanted.next(want))
    if (!rest.next(got) || got != want) return false;
  return true;
}

AGENTSWEEP_HD inline unsigned char ascii_lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

}  // namespace detail

AGENTSWEEP_HD inline bool json_string_starts_with(const char* raw, std::uint32_t length,
                                                  const char* prefix, std::uint32_t prefix_length) {
  return detail::yields_prefix(JsonStringDecoder(raw, length), prefix, prefix_length);
}

AGENTSWEEP_HD inline bool json_string_ends_with(const char* raw, std::uint32_t length,
                                                const char* suffix, std::uint32_t suffix_length) {
  const std::uint32_t size = detail::decoded_length(raw, length);
  const std::uint32_t suffix_size = detail::decoded_length(suffix, suffix_length);
  if (suffix_size > size) return false;
  JsonStringDecoder rest(raw, length);
  unsigned char skipped = 0;
  for (std::uint32_t i = 0; i < size - suffix_size; ++i) rest.next(skipped);
  return detail::yields_prefix(rest, suffix, suffix_length);
}

/// Whether the decoded `needle` occurs in the decoded `raw` (an empty needle always does).
AGENTSWEEP_HD inline bool json_string_contains(const char* raw, std::uint32_t length,
                                               const char* needle, std::uint32_t needle_length) {
  const std::uint32_t size = detail::decoded_length(raw, length);
  const std::uint32_t needle_size = detail::decoded_length(needle, needle_length);
  if (needle_size > size) return false;
  JsonStringDecoder rest(raw, length);
  unsigned char skipped = 0;
  for (std::uint32_t start = 0;; ++start) {
    if (detail::yields_prefix(rest, needle, needle_length)) return true;
    if (start == size - needle_size) return false;
    rest.next(skipped);
  }
}

/// Whether the decoded `raw` equals plain `text` with ASCII letters in either case.
AGENTSWEEP_HD inline bool json_string_iequals_ascii(const char* raw, std::uint32_t length,
                                                    const char* text, std::uint32_t text_length) {
  JsonStringDecoder decoder(raw, length);
  unsigned char byte = 0;
  std::uint32_t i = 0;
  for (; decoder.next(byte); ++i)
    if (i >= text_length ||
        detail::ascii_lower(byte) != detail::ascii_lower(static_cast<unsigned char>(text[i])))
      return false;
  return i == text_length;
}

}  // namespace agentsweep::kernels
