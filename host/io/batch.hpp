/** @file
 * The unit of work handed from the host to a backend: complete lines of one
 * file, with enough provenance to name every line by file, number and offset.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace agentsweep::io {

/// Complete lines of one input. Invariant: `size > 0` and `data[size - 1] == '\n'`;
/// a final line without a newline gets one appended by the batcher.
struct Batch {
  std::uint32_t file_id = 0;
  std::uint64_t first_line = 1;  ///< 1-based number of the first line in its file
  std::uint64_t offset = 0;      ///< decoded byte offset of data[0] in its file
  std::uint64_t line_count = 0;
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  /// Offset of each line's '\n' in data: found here, on the host, in the same
  /// pass that counts lines, so backends never rescan bytes for newlines.
  std::vector<std::uint32_t> line_ends;

  std::string_view bytes() const { return {data.get(), size}; }
};

}  // namespace agentsweep::io
