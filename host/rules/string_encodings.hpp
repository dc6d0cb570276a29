/** @file
 * The encoding modifiers of Sigma values: base64, base64offset, the UTF-16 forms and
 * windash. Each follows the Sigma modifiers appendix as pySigma implements it.
 */
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "host/rules/sigma_string.hpp"

namespace agentsweep::rules {

/// Base64 (RFC 4648 alphabet, with padding) of `bytes`.
std::string base64(std::string_view bytes);

/// The three ways `bytes` shows inside a longer base64 text, one per offset (0, 1, 2) of
/// its first byte in a 3-byte group, cut down to the characters that do not depend on
/// the bytes around it. Some may be empty for a value of one or two bytes.
std::array<std::string, 3> base64_offsets(std::string_view bytes);

enum class Utf16Form : std::uint8_t {
  kLittleEndian,         ///< utf16le, wide
  kBigEndian,            ///< utf16be
  kLittleEndianWithBom,  ///< utf16: FF FE, then little endian
};

/// The value's text re-encoded in UTF-16 (wildcards stay wildcards). Throws
/// std::invalid_argument when the text is not UTF-8.
SigmaString utf16(const SigmaString& value, Utf16Form form);

/// Every spelling of the value with each command-line flag dash (a `-` or `/` after a
/// non-word character and before a word character) replaced by `-`, `/`, en dash, em
/// dash or horizontal bar. Throws std::invalid_argument past three such dashes.
std::vector<SigmaString> windash_variants(const SigmaString& value);

}  // namespace agentsweep::rules
