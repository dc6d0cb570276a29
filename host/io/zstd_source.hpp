/** @file
 * Streaming zstd decoding with bounded buffers: concatenated frames and
 * skippable frames are handled by libzstd's streaming API; a corrupt or
 * truncated stream ends the file with an error naming the compressed offset.
 * Every libzstd call gets the same output room, whatever the caller reads:
 * what libzstd detects (and drops on an error) depends on that room, and the
 * result must not depend on --read-size.
 */
#pragma once

#include <memory>
#include <vector>

#include <zstd.h>

#include "host/io/byte_source.hpp"
#include "host/io/raw_file.hpp"

namespace agentsweep::io {

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(RawFile file);

  std::size_t read(std::span<char> out) override;

  /// Output room of every libzstd call: ZSTD_DStreamOutSize(), one full block.
  static std::size_t step_bytes();
  std::string_view codec() const override { return "zstd"; }
  std::uint64_t compressed_bytes_read() const override { return file_.offset(); }

 private:
  struct ContextDeleter {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
  };

  /// Decodes into `window` (step_bytes() long) until some output appears;
  /// 0 once the input is exhausted or error_ is set.
  std::size_t decode_step(char* window);

  RawFile file_;
  std::unique_ptr<ZSTD_DCtx, ContextDeleter> context_;
  std::vector<char> input_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::uint64_t input_offset_ = 0;   ///< file offset of input_[0]
  std::size_t frame_remaining_ = 0;  ///< libzstd's hint: 0 at a frame boundary
  bool end_of_file_ = false;
  bool ended_ = false;            ///< no more output: end of input or error_
  std::vector<char> staged_;      ///< a step's output, when the caller had less room
  std::size_t staged_begin_ = 0;  ///< staged_[staged_begin_, staged_end_) not handed out yet
  std::size_t staged_end_ = 0;
};

}  // namespace agentsweep::io
