/** @file
 * The generator's entry point: options in, a directory of daily (or hourly) log files
 * plus ground_truth.json out. The command line and the tests both call generate().
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "options.hpp"

namespace agentsweep::gen {

struct GeneratedFile {
  std::string name;
  std::uint64_t lines = 0;
  std::uint64_t frames = 0;  ///< zstd frames; 0 for plain output
  std::uint64_t bytes = 0;   ///< bytes on disk
};

struct GenerationSummary {
  std::vector<GeneratedFile> files;
  std::uint64_t events = 0;
  std::uint64_t incident_events = 0;
  std::uint32_t incidents = 0;
  std::filesystem::path ground_truth;
};

inline constexpr std::string_view kGroundTruthFileName = "ground_truth.json";

/** Generates everything `options` describe. Throws std::invalid_argument for options
 * that cannot work and std::runtime_error for failures while writing; both messages are
 * meant for the user. */
GenerationSummary generate(const GeneratorOptions& options);

}  // namespace agentsweep::gen
