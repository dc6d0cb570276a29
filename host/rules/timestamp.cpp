/** @file
 * ISO-8601 timestamp parts.
 */
#include "host/rules/timestamp.hpp"

namespace agentsweep::rules {
namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

/// 0 = Monday ... 6 = Sunday (days since 1970-01-01, a Thursday, by Howard Hinnant's method).
int weekday(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long days = static_cast<long>(era) * 146097 + doe - 719468;
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

int day_of_year(int year, int month, int day) {
  int n = day;
  for (int m = 1; m < month; ++m) n += days_in_month(year, m);
  return n;
}

int iso_weeks_in_year(int year) {
  // A year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
  const int jan1 = weekday(year, 1, 1);
  return jan1 == 3 || (jan1 == 2 && is_leap(year)) ? 53 : 52;
}

int iso_week(int year, int month, int day) {
  const int week = (day_of_year(year, month, day) - weekday(year, month, day) - 1 + 10) / 7;
  if (week < 1) return iso_weeks_in_year(year - 1);
  if (week > iso_weeks_in_year(year)) return 1;
  return week;
}

}  // namespace

std::optional<int> timestamp_part(std::string_view text, TimePart part) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !digits(text, 5, 2, month) || !digits(text, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  const bool has_time = text.size() > 10;
  if (has_time) {
    if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text.size() < 16 ||
        !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) ||
        hour > 23 || minute > 59)
      return std::nullopt;
  } else if (part == TimePart::kHour || part == TimePart::kMinute) {
    return std::nullopt;  // a date has no hour
  }
  switch (part) {
    case TimePart::kMinute:
      return minute;
    case TimePart::kHour:
      return hour;
    case TimePart::kDay:
      return day;
    case TimePart::kWeek:
      return iso_week(year, month, day);
    case TimePart::kMonth:
      return month;
    case TimePart::kYear:
      return year;
  }
  return std::nullopt;
}

}  // namespace agentsweep::rules
