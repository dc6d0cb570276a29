/** @file agentsweep-gen: parse flags, generate, report where the output went. */
#include <cstdint>
#include <exception>
#include <iostream>

#include "command_line.hpp"
#include "generator.hpp"

int main(int argc, char** argv) {
  using namespace agentsweep::gen;
  int exit_code = 0;
  const auto options = parse_command_line(argc, argv, exit_code);
  if (!options) return exit_code;
  try {
    const GenerationSummary summary = generate(*options);
    std::uint64_t bytes = 0;
    for (const GeneratedFile& file : summary.files) bytes += file.bytes;
    std::cerr << "agentsweep-gen: wrote " << summary.events << " events ("
              << summary.incident_events << " in " << summary.incidents << " incidents) to "
              << summary.files.size() << " files (" << bytes / 1'000'000 << " MB) in "
              << options->out_dir.string() << "; ground truth in " << summary.ground_truth.string()
              << '\n';
    return 0;
  } catch (const std::invalid_argument& error) {
    std::cerr << "agentsweep-gen: " << error.what() << '\n';
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "agentsweep-gen: " << error.what() << '\n';
    return 1;
  }
}
