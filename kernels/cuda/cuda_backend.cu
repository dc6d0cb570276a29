/** @file
 * CudaBackend: copies each batch to the device and runs the shared batch
 * algorithm with thrust::cuda::par on one stream, its scratch space from a
 * cache (temporary_allocator.hpp); only compact tallies come back.
 */
#include "kernels/cuda/cuda_backend.hpp"

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

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

class CudaBackend final : public engine::Backend {
 public:
  CudaBackend() {
    check(cudaGetDevice(&device_), "cudaGetDevice");
    check(cudaGetDeviceProperties(&properties_, device_), "cudaGetDeviceProperties");
    check(cudaStreamCreateWithFlags(&system_.stream, cudaStreamNonBlocking), "cudaStreamCreate");
    system_.temporaries = &temporaries_;
  }
  ~CudaBackend() override { cudaStreamDestroy(system_.stream); }

  std::string name() const override { return "cuda"; }
  std::string description() const override {
    return std::string(properties_.name) + " (sm_" + std::to_string(properties_.major) +
           std::to_string(properties_.minor) + ", device " + std::to_string(device_) + ")";
  }
  std::size_t lanes() const override { return 1; }
  void load(const engine::ScanPlan& plan) override { plan_.load(plan); }
  engine::BatchResult scan(const io::Batch& batch, std::size_t) override {
    if (device_bytes_.size() < batch.size) device_bytes_.resize(batch.size);
    check(cudaMemcpyAsync(thrust::raw_pointer_cast(device_bytes_.data()), batch.data.get(),
                          batch.size, cudaMemcpyHostToDevice, system_.stream),
          "copy batch to device");
    const std::size_t line_bytes = batch.line_ends.size() * sizeof(std::uint32_t);
    std::uint32_t* line_ends =
        kernels::detail::at_least(workspace_.line_ends, batch.line_ends.size());
    check(cudaMemcpyAsync(line_ends, batch.line_ends.data(), line_bytes, cudaMemcpyHostToDevice,
                          system_.stream),
          "copy line ends to device");
    engine::BatchResult result =
        kernels::scan_batch(system_, plan_, workspace_, batch,
                            thrust::raw_pointer_cast(device_bytes_.data()), line_ends);
    check(cudaStreamSynchronize(system_.stream), "scan batch");
    return result;
  }

 private:
  int device_ = 0;
  cudaDeviceProp properties_{};
  DeviceTemporaries temporaries_;  // before system_: outlives every use of it
  CudaSystem system_;
  kernels::LoadedPlan<CudaSystem> plan_;
  kernels::BatchWorkspace<CudaSystem> workspace_;
  thrust::cuda::vector<char> device_bytes_;
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

std::unique_ptr<engine::Backend> make_cuda_backend() {
  std::string why;
  if (cuda_device_count(why) == 0) throw std::runtime_error("the CUDA backend cannot run: " + why);
  return std::make_unique<CudaBackend>();
}

}  // namespace agentsweep::backends
