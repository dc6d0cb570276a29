/** @file
 * The counts a correlation condition accepts. Sigma writes a condition as
 * bounds ({gte: 12, lte: 28}, {gt: 100}, {eq: 1}, {neq: 0}); counts are whole
 * numbers of events or distinct values in a time window that holds at least
 * one event, so the bounds come down to one range, minus the values `neq` names.
 */
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace agentsweep::engine {

struct CountRange {
  static constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t min = 1;  ///< a window with a count holds an event
  std::uint64_t max = kUnbounded;
  std::vector<std::uint64_t> excluded;  ///< sorted

  bool contains(std::uint64_t count) const {
    return count >= min && count <= max &&
           !std::binary_search(excluded.begin(), excluded.end(), count);
  }
  bool accepts_nothing() const { return min > max; }

  /// ">= 12 and <= 28", "> 0 and != 3": as a report shows the condition.
  std::string text() const {
    std::string out = ">= " + std::to_string(min);
    if (max != kUnbounded) out += " and <= " + std::to_string(max);
    for (const std::uint64_t value : excluded) out += " and != " + std::to_string(value);
    return out;
  }

  friend bool operator==(const CountRange&, const CountRange&) = default;
};

}  // namespace agentsweep::engine
