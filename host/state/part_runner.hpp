/** @file
 * PartRunner: runs the independent parts of one step at once, on threads kept
 * for the whole scan, and returns when all are done. ScanState merges a
 * batch's agents, operators, keys and addresses this way: with a large
 * population each part is a stream of random reads into its own map, and one
 * thread doing them all became the scan's bottleneck on a 16-core machine.
 * Each thread takes the next part not yet taken, so a long part does not hold
 * back the parts a fixed share would have queued behind it.
 */
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace agentsweep::state {

class PartRunner {
 public:
  /// `helpers`: threads besides the caller's; 0 runs every part on the caller.
  explicit PartRunner(std::size_t helpers);
  ~PartRunner();
  PartRunner(const PartRunner&) = delete;
  PartRunner& operator=(const PartRunner&) = delete;

  std::size_t helpers() const { return threads_.size(); }

  /// Runs every part once, the caller's thread taking parts too, and returns
  /// when all have ended; then rethrows the first part's exception, if any.
  /// Parts start in their order: put the longest first.
  void run(std::span<const std::function<void()>> parts);

 private:
  void work();
  /// Runs the parts not yet taken, one at a time; keeps the first exception.
  void run_share();

  std::mutex mutex_;
  std::condition_variable started_;
  std::condition_variable ended_;
  std::span<const std::function<void()>> parts_;
  std::atomic<std::size_t> next_part_ = 0;
  std::size_t round_ = 0;    ///< increases with each run
  std::size_t running_ = 0;  ///< helpers still in this round
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> threads_;
};

}  // namespace agentsweep::state
