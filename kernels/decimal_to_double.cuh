/** @file
 * A JSON number token converted to the nearest double, exactly as strtod rounds it (to
 * nearest, ties to even, gradual underflow, infinity past the largest double), in code every
 * backend runs. Most tokens take Clinger's fast path: an integer up to 2^53 times or divided
 * by a power of ten up to 10^22, both exact doubles, so one rounding. The rest take the
 * multi-precision decimal method of Go's strconv (decimal.go, atof.go): the decimal digits
 * are shifted by powers of two until the binary exponent is known, then 53 bits are rounded
 * off. Slow but exact, and it needs only a fixed buffer.
 */
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/portability.cuh"

namespace agentsweep::kernels {
namespace detail {

/// Enough digits for any halfway point between two doubles (at most 767 significant).
inline constexpr int kMaxDecimalDigits = 800;
/// A left shift by k bits needs 5^k in 64 bits (see shift_left).
inline constexpr int kMaxLeftShift = 27;
/// A right shift by k bits needs n * 10 + 9 below 2^64 for n < 2^k.
inline constexpr int kMaxRightShift = 60;

/// The number 0.d[0]d[1]...d[count-1] x 10^point, without trailing zeros.
struct Decimal {
  std::uint8_t digits[kMaxDecimalDigits];  ///< values 0 to 9, most significant first
  int count;
  int point;
  bool truncated;  ///< nonzero digits past kMaxDecimalDigits were dropped
};

AGENTSWEEP_HD inline void trim(Decimal& d) {
  while (d.count > 0 && d.digits[d.count - 1] == 0) --d.count;
  if (d.count == 0) d.point = 0;
}

/// The magnitude of a token in the JSON number grammar.
AGENTSWEEP_HD inline void read_decimal(const char* token, std::uint32_t length, Decimal& d) {
  d.count = 0;
  d.point = 0;
  d.truncated = false;
  const auto keep = [&d](char c) {
    if (d.count < kMaxDecimalDigits)
      d.digits[d.count++] = static_cast<std::uint8_t>(c - '0');
    else if (c != '0')
      d.truncated = true;
  };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::uint32_t pos = length > 0 && token[0] == '-' ? 1 : 0;
  for (; pos < length && is_digit(token[pos]); ++pos) {
    if (d.count == 0 && token[pos] == '0') continue;
    keep(token[pos]);
    ++d.point;
  }
  if (pos < length && token[pos] == '.') {
    for (++pos; pos < length && is_digit(token[pos]); ++pos) {
      if (d.count == 0 && token[pos] == '0')
        --d.point;
      else
        keep(token[pos]);
    }
  }
  if (pos < length && (token[pos] == 'e' || token[pos] == 'E')) {
    ++pos;
    const bool negative = pos < length && token[pos] == '-';
    if (pos < length && (token[pos] == '-' || token[pos] == '+')) ++pos;
    int exponent = 0;
    for (; pos < length && is_digit(token[pos]); ++pos)
      if (exponent < 100000) exponent = exponent * 10 + (token[pos] - '0');  // beyond: 0 or inf
    d.point += negative ? -exponent : exponent;
  }
  trim(d);
}

/// Clinger's fast path; false when it does not apply.
AGENTSWEEP_HD inline bool fast_path(const Decimal& d, double& out) {
  if (d.truncated || d.count > 19) return false;
  std::uint64_t mantissa = 0;
  for (int i = 0; i < d.count; ++i) mantissa = mantissa * 10 + d.digits[i];
  const int exponent = d.point - d.count;
  if (mantissa > (std::uint64_t{1} << 53) || exponent < -22 || exponent > 22) return false;
  double scale = 1.0;  // every power of ten up to 10^22 is exact, so the products are too
  for (int i = 0; i < (exponent < 0 ? -exponent : exponent); ++i) scale *= 10.0;
  const double m = static_cast<double>(mantissa);
  out = exponent < 0 ? m / scale : m * scale;
  return true;
}

/// d *= 2^k for k <= kMaxLeftShift.
AGENTSWEEP_HD inline void shift_left(Decimal& d, int k) {
  // d * 2^k = d * 10^k / 5^k: the product has as many more digits as 2^k has, or one fewer
  // when d's digits compare below those of 5^k.
  std::uint64_t power_of_5 = 1;
  for (int i = 0; i < k; ++i) power_of_5 *= 5;
  std::uint8_t cutoff[20];  // 5^k's digits, least significant first
  int cutoff_length = 0;
  for (std::uint64_t x = power_of_5; x > 0; x /= 10)
    cutoff[cutoff_length++] = static_cast<std::uint8_t>(x % 10);
  int new_digits = 0;
  for (std::uint64_t x = std::uint64_t{1} << k; x > 0; x /= 10) ++new_digits;
  for (int i = 0; i < cutoff_length; ++i) {
    const std::uint8_t c = cutoff[cutoff_length - 1 - i];
    if (i >= d.count || d.digits[i] != c) {
      if (i >= d.count || d.digits[i] < c) --new_digits;
      break;
    }
  }

  int write = d.count + new_digits;
  const auto put = [&d, &write](std::uint64_t digit) {
    --write;
    if (write < kMaxDecimalDigits)
      d.digits[write] = static_cast<std::uint8_t>(digit);
    else if (digit != 0)
      d.truncated = true;
  };
  std::uint64_t n = 0;
  for (int read = d.count - 1; read >= 0; --read) {
    n += std::uint64_t{d.digits[read]} << k;
    put(n % 10);
    n /= 10;
  }
  for (; n > 0; n /= 10) put(n % 10);
  d.count = d.count + new_digits < kMaxDecimalDigits ? d.count + new_digits : kMaxDecimalDigits;
  d.point += new_digits;
  trim(d);
}

/// d /= 2^k for k <= kMaxRightShift; d is not zero.
AGENTSWEEP_HD inline void shift_right(Decimal& d, int k) {
  int read = 0;
  int write = 0;
  std::uint64_t n = 0;
  // Take enough leading digits for a first nonzero quotient digit.
  for (; (n >> k) == 0; ++read) {
    if (read >= d.count) {
      for (; (n >> k) == 0; ++read) n *= 10;
      break;
    }
    n = n * 10 + d.digits[read];
  }
  d.point -= read - 1;
  const std::uint64_t mask = (std::uint64_t{1} << k) - 1;
  for (; read < d.count; ++read) {
    d.digits[write++] = static_cast<std::uint8_t>(n >> k);
    n = (n & mask) * 10 + d.digits[read];
  }
  for (; n > 0; n = (n & mask) * 10) {
    if (write < kMaxDecimalDigits)
      d.digits[write++] = static_cast<std::uint8_t>(n >> k);
    else if ((n >> k) != 0)
      d.truncated = true;
  }
  d.count = write;
  trim(d);
}

/// d *= 2^k, k of either sign.
AGENTSWEEP_HD inline void shift(Decimal& d, int k) {
  if (d.count == 0) return;
  for (; k > kMaxLeftShift; k -= kMaxLeftShift) shift_left(d, kMaxLeftShift);
  for (; k < -kMaxRightShift; k += kMaxRightShift) shift_right(d, kMaxRightShift);
  if (k > 0) shift_left(d, k);
  if (k < 0) shift_right(d, -k);
}

/// d rounded to an integer, ties to even (a dropped tail breaks a tie upwards).
AGENTSWEEP_HD inline std::uint64_t rounded_integer(const Decimal& d) {
  if (d.point > 20) return UINT64_MAX;
  std::uint64_t n = 0;
  int i = 0;
  for (; i < d.point && i < d.count; ++i) n = n * 10 + d.digits[i];
  for (; i < d.point; ++i) n *= 10;
  const int next = d.point;
  if (next < 0 || next >= d.count) return n;
  const bool tie = d.digits[next] == 5 && next + 1 == d.count;
  if (tie ? d.truncated || (next > 0 && d.digits[next - 1] % 2 == 1) : d.digits[next] >= 5) ++n;
  return n;
}

/// A shift that moves d's point towards 0 without passing it: 2^n is at most 10^point
/// (and 1 when the point is already 0).
AGENTSWEEP_HD inline int shift_for_point(int point) {
  const int kShifts[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
  return point < 9 ? kShifts[point] : 27;  // 2^27 < 10^9
}

/// The double nearest d (Go's decimal.floatBits).
AGENTSWEEP_HD inline double slow_path(Decimal& d) {
  if (d.count == 0 || d.point < -330) return 0.0;
  if (d.point > 310) return HUGE_VAL;
  int exponent = 0;  // d * 2^exponent is the number; bring d into [0.5, 1)
  while (d.point > 0) {
    const int n = shift_for_point(d.point);
    shift(d, -n);
    exponent += n;
  }
  while (d.point < 0 || (d.point == 0 && d.digits[0] < 5)) {
    const int n = shift_for_point(-d.point);
    shift(d, n);
    exponent -= n;
  }
  --exponent;              // [0.5, 1) is [1, 2) one binary place down
  if (exponent < -1022) {  // subnormal: fewer mantissa bits
    shift(d, exponent + 1022);
    exponent = -1022;
  }
  if (exponent > 1023) return HUGE_VAL;
  shift(d, 53);
  std::uint64_t mantissa = rounded_integer(d);
  if (mantissa == std::uint64_t{1} << 53) {  // rounding carried into a new bit
    mantissa >>= 1;
    if (++exponent > 1023) return HUGE_VAL;
  }
  return ldexp(static_cast<double>(mantissa), exponent - 52);
}

}  // namespace detail

/// The double nearest the JSON number `token` (already validated), as strtod gives it.
AGENTSWEEP_HD inline double json_number_to_double(const char* token, std::uint32_t length) {
  detail::Decimal d;
  detail::read_decimal(token, length, d);
  double magnitude = 0.0;
  if (!detail::fast_path(d, magnitude)) magnitude = detail::slow_path(d);
  return length > 0 && token[0] == '-' ? -magnitude : magnitude;
}

}  // namespace agentsweep::kernels
