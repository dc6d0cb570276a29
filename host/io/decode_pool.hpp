/** @file
 * Threads that decode independent pieces of input (a file's zstd frames) for
 * every reader of a scan. A task never waits for another task, and a reader
 * that needs a result no thread has started runs the task itself, so a pool
 * of any size, even none, always makes progress and never changes a result.
 */
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace agentsweep::io {

class PooledTask {
 public:
  virtual ~PooledTask() = default;
  /// Runs the task on this thread unless a pool thread started it; then waits
  /// for it to finish.
  void run_or_wait();
  /// A task nobody started will not run.
  void cancel();

 protected:
  virtual void run() = 0;

 private:
  friend class DecodePool;
  enum class State : unsigned char { kPending, kRunning, kDone };
  bool try_start();
  void finish();

  std::mutex mutex_;
  std::condition_variable done_;
  State state_ = State::kPending;
};

class DecodePool {
 public:
  explicit DecodePool(std::size_t threads);
  ~DecodePool();  ///< joins the threads; queued tasks that nobody started are dropped
  DecodePool(const DecodePool&) = delete;
  DecodePool& operator=(const DecodePool&) = delete;

  void submit(std::shared_ptr<PooledTask> task);
  std::size_t threads() const { return threads_.size(); }

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::shared_ptr<PooledTask>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace agentsweep::io
