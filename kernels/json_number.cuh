/** @file
 * A JSON number token read into the value JSON parsers such as nlohmann::json give it:
 * an integer that fits 64 bits stays exact (unsigned when written without '-', signed with
 * it; "-0" is the signed 0), anything else (a fraction, an exponent, an integer out of
 * range) becomes the nearest double.
 */
#pragma once

#include <cstdint>

#include "kernels/decimal_to_double.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {

enum class NumberKind : std::uint8_t { kUnsigned, kSigned, kReal };

struct JsonNumber {
  NumberKind kind = NumberKind::kReal;
  std::uint64_t unsigned_value = 0;  ///< kUnsigned
  std::int64_t signed_value = 0;     ///< kSigned
  double real = 0.0;                 ///< kReal

  /// The value as a double, converted the way C++ converts integers.
  AGENTSWEEP_HD double as_double() const {
    if (kind == NumberKind::kUnsigned) return static_cast<double>(unsigned_value);
    if (kind == NumberKind::kSigned) return static_cast<double>(signed_value);
    return real;
  }
};

/// The number `token` (already validated as JSON) stands for.
AGENTSWEEP_HD inline JsonNumber read_json_number(const char* token, std::uint32_t length) {
  JsonNumber number;
  const bool negative = length > 0 && token[0] == '-';
  std::uint64_t magnitude = 0;
  bool fits = true;
  std::uint32_t pos = negative ? 1 : 0;
  for (; pos < length && token[pos] >= '0' && token[pos] <= '9'; ++pos) {
    const auto digit = static_cast<std::uint64_t>(token[pos] - '0');
    fits = fits && magnitude <= (UINT64_MAX - digit) / 10;
    if (fits) magnitude = magnitude * 10 + digit;
  }
  const std::uint64_t signed_limit = std::uint64_t{1} << 63;  // |INT64_MIN|
  if (pos == length && fits && !negative) {
    number.kind = NumberKind::kUnsigned;
    number.unsigned_value = magnitude;
  } else if (pos == length && fits && magnitude <= signed_limit) {
    number.kind = NumberKind::kSigned;
    number.signed_value =
        magnitude == signed_limit ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
  } else {
    number.real = json_number_to_double(token, length);
  }
  return number;
}

}  // namespace agentsweep::kernels
