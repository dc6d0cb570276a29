/** @file
 * A temporary file of sorted runs for SpillRuns (spill_runs.hpp). It is
 * unlinked as soon as it is created, so nothing is left behind however the
 * process ends; I/O errors throw SpillError naming the directory and what to
 * do about it.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace agentsweep::state {

/// Spilling to disk failed: the message names the directory and the way out.
class SpillError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// $TMPDIR when set and not empty, else /tmp.
std::string default_temp_directory();

class RunFile {
 public:
  /// Creates the file in `directory` (empty: default_temp_directory()).
  explicit RunFile(std::string directory);
  ~RunFile();
  RunFile(RunFile&& other) noexcept;
  RunFile& operator=(RunFile&& other) noexcept;
  RunFile(const RunFile&) = delete;
  RunFile& operator=(const RunFile&) = delete;

  /// Appends `bytes` bytes; returns the offset they start at.
  std::uint64_t append(const void* data, std::size_t bytes);
  /// Reads `bytes` bytes written before at `offset`.
  void read(std::uint64_t offset, void* data, std::size_t bytes) const;
  std::uint64_t size() const { return size_; }

 private:
  [[noreturn]] void fail(const std::string& what, int error) const;

  std::string directory_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace agentsweep::state
