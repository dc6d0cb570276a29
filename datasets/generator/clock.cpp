/** @file Civil-date conversions and timestamp formatting (see clock.hpp). */
#include "clock.hpp"

namespace agentsweep::gen {
namespace {

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool parse_digits(std::string_view text, unsigned& value) {
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view text) {
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month) ||
      !parse_digits(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  const CivilDate round_trip = civil_from_days(days);
  if (round_trip.month != month || round_trip.day != day) return std::nullopt;
  return days;
}

std::string format_date(std::int64_t days_since_epoch) {
  const CivilDate date = civil_from_days(days_since_epoch);
  TextBuffer out;
  out.reserve_more(16);
  out.put_padded(static_cast<std::uint64_t>(date.year), 4);
  out.put('-');
  out.put_padded(date.month, 2);
  out.put('-');
  out.put_padded(date.day, 2);
  return std::string(out.view());
}

void append_timestamp(TextBuffer& out, std::int64_t epoch_ms) {
  const std::int64_t days = epoch_ms / kMillisPerDay;
  const auto ms_of_day = static_cast<std::uint64_t>(epoch_ms - days * kMillisPerDay);
  const CivilDate date = civil_from_days(days);
  out.put_padded(static_cast<std::uint64_t>(date.year), 4);
  out.put('-');
  out.put_padded(date.month, 2);
  out.put('-');
  out.put_padded(date.day, 2);
  out.put('T');
  out.put_padded(ms_of_day / 3'600'000, 2);
  out.put(':');
  out.put_padded(ms_of_day / 60'000 % 60, 2);
  out.put(':');
  out.put_padded(ms_of_day / 1000 % 60, 2);
  out.put('.');
  out.put_padded(ms_of_day % 1000, 3);
  out.put('Z');
}

}  // namespace agentsweep::gen
