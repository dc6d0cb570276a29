/** @file
 * Streaming zstd decoding with bounded buffers: concatenated frames and
 * skippable frames are handled by libzstd's streaming API; a corrupt or
 * truncated stream ends the file with an error naming the compressed offset.
 * Every libzstd call gets the same output room (see step_decoder.hpp): libzstd
 * drops what a failing call wrote, so an error costs at most one step.
 */
#pragma once

#include <memory>
#include <vector>

#include <zstd.h>

#include "host/io/raw_file.hpp"
#include "host/io/step_decoder.hpp"

namespace agentsweep::io {

class ZstdSource final : public StepDecoder {
 public:
  /// Decodes `prefix`, the last bytes `file` has read, then the rest of `file`:
  /// a stream taken over at a frame boundary (zstd_frame_source.hpp).
  explicit ZstdSource(RawFile file, std::vector<char> prefix = {});

  /// Output room of every libzstd call: ZSTD_DStreamOutSize(), one full block.
  static std::size_t step_bytes();
  std::string_view codec() const override { return "zstd"; }
  std::uint64_t compressed_bytes_read() const override { return fed_; }

 private:
  struct ContextDeleter {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
  };

  std::size_t decode_step(char* window) override;
  /// Reads the next input chunk into input_; 0 at the end of the file.
  std::size_t read_input();

  RawFile file_;
  std::unique_ptr<ZSTD_DCtx, ContextDeleter> context_;
  std::vector<char> prefix_;
  std::size_t prefix_used_ = 0;
  std::uint64_t fed_ = 0;  ///< file offset after the input read so far
  std::vector<char> input_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::uint64_t input_offset_ = 0;   ///< file offset of input_[0]
  std::size_t frame_remaining_ = 0;  ///< libzstd's hint: 0 at a frame boundary
  bool end_of_file_ = false;
};

}  // namespace agentsweep::io
