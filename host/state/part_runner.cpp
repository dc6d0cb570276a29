/** @file
 * PartRunner: a round per run(); helpers wait for the next round between them.
 */
#include "host/state/part_runner.hpp"

namespace agentsweep::state {

PartRunner::PartRunner(std::size_t helpers) {
  threads_.reserve(helpers);
  for (std::size_t h = 0; h < helpers; ++h) threads_.emplace_back([this] { work(); });
}

PartRunner::~PartRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  started_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void PartRunner::run(std::span<const std::function<void()>> parts) {
  if (threads_.empty() || parts.size() < 2) {
    for (const auto& part : parts) part();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    parts_ = parts;
    next_part_ = 0;
    failure_ = nullptr;
    running_ = threads_.size();
    ++round_;
  }
  started_.notify_all();
  run_share();
  std::unique_lock lock(mutex_);
  ended_.wait(lock, [this] { return running_ == 0; });
  if (failure_) std::rethrow_exception(failure_);
}

void PartRunner::work() {
  std::size_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      started_.wait(lock, [&] { return stopping_ || round_ != seen; });
      if (stopping_) return;
      seen = round_;
    }
    run_share();
    std::lock_guard lock(mutex_);
    if (--running_ == 0) ended_.notify_one();
  }
}

void PartRunner::run_share() {
  for (std::size_t i; (i = next_part_.fetch_add(1, std::memory_order_relaxed)) < parts_.size();) {
    try {
      parts_[i]();
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
  }
}

}  // namespace agentsweep::state
