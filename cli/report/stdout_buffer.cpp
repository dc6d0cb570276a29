/** @file
 * StdoutBuffer: stdout a megabyte at a time.
 */
#include "cli/report/stdout_buffer.hpp"

#include <cerrno>
#include <cstdio>

namespace agentsweep::report {

StdoutBuffer::StdoutBuffer() : buffer_(std::size_t{1} << 20) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

StdoutBuffer::~StdoutBuffer() {
  hand_over();
}

bool StdoutBuffer::hand_over() {
  const auto size = static_cast<std::size_t>(pptr() - pbase());
  const bool written = std::fwrite(pbase(), 1, size, stdout) == size;
  if (!written && error_ == 0) error_ = errno;
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return written;
}

StdoutBuffer::int_type StdoutBuffer::overflow(int_type c) {
  if (!hand_over()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int StdoutBuffer::sync() {
  if (!hand_over()) return -1;
  if (std::fflush(stdout) == 0) return 0;
  if (error_ == 0) error_ = errno;
  return -1;
}

}  // namespace agentsweep::report
