/** @file
 * The reading discipline shared by the compressed codecs: every call into the
 * codec library gets the same output room (one step), whatever the caller
 * reads. What a library detects, and what it drops on an error, can depend on
 * that room, and the result must not depend on --read-size; a fixed room also
 * bounds what one call can cost on a decompression bomb.
 */
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "host/io/byte_source.hpp"

namespace agentsweep::io {

class StepDecoder : public ByteSource {
 public:
  explicit StepDecoder(std::size_t step_bytes) : step_bytes_(step_bytes) {}

  std::size_t read(std::span<char> out) final;

 protected:
  /// Decodes into `window` (step_bytes long) until some output appears; 0
  /// once the input is exhausted or error_ is set. Not called again after 0.
  virtual std::size_t decode_step(char* window) = 0;

 private:
  std::size_t step_bytes_;
  bool ended_ = false;            ///< decode_step returned 0
  std::vector<char> staged_;      ///< a step's output, when the caller had less room
  std::size_t staged_begin_ = 0;  ///< staged_[staged_begin_, staged_end_) not handed out yet
  std::size_t staged_end_ = 0;
};

}  // namespace agentsweep::io
