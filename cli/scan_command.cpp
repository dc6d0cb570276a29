/** @file
 * The scan subcommand: flags -> plan and backend -> pipeline -> report.
 */
#include "cli/scan_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <stdexcept>

#include "cli/exit_codes.hpp"
#include "cli/report_output.hpp"
#include "cli/scan_progress.hpp"
#include "cli/state_memory.hpp"
#include "cli/thread_count.hpp"
#include "host/engine/scan_plan.hpp"
#include "host/io/input_files.hpp"
#include "host/pipeline/decode_ahead.hpp"
#include "host/pipeline/scan_pipeline.hpp"
#include "host/pipeline/stopwatch.hpp"
#include "host/rules/rule_program_builder.hpp"
#include "host/state/state_file.hpp"
#include "kernels/backend_select.hpp"

namespace agentsweep::cli {

namespace {

void warn(std::string_view message) {
  std::cerr << "agentsweep: " << message << '\n';
}

backends::BackendChoice parse_backend(const std::string& name) {
  if (name == "cpu") return backends::BackendChoice::kCpu;
  if (name == "cuda") return backends::BackendChoice::kCuda;
  return backends::BackendChoice::kAuto;
}

engine::ScanPlan build_plan(const ScanOptions& options, const rules::ScanRules& picked) {
  const std::vector<const rules::CompiledRule*>& detections = picked.detections;
  engine::ScanPlanOptions plan;
  plan.rules = rules::build_rule_program(picked);
  plan.evidence_per_rule = options.evidence;
  plan.entities = options.entities;
  if (!options.field.empty()) plan.pattern_fields.push_back(options.field);
  plan.limits.max_states = options.dfa_states;
  plan.limits.memory_bytes = options.pattern_memory;
  plan.limits.max_seconds = options.compile_seconds;
  plan.limits.threads = options.threads > 0 ? static_cast<std::size_t>(options.threads) : 0;
  std::vector<std::string> texts = options.patterns;
  for (const std::string& file : options.pattern_files) {
    std::vector<std::string> more = engine::read_pattern_file(file);
    texts.insert(texts.end(), more.begin(), more.end());
  }
  for (std::string& text : texts)
    plan.patterns.push_back({std::move(text), options.fixed_strings, options.ignore_case,
                             options.word, options.field.empty() ? engine::kWholeLine : 0});
  try {
    return engine::make_scan_plan(plan);
  } catch (const engine::PatternError& e) {
    const std::size_t p = e.pattern();
    throw std::invalid_argument(
        "pattern " + std::to_string(p + 1) + " \"" + plan.patterns[p].text + "\"" +
        (e.position() > 0 ? " at byte " + std::to_string(e.position()) : std::string()) + ": " +
        e.what());
  } catch (const engine::RulePredicateError& e) {
    const rules::RuleInfo& rule = detections[e.rule()]->info;
    throw std::invalid_argument("rule " + rule.id + " \"" + rule.title + "\" (" + rule.file + ":" +
                                std::to_string(rule.line) + "): " + e.what());
  }
}

report::RuleIssueRow issue_row(const rules::RuleIssue& issue) {
  return {issue.file,
          issue.line,
          issue.id,
          issue.title,
          issue.kind == rules::IssueKind::kRejected ? "rejected" : "not yet supported",
          issue.reason};
}

/// Picks what a backend runs of the loaded rules: alerting detections, the
/// correlations it can run and the detections they count. The rest become
/// issues, printed on stderr and listed in the report.
rules::ScanRules pick_rules(const rules::RuleSet& set, report::RuleCatalog& catalog) {
  rules::ScanRules picked;
  for (const rules::RuleIssue& issue : set.issues) catalog.not_run.push_back(issue_row(issue));
  std::set<std::string> counted;  // ids and names of the rules runnable correlations count
  for (const rules::CorrelationRule& c : set.correlations)
    if (c.unsupported.empty()) counted.insert(c.rules.begin(), c.rules.end());
  std::set<std::string> dropped;
  for (const rules::CompiledRule& rule : set.rules) {
    const bool feeds = counted.contains(rule.info.id) || counted.contains(rule.info.name);
    if (!rule.standalone && !feeds) continue;  // only an input of correlations that do not run
    if (!rules::fits_backend(rule)) {
      catalog.not_run.push_back(
          {rule.info.file, rule.info.line, rule.info.id, rule.info.title, "rejected",
           "condition nests deeper than " + std::to_string(kernels::kMaxConditionDepth) +
               " levels; simplify it"});
      dropped.insert(rule.info.id);
      dropped.insert(rule.info.name);
      continue;
    }
    picked.detections.push_back(&rule);
    picked.alerts.push_back(rule.standalone);
    catalog.run.push_back(rule.info);
    catalog.alerts.push_back(rule.standalone);
  }
  // A correlation runs when its rules do, and the correlations it chains.
  std::vector<int> runs(set.correlations.size(), -1);  // -1: not decided yet
  const std::function<bool(std::size_t)> can_run = [&](std::size_t i) {
    if (runs[i] < 0) {
      const rules::CorrelationRule& c = set.correlations[i];
      bool ok = c.unsupported.empty() &&
                std::none_of(c.rules.begin(), c.rules.end(),
                             [&](const std::string& ref) { return dropped.contains(ref); });
      for (const rules::CorrelationSlot& slot : c.slots)
        ok = ok && (slot.correlation < 0 || can_run(static_cast<std::size_t>(slot.correlation)));
      runs[i] = ok ? 1 : 0;
    }
    return runs[i] == 1;
  };
  // In load order, except that a chained correlation comes before those chaining it.
  std::vector<int> catalog_index(set.correlations.size(), -1);
  const std::function<void(std::size_t)> pick = [&](std::size_t i) {
    if (catalog_index[i] >= 0) return;
    for (const rules::CorrelationSlot& slot : set.correlations[i].slots)
      if (slot.correlation >= 0) pick(static_cast<std::size_t>(slot.correlation));
    catalog_index[i] = static_cast<int>(picked.correlations.size());
    picked.correlations.push_back(&set.correlations[i]);
  };
  for (std::size_t i = 0; i < set.correlations.size(); ++i) {
    const rules::CorrelationRule& c = set.correlations[i];
    if (!c.unsupported.empty()) continue;  // an issue already
    if (!can_run(i)) {
      catalog.not_run.push_back({c.info.file, c.info.line, c.info.id, c.info.title, "rejected",
                                 "a rule it correlates cannot run"});
      continue;
    }
    pick(i);
  }
  for (const rules::CorrelationRule* c : picked.correlations) {
    report::CorrelationInfo info{c->info,         c->type,         c->timespan_seconds,
                                 c->counts,       c->condition,    c->percentile,
                                 c->rules.size(), c->group_labels, c->value_label};
    info.alerts = c->standalone;
    for (std::size_t s = 0; s < c->slots.size(); ++s) {
      const rules::CorrelationSlot& slot = c->slots[s];
      if (slot.correlation < 0) continue;
      report::ChainedSlot chained{
          static_cast<std::uint32_t>(s),
          static_cast<std::uint32_t>(catalog_index[static_cast<std::size_t>(slot.correlation)]),
          {},
          slot.value_label};
      for (const int field : slot.label_fields)
        chained.label_fields.push_back(static_cast<std::uint32_t>(field));
      info.chained.push_back(std::move(chained));
    }
    catalog.correlations.push_back(std::move(info));
  }
  return picked;
}

/// Files decoded at once and batches scanned at once.
struct PipelineShape {
  std::size_t decode_workers = 0;  ///< 0: --memory does not hold even one worker's batches
  std::size_t scan_lanes = 0;
};

/// Threads that merge each batch's agents, keys, addresses and operators
/// besides the state's own, where there are cores to spare (half of them from
/// 8 on), each map's rows split between all of them: on a 16-core machine,
/// 20 M events of 1.5 M agents were bound by the state's merge.
std::size_t merge_threads(std::size_t threads) {
  return threads >= 8 ? threads / 2 : 1;
}

/// One decode worker per thread and one scan lane per backend lane, as many
/// as --memory holds: lanes first, down to one, then workers.
PipelineShape pipeline_shape(const ScanOptions& options, std::size_t batch_bytes,
                             std::size_t backend_lanes) {
  const std::size_t threads = thread_count(options.threads);
  const std::size_t batches = options.memory / std::max<std::size_t>(batch_bytes, 1);
  const std::size_t least = pipeline::kBatchesPerWorker + pipeline::batches_beyond_workers(1);
  if (batches < least) return {};
  const std::size_t lanes = std::min(backend_lanes, 1 + (batches - least));
  return {std::min(threads, (batches - pipeline::batches_beyond_workers(lanes)) /
                                pipeline::kBatchesPerWorker),
          lanes};
}

/// Compressed bytes of all inputs, the progress line's total.
std::uint64_t total_file_bytes(const std::vector<io::InputFile>& files) {
  std::uint64_t total = 0;
  for (const io::InputFile& f : files) {
    std::error_code ignored;  // an unreadable file is reported by the scan
    const std::uintmax_t size = std::filesystem::file_size(f.path, ignored);
    if (!ignored) total += size;
  }
  return total;
}

}  // namespace

CLI::App& add_scan_command(CLI::App& app, ScanOptions& o) {
  CLI::App& scan =
      *app.add_subcommand("scan",
                          "Scan audit logs (JSON lines; plain or zstd) for patterns and "
                          "tally events per agent and operator");
  scan.add_option("paths", o.paths,
                  "Files or directories (walked recursively); the codec is detected "
                  "from the content")
      ->required();
  scan.add_option("-e,--regexp", o.patterns,
                  "Regular expression to search for (RE2 syntax, see docs/patterns.md; "
                  "repeatable). Each line is counted once per pattern it contains")
      ->allow_extra_args(false);
  scan.add_option("-f,--file", o.pattern_files,
                  "Read patterns from FILE, one per line (repeatable); 100,000 fixed strings "
                  "are fine")
      ->allow_extra_args(false);
  scan.add_flag("-F,--fixed-strings", o.fixed_strings,
                "Treat patterns as fixed strings, not regular expressions");
  scan.add_flag("-i,--ignore-case", o.ignore_case,
                "Match case-insensitively (ASCII and Unicode simple case folding)");
  scan.add_flag("-w,--word-regexp", o.word,
                "Match only where no word character [0-9A-Za-z_] is right before or after");
  scan.add_option("--field", o.field,
                  "Match patterns against this JSON field's decoded value (dot notation) "
                  "instead of the whole raw line");
  scan.add_option("--rules", o.rule_paths,
                  "Sigma rule files or directories (walked recursively for *.yml, *.yaml); "
                  "repeatable. Rules that cannot run are listed on stderr and in the report")
      ->allow_extra_args(false);
  add_rule_source_options(scan, o.rule_sources);
  scan.add_option("--evidence", o.evidence, "Matching events located per rule in the report")
      ->capture_default_str();
  scan.add_option("--dfa-states", o.dfa_states,
                  "Most states of one regex automaton; larger pattern sets are split into "
                  "several automata")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 24))
      ->capture_default_str();
  scan.add_option("--pattern-memory", o.pattern_memory,
                  "Memory for all compiled pattern tables, e.g. 512M")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  scan.add_option("--compile-seconds", o.compile_seconds,
                  "Most seconds compiling the patterns may take (and again the rules' patterns); "
                  "0: no limit")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  scan.add_option("--backend", o.backend,
                  "Where batches are scanned: auto (the GPU when present), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->envname("AGENTSWEEP_BACKEND")
      ->capture_default_str();
  scan.add_option("--agent-field", o.entities.agent, "JSON path of the agent id (dot notation)")
      ->capture_default_str();
  scan.add_option("--operator-field", o.entities.op, "JSON path of the operator id (dot notation)")
      ->capture_default_str();
  scan.add_option("--key-field", o.entities.key, "JSON path of the API key id (dot notation)")
      ->capture_default_str();
  scan.add_option("--ip-field", o.entities.ip, "JSON path of the source address (dot notation)")
      ->capture_default_str();
  scan.add_option("--time-field", o.entities.time,
                  "JSON path of the event time: an ISO 8601 string or epoch seconds")
      ->capture_default_str();
  scan.add_option("--batch-size", o.batch_bytes,
                  "Bytes per batch, e.g. 64M; also the longest line scanned (longer lines are "
                  "reported and skipped). Default: 16M on the CPU backend, 64M on CUDA")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 31));
  scan.add_option("--read-size", o.read_bytes, "Decoded bytes requested per read, e.g. 1M")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 31))
      ->capture_default_str();
  scan.add_option("-j,--threads", o.threads,
                  "Threads that decode files in parallel, and batches the CPU backend scans at "
                  "once (0: all cores)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  scan.add_option("--memory", o.memory,
                  "Host memory for batches in flight (decoding, queued, scanned), e.g. 2G; "
                  "fewer files are decoded at once to fit it")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  scan.add_option("--gpu-memory", o.gpu_memory,
                  "Device memory the CUDA backend may take (pattern tables, batches in flight, "
                  "scratch space), e.g. 8G; the default batch size shrinks to fit it")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_state_memory_options(scan, o.state_memory, o.temp_dir);
  scan.add_flag("--stats", o.stats, "Print the seconds each stage took on stderr");
  scan.add_option("--max-expansion", o.max_expansion,
                  "Stop reading a file that decodes to more than this many times its compressed "
                  "bytes read (past its first 64 MiB): a decompression bomb. 0: no limit")
      ->capture_default_str();
  scan.add_option("--top", o.report.top, "Rows in each top list of the report (0: all)")
      ->capture_default_str();
  scan.add_option("--max-messages", o.messages_per_file,
                  "Line-level problems printed per file; the rest are counted")
      ->capture_default_str();
  scan.add_flag("--json", o.report.json, "Print the report as one JSON document");
  scan.add_option("--save-state", o.save_state,
                  "Also write the scan's state to FILE, for `agentsweep merge`");
  scan.add_flag("-q,--quiet", o.quiet,
                "Do not print which backend runs, nor progress (shown when stderr is a terminal)");
  return scan;
}

