/** @file
 * The CUDA backend: scan_batch.inl on Thrust's CUDA system. Declared in a
 * plain C++ header so host code can use it without nvcc.
 */
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "host/engine/backend.hpp"
#include "kernels/backend_select.hpp"

namespace agentsweep::backends {

/// Streams by default: one batch copied in, one scanned, one's tallies copied out.
inline constexpr std::size_t kCudaLanes = 3;

/// Number of usable CUDA devices; 0 when there is no GPU or no driver, with
/// the reason in `why` (e.g. "CUDA driver not installed").
int cuda_device_count(std::string& why);

/// Lanes: batches in flight at once, one CUDA stream each. `device_memory`:
/// the most device memory the backend takes (plan tables, batches, scratch);
/// a scan that would need more fails, saying so. Throws std::runtime_error
/// when no device can be used.
std::unique_ptr<engine::Backend> make_cuda_backend(std::size_t device_memory = kDefaultGpuMemory,
                                                   std::size_t lanes = kCudaLanes);

}  // namespace agentsweep::backends
