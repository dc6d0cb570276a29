/** @file
 * Orchestration: population, incident plan, schedule, then chunks generated on worker
 * threads and consumed in order (files, frames, line numbers), then ground truth. At
 * most a few chunks and frames per thread are in flight, whatever the event count.
 */
#include "generator.hpp"

#include <algorithm>
#include <deque>
#include <future>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "chunk_generator.hpp"
#include "clock.hpp"
#include "file_sink.hpp"
#include "ground_truth.hpp"
#include "ids.hpp"
#include "incidents.hpp"
#include "population.hpp"
#include "schedule.hpp"
#include "task_pool.hpp"

namespace agentsweep::gen {
namespace {

void create_output_directory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw std::runtime_error("cannot create output directory " + dir.string() + ": " +
                             error.message() + " (choose another --out)");
  }
}

}  // namespace

GenerationSummary generate(const GeneratorOptions& options) {
  if (const std::string problem = validate(options); !problem.empty()) {
    throw std::invalid_argument(problem);
  }
  const IdFormats ids(options.seed);
  Population population(options);
  const std::int64_t window_start = options.start_day * kMillisPerDay;
  const std::int64_t window_end = window_start + options.days * kMillisPerDay;
  const IncidentPlan plan = plan_incidents(options, ids, population, window_start, window_end);
  const Schedule schedule =
      make_schedule(options, plan, population.agent_count() - population.reserved_count());
  create_output_directory(options.out_dir);

  const unsigned threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const ChunkGenerator generator(options.seed, ids, population, plan);
  const FileSinkOptions sink_options{options.plain, options.zstd_level, options.frame_size,
                                     2 * static_cast<std::size_t>(threads) + 2};
  const std::size_t max_chunks_ahead = 2 * static_cast<std::size_t>(threads) + 2;

  GenerationSummary summary;
  std::vector<EventLocation> locations(plan.events.size());
  TaskPool pool(threads);
  std::deque<std::future<ChunkText>> ahead;
  std::size_t next_to_submit = 0;
  std::optional<FileSink> sink;

  auto finish_file = [&] {
    sink->finish();
    summary.files.back().frames = sink->frames();
    summary.files.back().bytes = sink->bytes_written();
    sink.reset();
  };

  for (const Chunk& chunk : schedule.chunks) {
    while (next_to_submit < schedule.chunks.size() && ahead.size() < max_chunks_ahead) {
      const Chunk& next = schedule.chunks[next_to_submit++];
      ahead.push_back(pool.submit([&generator, &next] { return generator.generate(next); }));
    }
    const ChunkText text = ahead.front().get();
    ahead.pop_front();

    while (summary.files.size() <= chunk.file) {
      if (sink) finish_file();
      const std::string& name = schedule.files[summary.files.size()].name;
      sink.emplace(options.out_dir / name, sink_options, pool);
      summary.files.push_back({name, 0, 0, 0});
    }
    GeneratedFile& file = summary.files.back();
    for (const auto& [planned, line] : text.incident_lines) {
      locations[planned] = {chunk.file, file.lines + line + 1, chunk.first_event_number + line};
    }
    file.lines += text.lines;
    summary.events += text.lines;
    sink->append(text.text.view());
  }
  if (sink) finish_file();

  summary.incident_events = plan.events.size();
  summary.incidents = static_cast<std::uint32_t>(plan.incidents.size());
  summary.ground_truth = options.out_dir / kGroundTruthFileName;
  write_ground_truth(summary.ground_truth, options, ids, plan, locations, summary.files);
  return summary;
}

}  // namespace agentsweep::gen
