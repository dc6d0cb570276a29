/** @file
 * Sorting a large buffer of records on several threads. The state sorts its
 * per-second records (millions) once a scan's lanes have stopped, so one
 * thread sorting them alone holds up the report: split at its median
 * (std::nth_element, one pass), each half is sorted on its own thread, and
 * the halves need no merge. Any order of equal records may come out, as with
 * std::sort.
 */
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <system_error>
#include <thread>

namespace agentsweep::state {

/// Below this many records per thread, another thread costs more than it saves.
inline constexpr std::size_t kRecordsPerSortThread = std::size_t{1} << 16;

/// Sorts [first, last) by `less` on at most `threads` threads (this one among
/// them). Falls back to fewer threads where the system has none to give.
template <std::random_access_iterator It, class Less>
void parallel_sort(It first, It last, Less less, std::size_t threads) {
  const auto count = static_cast<std::size_t>(last - first);
  if (threads < 2 || count < 2 * kRecordsPerSortThread) {
    std::sort(first, last, less);
    return;
  }
  const It middle = first + static_cast<std::ptrdiff_t>(count / 2);
  std::nth_element(first, middle, last, less);
  const std::size_t lower_threads = threads / 2;
  std::thread lower;
  try {
    lower = std::thread([=] { parallel_sort(first, middle, less, lower_threads); });
  } catch (const std::system_error&) {
    parallel_sort(first, middle, less, 1);
  }
  parallel_sort(middle + 1, last, less, threads - lower_threads);
  if (lower.joinable()) lower.join();
}

}  // namespace agentsweep::state
