/** @file Ordered frame compression and writing (see file_sink.hpp). */
#include "file_sink.hpp"

#include "zstd_frame.hpp"

namespace agentsweep::gen {

FileSink::FileSink(const std::filesystem::path& path, const FileSinkOptions& options,
                   TaskPool& pool)
    : options_(options), pool_(pool), file_(path), cutter_(options.frame_size) {}

void FileSink::append(std::string_view lines) {
  if (options_.plain) {
    file_.write(lines);
    bytes_written_ += lines.size();
    return;
  }
  cutter_.append(lines, [this](std::string&& frame) { submit(std::move(frame)); });
}

void FileSink::finish() {
  if (!options_.plain) {
    std::string rest = cutter_.take_frame();
    if (!rest.empty()) submit(std::move(rest));
    while (!pending_.empty()) write_oldest();
  }
  file_.close();
}

void FileSink::submit(std::string&& frame) {
  const int level = options_.zstd_level;
  pending_.push_back(
      pool_.submit([frame = std::move(frame), level] { return compress_frame(frame, level); }));
  ++frames_;
  while (pending_.size() > options_.max_pending) write_oldest();
}

void FileSink::write_oldest() {
  const std::string compressed = pending_.front().get();
  pending_.pop_front();
  file_.write(compressed);
  bytes_written_ += compressed.size();
}

}  // namespace agentsweep::gen