int run_scan_command(const ScanOptions& options) {
  rules::RuleSet rule_set;
  report::RuleCatalog catalog;
  rules::ScanRules picked;
  if (!options.rule_paths.empty()) {
    try {
      rule_set = load_rule_sources(options.rule_paths, options.rule_sources);
    } catch (const std::exception& e) {
      warn(e.what());
      return kExitError;
    }
    picked = pick_rules(rule_set, catalog);
    for (const report::RuleIssueRow& issue : catalog.not_run)
      warn(issue.file + (issue.line > 0 ? ":" + std::to_string(issue.line) : std::string()) + ": " +
           issue.kind + ": " + (issue.id.empty() ? "(no id)" : issue.id) + " \"" + issue.title +
           "\": " + issue.reason);
  }
  engine::ScanPlan plan = [&] {
    try {
      return build_plan(options, picked);
    } catch (const std::exception& e) {
      warn(e.what());
      std::exit(kExitError);
    }
  }();

  backends::SelectedBackend selected;
  try {
    selected = backends::select_backend(parse_backend(options.backend), options.threads,
                                        options.gpu_memory);
    selected.backend->load(plan);
  } catch (const std::exception& e) {
    warn(e.what());
    return kExitError;
  }
  if (!options.quiet && !selected.note.empty()) warn(selected.note);

  std::vector<io::PathProblem> problems;
  const std::vector<io::InputFile> files = io::discover_input_files(options.paths, problems);
  for (const io::PathProblem& p : problems) warn(p.path + ": " + p.message);

  state::ScanState state(plan.patterns.patterns.size(), picked.detections.size(), options.evidence,
                         picked.correlations.size(),
                         {options.state_memory, options.temp_dir, thread_count(options.threads)});
  const std::size_t mergers = merge_threads(thread_count(options.threads));
  state.set_merge_threads(mergers - 1, mergers);
  pipeline::PipelineOptions pipeline_options;
  const std::size_t batch_bytes =
      options.batch_bytes > 0 ? options.batch_bytes : selected.backend->preferred_batch_bytes();
  if (const std::size_t largest = selected.backend->largest_batch_bytes();
      batch_bytes > largest || batch_bytes == 0) {
    warn("--gpu-memory " + std::to_string(options.gpu_memory) + " holds batches of at most " +
         std::to_string(largest) + " bytes on each of the CUDA backend's " +
         std::to_string(selected.backend->lanes()) +
         " streams, next to the pattern tables: raise --gpu-memory or lower --batch-size");
    return kExitError;
  }
  pipeline_options.limits = {batch_bytes, options.read_bytes};
  pipeline_options.limits.memory = selected.backend->batch_memory();
  pipeline_options.messages_per_file = options.messages_per_file;
  pipeline_options.expansion.max_ratio = options.max_expansion;
  const PipelineShape shape = pipeline_shape(options, batch_bytes, selected.backend->lanes());
  if (shape.decode_workers == 0) {
    warn("--memory " + std::to_string(options.memory) + " holds fewer than " +
         std::to_string(pipeline::kBatchesPerWorker + pipeline::batches_beyond_workers(1)) +
         " batches of --batch-size " + std::to_string(batch_bytes) +
         ": raise --memory or lower --batch-size");
    return kExitError;
  }
  pipeline_options.decode_workers = shape.decode_workers;
  pipeline_options.scan_lanes = shape.scan_lanes;
  std::optional<ProgressLine> progress;
  if (!options.quiet && ::isatty(STDERR_FILENO) == 1) {
    progress.emplace(std::cerr, total_file_bytes(files));
    pipeline_options.progress = [&](const pipeline::ProgressPoint& p) { progress->update(p); };
  }
  bool complete = true;
  pipeline::PipelineStats stats;
  try {
    complete = pipeline::run_scan(files, *selected.backend, state, pipeline_options, warn, &stats);
  } catch (const std::exception& e) {
    if (progress) progress->finish();
    warn(std::string("scan failed: ") + e.what());
    return kExitError;
  }
  if (progress) progress->finish();

  const report::ScanSetup setup = report::describe(plan, std::move(catalog));
  if (!options.save_state.empty()) {
    try {
      state::save_state(options.save_state, state, report::setup_to_json(setup));
    } catch (const std::exception& e) {
      warn(e.what());
      return kExitError;
    }
  }
  const pipeline::Clock::time_point report_start = pipeline::Clock::now();
  int exit_code = kExitError;
  try {
    exit_code =
        print_report(state, setup, selected.backend->name(), selected.backend->description(),
                     options.report, problems.empty() && complete);
  } catch (const state::SpillError& e) {  // reading spilled tallies back
    warn(e.what());
    return kExitError;
  }
  if (options.stats) {
    print_stage_stats(std::cerr, stats, state.merge_part_seconds(),
                      pipeline::seconds_since(report_start));
    print_device_memory(std::cerr, selected.backend->device_memory_peak(), options.gpu_memory);
    print_spill_stats(std::cerr, state.spill_stats(), options.temp_dir);
  }
  return exit_code;
}

}  // namespace agentsweep::cli
