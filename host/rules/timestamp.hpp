/** @file
 * The time-part modifiers (minute, hour, day, week, month, year) read an ISO-8601
 * timestamp as written: no time zone conversion, as the Sigma modifiers appendix says.
 */
#pragma once

#include <optional>
#include <string_view>

#include "host/rules/predicates.hpp"

namespace agentsweep::rules {

/// `part` of "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]" (a space may replace the
/// T); week is the ISO 8601 week number (1 to 53). Nothing when `text` is not such a time.
std::optional<int> timestamp_part(std::string_view text, TimePart part);

}  // namespace agentsweep::rules
