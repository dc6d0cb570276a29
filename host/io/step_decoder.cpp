/** @file
 * StepDecoder: a caller's read served from whole steps of codec output.
 */
#include "host/io/step_decoder.hpp"

#include <algorithm>

namespace agentsweep::io {

std::size_t StepDecoder::read(std::span<char> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (staged_begin_ < staged_end_) {
      const std::size_t n = std::min(out.size() - done, staged_end_ - staged_begin_);
      std::copy_n(staged_.data() + staged_begin_, n, out.data() + done);
      staged_begin_ += n;
      done += n;
      continue;
    }
    if (ended_) break;
    if (out.size() - done >= step_bytes_) {  // room for a whole step: decode in place
      const std::size_t n = decode_step(out.data() + done);
      ended_ = n == 0;
      done += n;
      continue;
    }
    staged_.resize(step_bytes_);
    staged_begin_ = 0;
    staged_end_ = decode_step(staged_.data());
    ended_ = staged_end_ == 0;
  }
  return done;
}

}  // namespace agentsweep::io
