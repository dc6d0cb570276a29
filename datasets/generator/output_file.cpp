/** @file Checked file output (see output_file.hpp). */
#include "output_file.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace agentsweep::gen {

OutputFile::OutputFile(const std::filesystem::path& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) fail("cannot create");
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void OutputFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail("cannot write");
}

void OutputFile::close() {
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) fail("cannot finish writing");
}

void OutputFile::fail(std::string_view what) const {
  throw std::runtime_error(std::string(what) + " " + path_.string() + ": " + std::strerror(errno) +
                           " (check the --out directory and free disk space)");
}

}  // namespace agentsweep::gen
