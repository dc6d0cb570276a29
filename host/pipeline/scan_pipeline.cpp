/** @file
 * The scan loop and its diagnostics.
 */
#include "host/pipeline/scan_pipeline.hpp"

#include <chrono>
#include <utility>

#include "host/pipeline/decode_ahead.hpp"

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

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The scan's side of the pipeline: one file's steps into the backend and the state.
class FileScanner {
 public:
  FileScanner(engine::Backend& backend, state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics, PipelineStats& stats)
      : backend_(backend),
        state_(state),
        options_(options),
        diagnostics_(diagnostics),
        stats_(stats) {}

  bool scan(const io::InputFile& input, std::size_t index, DecodeAhead& decoded) {
    const std::uint32_t file_id = state_.add_file(input.path.string());
    state::FileSummary& file = state_.file(file_id);
    LineMessages messages(file.path, options_.messages_per_file, diagnostics_);
    for (;;) {
      DecodedStep step = decoded.next(index);
      report_skipped(step.skipped, file, messages, options_.limits.batch_bytes);
      if (step.end) return finish(file, messages, *step.end);
      io::Batch& batch = *step.batch;
      batch.file_id = file_id;
      Clock::time_point start = Clock::now();
      const engine::BatchResult result = backend_.scan(batch);
      stats_.backend_seconds += seconds_since(start);
      start = Clock::now();
      state_.add_batch(file_id, result);
      stats_.aggregate_seconds += seconds_since(start);
      lines_ += batch.line_count;
      decoded.recycle(index, std::move(batch));
      for (const engine::MalformedLine& line : result.malformed)
        messages.add(line.offset, line.line_number,
                     std::string("malformed line: ") + engine::describe(line.error));
      messages.add_unlocated(result.malformed_lines - result.malformed.size());
      if (options_.progress)
        options_.progress({done_compressed_ + step.compressed_position, lines_});
    }
  }

 private:
  bool finish(state::FileSummary& file, LineMessages& messages, const FileEnd& end) {
    if (end.open_error) {
      file.errors.push_back(end.open_error->message);
      diagnostics_(file.path + ": " + end.open_error->message);
      return false;
    }
    messages.finish();
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

  engine::Backend& backend_;
  state::ScanState& state_;
  const PipelineOptions& options_;
  const DiagnosticSink& diagnostics_;
  PipelineStats& stats_;
  std::uint64_t done_compressed_ = 0;
  std::uint64_t lines_ = 0;
};

}  // namespace

bool run_scan(const std::vector<io::InputFile>& files, engine::Backend& backend,
              state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics, PipelineStats* stats) {
  const Clock::time_point start = Clock::now();
  PipelineStats own;
  PipelineStats& figures = stats ? *stats : own;
  bool complete = true;
  {
    DecodeAhead decoded(files, options.limits, options.decode_workers);
    figures.decode_workers = decoded.workers();
    FileScanner scanner(backend, state, options, diagnostics, figures);
    for (std::size_t i = 0; i < files.size(); ++i) complete &= scanner.scan(files[i], i, decoded);
    figures.wait_seconds = decoded.wait_seconds();
    figures.decode_seconds = decoded.decode_seconds();
  }
  figures.total_seconds = seconds_since(start);
  return complete;
}

}  // namespace agentsweep::pipeline
