/** @file
 * DeviceBudget: every byte of device memory the CUDA backend takes goes
 * through it (the plan's tables, each lane's batch copy, workspace and Thrust
 * scratch space), so it can refuse what would pass --gpu-memory and report the
 * peak. It is a Thrust memory resource, so device vectors allocate from it
 * (BudgetAllocator), and the scratch-space caches call take and give.
 *
 * One per process (Thrust's global resource for the type): device memory is a
 * process-wide resource, and a process runs one CUDA backend at a time.
 */
#pragma once

#include <cuda_runtime.h>

#include <atomic>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>

#include <thrust/mr/allocator.h>
#include <thrust/mr/memory_resource.h>
#include <thrust/system/cuda/pointer.h>

namespace agentsweep::backends {

class DeviceBudget final : public thrust::mr::memory_resource<thrust::cuda::pointer<void>> {
 public:
  /// For a new backend: its cap, and a peak counted from now.
  void reset(std::size_t cap) {
    cap_ = cap;
    peak_ = in_use_.load();
  }
  std::size_t cap() const { return cap_; }
  std::size_t in_use() const { return in_use_; }
  std::size_t peak() const { return peak_; }

  /// `bytes` of device memory; throws std::runtime_error, saying what to
  /// change, when the cap or the device cannot give them.
  void* take(std::size_t bytes) {
    std::size_t held = in_use_.load();
    do {
      if (bytes > cap_ || held > cap_ - bytes)
        throw std::runtime_error("the CUDA backend needs more device memory than --gpu-memory " +
                                 mib(cap_) + " (" + mib(held) + " held, " + mib(bytes) +
                                 " more asked): raise --gpu-memory or lower " + "--batch-size");
    } while (!in_use_.compare_exchange_weak(held, held + bytes));
    void* block = nullptr;
    if (const cudaError_t status = cudaMalloc(&block, bytes); status != cudaSuccess) {
      cudaGetLastError();  // clear it: later calls start clean
      in_use_ -= bytes;
      throw std::runtime_error("the GPU has no " + mib(bytes) + " free (" +
                               cudaGetErrorString(status) + ", " + mib(held) +
                               " held by this scan): lower --gpu-memory or --batch-size, or " +
                               "free the GPU");
    }
    for (std::size_t peak = peak_.load();
         held + bytes > peak && !peak_.compare_exchange_weak(peak, held + bytes);) {
    }
    return block;
  }

  void give(void* block, std::size_t bytes) {
    cudaFree(block);
    in_use_ -= bytes;
  }

  // Public: Thrust's allocators call these directly.
  pointer do_allocate(std::size_t bytes, std::size_t) override { return pointer(take(bytes)); }
  void do_deallocate(pointer block, std::size_t bytes, std::size_t) override {
    give(block.get(), bytes);
  }

 private:
  static std::string mib(std::size_t bytes) {
    return std::to_string((bytes + (std::size_t{1} << 20) - 1) >> 20) + " MiB";
  }

  std::atomic<std::size_t> cap_{std::numeric_limits<std::size_t>::max()};
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::size_t> peak_{0};
};

inline DeviceBudget& device_budget() {
  return *thrust::mr::get_global_resource<DeviceBudget>();
}

/// For device vectors: allocates from device_budget().
template <class T>
using BudgetAllocator = thrust::mr::stateless_resource_allocator<T, DeviceBudget>;

}  // namespace agentsweep::backends
