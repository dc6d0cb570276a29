/** @file
 * ProgressLine and the `--stats` table.
 */
#include "cli/scan_progress.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>
#include <string>

#include "cli/report/byte_text.hpp"

namespace agentsweep::cli {

namespace {

std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(seconds);
  std::ostringstream text;
  text << s / 3600 << ':' << std::setw(2) << std::setfill('0') << s / 60 % 60 << ':' << std::setw(2)
       << s % 60;
  return text.str();
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& out, std::uint64_t total_compressed_bytes)
    : out_(out), total_(total_compressed_bytes) {}

void ProgressLine::update(const pipeline::ProgressPoint& point) {
  const Clock::time_point now = Clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = total_ == 0 ? 0
                                      : std::min(1.0, static_cast<double>(point.compressed_bytes) /
                                                          static_cast<double>(total_));
  std::ostringstream line;
  line << std::fixed << std::setprecision(1)
       << "agentsweep: " << report::human_bytes(point.compressed_bytes) << " of "
       << report::human_bytes(total_) << " (" << 100 * fraction << "%), "
       << (elapsed > 0 ? static_cast<double>(point.lines) / elapsed / 1e6 : 0) << " M events/s";
  if (fraction > 0.01) line << ", " << clock_text(elapsed / fraction - elapsed) << " left";
  out_ << "\r\033[K" << line.str() << std::flush;
}

void ProgressLine::finish() {
  if (drawn_) out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void print_stage_stats(std::ostream& out, const pipeline::PipelineStats& stats,
                       const state::MergePartSeconds& parts, double report_seconds) {
  const auto row = [&](const std::string& label, double seconds, const std::string& note = "") {
    out << "  " << std::left << std::setw(44) << label << std::right << std::fixed
        << std::setprecision(2) << std::setw(9) << seconds << " s" << note << '\n';
  };
  out << "Stages\n";
  const auto summed = [](std::size_t count, const std::string& what) {
    return "  (summed over " + std::to_string(count) + " " + what + (count == 1 ? ")" : "s)");
  };
  row("decode: read, decompress, cut lines", stats.decode_seconds,
      summed(stats.decode_workers, "decode thread"));
  row("  of which reading the files (read(2))", stats.read_seconds);
  row("scan waiting for decoded batches", stats.wait_seconds);
  row("backend: copies and matching", stats.backend_seconds, summed(stats.scan_lanes, "lane"));
  row("  of which copies to the device", stats.transfer_seconds);
  row("backend waiting for its turn and the state", stats.merge_wait_seconds,
      summed(stats.scan_lanes, "lane"));
  row("aggregate batch results (own thread)", stats.aggregate_seconds);
  std::string how;
  if (parts.shards > 1)
    how = "  (each map summed over " + std::to_string(parts.shards) + " shards, on " +
          std::to_string(parts.threads) + " threads)";
  else if (parts.threads > 1)
    how = "  (these five parts side by side)";
  row("  agents", parts.agents, how);
  row("  API keys", parts.keys);
  row("  source addresses", parts.addresses);
  row("  operators", parts.operators);
  row("  per-second counts, rules, correlations", parts.rest);
  row("report", report_seconds);
  row("total (wall)", stats.total_seconds + report_seconds);
}

void print_device_memory(std::ostream& out, std::size_t peak_bytes, std::size_t cap_bytes) {
  if (peak_bytes == 0) return;  // a host backend
  const auto mib = [](std::size_t bytes) { return (bytes + (std::size_t{1} << 20) - 1) >> 20; };
  out << "Device memory\n  " << std::left << std::setw(44) << "peak held" << std::right
      << std::setw(9) << mib(peak_bytes) << " MiB of --gpu-memory " << mib(cap_bytes) << " MiB\n";
}

}  // namespace agentsweep::cli
