/** @file
 * The interface every backend implements: load a plan once, then scan batches
 * on its lanes. A lane scans one batch at a time; different lanes may scan at
 * once, each from its own thread, so a backend keeps one set of scratch space
 * (and on the GPU, one stream) per lane and shares only the read-only plan.
 */
#pragma once

#include <cstddef>
#include <cstdint>
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
  virtual std::string description() const = 0;  ///< e.g. "16 lanes, one thread each"

  /// Batches it can scan at once: scan()'s `lane` is below this.
  virtual std::size_t lanes() const = 0;

  /// Where the batches it scans had best live (pinned host memory for a GPU).
  virtual io::BufferMemory batch_memory() const { return {}; }

  /// The batch size it runs best with, when the user gives none.
  virtual std::size_t preferred_batch_bytes() const = 0;

  /// The largest batch its memory cap holds on every lane (after load()).
  virtual std::size_t largest_batch_bytes() const { return SIZE_MAX; }

  /// Most device memory held at once so far, in bytes; 0 for a host backend.
  virtual std::size_t device_memory_peak() const { return 0; }

  /// Copies the plan's tables to where kernels run. Call before scan().
  virtual void load(const ScanPlan& plan) = 0;

  /// Scans one batch on `lane`. Throws std::runtime_error on a backend failure.
  virtual BatchResult scan(const io::Batch& batch, std::size_t lane) = 0;
};

}  // namespace agentsweep::engine
