/** @file
 * Device memory for Thrust's temporary storage (the scratch space of sorts,
 * scans and reductions), kept between calls. Thrust's default gets it with a
 * cudaMalloc and returns it with a cudaFree, which waits for the whole device,
 * in every algorithm call: dozens per batch.
 *
 * Blocks are reused when one is large enough; on a miss the idle blocks are
 * freed first, so what the cache holds never exceeds the most scratch space
 * that one batch had in use at once.
 */
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <map>
#include <new>

namespace agentsweep::backends {

class TemporaryAllocator {
 public:
  using value_type = char;

  TemporaryAllocator() = default;
  TemporaryAllocator(const TemporaryAllocator&) = delete;
  TemporaryAllocator& operator=(const TemporaryAllocator&) = delete;
  ~TemporaryAllocator() {
    release_idle();
    for (const auto& [block, size] : in_use_) cudaFree(block);
  }

  char* allocate(std::ptrdiff_t signed_bytes) {
    const auto bytes = static_cast<std::size_t>(signed_bytes);
    if (auto fit = idle_.lower_bound(bytes); fit != idle_.end()) {
      char* block = fit->second;
      in_use_.emplace(block, fit->first);
      idle_.erase(fit);
      return block;
    }
    release_idle();
    void* block = nullptr;
    if (cudaMalloc(&block, bytes) != cudaSuccess) {
      cudaGetLastError();  // clear it: the caller sees bad_alloc, as from Thrust's own allocator
      throw std::bad_alloc();
    }
    in_use_.emplace(static_cast<char*>(block), bytes);
    return static_cast<char*>(block);
  }

  void deallocate(char* block, std::size_t) {
    const auto used = in_use_.find(block);
    idle_.emplace(used->second, block);
    in_use_.erase(used);
  }

 private:
  void release_idle() {
    for (const auto& [size, block] : idle_) cudaFree(block);
    idle_.clear();
  }

  std::multimap<std::size_t, char*> idle_;  ///< by size, for the smallest block that fits
  std::map<char*, std::size_t> in_use_;
};

}  // namespace agentsweep::backends
