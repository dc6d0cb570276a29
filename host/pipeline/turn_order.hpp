/** @file
 * Lets several threads hand their work on in the order they took it: each
 * holds a ticket (0, 1, 2, ... in the order the work was taken), waits for its
 * turn, hands on, and ends the turn. Scan lanes scan batches at once but the
 * state takes them in file and batch order, whatever the number of lanes.
 */
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace agentsweep::pipeline {

class TurnOrder {
 public:
  /// Waits until every ticket before `ticket` has ended its turn; false once stopped.
  bool wait_turn(std::uint64_t ticket) {
    std::unique_lock lock(mutex_);
    turn_.wait(lock, [&] { return stopped_ || next_ == ticket; });
    return !stopped_;
  }

  /// Ends the turn of the ticket that waited last: the next one goes.
  void end_turn() {
    {
      std::lock_guard lock(mutex_);
      ++next_;
    }
    turn_.notify_all();
  }

  /// Every wait, now or later, returns false: the scan is stopping.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    turn_.notify_all();
  }

 private:
  std::uint64_t next_ = 0;
  bool stopped_ = false;
  std::mutex mutex_;
  std::condition_variable turn_;
};

}  // namespace agentsweep::pipeline
