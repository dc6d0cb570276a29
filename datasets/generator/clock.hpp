/** @file
 * Calendar arithmetic in integers (Howard Hinnant's civil-date algorithms): parsing
 * --start-date, naming output files by date and hour, and formatting ISO-8601 UTC
 * timestamps with milliseconds. No time zone database, no locale, same everywhere.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "text_buffer.hpp"

namespace agentsweep::gen {

constexpr std::int64_t kMillisPerMinute = 60'000;
constexpr std::int64_t kMillisPerHour = 3'600'000;
constexpr std::int64_t kMillisPerDay = 86'400'000;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or nothing when it is not a valid date. */
std::optional<std::int64_t> parse_date(std::string_view text);

/** "YYYY-MM-DD" of a day number. */
std::string format_date(std::int64_t days_since_epoch);

/** Appends "YYYY-MM-DDTHH:MM:SS.mmmZ" for milliseconds since the epoch (non-negative). */
void append_timestamp(TextBuffer& out, std::int64_t epoch_ms);

}  // namespace agentsweep::gen
