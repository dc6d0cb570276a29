/** @file
 * A ScanState saved to a file and read back, so that scans of different
 * inputs (shards across machines, nightly sweeps) can be merged later. The
 * file also carries the caller's description of the scan (opaque text here)
 * so a merge can check that the states come from the same setup.
 *
 * Format: "agentsweep-state" magic, a format version, then fields in a fixed
 * order as little-endian integers and length-prefixed strings; per-second
 * counts and correlation entries last, sorted, in blocks of records. The reader
 * checks every length against what is left of the file, so a truncated or
 * corrupt file is an error naming the offset, never a crash or a huge
 * allocation.
 */
#pragma once

#include <stdexcept>
#include <string>

#include "host/state/scan_state.hpp"

namespace agentsweep::state {

struct SavedState {
  std::string setup;  ///< the caller's description of the scan
  ScanState state;
};

/// Writes `state` and `setup` to `path`; throws std::runtime_error on I/O errors.
void save_state(const std::string& path, const ScanState& state, const std::string& setup);

/// Reads a file written by save_state into a state whose per-second counts and
/// correlation entries spill under `spill`; throws std::runtime_error naming
/// the file and offset when it is not one, or is truncated or corrupt.
SavedState load_state(const std::string& path, const SpillOptions& spill = {});

}  // namespace agentsweep::state
