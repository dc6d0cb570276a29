/** @file
 * CudaBackend: copies each batch to the device and runs the shared batch
 * algorithm with thrust::cuda::par, one batch per lane, each lane on a CUDA
 * stream of its own with its scratch space from its own cache
 * (temporary_allocator.hpp); only compact tallies come back. Batches live in
 * pinned host memory, so while one lane's batch is copied in, another's
 * kernels run and a third's tallies are copied out. All device memory comes
 * from the DeviceBudget, capped by --gpu-memory.
 */
#include "kernels/cuda/cuda_backend.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <thrust/system/cuda/execution_policy.h>
#include <thrust/system/cuda/vector.h>

#include "kernels/cuda/device_budget.cuh"
#include "kernels/scan_batch.inl"
#include "kernels/temporary_allocator.hpp"

namespace agentsweep::backends {

namespace {

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorName(status) + ": " +
                             cudaGetErrorString(status));
}

/// Device memory for the scratch space cache.
struct DeviceMemory {
  static void* get(std::size_t bytes) { return device_budget().take(bytes); }
  static void put(void* block, std::size_t bytes) { device_budget().give(block, bytes); }
};

using DeviceTemporaries = TemporaryAllocator<DeviceMemory>;

template <class T>
using DeviceVector = thrust::cuda::vector<T, BudgetAllocator<T>>;

struct CudaSystem {
  template <class T>
  using vector = DeviceVector<T>;
  static constexpr int kInterleavedWalks = 1;
  cudaStream_t stream = nullptr;
  DeviceTemporaries* temporaries = nullptr;
  static constexpr kernels::BatchRows rows = kernels::BatchRows::kReduced;  // device memory
  auto policy() const { return thrust::cuda::par(*temporaries).on(stream); }
};

/// Pinned host memory for batch buffers: the copy to the device is DMA,
/// asynchronous on the lane's stream, instead of a staged synchronous copy.
void* pinned_get(std::size_t bytes) {
  void* block = nullptr;
  if (cudaHostAlloc(&block, bytes, cudaHostAllocDefault) == cudaSuccess) return block;
  cudaGetLastError();  // clear it: the batcher sees bad_alloc
  return nullptr;
}
void pinned_put(void* block) {
  cudaFreeHost(block);
}

/// What one lane owns: a stream, scratch space from its own cache, working
/// memory and the device copy of the batch it scans.
class DeviceLane {
 public:
  DeviceLane() {
    check(cudaStreamCreateWithFlags(&system_.stream, cudaStreamNonBlocking), "cudaStreamCreate");
    system_.temporaries = &temporaries_;
  }
  ~DeviceLane() { cudaStreamDestroy(system_.stream); }
  DeviceLane(const DeviceLane&) = delete;
  DeviceLane& operator=(const DeviceLane&) = delete;

  engine::BatchResult scan(const kernels::LoadedPlan<CudaSystem>& plan, const io::Batch& batch) {
    const auto start = std::chrono::steady_clock::now();
    if (bytes_.size() < batch.size) bytes_.resize(batch.size);
    check(cudaMemcpyAsync(thrust::raw_pointer_cast(bytes_.data()), batch.data.get(), batch.size,
                          cudaMemcpyHostToDevice, system_.stream),
          "copy batch to device");
    const std::size_t line_bytes = batch.line_ends.size() * sizeof(std::uint32_t);
    std::uint32_t* line_ends =
        kernels::detail::at_least(workspace_.line_ends, batch.line_ends.size());
    check(cudaMemcpyAsync(line_ends, batch.line_ends.data(), line_bytes, cudaMemcpyHostToDevice,
                          system_.stream),
          "copy line ends to device");
    // The kernels wait for the copies anyway; waiting here too shows them in --stats.
    check(cudaStreamSynchronize(system_.stream), "copy batch to device");
    const std::chrono::duration<double> transfer = std::chrono::steady_clock::now() - start;
    engine::BatchResult result = kernels::scan_batch(
        system_, plan, workspace_, batch, thrust::raw_pointer_cast(bytes_.data()), line_ends);
    result.transfer_seconds = transfer.count();
    check(cudaStreamSynchronize(system_.stream), "scan batch");
    return result;
  }

