/** @file
 * A store of fixed-size tally records whose memory is bounded by its options,
 * never by its input. Records are appended to a buffer; a full buffer is
 * sorted and equal records merged (their events summed), which often frees
 * enough room; if not, the buffer is written as a sorted run to a temporary
 * file (run_file.hpp). Reading merges the runs and the buffer k-way, so a
 * reader sees every record once, equal ones merged, in ascending order: each
 * key's records together and sorted. Equal records whose events do not fit in
 * one (R::merge) stay side by side, all full but the last, for the reader to
 * add up. The result is the same whatever the order of the records and however
 * many runs were spilled.
 *
 * Of `memory_bytes`, two thirds hold the buffer and one third the read blocks
 * of a merge. The buffer is reserved at the first record, up to its two thirds
 * or kFirstReserveBytes, and only touched as records fill it: growing by
 * doubling from small would copy the records and fault in fresh pages at every
 * step, which costs more than sorting them on a virtual machine. A larger
 * buffer doubles from there up to its two thirds, so growing it (old and new
 * copy at once) also stays within `memory_bytes`. At most kMaxRuns runs
 * are kept: the next spill first merges them into one, so a merge never reads
 * more than kMaxRuns + 1 sources.
 */
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "host/state/parallel_sort.hpp"
#include "host/state/run_file.hpp"

namespace agentsweep::state {

struct SpillOptions {
  std::size_t memory_bytes = std::size_t{512} << 20;  ///< buffer and merge blocks together
  std::string directory;         ///< for the temporary file; empty: default_temp_directory()
  std::size_t sort_threads = 1;  ///< threads that sort a full buffer (parallel_sort.hpp)
};

struct SpillStats {
  std::uint64_t runs = 0;               ///< runs written, merges of runs included
  std::uint64_t bytes_written = 0;      ///< to the temporary file
  std::uint64_t peak_memory_bytes = 0;  ///< the buffer's records plus merge blocks, at most

  SpillStats& operator+=(const SpillStats& other) {
    runs += other.runs;
    bytes_written += other.bytes_written;
    peak_memory_bytes += other.peak_memory_bytes;
    return *this;
  }
};

/// A record: trivially copyable, ordered by `less`, and when `same` (which
/// must mean neither is less) merged by `merge(into, from)`: it moves the
/// events of `from` into `into` as far as one record holds them and returns
/// whether `from` is left empty. Where they do not fit, every record of a key
/// but its last is full, whatever the order the records came in.
template <class R>
concept SpillRecord = std::is_trivially_copyable_v<R> && requires(const R& a, R& b) {
  { R::less(a, a) } -> std::same_as<bool>;
  { R::same(a, a) } -> std::same_as<bool>;
  { R::merge(b, b) } -> std::same_as<bool>;
};

namespace detail {

struct Run {
  std::uint64_t offset = 0;  ///< in bytes
  std::uint64_t records = 0;
};

/// One sorted source of a merge: a range in memory, or a run read in blocks.
template <class R>
class RunCursor {
 public:
  RunCursor(const R* begin, const R* end) : next_(begin), end_(end) {}
  RunCursor(const RunFile& file, Run run, std::size_t block_records)
      : file_(&file), run_(run), block_(std::max<std::size_t>(block_records, 1)) {
    refill();
  }

  bool done() const { return next_ == end_; }
  const R& top() const { return *next_; }
  void pop() {
    if (++next_ == end_ && file_ != nullptr && run_.records > 0) refill();
  }

 private:
  void refill() {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(run_.records, block_.size()));
    file_->read(run_.offset, block_.data(), n * sizeof(R));
    run_.offset += n * sizeof(R);
    run_.records -= n;
    next_ = block_.data();
    end_ = next_ + n;
  }

  const RunFile* file_ = nullptr;
  Run run_;
  std::vector<R> block_;
  const R* next_ = nullptr;
  const R* end_ = nullptr;
};

/// Picks, record after record, the cursor whose top comes first: a tournament
/// tree of losers (Knuth, TAOCP vol. 3, 5.4.1), so a record costs log2(k)
/// compares where a linear search over the k cursors costs k (a full store
/// reads 17 sources: 5 compares against 17). An exhausted cursor loses every
/// match.
template <class R>
class LoserTree {
 public:
  explicit LoserTree(std::vector<RunCursor<R>>& cursors)
      : cursors_(cursors), losers_(cursors.size(), 0) {
    const std::size_t k = cursors_.size();
    if (k == 0) return;
    // Plays every match bottom-up: node n's winner goes up, its loser stays.
    std::vector<std::size_t> winners(k, 0);
    const auto player = [&](std::size_t at) { return at >= k ? at - k : winners[at]; };
    for (std::size_t node = k - 1; node >= 1; --node) {
      const std::size_t a = player(2 * node);
      const std::size_t b = player(2 * node + 1);
      const bool a_wins = first(a, b);
      winners[node] = a_wins ? a : b;
      losers_[node] = a_wins ? b : a;
    }
    winner_ = k == 1 ? 0 : winners[1];
  }

