/** @file
 * CudaBackend: copies each batch to the device and runs the shared batch
 * algorithm with thrust::cuda::par, one batch per lane, each lane on a CUDA
 * stream of its own with its scratch space from its own cache
 * (temporary_allocator.hpp); only compact tallies come back. Batches live in
 * pinned host memory, so while one lane's batch is copied in, another's
 * kernels run and a third's tallies are copied out.
 */
#include "kernels/cuda/cuda_backend.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <thrust/system/cuda/execution_policy.h>
#include <thrust/system/cuda/vector.h>

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
  static void* get(std::size_t bytes) {
    void* block = nullptr;
    if (cudaMalloc(&block, bytes) == cudaSuccess) return block;
    cudaGetLastError();  // clear it: the caller sees bad_alloc
    return nullptr;
  }
  static void put(void* block) { cudaFree(block); }
};

using DeviceTemporaries = TemporaryAllocator<DeviceMemory>;

struct CudaSystem {
  template <class T>
  using vector = thrust::cuda::vector<T>;
  static constexpr int kInterleavedWalks = 1;
  cudaStream_t stream = nullptr;
  DeviceTemporaries* temporaries = nullptr;
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
    engine::BatchResult result = kernels::scan_batch(
        system_, plan, workspace_, batch, thrust::raw_pointer_cast(bytes_.data()), line_ends);
    check(cudaStreamSynchronize(system_.stream), "scan batch");
    return result;
  }

 private:
  DeviceTemporaries temporaries_;  // before system_: outlives every use of it
  CudaSystem system_;
  kernels::BatchWorkspace<CudaSystem> workspace_;
  thrust::cuda::vector<char> bytes_;
};

class CudaBackend final : public engine::Backend {
 public:
  explicit CudaBackend(std::size_t lanes) {
    check(cudaGetDevice(&device_), "cudaGetDevice");
    check(cudaGetDeviceProperties(&properties_, device_), "cudaGetDeviceProperties");
    for (std::size_t i = 0; i < lanes; ++i) lanes_.push_back(std::make_unique<DeviceLane>());
  }

  std::string name() const override { return "cuda"; }
  std::string description() const override {
    return std::string(properties_.name) + " (sm_" + std::to_string(properties_.major) +
           std::to_string(properties_.minor) + ", device " + std::to_string(device_) + "), " +
           std::to_string(lanes_.size()) + (lanes_.size() == 1 ? " stream" : " streams");
  }
  std::size_t lanes() const override { return lanes_.size(); }
  /// 64 MiB: about 120,000 lines of generated events, a thread each, to fill the device.
  std::size_t preferred_batch_bytes() const override { return std::size_t{64} << 20; }
  io::BufferMemory batch_memory() const override { return {pinned_get, pinned_put}; }
  void load(const engine::ScanPlan& plan) override { plan_.load(plan); }
  engine::BatchResult scan(const io::Batch& batch, std::size_t lane) override {
    return lanes_.at(lane)->scan(plan_, batch);
  }

 private:
  int device_ = 0;
  cudaDeviceProp properties_{};
  kernels::LoadedPlan<CudaSystem> plan_;  ///< read by every lane at once, written by load only
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

std::unique_ptr<engine::Backend> make_cuda_backend(std::size_t lanes) {
  std::string why;
  if (cuda_device_count(why) == 0) throw std::runtime_error("the CUDA backend cannot run: " + why);
  return std::make_unique<CudaBackend>(std::max<std::size_t>(lanes, 1));
}

}  // namespace agentsweep::backends
