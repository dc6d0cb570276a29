/** @file
 * The scan loop and its diagnostics.
 */
#include "host/pipeline/scan_pipeline.hpp"

#include <memory>

#include "host/io/byte_source.hpp"

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

void report_skipped(io::LineBatcher& batcher, state::FileSummary& file, LineMessages& messages,
                    std::size_t batch_bytes) {
  for (const io::SkippedLine& line : batcher.skipped()) {
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
  batcher.skipped().clear();
}

bool scan_file(const io::InputFile& input, engine::Backend& backend, state::ScanState& state,
               const PipelineOptions& options, const DiagnosticSink& diagnostics) {
  const std::uint32_t file_id = state.add_file(input.path.string());
  state::FileSummary& file = state.file(file_id);
  io::InputError open_error;
  std::unique_ptr<io::ByteSource> source = io::open_byte_source(input.path, open_error);
  if (!source) {
    file.errors.push_back(open_error.message);
    diagnostics(file.path + ": " + open_error.message);
    return false;
  }
  file.codec = source->codec();

  io::LineBatcher batcher(*source, file_id, options.limits);
  LineMessages messages(file.path, options.messages_per_file, diagnostics);
  while (std::optional<io::Batch> batch = batcher.next()) {
    report_skipped(batcher, file, messages, options.limits.batch_bytes);
    const engine::BatchResult result = backend.scan(*batch);
    state.add_batch(file_id, result);
    batcher.recycle(std::move(*batch));
    for (const engine::MalformedLine& line : result.malformed)
      messages.add(line.offset, line.line_number,
                   std::string("malformed line: ") + engine::describe(line.error));
    messages.add_unlocated(result.malformed_lines - result.malformed.size());
  }
  report_skipped(batcher, file, messages, options.limits.batch_bytes);
  messages.finish();

  // Oversized and incomplete lines never reached a backend but are lines of the file.
  file.lines += file.oversized_lines + file.incomplete_lines;
  file.compressed_bytes = source->compressed_bytes_read();
  file.decoded_bytes = batcher.decoded_bytes();
  file.scanned_bytes = batcher.scanned_bytes();
  file.skipped_bytes = batcher.skipped_bytes();
  if (const auto& error = source->error()) {
    file.errors.push_back(error->message);
    diagnostics(file.path + ": " + offset_text(*error) + ": " + error->message +
                "; lines before it were scanned, the rest of the file was not");
    return false;
  }
  return true;
}

}  // namespace

bool run_scan(const std::vector<io::InputFile>& files, engine::Backend& backend,
              state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics) {
  bool complete = true;
  for (const io::InputFile& input : files)
    complete &= scan_file(input, backend, state, options, diagnostics);
  return complete;
}

}  // namespace agentsweep::pipeline
