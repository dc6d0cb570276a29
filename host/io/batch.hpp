/** @file
 * The unit of work handed from the host to a backend: complete lines of one
 * file, with enough provenance to name every line by file, number and offset.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

namespace agentsweep::io {

/// A batch holds at most one line per this many bytes of its size limit: a
/// backend needs working memory per line, so without this a batch of empty
/// lines (a zstd bomb of newlines) would cost ~80 times its bytes.
inline constexpr std::size_t kBytesPerBatchLine = 64;

/// Where batch buffers come from: the heap by default; the CUDA backend asks
/// for pinned (page-locked) host memory, which the GPU reads by DMA while the
/// host thread goes on, so a lane's copy overlaps other lanes' kernels.
struct BufferMemory {
  void* (*get)(std::size_t bytes) = nullptr;  ///< null when out of memory; unset: new[]
  void (*put)(void* block) = nullptr;         ///< gives back what get() returned
};

/// Hands a batch buffer back to the memory it came from.
struct BufferRelease {
  void (*put)(void* block) = nullptr;  ///< null: the buffer came from new[]
  void operator()(char* block) const {
    if (put)
      put(block);
    else
      delete[] block;
  }
};

using BatchBuffer = std::unique_ptr<char[], BufferRelease>;

/// An uninitialised buffer of `bytes` from `memory`; throws std::bad_alloc.
inline BatchBuffer allocate_buffer(const BufferMemory& memory, std::size_t bytes) {
  if (!memory.get) return BatchBuffer(new char[bytes], BufferRelease{});
  auto* block = static_cast<char*>(memory.get(bytes));
  if (block == nullptr) throw std::bad_alloc();
  return BatchBuffer(block, BufferRelease{memory.put});
}

/// Complete lines of one input. Invariant: `size > 0` and `data[size - 1] == '\n'`;
/// a final line without a newline gets one appended by the batcher.
struct Batch {
  std::uint32_t file_id = 0;
  std::uint64_t first_line = 1;  ///< 1-based number of the first line in its file
  std::uint64_t offset = 0;      ///< decoded byte offset of data[0] in its file
  std::uint64_t line_count = 0;
  BatchBuffer data;
  std::size_t size = 0;
  /// Offset of each line's '\n' in data: found here, on the host, in the same
  /// pass that counts lines, so backends never rescan bytes for newlines.
  std::vector<std::uint32_t> line_ends;

  std::string_view bytes() const { return {data.get(), size}; }
};

}  // namespace agentsweep::io
