/** @file
 * Exit codes a nightly job can alert on (documented in docs/usage.md).
 */
#pragma once

namespace agentsweep::cli {

inline constexpr int kExitClean = 0;     ///< everything read, nothing found
inline constexpr int kExitFindings = 1;  ///< everything read, some pattern matched
inline constexpr int kExitError = 2;     ///< bad usage, or some input not read completely

}  // namespace agentsweep::cli
