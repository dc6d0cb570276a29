/** @file Flag definitions and checks of agentsweep-gen (see command_line.hpp). */
#include "command_line.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "clock.hpp"

namespace agentsweep::gen {
namespace {

constexpr std::uint32_t kDefaultIncidentCount = 3;

std::string incident_help() {
  std::string help = "incident count, KIND=N (repeatable); kinds:";
  for (std::string_view name : kIncidentKindNames) {
    help += ' ';
    help += name;
  }
  return help + ". Default 3 of each (dormant_wake: 0 when --days < 16)";
}

}  // namespace

std::optional<GeneratorOptions> parse_command_line(int argc, char** argv, int& exit_code) {
  GeneratorOptions options;
  CLI::App app{
      "agentsweep-gen: synthetic audit logs of an AI-agent platform, with labelled incidents "
      "(ground_truth.json) for rehearsing sweeps and testing detection rules.",
      "agentsweep-gen"};
  app.get_formatter()->column_width(34);
  std::string start_date = "2026-03-01";
  std::vector<std::string> incident_flags;
  app.add_option("--events,-n", options.events, "total events (lines) to write, incidents included")
      ->capture_default_str();
  app.add_option("--days,-d", options.days, "days covered, one file per day")
      ->capture_default_str();
  app.add_option("--agents", options.agents, "agents in the population")->capture_default_str();
  app.add_option("--operators", options.operators, "operators (humans running agents)")
      ->capture_default_str();
  app.add_option("--seed,-s", options.seed, "random seed; same options + seed = same bytes")
      ->capture_default_str();
  app.add_option("--out,-o", options.out_dir, "output directory (created if missing)")
      ->capture_default_str();
  app.add_option("--start-date", start_date, "first day, YYYY-MM-DD (UTC)")->capture_default_str();
  app.add_option("--threads,-j", options.threads,
                 "worker threads; 0 = all cores (output is identical)")
      ->capture_default_str();
  app.add_flag("--per-hour", options.per_hour, "one file per hour (YYYY-MM-DDTHH.jsonl.zst)");
  app.add_flag("--plain", options.plain, "write plain .jsonl instead of zstd");
  app.add_option("--level", options.zstd_level, "zstd compression level (1-19)")
      ->capture_default_str();
  app.add_option("--frame-size", options.frame_size,
                 "uncompressed bytes per independent zstd frame, at most (lines never split)")
      ->capture_default_str();
  app.add_option("--fleet-jump-agents", options.fleet_jump_agents,
                 "new agents per fleet_jump incident; 0 = 1 % of --agents (10 to 3000)")
      ->capture_default_str();
  app.add_option("--incident,-i", incident_flags, incident_help());
  std::optional<std::uint32_t> all_incidents;
  app.add_option("--all-incidents", all_incidents,
                 "set every incident count to N (--incident still sets single kinds)");
  app.set_version_flag("--version", "agentsweep-gen 0.1.0");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& request) {
    exit_code = app.exit(request);
    return std::nullopt;
  } catch (const CLI::CallForVersion& request) {
    exit_code = app.exit(request);
    return std::nullopt;
  } catch (const CLI::ParseError& error) {
    std::cerr << "agentsweep-gen: " << error.what() << " (see agentsweep-gen --help)\n";
    exit_code = 2;
    return std::nullopt;
  }

  auto usage_error = [&exit_code](const std::string& message) {
    std::cerr << "agentsweep-gen: " << message << " (see agentsweep-gen --help)\n";
    exit_code = 2;
    return std::nullopt;
  };
  const auto start_day = parse_date(start_date);
  if (!start_day)
    return usage_error("--start-date " + start_date + " is not a date like 2026-03-01");
  options.start_day = *start_day;

  if (all_incidents) options.incidents.fill(*all_incidents);
  bool dormant_given = all_incidents.has_value();
  for (const std::string& flag : incident_flags) {
    const auto equals = flag.find('=');
    const auto kind = incident_kind_from_name(flag.substr(0, equals));
    if (equals == std::string::npos || !kind) {
      return usage_error("--incident " + flag + " is not KIND=N with a known KIND");
    }
    const std::string count = flag.substr(equals + 1);
    if (count.empty() || count.size() > 9 ||
        count.find_first_not_of("0123456789") != std::string::npos) {
      return usage_error("--incident " + flag + ": N must be a whole number");
    }
    options.incidents[static_cast<std::size_t>(*kind)] =
        static_cast<std::uint32_t>(std::stoul(count));
    dormant_given = dormant_given || *kind == IncidentKind::kDormantWake;
  }
  if (!dormant_given && options.days < kDormantMinDays) {
    options.incidents[static_cast<std::size_t>(IncidentKind::kDormantWake)] = 0;
  } else if (!dormant_given) {
    options.incidents[static_cast<std::size_t>(IncidentKind::kDormantWake)] = kDefaultIncidentCount;
  }
  if (const std::string problem = validate(options); !problem.empty()) return usage_error(problem);
  exit_code = 0;
  return options;
}

}  // namespace agentsweep::gen
