/** @file
 * Instants as reports print them.
 */
#pragma once

#include <cstdint>
#include <string>

namespace agentsweep::report {

/// "2026-03-01T12:34:56.789Z" for milliseconds since the Unix epoch (UTC).
std::string iso8601(std::int64_t ms);

}  // namespace agentsweep::report
