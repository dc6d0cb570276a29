/** @file
 * StdoutBuffer: a stream buffer that hands stdout to stdio a megabyte at a
 * time. std::cout, synchronized with stdio, calls fwrite for every insertion:
 * a --top 0 report of 1.5 M agents made tens of millions of those calls.
 * A failed write is kept (error()), so the caller can say so: a nightly job
 * must not take a report lost to a full disk for a clean one.
 */
#pragma once

#include <streambuf>
#include <vector>

namespace agentsweep::report {

class StdoutBuffer final : public std::streambuf {
 public:
  StdoutBuffer();
  StdoutBuffer(const StdoutBuffer&) = delete;
  StdoutBuffer& operator=(const StdoutBuffer&) = delete;
  /// Hands over what is left (a stream on it should have been flushed, to see errors).
  ~StdoutBuffer() override;

  /// The errno of the first failed write to stdout; 0 when none failed.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  /// Hands the buffer to stdio and flushes stdout: -1 when a write failed.
  int sync() override;

 private:
  bool hand_over();

  std::vector<char> buffer_;
  int error_ = 0;
};

}  // namespace agentsweep::report