  /// The cursor whose top comes first; done() when every cursor is.
  RunCursor<R>& winner() { return cursors_[winner_]; }

  /// Pops the winner's top and plays its next record up the tree.
  void pop_winner() {
    cursors_[winner_].pop();
    for (std::size_t node = (winner_ + cursors_.size()) / 2; node >= 1; node /= 2)
      if (first(losers_[node], winner_)) std::swap(losers_[node], winner_);
  }

 private:
  bool first(std::size_t a, std::size_t b) const {
    if (cursors_[a].done()) return false;
    return cursors_[b].done() || R::less(cursors_[a].top(), cursors_[b].top());
  }

  std::vector<RunCursor<R>>& cursors_;
  std::vector<std::size_t> losers_;  ///< losers_[n]: the loser at node n (1 to k - 1)
  std::size_t winner_ = 0;
};

/// Hands `emit` the records of all cursors in order, equal ones merged.
template <class R, class Emit>
void merge_cursors(std::vector<RunCursor<R>>& cursors, Emit&& emit) {
  if (cursors.empty()) return;
  LoserTree<R> tree(cursors);
  std::optional<R> current;
  while (!tree.winner().done()) {
    R top = tree.winner().top();
    tree.pop_winner();
    if (current && R::same(*current, top) && R::merge(*current, top)) continue;
    if (current) emit(*current);
    current = top;  // a new key, or what did not fit in the full record emitted
  }
  if (current) emit(*current);
}

}  // namespace detail

template <SpillRecord R>
class SpillRuns {
 public:
  static constexpr std::size_t kMaxRuns = 16;
  /// Ascending stretches of the buffer that are merged rather than sorted.
  static constexpr std::size_t kMaxStretches = 1024;
  /// The most the first reservation takes: room no machine lacks (untouched
  /// pages cost nothing), where a larger --state-memory, reserved whole at the
  /// first record, could be refused outright.
  static constexpr std::size_t kFirstReserveBytes = std::size_t{256} << 20;

  explicit SpillRuns(SpillOptions options = {})
      : options_(std::move(options)),
        buffer_limit_(std::max<std::size_t>(options_.memory_bytes / 3 * 2 / sizeof(R), 16)) {}

  void add(const R& record) {
    if (buffer_.size() == buffer_.capacity()) make_room();
    // Records often come in ascending stretches (a batch's tallies): noted, they are merged
    // rather than sorted.
    if (ascending_from_.size() <= kMaxStretches && !buffer_.empty() &&
        R::less(record, buffer_.back()))
      ascending_from_.push_back(buffer_.size());
    buffer_.push_back(record);
    sorted_ = false;
  }

  /// Calls visit(record) for every record, equal ones merged, in ascending
  /// order. May be called again; nothing is consumed.
  template <class Visit>
  void for_each(Visit&& visit) const {
    sort_buffer();
    std::vector<detail::RunCursor<R>> cursors;
    cursors.reserve(runs_.size() + 1);
    const std::size_t block = read_block_records(runs_.size());
    for (const detail::Run& run : runs_) cursors.emplace_back(*file_, run, block);
    cursors.emplace_back(buffer_.data(), buffer_.data() + buffer_.size());
    note_memory(runs_.size() * block * sizeof(R));
    detail::merge_cursors(cursors, visit);
  }

  bool empty() const { return runs_.empty() && buffer_.empty(); }
  const SpillStats& stats() const { return stats_; }

 private:
  void make_room() {
    if (buffer_.capacity() < buffer_limit_) {
      buffer_.reserve(next_capacity());
      note_memory(buffer_.size() * sizeof(R));  // the records, copied from the old buffer
      return;
    }
    note_memory(0);
    sort_buffer();
    if (buffer_.size() <= buffer_limit_ / 2) return;  // merging equal records made room
    if (runs_.size() == kMaxRuns) merge_runs();
    if (!file_) file_.emplace(options_.directory);
    const std::uint64_t offset = file_->append(buffer_.data(), buffer_.size() * sizeof(R));
    runs_.push_back({offset, buffer_.size()});
    ++stats_.runs;
    stats_.bytes_written += buffer_.size() * sizeof(R);
    buffer_.clear();
  }

