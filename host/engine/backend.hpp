/** @file
 * The interface every backend implements: load a plan once, then scan batches.
 */
#pragma once

#include <string>

#include "host/engine/batch_result.hpp"
#include "host/engine/scan_plan.hpp"
#include "host/io/batch.hpp"

namespace agentsweep::engine {

/// How many malformed lines per batch come back with their position.
inline constexpr std::size_t kMalformedSamplesPerBatch = 16;

class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string name() const = 0;         ///< "cpu" or "cuda"
  virtual std::string description() const = 0;  ///< e.g. "OpenMP, 16 threads"

  /// Copies the plan's tables to where kernels run. Call before scan().
  virtual void load(const ScanPlan& plan) = 0;

  /// Scans one batch. Throws std::runtime_error on a backend failure.
  virtual BatchResult scan(const io::Batch& batch) = 0;
};

}  // namespace agentsweep::engine
