/** @file
 * A file being written, with errors that name the path and say what failed.
 */
#pragma once

#include <cstdio>
#include <filesystem>
#include <string_view>

namespace agentsweep::gen {

class OutputFile {
 public:
  /** Creates (or truncates) `path`; throws std::runtime_error naming it on failure. */
  explicit OutputFile(const std::filesystem::path& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  /** Flushes and closes; throws when the data could not be written. */
  void close();

 private:
  [[noreturn]] void fail(std::string_view what) const;
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

}  // namespace agentsweep::gen
