/** @file
 * ZstdSource: libzstd streaming decompression of one file.
 */
#include "host/io/zstd_source.hpp"

#include <zstd_errors.h>

#include <algorithm>
#include <string>

namespace agentsweep::io {

namespace {
// Frames may ask for a window of at most 2^27 bytes (libzstd's default cap):
// a hostile frame header cannot make the decoder allocate more.
constexpr int kMaxWindowLog = 27;

std::string describe_decode_error(std::size_t result) {
  // Not corruption: a real stream written with `zstd --long=28` or more asks for this.
  if (ZSTD_getErrorCode(result) == ZSTD_error_frameParameter_windowTooLarge)
    return "zstd frame needs a decoding window over 128 MiB (written with --long=28 or more?); "
           "not decoded, to keep memory bounded: recompress it with "
           "`zstd -dc --long=31 FILE | zstd -o NEW.zst`";
  return std::string("corrupt zstd data: ") + ZSTD_getErrorName(result);
}
}  // namespace

ZstdSource::ZstdSource(RawFile file, std::vector<char> prefix)
    : StepDecoder(step_bytes()),
      file_(std::move(file)),
      context_(ZSTD_createDCtx()),
      prefix_(std::move(prefix)),
      fed_(file_.offset() - prefix_.size()),
      input_(ZSTD_DStreamInSize()) {
  ZSTD_DCtx_setParameter(context_.get(), ZSTD_d_windowLogMax, kMaxWindowLog);
}

std::size_t ZstdSource::step_bytes() {
  return ZSTD_DStreamOutSize();
}

// Input comes in the chunks a reader of the whole file gets, ZSTD_DStreamInSize()
// bytes at offsets that are multiples of it, even after a prefix: what libzstd
// delivers before it finds an error depends on them, and a stream taken over
// at a frame boundary must read exactly as if streamed from the start.
std::size_t ZstdSource::read_input() {
  const std::size_t want = input_.size() - fed_ % input_.size();
  std::size_t n = std::min(want, prefix_.size() - prefix_used_);
  std::copy_n(prefix_.data() + prefix_used_, n, input_.data());
  prefix_used_ += n;
  if (prefix_used_ == prefix_.size()) {
    prefix_ = {};
    prefix_used_ = 0;
  }
  if (n < want) n += file_.read(std::span(input_.data() + n, want - n), error_);
  fed_ += n;
  return n;
}

std::size_t ZstdSource::decode_step(char* window) {
  for (;;) {
    if (in_.pos == in_.size && !end_of_file_) {
      input_offset_ = fed_;
      const std::size_t n = read_input();
      end_of_file_ = n == 0;
      in_ = {input_.data(), n, 0};
      if (error_) break;
    }
    // libzstd reports nothing of what a failing call wrote: with one block of
    // room, corruption costs at most that much of the good data before it.
    ZSTD_outBuffer output{window, step_bytes(), 0};
    const std::size_t consumed_before = in_.pos;
    const std::size_t result = ZSTD_decompressStream(context_.get(), &output, &in_);
    if (ZSTD_isError(result)) {
      error_ = InputError{input_offset_ + in_.pos, OffsetKind::kCompressed,
                          describe_decode_error(result)};
      break;
    }
    const bool progressed = in_.pos != consumed_before || output.pos != 0;
    if (progressed) frame_remaining_ = result;  // an idle call would report the next frame's header
    if (output.pos > 0) return output.pos;
    if (end_of_file_ && in_.pos == in_.size && !progressed) {
      if (frame_remaining_ != 0)
        error_ = InputError{fed_, OffsetKind::kCompressed,
                            "truncated zstd stream: the last frame ends early"};
      break;
    }
  }
  return 0;
}

}  // namespace agentsweep::io
