/** @file
 * CpuBackend: runs the shared batch algorithm with thrust::omp::par on host
 * memory; batches are scanned in place, without copies.
 */
#include "kernels/cpu/cpu_backend.hpp"

#include <omp.h>

#include <string>

#include <thrust/system/omp/execution_policy.h>
#include <thrust/system/omp/vector.h>

#include "kernels/scan_batch.inl"

namespace agentsweep::backends {

namespace {

struct OmpSystem {
  template <class T>
  using vector = thrust::omp::vector<T>;
  static constexpr int kInterleavedWalks = 4;
  auto policy() const { return thrust::omp::par; }
};

class CpuBackend final : public engine::Backend {
 public:
  explicit CpuBackend(int threads) {
    if (threads > 0) omp_set_num_threads(threads);
  }

  std::string name() const override { return "cpu"; }
  std::string description() const override {
    return "OpenMP, " + std::to_string(omp_get_max_threads()) + " threads";
  }
  void load(const engine::ScanPlan& plan) override { plan_.load(plan); }
  engine::BatchResult scan(const io::Batch& batch) override {
    return kernels::scan_batch(system_, plan_, workspace_, batch, batch.data.get(),
                               batch.line_ends.data());
  }

 private:
  OmpSystem system_;
  kernels::LoadedPlan<OmpSystem> plan_;
  kernels::BatchWorkspace<OmpSystem> workspace_;
};

}  // namespace

std::unique_ptr<engine::Backend> make_cpu_backend(int threads) {
  return std::make_unique<CpuBackend>(threads);
}

}  // namespace agentsweep::backends
