/** @file
 * ZstdSource: libzstd streaming decompression of one file.
 */
#include "host/io/zstd_source.hpp"

#include <string>

namespace agentsweep::io {

namespace {
// Frames may ask for a window of at most 2^27 bytes (libzstd's default cap):
// a hostile frame header cannot make the decoder allocate more.
constexpr int kMaxWindowLog = 27;
}  // namespace

ZstdSource::ZstdSource(RawFile file)
    : file_(std::move(file)), context_(ZSTD_createDCtx()), input_(ZSTD_DStreamInSize()) {
  ZSTD_DCtx_setParameter(context_.get(), ZSTD_d_windowLogMax, kMaxWindowLog);
}

std::size_t ZstdSource::read(std::span<char> out) {
  if (error_) return 0;
  ZSTD_outBuffer output{out.data(), out.size(), 0};
  while (output.pos < output.size) {
    if (in_.pos == in_.size && !end_of_file_) {
      input_offset_ = file_.offset();
      const std::size_t n = file_.read(input_, error_);
      if (error_) return output.pos;
      end_of_file_ = n == 0;
      in_ = {input_.data(), n, 0};
    }
    const std::size_t produced_before = output.pos;
    const std::size_t consumed_before = in_.pos;
    const std::size_t result = ZSTD_decompressStream(context_.get(), &output, &in_);
    if (ZSTD_isError(result)) {
      error_ = InputError{input_offset_ + in_.pos, OffsetKind::kCompressed,
                          std::string("corrupt zstd data: ") + ZSTD_getErrorName(result)};
      return output.pos;
    }
    const bool progressed = in_.pos != consumed_before || output.pos != produced_before;
    if (progressed) frame_remaining_ = result;  // an idle call would report the next frame's header
    if (end_of_file_ && in_.pos == in_.size && !progressed) break;
  }
  if (output.pos == 0 && frame_remaining_ != 0)
    error_ = InputError{file_.offset(), OffsetKind::kCompressed,
                        "truncated zstd stream: the last frame ends early"};
  return output.pos;
}

}  // namespace agentsweep::io
