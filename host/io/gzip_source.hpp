/** @file
 * Streaming gzip decoding with zlib and bounded buffers. Concatenated members
 * decode as one stream, as `gzip -dc` does; anything after a member that is not
 * another member, corrupt data and a truncated member end the file with an
 * error naming the compressed offset. zlib hands out what it decoded before an
 * error, so every byte before the bad spot is delivered. Every inflate call
 * gets the same output room (see step_decoder.hpp), so a gzip bomb costs one
 * step of memory.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <zlib.h>

#include "host/io/raw_file.hpp"
#include "host/io/step_decoder.hpp"

namespace agentsweep::io {

class GzipSource final : public StepDecoder {
 public:
  explicit GzipSource(RawFile file);
  ~GzipSource() override;
  // zlib's state points back at stream_, so the object stays where it was made.
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  /// Output room of every inflate call: 128 KiB, as for zstd.
  static constexpr std::size_t kStepBytes = std::size_t{128} << 10;
  std::string_view codec() const override { return "gzip"; }
  std::uint64_t compressed_bytes_read() const override { return file_.offset(); }

 private:
  std::size_t decode_step(char* window) override;
  std::string describe_error(int result) const;
  /// File offset of the next byte inflate has not consumed.
  std::uint64_t input_position() const { return input_offset_ + (input_size_ - stream_.avail_in); }

  RawFile file_;
  z_stream stream_{};
  std::vector<unsigned char> input_;
  std::uint64_t input_offset_ = 0;  ///< file offset of input_[0]
  std::size_t input_size_ = 0;      ///< bytes of input_ filled by the last read
  std::uint64_t members_ = 0;       ///< members decoded completely
  bool member_ended_ = false;       ///< inflate finished a member; another may follow
  bool end_of_file_ = false;
};

}  // namespace agentsweep::io
