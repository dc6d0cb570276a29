/** @file
 * Drives one scan: every input file through its decoder and the batcher, each
 * batch through the backend, every result into the scan state. A problem with
 * one file is reported and counted; the scan goes on with the rest.
 */
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/engine/backend.hpp"
#include "host/io/input_files.hpp"
#include "host/io/line_batcher.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::pipeline {

struct PipelineOptions {
  io::BatchLimits limits;
  std::size_t messages_per_file = 10;  ///< line-level messages printed per file before summarising
};

/// Receives one diagnostic line, already formatted as
/// "PATH: offset N: what went wrong" (the caller adds the program name).
using DiagnosticSink = std::function<void(std::string_view)>;

/// Scans `files` into `state`. Returns true when every file was read completely.
bool run_scan(const std::vector<io::InputFile>& files, engine::Backend& backend,
              state::ScanState& state, const PipelineOptions& options,
              const DiagnosticSink& diagnostics);

}  // namespace agentsweep::pipeline
