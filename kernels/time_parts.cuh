/** @file
 * The parts of an ISO-8601 timestamp that Sigma's time modifiers (minute, hour, day, week,
 * month, year) compare, read as written: no time zone conversion, as the Sigma modifiers
 * appendix says. Shared by the host rules and every backend.
 */
#pragma once

#include <cstdint>

#include "kernels/portability.cuh"
#include "kernels/timestamp.cuh"

namespace agentsweep::kernels {

/// Mirrors rules::TimePart.
enum class TimePartKind : std::uint8_t { kMinute, kHour, kDay, kWeek, kMonth, kYear };

/// Bytes of a timestamp that timestamp_part examines: "YYYY-MM-DDTHH:MM". What follows the
/// minute (seconds, fraction, zone) is not read.
inline constexpr std::uint32_t kTimePartPrefix = 16;

namespace detail {

/// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
AGENTSWEEP_HD inline int weekday(int year, int month, int day) {
  const std::int64_t days = days_from_civil(year, month, day);
  return static_cast<int>((days % 7 + 7 + 3) % 7);
}

AGENTSWEEP_HD inline int iso_weeks_in_year(int year) {
  // 53 weeks when the year starts on a Thursday, or on a Wednesday in a leap year.
  const int jan1 = weekday(year, 1, 1);
  return jan1 == 3 || (jan1 == 2 && days_in_month(year, 2) == 29) ? 53 : 52;
}

/// The ISO 8601 week number, 1 to 53; early January may belong to the previous year's last
/// week and late December to the next year's first.
AGENTSWEEP_HD inline int iso_week(int year, int month, int day) {
  const auto day_of_year =
      static_cast<int>(days_from_civil(year, month, day) - days_from_civil(year, 1, 1)) + 1;
  const int week = (day_of_year - weekday(year, month, day) - 1 + 10) / 7;
  if (week < 1) return iso_weeks_in_year(year - 1);
  if (week > iso_weeks_in_year(year)) return 1;
  return week;
}

}  // namespace detail

/**
 * `part` of "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM..." (T, t or a space before the hour) in
 * `text` of `length` bytes, of which only the first kTimePartPrefix are read. False when
 * `text` is not such a time, or is a date and `part` the hour or minute.
 */
AGENTSWEEP_HD inline bool timestamp_part(const char* text, std::uint32_t length, TimePartKind part,
                                         int& value) {
  const auto* t = reinterpret_cast<const unsigned char*>(text);
  const int examined = static_cast<int>(length < kTimePartPrefix ? length : kTimePartPrefix);
  int pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  if (!detail::read_digits(t, examined, pos, 4, year) || examined < 10 || t[pos++] != '-' ||
      !detail::read_digits(t, examined, pos, 2, month) || t[pos++] != '-' ||
      !detail::read_digits(t, examined, pos, 2, day))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
  if (length > 10) {
    if ((t[pos] != 'T' && t[pos] != 't' && t[pos] != ' ') || examined < 16) return false;
    ++pos;
    if (!detail::read_digits(t, examined, pos, 2, hour) || t[pos++] != ':' ||
        !detail::read_digits(t, examined, pos, 2, minute) || hour > 23 || minute > 59)
      return false;
  } else if (part == TimePartKind::kHour || part == TimePartKind::kMinute) {
    return false;  // a date has no hour
  }
  switch (part) {
    case TimePartKind::kMinute:
      value = minute;
      return true;
    case TimePartKind::kHour:
      value = hour;
      return true;
    case TimePartKind::kDay:
      value = day;
      return true;
    case TimePartKind::kWeek:
      value = detail::iso_week(year, month, day);
      return true;
    case TimePartKind::kMonth:
      value = month;
      return true;
    case TimePartKind::kYear:
      value = year;
      return true;
  }
  return false;
}

}  // namespace agentsweep::kernels
