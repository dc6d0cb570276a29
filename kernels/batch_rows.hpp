/** @file
 * Where a batch's per-entity rows (per agent, per entity and agent, per agent
 * and second) are formed before the host state merges them.
 */
#pragma once

namespace agentsweep::kernels {

enum class BatchRows {
  /// Sorted and reduced by key on the backend, one row per entity: on a GPU
  /// the sorts are cheap, and only the reduced rows cross the bus.
  kReduced,
  /// One row per event, read in line order from the batch's records where
  /// they are, so only for backends whose memory the host reads (the CPU):
  /// the state's hash maps merge rows anyway, and in a batch most entities
  /// occur once, so on a CPU the sorts cost more than they save.
  kPerEvent,
};

}  // namespace agentsweep::kernels
