/** @file
 * The CPU backend: scan_batch.inl on Thrust's sequential host system, one
 * batch per lane, each lane on its own thread.
 */
#pragma once

#include <memory>

#include "host/engine/backend.hpp"
#include "kernels/batch_rows.hpp"

namespace agentsweep::backends {

/// Scans `lanes` batches at once (0: one per core). Rows come one per event
/// unless `rows` asks for the reduction the CUDA backend runs (for tests).
std::unique_ptr<engine::Backend> make_cpu_backend(
    int lanes = 0, kernels::BatchRows rows = kernels::BatchRows::kPerEvent);

}  // namespace agentsweep::backends
