/** @file
 * The scan loop and its diagnostics.
 */
#include "host/pipeline/scan_pipeline.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "host/pipeline/bounded_queue.hpp"
#include "host/pipeline/decode_ahead.hpp"
#include "host/pipeline/stopwatch.hpp"
#include "host/pipeline/turn_order.hpp"

namespace agentsweep::pipeline {

namespace {

std::string offset_text(const io::InputError& error) {
  return "offset " + std::to_string(error.offset) +
         (error.offset_kind == io::OffsetKind::kCompressed ? " (compressed)" : "");
}

/// Prints the first few line-level messages of a file, then a summary line.
class LineMessages {
 public:
  LineMessages(const std::string& path, std::size_t limit, const DiagnosticSink& sink)
      : path_(path), limit_(limit), sink_(sink) {}

  void add(std::uint64_t offset, std::uint64_t line, const std::string& what) {
    if (++count_ <= limit_)
      sink_(path_ + ": offset " + std::to_string(offset) + " (line " + std::to_string(line) +
            "): " + what);
  }
  /// Problems beyond a batch's sample: counted, not located.
  void add_unlocated(std::uint64_t count) { count_ += count; }
  void finish() const {
    if (count_ > limit_)
      sink_(path_ + ": " + std::to_string(count_ - limit_) +
            " more line problems not shown (all are counted in the report)");
  }

 private:
  const std::string& path_;
  std::size_t limit_;
  const DiagnosticSink& sink_;
  std::uint64_t count_ = 0;
};

void report_skipped(const std::vector<io::SkippedLine>& skipped, state::FileSummary& file,
                    LineMessages& messages, std::size_t batch_bytes) {
  for (const io::SkippedLine& line : skipped) {
    if (line.reason == io::SkippedLine::Reason::kOversized) {
      ++file.oversized_lines;
      messages.add(line.offset, line.line_number,
                   "line of " + std::to_string(line.bytes) +
                       " bytes is longer than the batch size (" + std::to_string(batch_bytes) +
                       " bytes): not scanned; raise --batch-size to scan it");
    } else {
      ++file.incomplete_lines;
      messages.add(line.offset, line.line_number,
                   "incomplete last line (" + std::to_string(line.bytes) +
                       " bytes) before the read error: not scanned");
    }
  }
}

/// What the scan hands the state's thread: a scanned batch (with the bytes its
/// result points into), or a file's end; either way the lines skipped before it.
struct ScannedStep {
  std::size_t file = 0;  ///< index into the files, and the file's id in the state
  std::vector<io::SkippedLine> skipped;
  std::optional<io::Batch> batch;
  engine::BatchResult result;
  std::optional<FileEnd> end;
  std::uint64_t compressed_position = 0;
};

/// The state's side of the pipeline, on a thread of its own: every step into
/// the state and the diagnostics, in file and batch order, while the backend
/// scans the next batch.
class StateMerger {
 public:
  StateMerger(state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics, DecodeAhead& decoded, PipelineStats& stats)
      : state_(state),
        options_(options),
        diagnostics_(diagnostics),
        decoded_(decoded),
        stats_(stats) {}

  /// Merges steps until the queue closes; true when every file was read completely.
  bool run(BoundedQueue<ScannedStep>& queue) {
    bool complete = true;
    while (std::optional<ScannedStep> step = queue.pop()) {
      state::FileSummary& file = state_.file(static_cast<std::uint32_t>(step->file));
      if (!messages_ || current_file_ != step->file) {
        messages_.emplace(file.path, options_.messages_per_file, diagnostics_);
        current_file_ = step->file;
      }
      report_skipped(step->skipped, file, *messages_, options_.limits.batch_bytes);
      if (step->end) {
        complete &= finish(file, *step->end);
        continue;
      }
      const Clock::time_point start = Clock::now();
      state_.add_batch(static_cast<std::uint32_t>(step->file), step->result);
      stats_.aggregate_seconds += seconds_since(start);
      lines_ += step->batch->line_count;
      decoded_.recycle(std::move(*step->batch));
      for (const engine::MalformedLine& line : step->result.malformed)
        messages_->add(line.offset, line.line_number,
                       std::string("malformed line: ") + engine::describe(line.error));
      messages_->add_unlocated(step->result.malformed_lines - step->result.malformed.size());
      if (options_.progress)
        options_.progress({done_compressed_ + step->compressed_position, lines_});
    }
    return complete;
  }

 private:
  bool finish(state::FileSummary& file, const FileEnd& end) {
    if (end.open_error) {
      file.errors.push_back(end.open_error->message);
      diagnostics_(file.path + ": " + end.open_error->message);
      return false;
    }
    messages_->finish();
    file.codec = end.codec;
    // Oversized and incomplete lines never reached a backend but are lines of the file.
    file.lines += file.oversized_lines + file.incomplete_lines;
    file.compressed_bytes = end.compressed_bytes;
    file.decoded_bytes = end.decoded_bytes;
    file.scanned_bytes = end.scanned_bytes;
    file.skipped_bytes = end.skipped_bytes;
    done_compressed_ += end.compressed_bytes;
    if (const auto& error = end.read_error) {
      file.errors.push_back(error->message);
      diagnostics_(file.path + ": " + offset_text(*error) + ": " + error->message +
                   "; lines before it were scanned, the rest of the file was not");
      return false;
    }
    return true;
  }

