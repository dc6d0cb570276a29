/** @file
 * Byte counts as people read them.
 */
#pragma once

#include <cstdint>
#include <string>

namespace agentsweep::report {

/// "181 B", "1.5 KiB", "3.2 GiB": binary units, one decimal above bytes.
std::string human_bytes(std::uint64_t bytes);

}  // namespace agentsweep::report
