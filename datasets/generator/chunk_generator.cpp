/** @file Background drawing and incident merging for one chunk (see chunk_generator.hpp). */
#include "chunk_generator.hpp"

#include <string>

#include "background.hpp"

namespace agentsweep::gen {
namespace {

/** A quarter of worker lines are logged late, up to 1.5 s: files are mostly ordered. */
constexpr std::int64_t kMaxWorkerLagMillis = 1500;
/** Lines average about 560 bytes; reserving more avoids regrowing the chunk buffer. */
constexpr std::uint64_t kReservedBytesPerEvent = 700;

}  // namespace

ChunkText ChunkGenerator::generate(const Chunk& chunk) const {
  ChunkText out;
  Rng rng(mix_seed(seed_ ^ 0xC4A11C, chunk.index));
  AgentCaps caps;
  caps.reset(chunk.background_events, chunk.agent_cap);
  const BackgroundTraffic background(population_);
  std::string content;
  out.text.reserve_more(chunk.background_events * kReservedBytesPerEvent + 4096);

  const std::int64_t span = chunk.end_ms - chunk.start_ms;
  const auto count = static_cast<std::int64_t>(chunk.background_events);
  std::size_t next_injected = chunk.injected_begin;
  auto emit_injected_until = [&](std::int64_t ts_ms) {
    while (next_injected < chunk.injected_end && plan_.events[next_injected].event.ts_ms <= ts_ms) {
      Event event = plan_.events[next_injected].event;
      event.event_number = chunk.first_event_number + out.lines;
      writer_.write(event, out.text);
      out.incident_lines.emplace_back(next_injected, out.lines);
      ++out.lines;
      ++next_injected;
    }
  };

  for (std::int64_t k = 0; k < count; ++k) {
    // Non-decreasing base times: slot k gets a uniform instant inside [k, k+1) * span / n.
    const std::int64_t base_ts =
        chunk.start_ms +
        (k * span + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span)))) / count;
    emit_injected_until(base_ts);
    Event event = background.draw(rng, base_ts, caps, content);
    if (event.producer == Producer::kWorker && rng.below(4) == 0) {
      event.ts_ms = std::max(chunk.start_ms,
                             base_ts - static_cast<std::int64_t>(rng.below(kMaxWorkerLagMillis)));
    }
    event.event_number = chunk.first_event_number + out.lines;
    writer_.write(event, out.text);
    ++out.lines;
  }
  emit_injected_until(chunk.end_ms);
  return out;
}

}  // namespace agentsweep::gen