  /// Sorts the buffer and merges its equal records. Const, because reading
  /// needs it: the records the store holds stay the same.
  void sort_buffer() const {
    if (sorted_) return;
    const auto less = [](const R& a, const R& b) { return R::less(a, b); };
    if (ascending_from_.size() > kMaxStretches) {
      parallel_sort(buffer_.begin(), buffer_.end(), less, options_.sort_threads);
    } else {
      // Merges neighbouring ascending stretches, pairwise, until one is left. A merge
      // borrows room for the shorter of its two stretches: at most half the buffer, within
      // the third of memory_bytes that the read blocks use once the buffer is sorted.
      std::vector<std::size_t> bounds{0};
      bounds.insert(bounds.end(), ascending_from_.begin(), ascending_from_.end());
      bounds.push_back(buffer_.size());
      if (bounds.size() > 2) note_memory(buffer_.size() / 2 * sizeof(R));
      while (bounds.size() > 2) {
        std::size_t kept = 1;
        for (std::size_t i = 2; i < bounds.size(); i += 2) {
          const auto at = [&](std::size_t b) {
            return buffer_.begin() + static_cast<std::ptrdiff_t>(bounds[b]);
          };
          std::inplace_merge(at(i - 2), at(i - 1), at(i), less);
          bounds[kept++] = bounds[i];
        }
        if (bounds.size() % 2 == 0) bounds[kept++] = bounds.back();  // an odd one out
        bounds.resize(kept);
      }
    }
    ascending_from_.clear();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < buffer_.size(); ++i) {
      R r = buffer_[i];
      if (kept > 0 && R::same(buffer_[kept - 1], r) && R::merge(buffer_[kept - 1], r)) continue;
      buffer_[kept++] = r;  // kept <= i: the record there was read already
    }
    buffer_.resize(kept);
    sorted_ = true;
  }

  /// Replaces the runs by one, in a new file, so that the old one's space is freed.
  void merge_runs() {
    const std::size_t block = read_block_records(runs_.size() + 1);  // + the output block
    std::vector<detail::RunCursor<R>> cursors;
    cursors.reserve(runs_.size());
    for (const detail::Run& run : runs_) cursors.emplace_back(*file_, run, block);
    RunFile merged(options_.directory);
    std::vector<R> out;
    out.reserve(block);
    note_memory((runs_.size() + 1) * block * sizeof(R));
    detail::Run run{0, 0};
    const auto flush = [&] {
      merged.append(out.data(), out.size() * sizeof(R));
      stats_.bytes_written += out.size() * sizeof(R);
      run.records += out.size();
      out.clear();
    };
    detail::merge_cursors(cursors, [&](const R& r) {
      out.push_back(r);
      if (out.size() == block) flush();
    });
    flush();
    cursors.clear();
    file_ = std::move(merged);
    runs_.assign(1, run);
    ++stats_.runs;
  }

  /// The next of the capacities limit, limit / 2, limit / 4, ... above the
  /// buffer's, the smallest that holds kFirstReserveBytes (or the limit), so
  /// that a growth is from half the limit at most.
  std::size_t next_capacity() const {
    const std::size_t smallest = std::max<std::size_t>(kFirstReserveBytes / sizeof(R), 64);
    std::size_t next = buffer_limit_;
    while (next / 2 > buffer_.capacity() && next / 2 >= smallest) next /= 2;
    return next;
  }

  /// Records per read block when `blocks` blocks share the merge's third.
  std::size_t read_block_records(std::size_t blocks) const {
    const std::size_t share =
        options_.memory_bytes - std::min(options_.memory_bytes, buffer_limit_ * sizeof(R));
    return std::max<std::size_t>(share / sizeof(R) / std::max<std::size_t>(blocks, 1), 1);
  }

  /// Notes the memory of the buffer's records (its untouched room takes none)
  /// and `extra_bytes` held beside it (read blocks, merge room, or the old
  /// buffer while it grows).
  void note_memory(std::size_t extra_bytes) const {
    stats_.peak_memory_bytes =
        std::max<std::uint64_t>(stats_.peak_memory_bytes, buffer_.size() * sizeof(R) + extra_bytes);
  }

  SpillOptions options_;
  std::size_t buffer_limit_;  ///< records
  // Mutable: reading sorts the buffer in place (sort_buffer) and notes its memory.
  mutable std::vector<R> buffer_;
  mutable bool sorted_ = true;
  /// Where the buffer's ascending stretches after the first start; when there are
  /// more than kMaxStretches, the buffer is sorted instead.
  mutable std::vector<std::size_t> ascending_from_;
  mutable SpillStats stats_;
  std::optional<RunFile> file_;  ///< created at the first spill
  std::vector<detail::Run> runs_;
};

}  // namespace agentsweep::state
