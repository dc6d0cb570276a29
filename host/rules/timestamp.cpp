/** @file
 * ISO-8601 timestamp parts, as kernels/time_parts.cuh reads them on every backend.
 */
#include "host/rules/timestamp.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "host/rules/kernel_enums.hpp"
#include "kernels/time_parts.cuh"

namespace agentsweep::rules {

std::optional<int> timestamp_part(std::string_view text, TimePart part) {
  // Only the first kernels::kTimePartPrefix bytes are read: capping the length changes nothing.
  const auto length = static_cast<std::uint32_t>(
      std::min<std::size_t>(text.size(), std::numeric_limits<std::uint32_t>::max()));
  int value = 0;
  if (!kernels::timestamp_part(text.data(), length, to_kernel(part), value)) return std::nullopt;
  return value;
}

}  // namespace agentsweep::rules