  state::ScanState& state_;
  const PipelineOptions& options_;
  const DiagnosticSink& diagnostics_;
  DecodeAhead& decoded_;
  PipelineStats& stats_;
  std::optional<LineMessages> messages_;
  std::size_t current_file_ = 0;
  std::uint64_t done_compressed_ = 0;
  std::uint64_t lines_ = 0;
};

/// Hands out every file's steps in file and batch order, each with a ticket
/// that says its place in that order.
class StepSource {
 public:
  StepSource(std::size_t files, DecodeAhead& decoded) : files_(files), decoded_(decoded) {}

  struct Taken {
    std::uint64_t ticket = 0;
    ScannedStep step;
  };

  /// The next step; nothing once every file's end was handed out. Rethrows
  /// what a decode worker threw.
  std::optional<Taken> take() {
    std::lock_guard lock(mutex_);
    if (file_ == files_) return std::nullopt;
    DecodedStep decoded = decoded_.next(file_);
    Taken taken{ticket_++,
                {file_,
                 std::move(decoded.skipped),
                 std::move(decoded.batch),
                 {},
                 std::move(decoded.end),
                 decoded.compressed_position}};
    if (taken.step.end)
      ++file_;
    else
      taken.step.batch->file_id = static_cast<std::uint32_t>(file_);
    return taken;
  }

 private:
  std::size_t files_;
  DecodeAhead& decoded_;
  std::size_t file_ = 0;
  std::uint64_t ticket_ = 0;
  std::mutex mutex_;
};

struct LaneSeconds {
  double backend = 0;
  double transfer = 0;  ///< of backend: copies to the device
  double merge_wait = 0;
};

/// One scan lane: takes steps, scans their batches on `lane`, and hands them
/// to the state's queue in ticket order. Returns when the steps run out or
/// the scan stops.
void scan_lane(std::size_t lane, StepSource& source, TurnOrder& turns, engine::Backend& backend,
               BoundedQueue<ScannedStep>& queue, LaneSeconds& seconds) {
  while (std::optional<StepSource::Taken> taken = source.take()) {
    ScannedStep& step = taken->step;
    if (step.batch) {
      const Clock::time_point start = Clock::now();
      step.result = backend.scan(*step.batch, lane);
      seconds.backend += seconds_since(start);
      seconds.transfer += step.result.transfer_seconds;
    }
    const Clock::time_point start = Clock::now();
    if (!turns.wait_turn(taken->ticket)) return;
    const bool pushed = queue.push(std::move(step));
    turns.end_turn();
    seconds.merge_wait += seconds_since(start);
    if (!pushed) return;  // the state's thread stopped
  }
}

}  // namespace

bool run_scan(const std::vector<io::InputFile>& files, engine::Backend& backend,
              state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics, PipelineStats* stats) {
  const Clock::time_point start = Clock::now();
  PipelineStats own;
  PipelineStats& figures = stats ? *stats : own;
  // Files are added up front so that ids are file indices and summaries never move.
  if (state.files().size() != 0)
    throw std::invalid_argument("run_scan needs a state without files");
  for (const io::InputFile& input : files) state.add_file(input.path.string());

  bool complete = true;
  {
    DecodeAhead decoded(files, options.limits, options.decode_workers, options.expansion);
    figures.decode_workers = decoded.workers();
    // One scanned step waits at most: each lane runs one batch ahead of the state.
    BoundedQueue<ScannedStep> queue(1);
    StateMerger merger(state, options, diagnostics, decoded, figures);
    std::exception_ptr merge_failure;
    std::thread merging([&] {
      try {
        complete = merger.run(queue);
      } catch (...) {
        merge_failure = std::current_exception();
      }
      queue.close();  // a scan still pushing stops
    });
    const std::size_t lanes = std::clamp<std::size_t>(options.scan_lanes, 1, backend.lanes());
    figures.scan_lanes = lanes;
    StepSource source(files.size(), decoded);
    TurnOrder turns;
    std::vector<LaneSeconds> seconds(lanes);
    std::mutex failure_mutex;
    std::exception_ptr scan_failure;
    std::vector<std::thread> scanning;
    for (std::size_t lane = 0; lane < lanes; ++lane)
      scanning.emplace_back([&, lane] {
        try {
          scan_lane(lane, source, turns, backend, queue, seconds[lane]);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!scan_failure) scan_failure = std::current_exception();
          turns.stop();  // the lanes after this one's ticket would wait for it forever
          queue.close();
        }
      });
    for (std::thread& lane : scanning) lane.join();
    queue.close();  // the state's thread drains what is queued, then stops
    merging.join();
    for (const LaneSeconds& lane : seconds) {
      figures.backend_seconds += lane.backend;
      figures.transfer_seconds += lane.transfer;
      figures.merge_wait_seconds += lane.merge_wait;
    }
    if (scan_failure) std::rethrow_exception(scan_failure);
    if (merge_failure) std::rethrow_exception(merge_failure);
    figures.wait_seconds = decoded.wait_seconds();
    figures.decode_seconds = decoded.decode_seconds();
    figures.read_seconds = decoded.read_seconds();
  }
  figures.total_seconds = seconds_since(start);
  return complete;
}

}  // namespace agentsweep::pipeline
