/** @file
 * Event timestamps as milliseconds since the Unix epoch, read the same way on
 * every backend: an ISO-8601 / RFC 3339 string ("2026-03-01T12:34:56.789Z",
 * "2026-03-01 12:34:56+01:00"; no zone means UTC; digits past milliseconds are
 * dropped) or a JSON number of seconds ("1772368496.789").
 */
#pragma once

#include <cstdint>

#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {

/// "No timestamp" in aggregates (the earliest representable instant, never parsed).
inline constexpr std::int64_t kNoTime = INT64_MIN;

enum class TimeStatus : std::uint8_t {
  kAbsent,   ///< no time field, or null
  kValid,    ///< `time_ms` holds it
  kInvalid,  ///< present but not a timestamp: counted, never guessed
};

/// Days from 1970-01-01 to the proleptic Gregorian date y-m-d (H. Hinnant's
/// days_from_civil).
AGENTSWEEP_HD inline std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

AGENTSWEEP_HD inline int days_in_month(std::int64_t y, int m) {
  if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
  return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

namespace detail {

/// Reads `count` decimal digits at text[pos]; false if any is not a digit.
AGENTSWEEP_HD inline bool read_digits(const unsigned char* text, int length, int& pos, int count,
                                      int& value) {
  value = 0;
  for (int i = 0; i < count; ++i, ++pos) {
    if (pos >= length || text[pos] < '0' || text[pos] > '9') return false;
    value = value * 10 + (text[pos] - '0');
  }
  return true;
}

AGENTSWEEP_HD inline bool parse_iso8601(const unsigned char* t, int length, std::int64_t& ms) {
  int pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(t, length, pos, 4, year) || pos >= length || t[pos++] != '-' ||
      !read_digits(t, length, pos, 2, month) || pos >= length || t[pos++] != '-' ||
      !read_digits(t, length, pos, 2, day))
    return false;
  if (pos >= length || (t[pos] != 'T' && t[pos] != 't' && t[pos] != ' ')) return false;
  ++pos;
  if (!read_digits(t, length, pos, 2, hour) || pos >= length || t[pos++] != ':' ||
      !read_digits(t, length, pos, 2, minute) || pos >= length || t[pos++] != ':' ||
      !read_digits(t, length, pos, 2, second))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60)  // 60: a leap second
    return false;
  int millis = 0;
  if (pos < length && t[pos] == '.') {
    ++pos;
    int digits = 0;
    for (; pos < length && t[pos] >= '0' && t[pos] <= '9'; ++pos, ++digits)
      if (digits < 3) millis = millis * 10 + (t[pos] - '0');
    if (digits == 0) return false;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset_minutes = 0;
  if (pos < length && (t[pos] == 'Z' || t[pos] == 'z')) {
    ++pos;
  } else if (pos < length && (t[pos] == '+' || t[pos] == '-')) {
    const int sign = t[pos++] == '-' ? -1 : 1;
    int zone_hours = 0, zone_minutes = 0;
    if (!read_digits(t, length, pos, 2, zone_hours)) return false;
    if (pos < length && t[pos] == ':') ++pos;
    if (!read_digits(t, length, pos, 2, zone_minutes) || zone_hours > 23 || zone_minutes > 59)
      return false;
    offset_minutes = sign * (zone_hours * 60 + zone_minutes);
  }
  if (pos != length) return false;
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 +
                               (minute - offset_minutes) * 60 + second;
  ms = seconds * 1000 + millis;
  return true;
}

/// Seconds since the epoch, optionally negative and with a fraction; no exponent.
AGENTSWEEP_HD inline bool parse_epoch_seconds(const char* t, std::uint32_t length,
                                              std::int64_t& ms) {
  std::uint32_t pos = 0;
  const bool negative = length > 0 && t[0] == '-';
  pos += negative;
  std::int64_t seconds = 0;
  int digits = 0;
  for (; pos < length && t[pos] >= '0' && t[pos] <= '9'; ++pos, ++digits) {
    if (digits == 12) return false;  // beyond year 33,000: not a timestamp
    seconds = seconds * 10 + (t[pos] - '0');
  }
  if (digits == 0) return false;
  int millis = 0;
  if (pos < length && t[pos] == '.') {
    int fraction = 0;
    for (++pos; pos < length && t[pos] >= '0' && t[pos] <= '9'; ++pos, ++fraction)
      if (fraction < 3) millis = millis * 10 + (t[pos] - '0');
    for (; fraction < 3; ++fraction) millis *= 10;
  }
  if (pos != length) return false;  // an exponent
  ms = seconds * 1000 + millis;
  if (negative) ms = -ms;
  return true;
}

}  // namespace detail

/// The timestamp in `field` of `line` (offsets relative to the line).
AGENTSWEEP_HD inline TimeStatus read_timestamp(const char* line, const FieldValue& field,
                                               std::int64_t& ms) {
  if (field.kind == ValueKind::kAbsent || field.kind == ValueKind::kNull)
    return TimeStatus::kAbsent;
  if (field.kind == ValueKind::kNumber)
    return detail::parse_epoch_seconds(line + field.offset, field.length, ms)
               ? TimeStatus::kValid
               : TimeStatus::kInvalid;
  if (field.kind != ValueKind::kString) return TimeStatus::kInvalid;
  // The longest accepted form is well under 40 bytes ("...T..:..:..[.fff...]+..:..").
  constexpr int kMaxText = 40;
  if (!field.has_escape) {  // the raw bytes are the text: parsed where they are
    if (field.length > kMaxText) return TimeStatus::kInvalid;
    const auto* raw = reinterpret_cast<const unsigned char*>(line + field.offset);
    return detail::parse_iso8601(raw, static_cast<int>(field.length), ms) ? TimeStatus::kValid
                                                                          : TimeStatus::kInvalid;
  }
  unsigned char text[kMaxText];
  int length = 0;
  JsonStringDecoder decoder(line + field.offset, field.length);
  for (unsigned char byte = 0; decoder.next(byte);) {
    if (length == kMaxText) return TimeStatus::kInvalid;
    text[length++] = byte;
  }
  return detail::parse_iso8601(text, length, ms) ? TimeStatus::kValid : TimeStatus::kInvalid;
}

/// The earlier of two times, either of which may be kNoTime.
AGENTSWEEP_HD inline std::int64_t earlier_time(std::int64_t a, std::int64_t b) {
  return a == kNoTime ? b : b == kNoTime ? a : a < b ? a : b;
}

AGENTSWEEP_HD inline std::int64_t later_time(std::int64_t a, std::int64_t b) {
  return a == kNoTime ? b : b == kNoTime ? a : a > b ? a : b;
}

/// Floor division of milliseconds into whole seconds (also before 1970).
AGENTSWEEP_HD inline std::int64_t second_of(std::int64_t ms) {
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

}  // namespace agentsweep::kernels
