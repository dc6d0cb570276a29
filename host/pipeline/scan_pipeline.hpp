/** @file
 * Drives one scan: every input file through its decoder and the batcher (on
 * decode workers, decode_ahead.hpp), each batch through one of the backend's
 * lanes (several batches at once, each lane on a thread of its own), every
 * result into the scan state on a thread of its own while the lanes scan the
 * next batches, in file and batch order (turn_order.hpp). A problem with one file is reported
 * and counted; the scan goes on with the rest.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/engine/backend.hpp"
#include "host/io/expansion_guard.hpp"
#include "host/io/input_files.hpp"
#include "host/io/line_batcher.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::pipeline {

/// Batch buffers a scan holds beyond its decode workers' (decode_ahead.hpp):
/// one on each scan lane, one waiting for the state, one being merged into it.
constexpr std::size_t batches_beyond_workers(std::size_t scan_lanes) {
  return scan_lanes + 2;
}

/// Where the scan stands after a batch, for a progress display.
struct ProgressPoint {
  std::uint64_t compressed_bytes = 0;  ///< of all files, read so far
  std::uint64_t lines = 0;             ///< scanned so far
};
using ProgressSink = std::function<void(const ProgressPoint&)>;

struct PipelineOptions {
  io::BatchLimits limits;
  io::ExpansionLimit expansion;        ///< decompression bombs stop here
  std::size_t messages_per_file = 10;  ///< line-level messages printed per file before summarising
  std::size_t decode_workers = 1;      ///< files decoded at once, ahead of the scan
  std::size_t scan_lanes = 1;          ///< batches scanned at once, at most the backend's lanes
  ProgressSink progress;               ///< called after every batch, when set
};

/// Where the time went (the `--stats` table).
struct PipelineStats {
  std::size_t decode_workers = 0;
  std::size_t scan_lanes = 0;
  double decode_seconds = 0;      ///< reading, decompressing, cutting lines: summed over workers
  double read_seconds = 0;        ///< of those, in read(2) of the input files
  double wait_seconds = 0;        ///< the scan waiting for decoded batches
  double backend_seconds = 0;     ///< the backend: copies and matching, summed over lanes
  double transfer_seconds = 0;    ///< of those, copying batches to the device
  double merge_wait_seconds = 0;  ///< lanes waiting for their turn and for the state, summed
  double aggregate_seconds = 0;   ///< merging batch results into the state (its own thread)
  double total_seconds = 0;
};

/// Receives one diagnostic line, already formatted as
/// "PATH: offset N: what went wrong" (the caller adds the program name).
using DiagnosticSink = std::function<void(std::string_view)>;

/// Scans `files` into `state`, which must hold no files yet. Returns true when
/// every file was read completely. Diagnostics and progress come from the
/// state's thread, one at a time.
bool run_scan(const std::vector<io::InputFile>& files, engine::Backend& backend,
              state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics, PipelineStats* stats = nullptr);

}  // namespace agentsweep::pipeline
