/** @file
 * Seconds since a moment, on the steady clock: how the pipeline times its stages.
 */
#pragma once

#include <chrono>

namespace agentsweep::pipeline {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace agentsweep::pipeline
