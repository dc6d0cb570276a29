/** @file
 * Uncompressed input: the file's bytes as they are.
 */
#pragma once

#include "host/io/byte_source.hpp"
#include "host/io/raw_file.hpp"

namespace agentsweep::io {

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(RawFile file) : file_(std::move(file)) {}

  std::size_t read(std::span<char> out) override { return file_.read(out, error_); }
  std::string_view codec() const override { return "plain"; }
  std::uint64_t compressed_bytes_read() const override { return file_.offset(); }

 private:
  RawFile file_;
};

}  // namespace agentsweep::io