 private:
  DeviceTemporaries temporaries_;  // before system_: outlives every use of it
  CudaSystem system_;
  kernels::BatchWorkspace<CudaSystem> workspace_;
  DeviceVector<char> bytes_;
};

/// Device bytes a lane holds per byte of its batch, at most, before the
/// plan's own per-line memory (LoadedPlan::bytes_per_line): the batch's copy,
/// and per line (a batch holds one per 64 bytes at most) its record, sort keys,
/// tallies and scratch. Measured on an H100 at 4.3 with the most lines a batch
/// may hold (docs/benchmarks.md, "Device memory"); 6 leaves a margin.
constexpr std::size_t kDeviceBytesPerBatchByte = 6;
constexpr std::size_t kMiB = std::size_t{1} << 20;

class CudaBackend final : public engine::Backend {
 public:
  CudaBackend(std::size_t lanes, std::size_t device_memory) {
    check(cudaGetDevice(&device_), "cudaGetDevice");
    check(cudaGetDeviceProperties(&properties_, device_), "cudaGetDeviceProperties");
    device_budget().reset(device_memory);
    for (std::size_t i = 0; i < lanes; ++i) lanes_.push_back(std::make_unique<DeviceLane>());
  }

  std::string name() const override { return "cuda"; }
  std::string description() const override {
    return std::string(properties_.name) + " (sm_" + std::to_string(properties_.major) +
           std::to_string(properties_.minor) + ", device " + std::to_string(device_) + "), " +
           std::to_string(lanes_.size()) + (lanes_.size() == 1 ? " stream" : " streams");
  }
  std::size_t lanes() const override { return lanes_.size(); }
  /// 64 MiB (about 120,000 lines of generated events, a thread each, to fill
  /// the device) or the largest batch --gpu-memory holds, if smaller.
  std::size_t preferred_batch_bytes() const override {
    return std::min(64 * kMiB, largest_batch_bytes());
  }
  /// What --gpu-memory leaves each lane after the plan's tables, in whole MiB.
  std::size_t largest_batch_bytes() const override {
    const DeviceBudget& budget = device_budget();
    const std::size_t free = budget.cap() - std::min(budget.cap(), plan_bytes_);
    const std::size_t per_batch_byte =
        kDeviceBytesPerBatchByte +
        (plan_.bytes_per_line() + io::kBytesPerBatchLine - 1) / io::kBytesPerBatchLine;
    return free / lanes_.size() / per_batch_byte / kMiB * kMiB;
  }
  std::size_t device_memory_peak() const override { return device_budget().peak(); }
  io::BufferMemory batch_memory() const override { return {pinned_get, pinned_put}; }
  void load(const engine::ScanPlan& plan) override {
    const std::size_t others = device_budget().in_use() - plan_bytes_;  // the lanes' memory
    plan_.load(plan);
    plan_bytes_ = device_budget().in_use() - others;
  }
  engine::BatchResult scan(const io::Batch& batch, std::size_t lane) override {
    return lanes_.at(lane)->scan(plan_, batch);
  }

 private:
  int device_ = 0;
  cudaDeviceProp properties_{};
  kernels::LoadedPlan<CudaSystem> plan_;  ///< read by every lane at once, written by load only
  std::size_t plan_bytes_ = 0;            ///< device memory of plan_
  std::vector<std::unique_ptr<DeviceLane>> lanes_;
};

}  // namespace

int cuda_device_count(std::string& why) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    why = status == cudaErrorInsufficientDriver
              ? "no CUDA driver, or one older than this build's CUDA runtime"
              : cudaGetErrorString(status);
    cudaGetLastError();  // clear the sticky error so later calls start clean
    return 0;
  }
  if (count == 0) why = "no CUDA device found";
  return count;
}

std::unique_ptr<engine::Backend> make_cuda_backend(std::size_t device_memory, std::size_t lanes) {
  std::string why;
  if (cuda_device_count(why) == 0) throw std::runtime_error("the CUDA backend cannot run: " + why);
  return std::make_unique<CudaBackend>(std::max<std::size_t>(lanes, 1), device_memory);
}

}  // namespace agentsweep::backends
