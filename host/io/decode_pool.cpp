/** @file
 * DecodePool and PooledTask: first come runs the task, everyone else waits.
 */
#include "host/io/decode_pool.hpp"

#include <utility>

namespace agentsweep::io {

bool PooledTask::try_start() {
  std::lock_guard lock(mutex_);
  if (state_ != State::kPending) return false;
  state_ = State::kRunning;
  return true;
}

void PooledTask::finish() {
  {
    std::lock_guard lock(mutex_);
    state_ = State::kDone;
  }
  done_.notify_all();
}

void PooledTask::run_or_wait() {
  if (try_start()) {
    run();
    finish();
    return;
  }
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return state_ == State::kDone; });
}

void PooledTask::cancel() {
  std::lock_guard lock(mutex_);
  if (state_ == State::kPending) state_ = State::kDone;
}

DecodePool::DecodePool(std::size_t threads) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

DecodePool::~DecodePool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void DecodePool::submit(std::shared_ptr<PooledTask> task) {
  if (threads_.empty()) return;  // its reader runs it when it needs the result
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  queued_.notify_one();
}

void DecodePool::work() {
  for (;;) {
    std::shared_ptr<PooledTask> task;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    if (task->try_start()) {
      task->run();
      task->finish();
    }
  }
}

}  // namespace agentsweep::io
