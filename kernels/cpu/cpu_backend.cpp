/** @file
 * CpuBackend: runs the shared batch algorithm with thrust::cpp::par on host
 * memory; batches are scanned in place, without copies.
 *
 * Parallelism is across batches, not inside one: each lane scans a whole
 * batch on the pipeline's thread for that lane. Splitting every sort and scan
 * of a batch over a thread team (Thrust's OpenMP system, before) made each
 * step end in a barrier where team threads spin, and on cores shared with the
 * decode threads a spinning thread holds the core its partner needs: a loaded
 * 2-core scan ran twice as long as a quiet one.
 */
#include "kernels/cpu/cpu_backend.hpp"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include <sys/mman.h>

#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/cpp/vector.h>

#include "kernels/scan_batch.inl"
#include "kernels/temporary_allocator.hpp"

namespace agentsweep::backends {

namespace {

struct HostMemory {
  static void* get(std::size_t bytes) { return std::malloc(bytes); }
  static void put(void* block, std::size_t) { std::free(block); }
};

using HostTemporaries = TemporaryAllocator<HostMemory>;

/// Batch buffers of 2 MiB or more in 2 MiB pages where the kernel offers them
/// (THP "madvise"): every pass over a batch (JSON, patterns, the state's id
/// compares) then misses the TLB 512 times less, and a fresh buffer faults in
/// 512 times fewer pages (2M events: 5 % less CPU). The rounding up costs a
/// default 16 MiB batch at most 1/8 more.
constexpr std::size_t kHugePage = std::size_t{2} << 20;
void* huge_page_get(std::size_t bytes) {
  if (bytes < kHugePage) return std::malloc(bytes);
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* block = std::aligned_alloc(kHugePage, rounded);
  if (block != nullptr) madvise(block, rounded, MADV_HUGEPAGE);  // a hint: failure is harmless
  return block;
}
void huge_page_put(void* block) {
  std::free(block);
}

struct HostSystem {
  template <class T>
  using vector = thrust::cpp::vector<T>;
  static constexpr int kInterleavedWalks = 4;
  HostTemporaries* temporaries = nullptr;
  kernels::BatchRows rows = kernels::BatchRows::kPerEvent;
  auto policy() const { return thrust::cpp::par(*temporaries); }
};

/// What one lane owns: its scratch space, reused from batch to batch.
struct Lane {
  explicit Lane(kernels::BatchRows rows) : system{&temporaries, rows} {}
  HostTemporaries temporaries;  // before system: outlives every use of it
  HostSystem system;
  kernels::BatchWorkspace<HostSystem> workspace;
};

class CpuBackend final : public engine::Backend {
 public:
  CpuBackend(std::size_t lanes, kernels::BatchRows rows) : rows_(rows) {
    for (std::size_t i = 0; i < lanes; ++i) lanes_.emplace_back(rows);
  }

  std::string name() const override { return "cpu"; }
  std::string description() const override {
    return std::to_string(lanes_.size()) + (lanes_.size() == 1 ? " lane" : " lanes") +
           " of one thread each" +
           (rows_ == kernels::BatchRows::kReduced ? ", rows reduced per batch" : "");
  }
  std::size_t lanes() const override { return lanes_.size(); }
  /// 16 MiB: a 1.1 GB scan ran 10 % faster and in half the memory than with
  /// 64 MiB, whose buffers (one per lane and per decode thread) are mostly
  /// fresh pages on inputs of a few GB.
  std::size_t preferred_batch_bytes() const override { return std::size_t{16} << 20; }
  io::BufferMemory batch_memory() const override { return {huge_page_get, huge_page_put}; }
  void load(const engine::ScanPlan& plan) override { plan_.load(plan); }
  engine::BatchResult scan(const io::Batch& batch, std::size_t lane) override {
    Lane& own = lanes_.at(lane);
    return kernels::scan_batch(own.system, plan_, own.workspace, batch, batch.data.get(),
                               batch.line_ends.data());
  }

 private:
  kernels::BatchRows rows_;
  std::deque<Lane> lanes_;                // a deque: lanes do not move
  kernels::LoadedPlan<HostSystem> plan_;  ///< read by every lane at once, written by load only
};

}  // namespace

std::unique_ptr<engine::Backend> make_cpu_backend(int lanes, kernels::BatchRows rows) {
  const std::size_t count = lanes > 0 ? static_cast<std::size_t>(lanes)
                                      : std::max(1u, std::thread::hardware_concurrency());
  return std::make_unique<CpuBackend>(count, rows);
}

}  // namespace agentsweep::backends
