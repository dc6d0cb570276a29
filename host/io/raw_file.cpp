/** @file
 * POSIX implementation of RawFile.
 */
#include "host/io/raw_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace agentsweep::io {

std::optional<RawFile> RawFile::open(const std::filesystem::path& path, InputError& error,
                                     ReadClock* clock) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = {0, OffsetKind::kCompressed, std::string("cannot open: ") + std::strerror(errno)};
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
    error = {0, OffsetKind::kCompressed,
             S_ISDIR(info.st_mode) ? "is a directory"
                                   : std::string("cannot stat: ") + std::strerror(errno)};
    ::close(fd);
    return std::nullopt;
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return RawFile(fd, clock);
}

RawFile::RawFile(RawFile&& other) noexcept
    : fd_(other.fd_),
      clock_(other.clock_),
      offset_(other.offset_),
      lookahead_size_(other.lookahead_size_),
      lookahead_pos_(other.lookahead_pos_) {
  std::copy(std::begin(other.lookahead_), std::end(other.lookahead_), lookahead_);
  other.fd_ = -1;
}

RawFile::~RawFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t RawFile::read_fd(char* out, std::size_t count, std::optional<InputError>& error) {
  const auto start =
      clock_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  ssize_t n = 0;
  do n = ::read(fd_, out, count);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    error = InputError{offset_, OffsetKind::kCompressed,
                       std::string("read failed: ") + std::strerror(errno)};
  if (clock_)
    *clock_ += static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              std::chrono::steady_clock::now() - start)
                                              .count());
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

std::span<const char> RawFile::peek(std::size_t count, std::optional<InputError>& error) {
  count = std::min(count, sizeof(lookahead_));
  while (lookahead_size_ < count) {
    const std::size_t n = read_fd(lookahead_ + lookahead_size_, count - lookahead_size_, error);
    if (n == 0) break;
    lookahead_size_ += n;
  }
  return {lookahead_, lookahead_size_};
}

std::size_t RawFile::read(std::span<char> out, std::optional<InputError>& error) {
  std::size_t done = 0;
  if (lookahead_pos_ < lookahead_size_) {
    done = std::min(out.size(), lookahead_size_ - lookahead_pos_);
    std::copy_n(lookahead_ + lookahead_pos_, done, out.data());
    lookahead_pos_ += done;
  }
  if (done < out.size()) done += read_fd(out.data() + done, out.size() - done, error);
  offset_ += done;
  return done;
}

}  // namespace agentsweep::io
