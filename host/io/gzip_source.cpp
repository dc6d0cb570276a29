/** @file
 * GzipSource: zlib streaming inflate of one file, member after member.
 */
#include "host/io/gzip_source.hpp"

#include <string>

namespace agentsweep::io {

namespace {
constexpr std::size_t kInputBytes = std::size_t{128} << 10;
constexpr int kGzipOnly = 16 + MAX_WBITS;  // gzip header and trailer, the largest window
}  // namespace

GzipSource::GzipSource(RawFile file) : StepDecoder(kStepBytes), file_(std::move(file)) {
  if (inflateInit2(&stream_, kGzipOnly) != Z_OK)
    error_ = InputError{0, OffsetKind::kCompressed, "zlib could not start: out of memory"};
  else
    input_.resize(kInputBytes);
}

std::string GzipSource::describe_error(int result) const {
  const std::string what = stream_.msg != nullptr ? stream_.msg : zError(result);
  // Bad bytes where a member's fixed 10-byte header should be, after a whole member: often
  // padding or another format appended to the file, not damage to the members before it.
  if (members_ > 0 && stream_.total_in < 10)
    return "corrupt gzip data: what follows member " + std::to_string(members_) +
           " is not another gzip member (" + what + ")";
  return "corrupt gzip data: " + what;
}

GzipSource::~GzipSource() {
  inflateEnd(&stream_);
}

std::size_t GzipSource::decode_step(char* window) {
  while (!error_) {
    if (stream_.avail_in == 0 && !end_of_file_) {
      input_offset_ = file_.offset();
      input_size_ = file_.read({reinterpret_cast<char*>(input_.data()), input_.size()}, error_);
      end_of_file_ = input_size_ == 0;
      stream_.next_in = input_.data();
      stream_.avail_in = static_cast<uInt>(input_size_);
      if (error_) break;
    }
    if (member_ended_) {
      if (stream_.avail_in == 0) break;  // the file ends after a whole member
      inflateReset(&stream_);            // more bytes: the next member
      member_ended_ = false;
      ++members_;
    }
    stream_.next_out = reinterpret_cast<Bytef*>(window);
    stream_.avail_out = static_cast<uInt>(kStepBytes);
    const uInt input_before = stream_.avail_in;
    const int result = inflate(&stream_, Z_NO_FLUSH);
    const std::size_t produced = kStepBytes - stream_.avail_out;
    if (result == Z_STREAM_END) {
      member_ended_ = true;
    } else if (result != Z_OK && result != Z_BUF_ERROR) {  // Z_BUF_ERROR: wants more input
      error_ = InputError{input_position(), OffsetKind::kCompressed, describe_error(result)};
    } else if (produced == 0 && stream_.avail_in == input_before && end_of_file_) {
      error_ = InputError{file_.offset(), OffsetKind::kCompressed,
                          "truncated gzip stream: the last member ends early"};
    }
    if (produced > 0) return produced;  // after an error too: what zlib decoded before it
  }
  return 0;
}

}  // namespace agentsweep::io
