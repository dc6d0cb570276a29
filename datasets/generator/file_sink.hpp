/** @file
 * Writes one output file: plain JSONL as it comes, or independent zstd frames that
 * worker threads compress while the next lines are being generated. Frames are written
 * in order; at most `max_pending` frames are in flight, which bounds memory.
 */
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <future>
#include <string>
#include <string_view>

#include "frame_cutter.hpp"
#include "output_file.hpp"
#include "task_pool.hpp"

namespace agentsweep::gen {

struct FileSinkOptions {
  bool plain = false;
  int zstd_level = 3;
  std::size_t frame_size = 4u << 20;
  std::size_t max_pending = 4;
};

class FileSink {
 public:
  FileSink(const std::filesystem::path& path, const FileSinkOptions& options, TaskPool& pool);

  /** Appends complete lines. */
  void append(std::string_view lines);
  /** Writes what is left and closes the file. */
  void finish();

  [[nodiscard]] std::uint64_t frames() const { return frames_; }
  [[nodiscard]] std::uint64_t bytes_written() const { return bytes_written_; }

 private:
  void submit(std::string&& frame);
  void write_oldest();

  FileSinkOptions options_;
  TaskPool& pool_;
  OutputFile file_;
  FrameCutter cutter_;
  std::deque<std::future<std::string>> pending_;
  std::uint64_t frames_ = 0;
  std::uint64_t bytes_written_ = 0;
};

}  // namespace agentsweep::gen
