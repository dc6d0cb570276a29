/** @file
 * Milliseconds to ISO 8601 (H. Hinnant's civil_from_days, the inverse of
 * kernels::days_from_civil).
 */
#include "cli/report/time_text.hpp"

#include <string>

namespace agentsweep::report {

namespace {

struct CivilDate {
  std::int64_t year;
  int month;
  int day;
};

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

/// Floor division and its non-negative remainder.
std::int64_t floor_div(std::int64_t a, std::int64_t b, std::int64_t& remainder) {
  std::int64_t q = a / b;
  remainder = a % b;
  if (remainder < 0) {
    remainder += b;
    --q;
  }
  return q;
}

/// Writes `value` as `width` decimal digits, zero-padded, at `to`.
void put_digits(char* to, int width, std::int64_t value) {
  for (int i = width - 1; i >= 0; --i, value /= 10) to[i] = static_cast<char>('0' + value % 10);
}

/// The year as printf's "%04lld" writes it: four digits, more when needed, a
/// sign counted in the width.
std::string year_text(std::int64_t year) {
  if (year >= 0 && year <= 9999) {
    std::string text(4, '0');
    put_digits(text.data(), 4, year);
    return text;
  }
  std::string digits = std::to_string(year < 0 ? -year : year);
  if (year < 0 && digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return year < 0 ? "-" + digits : digits;
}

}  // namespace

std::string iso8601(std::int64_t ms) {
  std::int64_t millis = 0;
  std::int64_t seconds_of_day = 0;
  const std::int64_t seconds = floor_div(ms, 1000, millis);
  const std::int64_t days = floor_div(seconds, 86400, seconds_of_day);
  const CivilDate date = civil_from_days(days);
  // A --top 0 report prints three per agent: digits by hand, not through snprintf.
  std::string text = year_text(date.year) + "-00-00T00:00:00.000Z";
  char* rest = text.data() + text.size() - 20;
  put_digits(rest + 1, 2, date.month);
  put_digits(rest + 4, 2, date.day);
  put_digits(rest + 7, 2, seconds_of_day / 3600);
  put_digits(rest + 10, 2, seconds_of_day / 60 % 60);
  put_digits(rest + 13, 2, seconds_of_day % 60);
  put_digits(rest + 16, 3, millis);
  return text;
}

}  // namespace agentsweep::report
