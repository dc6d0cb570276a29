/** @file
 * What `-j N` means to every command: N threads, or all cores for 0.
 */
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>

namespace agentsweep::cli {

/// `-j`'s value as a thread count: itself, or all cores (at least 1) when 0.
inline std::size_t thread_count(int threads) {
  return threads > 0 ? static_cast<std::size_t>(threads)
                     : std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace agentsweep::cli
