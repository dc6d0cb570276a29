/** @file
 * Memory for Thrust's temporary storage (the scratch space of sorts, scans
 * and reductions), kept between calls. Thrust's default gets it fresh in every
 * algorithm call, dozens per batch: on the GPU a cudaMalloc and a cudaFree,
 * which waits for the whole device; on the host a malloc whose large blocks
 * are fresh pages, each costing the kernel a fault and a clearing.
 *
 * Blocks are reused when one is large enough; on a miss the idle blocks are
 * freed first, so what the cache holds never exceeds the most scratch space
 * that one batch had in use at once. One allocator serves one lane, from one
 * thread: it has no lock.
 *
 * `Memory` says where blocks live: `static void* get(std::size_t)` (null when
 * out of memory, or it throws) and `static void put(void*, std::size_t)`.
 */
#pragma once

#include <cstddef>
#include <map>
#include <new>

namespace agentsweep::backends {

template <class Memory>
class TemporaryAllocator {
 public:
  using value_type = char;

  TemporaryAllocator() = default;
  TemporaryAllocator(const TemporaryAllocator&) = delete;
  TemporaryAllocator& operator=(const TemporaryAllocator&) = delete;
  ~TemporaryAllocator() {
    release_idle();
    for (const auto& [block, size] : in_use_) Memory::put(block, size);
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
    auto* block = static_cast<char*>(Memory::get(bytes));
    if (block == nullptr) throw std::bad_alloc();  // as from Thrust's own allocator
    in_use_.emplace(block, bytes);
    return block;
  }

  void deallocate(char* block, std::size_t) {
    const auto used = in_use_.find(block);
    idle_.emplace(used->second, block);
    in_use_.erase(used);
  }

 private:
  void release_idle() {
    for (const auto& [size, block] : idle_) Memory::put(block, size);
    idle_.clear();
  }

  std::multimap<std::size_t, char*> idle_;  ///< by size, for the smallest block that fits
  std::map<char*, std::size_t> in_use_;
};

}  // namespace agentsweep::backends
