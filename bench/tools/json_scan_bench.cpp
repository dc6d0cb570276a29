/** @file
 * The per-line JSON pass alone, without decoding, matching or aggregation:
 * every line of a plain JSON-lines file is validated and its entity fields
 * located, once the reference way (scan_json_line, what the GPU runs)
 * and once as the CPU backend does (scan_json_line: by blocks first). Prints
 * seconds and decoded GB/s for each, in the same run, and checks that both
 * found the same things. Not a test: figures go into docs/benchmarks.md.
 *
 * Usage: agentsweep-json-scan-bench FILE.jsonl [rounds]   (default rounds: 3)
 *   e.g. zstd -dc data/2026-03-01.jsonl.zst > /tmp/day.jsonl first
 */
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/engine/field_paths.hpp"
#include "kernels/json_scan.cuh"

namespace {

using namespace agentsweep;

/// Seconds of the fastest of `rounds` passes of `accepts` over every line,
/// and how many lines it accepted.
template <class Accepts>
double seconds_of(const std::vector<std::string_view>& lines, int rounds, std::size_t& accepted,
                  Accepts accepts) {
  double best = 1e30;
  for (int round = 0; round < rounds; ++round) {
    std::size_t n = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::string_view line : lines) n += accepts(line) ? 1 : 0;
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    accepted = n;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: agentsweep-json-scan-bench FILE.jsonl [rounds]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "agentsweep-json-scan-bench: cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;

  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    lines.emplace_back(text.data() + at, end - at);
    at = end + 1;
  }
  const engine::FieldPaths paths(
      {"actor.agent_id", "actor.operator_id", "auth.api_key_id", "request.ip", "ts"});
  const kernels::FieldPathsView view = paths.view(paths.segment_text().data());
  const int fields = static_cast<int>(paths.dotted().size());

  std::size_t located = 0;  // lines scan_json_line takes as events with every field
  std::size_t accepted_scan = 0, accepted_peer = 0;
  const double scan_s = seconds_of(lines, rounds, accepted_scan, [&](std::string_view line) {
    const kernels::JsonScanResult r =
        kernels::scan_json_line(line.data(), static_cast<std::uint32_t>(line.size()), view);
    bool all = true;
    for (int f = 0; f < fields; ++f) all = all && r.fields[f].kind != kernels::ValueKind::kAbsent;
    located += all ? 1 : 0;
    return r.error == kernels::JsonError::kNone;
  });
  const double peer_s = seconds_of(lines, rounds, accepted_peer, [](std::string_view line) {
    return nlohmann::json::accept(line);
  });
  const double gb = static_cast<double>(text.size()) / 1e9;
  std::printf("%zu lines, %.3f GB, best of %d rounds; %zu valid, %zu with all %d fields\n",
              lines.size(), gb, rounds, accepted_scan, located / rounds, fields);
  std::printf("scan_json_line (validate, locate)  %7.3f s  %6.2f GB/s  1.00\n", scan_s,
              gb / scan_s);
  std::printf("nlohmann::json::accept (validate)  %7.3f s  %6.2f GB/s  %.2f\n", peer_s, gb / peer_s,
              peer_s / scan_s);
  if (accepted_scan != accepted_peer) {
    std::fprintf(stderr, "agentsweep-json-scan-bench: %zu lines valid here, %zu for nlohmann\n",
                 accepted_scan, accepted_peer);
    return 1;
  }
  return 0;
}
