/** @file
 * RunFile: mkstemp, unlink at once, pwrite and pread.
 */
#include "host/state/run_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace agentsweep::state {

std::string default_temp_directory() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

RunFile::RunFile(std::string directory)
    : directory_(directory.empty() ? default_temp_directory() : std::move(directory)) {
  std::string pattern = directory_ + "/agentsweep-spill-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) fail("cannot create a temporary file", errno);
  ::unlink(name.data());  // the open descriptor keeps it until the store is gone
}

RunFile::~RunFile() {
  if (fd_ >= 0) ::close(fd_);
}

RunFile::RunFile(RunFile&& other) noexcept
    : directory_(std::move(other.directory_)),
      fd_(std::exchange(other.fd_, -1)),
      size_(other.size_) {}

RunFile& RunFile::operator=(RunFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    directory_ = std::move(other.directory_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

std::uint64_t RunFile::append(const void* data, std::size_t bytes) {
  const std::uint64_t offset = size_;
  const char* from = static_cast<const char*>(data);
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t n = ::pwrite(fd_, from + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write spilled tallies", n < 0 ? errno : ENOSPC);
    done += static_cast<std::size_t>(n);
  }
  size_ += bytes;
  return offset;
}

void RunFile::read(std::uint64_t offset, void* data, std::size_t bytes) const {
  char* to = static_cast<char*>(data);
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t n = ::pread(fd_, to + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot read spilled tallies back", n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
}

void RunFile::fail(const std::string& what, int error) const {
  throw SpillError(what + " in " + directory_ + ": " + std::strerror(error) +
                   "; point --temp-dir at a writable directory with free space, or raise "
                   "--state-memory to spill less");
}

}  // namespace agentsweep::state
