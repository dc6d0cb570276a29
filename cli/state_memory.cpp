/** @file
 * --state-memory, --temp-dir and the spill lines of --stats.
 */
#include "cli/state_memory.hpp"

#include <iomanip>

#include "host/state/run_file.hpp"

namespace agentsweep::cli {

void add_state_memory_options(CLI::App& command, std::size_t& state_memory, std::string& temp_dir) {
  command
      .add_option("--state-memory", state_memory,
                  "Host memory for per-second counts and correlation entries, e.g. 512M; "
                  "beyond it they spill to sorted runs in --temp-dir (same results, slower)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1} << 12, std::size_t{1} << 46))
      ->capture_default_str();
  command.add_option("--temp-dir", temp_dir,
                     "Directory for spilled runs (deleted when agentsweep ends); default "
                     "$TMPDIR, else /tmp");
}

void print_spill_stats(std::ostream& out, const state::SpillStats& stats,
                       const std::string& temp_dir) {
  if (stats.runs == 0) return;
  const auto mib = [](std::uint64_t bytes) { return static_cast<double>(bytes) / (1 << 20); };
  out << "Spilled to " << (temp_dir.empty() ? state::default_temp_directory() : temp_dir) << '\n'
      << std::fixed << std::setprecision(1) << "  " << std::left << std::setw(44)
      << "runs written (merges included)" << std::right << std::setw(9) << stats.runs << '\n'
      << "  " << std::left << std::setw(44) << "bytes written" << std::right << std::setw(9)
      << mib(stats.bytes_written) << " MiB\n"
      << "  " << std::left << std::setw(44) << "peak memory of spillable tallies" << std::right
      << std::setw(9) << mib(stats.peak_memory_bytes) << " MiB\n";
}

}  // namespace agentsweep::cli
