/** @file
 * Text table writer.
 */
#include "cli/report/table_report.hpp"

#include <iomanip>
#include <sstream>
#include <string>

#include "cli/report/byte_text.hpp"
#include "cli/report/time_text.hpp"
#include "host/engine/value_condition.hpp"

namespace agentsweep::report {

namespace {

void row(std::ostream& out, const std::string& label, const std::string& value) {
  out << "  " << std::left << std::setw(30) << label << value << '\n';
}

void row(std::ostream& out, const std::string& label, std::uint64_t value) {
  row(out, label, std::to_string(value));
}

}  // namespace

void print_table(std::ostream& out, const Summary& s) {
  const Totals& t = s.totals;
  out << "agentsweep report (backend: " << s.backend << ", " << s.backend_description << ")\n\n";
  out << "Input\n";
  row(out, "files",
      std::to_string(t.files) + (t.files_with_errors ? " (" + std::to_string(t.files_with_errors) +
                                                           " not read completely)"
                                                     : ""));
  row(out, "compressed",
      human_bytes(t.compressed_bytes) + " (" + std::to_string(t.compressed_bytes) + " bytes)");
  row(out, "uncompressed",
      human_bytes(t.decoded_bytes) + " (" + std::to_string(t.decoded_bytes) + " bytes)");
  row(out, "lines", t.lines);
  row(out, "events", t.events);
  row(out, "malformed lines", t.malformed_lines);
  row(out, "blank lines", t.blank_lines);
  if (!s.patterns.empty() || !s.rules.empty())
    row(out, "lines matched", std::to_string(t.hit_lines) + " (by a pattern or rule)");
  if (t.oversized_lines) row(out, "oversized lines (skipped)", t.oversized_lines);
  if (t.incomplete_lines) row(out, "incomplete lines (skipped)", t.incomplete_lines);
  if (t.skipped_bytes)
    row(out, "skipped (not scanned)",
        human_bytes(t.skipped_bytes) + " (" + std::to_string(t.skipped_bytes) + " bytes)");

  out << "\nEntities (" << s.agent_field << ", " << s.operator_field << ", " << s.key_field << ", "
      << s.ip_field << "; time " << s.time_field << ")\n";
  row(out, "agents", t.agents);
  row(out, "operators", t.operators);
  row(out, "API keys", t.keys);
  row(out, "source addresses", t.ips);
  const Distribution& fleet = s.fleet.agents_per_operator;
  std::ostringstream mean;
  mean << std::fixed << std::setprecision(1) << fleet.mean;
  row(out, "agents per operator",
      "mean " + mean.str() + ", p50 " + std::to_string(fleet.p50) + ", p99 " +
          std::to_string(fleet.p99) + ", max " + std::to_string(fleet.max));
  row(out, "orphan agents", s.fleet.orphan_agents);
  row(out, "agents, several operators", s.fleet.agents_with_several_operators);
  row(out, "keys used by several agents", s.fleet.keys_with_several_agents);
  row(out, "events without agent", t.events_without_agent);
  row(out, "events without operator", t.events_without_operator);
  if (t.events_without_key) row(out, "events without key", t.events_without_key);
  if (t.events_without_ip) row(out, "events without address", t.events_without_ip);
  if (t.events_without_time) row(out, "events without time", t.events_without_time);
  if (t.events_with_invalid_time) row(out, "events with invalid time", t.events_with_invalid_time);
  if (t.id_collisions) row(out, "id hash collisions", t.id_collisions);

  if (t.files_with_errors) {
    out << "\nInput not read completely\n";
    for (const state::FileSummary& f : s.files)
      for (const std::string& error : f.errors) out << "  " << f.path << ": " << error << '\n';
  }

  if (!s.patterns.empty()) {
    const MatcherRow& m = s.matcher;
    out << "\nPatterns (" << s.patterns.size() << "; " << m.automata
        << " automata: " << m.aho_corasick << " fixed-string, " << m.regex_dfas << " regex; "
        << m.states << " states, " << (m.memory_bytes + 1023) / 1024 << " KiB";
    if (m.prefiltered_patterns > 0)
      out << "; " << m.prefiltered_patterns << " regex" << (m.prefiltered_patterns == 1 ? "" : "es")
          << " prefiltered on " << m.factors << " factor" << (m.factors == 1 ? "" : "s");
    out << ")\n"
        << "  " << std::right << std::setw(12) << "lines" << std::setw(12) << "events"
        << "  pattern\n";
    for (const PatternRow& p : s.patterns) {
      out << "  " << std::right << std::setw(12) << p.lines << std::setw(12) << p.events << "  "
          << p.pattern;
      if (p.scope != "line") out << "   (in " << p.scope << ')';
      out << '\n';
    }
  }

  if (t.host_walks)
    out << "\n"
        << t.host_walks
        << " line walks were redone on the host, exactly but slowly (a regex DFA past its "
           "state budget): see docs/patterns.md\n";

  if (!s.rules.empty() || !s.rule_issues.empty()) {
    std::size_t with_hits = 0;
    for (const RuleRow& r : s.rules) with_hits += r.events > 0;
    out << "\nRules (" << s.rules.size() << " run, " << with_hits << " with hits, "
        << s.rule_issues.size() << " not run: see stderr or --json)\n";
    for (const RuleRow& r : s.rules) {
      if (r.events == 0) continue;
      out << "  " << std::right << std::setw(12) << r.events << "  " << std::left << std::setw(13)
          << (r.info.level.empty() ? "-" : r.info.level) << r.info.title;
      if (!r.info.id.empty()) out << "  (" << r.info.id << ')';
      out << '\n';
      for (const EvidenceRow& e : r.evidence)
        out << "  " << std::string(12, ' ') << "  " << e.file << ':' << e.line << " (offset "
            << e.offset << ")\n";
    }
  }

  for (const CorrelationRow& c : s.correlations) {
    if (c.hits.empty()) continue;
    const CorrelationInfo& info = c.correlation;
    out << "\nCorrelation: " << info.info.title << " (" << info.type << " " << info.condition_text()
        << " in " << info.timespan_seconds << " s; level "
        << (info.info.level.empty() ? "-" : info.info.level) << "): " << c.hits.size()
        << " groups\n";
    // The earliest groups; a noisy rule can name thousands, all of them in --json.
    const std::size_t shown = s.top == 0 ? c.hits.size() : std::min(s.top, c.hits.size());
    for (std::size_t i = 0; i < shown; ++i) {
      const CorrelationHit& h = c.hits[i];
      std::string group;
      for (const std::string& value : h.group) group += (group.empty() ? "" : ", ") + value;
      out << "  " << std::right << std::setw(10);
      if (info.numeric())
        out << engine::number_text(h.value);
      else
        out << h.count;
      out << "  " << iso8601(h.start_ms) << "  " << group << '\n';
    }
    if (shown < c.hits.size())
      out << "  ... " << c.hits.size() - shown
          << " more groups (all of them with --json or --top 0)\n";
  }

  const auto agent_table = [&](const char* title, const std::vector<AgentRow>& rows) {
    if (rows.empty()) return;
    out << '\n'
        << title << "\n  " << std::right << std::setw(10) << "events" << std::setw(8) << "hits"
        << std::setw(10) << "busiest" << std::setw(6) << "ops" << std::setw(6) << "keys"
        << std::setw(6) << "ips" << std::setw(8) << "risk"
        << "  agent\n";
    for (const AgentRow& a : rows)
      out << "  " << std::setw(10) << a.events << std::setw(8) << a.hit_events << std::setw(10)
          << a.busiest_window_events << std::setw(6) << a.operators << std::setw(6) << a.keys
          << std::setw(6) << a.ips << std::setw(8) << a.risk << "  " << a.id << '\n';
  };
  agent_table("Top agents by events", s.top_agents_by_events);
  agent_table("Top agents by hits", s.top_agents_by_hits);
  agent_table("Top agents by busiest 60 s window (\"busiest\")", s.top_agents_by_burst);
  agent_table("Top agents by risk (rule hits weighted by level)", s.top_agents_by_risk);
  agent_table("Agents seen under several operators", s.agents_with_several_operators);

  if (!s.top_operators.empty()) {
    out << "\nTop operators by fleet size\n  " << std::right << std::setw(10) << "agents"
        << std::setw(12) << "events" << std::setw(12) << "with hits"
        << "  operator\n";
    for (const OperatorRow& o : s.top_operators)
      out << "  " << std::setw(10) << o.agents << std::setw(12) << o.events << std::setw(12)
          << o.agents_with_hits << "  " << o.id << '\n';
  }

  if (!s.shared_keys.empty()) {
    out << "\nAPI keys used by several agents\n  " << std::right << std::setw(10) << "agents"
        << std::setw(12) << "events"
        << "  key\n";
    for (const KeyRow& k : s.shared_keys)
      out << "  " << std::setw(10) << k.agents << std::setw(12) << k.events << "  " << k.id << '\n';
  }
}

}  // namespace agentsweep::report
