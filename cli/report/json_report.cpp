/** @file
 * JSON report writer (nlohmann::json keeps keys in insertion order here).
 */
#include "cli/report/json_report.hpp"

#include <nlohmann/json.hpp>

#include "cli/report/count_range_json.hpp"
#include "cli/report/time_text.hpp"
#include "host/state/correlation_windows.hpp"

namespace agentsweep::report {

namespace {

using Json = nlohmann::ordered_json;

Json totals_json(const Totals& t) {
  return Json{{"files", t.files},
              {"files_with_errors", t.files_with_errors},
              {"compressed_bytes", t.compressed_bytes},
              {"decoded_bytes", t.decoded_bytes},
              {"scanned_bytes", t.scanned_bytes},
              {"skipped_bytes", t.skipped_bytes},
              {"lines", t.lines},
              {"blank_lines", t.blank_lines},
              {"events", t.events},
              {"malformed_lines", t.malformed_lines},
              {"oversized_lines", t.oversized_lines},
              {"incomplete_lines", t.incomplete_lines},
              {"events_without_agent", t.events_without_agent},
              {"events_without_operator", t.events_without_operator},
              {"events_without_key", t.events_without_key},
              {"events_without_ip", t.events_without_ip},
              {"events_without_time", t.events_without_time},
              {"events_with_invalid_time", t.events_with_invalid_time},
              {"hit_lines", t.hit_lines},
              {"agents", t.agents},
              {"operators", t.operators},
              {"keys", t.keys},
              {"ips", t.ips},
              {"id_collisions", t.id_collisions},
              {"host_walks", t.host_walks}};
}

Json fleet_json(const Fleet& f) {
  const Distribution& d = f.agents_per_operator;
  return Json{{"agents_per_operator",
               Json{{"mean", d.mean}, {"p50", d.p50}, {"p99", d.p99}, {"max", d.max}}},
              {"orphan_agents", f.orphan_agents},
              {"agents_with_several_operators", f.agents_with_several_operators},
              {"keys_with_several_agents", f.keys_with_several_agents}};
}

Json time_json(std::int64_t ms) {
  return ms == kernels::kNoTime ? Json() : Json(iso8601(ms));
}

Json file_json(const state::FileSummary& f) {
  return Json{{"path", f.path},
              {"codec", f.codec},
              {"complete", f.complete()},
              {"compressed_bytes", f.compressed_bytes},
              {"decoded_bytes", f.decoded_bytes},
              {"scanned_bytes", f.scanned_bytes},
              {"skipped_bytes", f.skipped_bytes},
              {"lines", f.lines},
              {"blank_lines", f.blank_lines},
              {"events", f.events},
              {"malformed_lines", f.malformed_lines},
              {"oversized_lines", f.oversized_lines},
              {"incomplete_lines", f.incomplete_lines},
              {"errors", f.errors}};
}

Json agent_json(const AgentRow& a) {
  Json patterns = Json::array();
  for (const auto& [pattern, events] : a.pattern_events)
    patterns.push_back(Json{{"pattern", pattern}, {"events", events}});
  return Json{{"id", a.id},
              {"events", a.events},
              {"hit_events", a.hit_events},
              {"operators", a.operators},
              {"keys", a.keys},
              {"ips", a.ips},
              {"first_seen", time_json(a.first_ms)},
              {"last_seen", time_json(a.last_ms)},
              {"rules", a.rules},
              {"risk", a.risk},
              {"pattern_events", patterns},
              {"busiest_window", Json{{"seconds", kBurstWindowSeconds},
                                      {"events", a.busiest_window_events},
                                      {"start", time_json(a.busiest_window_start_ms)}}}};
}

Json agents_json(const std::vector<AgentRow>& rows) {
  Json list = Json::array();
  for (const AgentRow& a : rows) list.push_back(agent_json(a));
  return list;
}

}  // namespace

void write_json(std::ostream& out, const Summary& s) {
  Json doc;
  doc["backend"] = Json{{"name", s.backend}, {"description", s.backend_description}};
  doc["fields"] = Json{{"agent", s.agent_field},
                       {"operator", s.operator_field},
                       {"key", s.key_field},
                       {"ip", s.ip_field},
                       {"time", s.time_field}};
  doc["totals"] = totals_json(s.totals);
  doc["fleet"] = fleet_json(s.fleet);
  doc["files"] = Json::array();
  for (const auto& f : s.files) doc["files"].push_back(file_json(f));
  doc["matcher"] = Json{{"patterns", s.patterns.size()},
                        {"automata", s.matcher.automata},
                        {"aho_corasick", s.matcher.aho_corasick},
                        {"regex_dfas", s.matcher.regex_dfas},
                        {"states", s.matcher.states},
                        {"memory_bytes", s.matcher.memory_bytes},
                        {"prefiltered_patterns", s.matcher.prefiltered_patterns},
                        {"factors", s.matcher.factors}};
  doc["patterns"] = Json::array();
  for (const auto& p : s.patterns)
    doc["patterns"].push_back(
        Json{{"pattern", p.pattern}, {"scope", p.scope}, {"lines", p.lines}, {"events", p.events}});
  doc["rules"] = Json::array();
  for (const RuleRow& r : s.rules) {
    Json evidence = Json::array();
    for (const EvidenceRow& e : r.evidence)
      evidence.push_back(Json{{"file", e.file}, {"line", e.line}, {"offset", e.offset}});
    doc["rules"].push_back(Json{{"id", r.info.id},
                                {"title", r.info.title},
                                {"level", r.info.level},
                                {"status", r.info.status},
                                {"tags", r.info.tags},
                                {"file", r.info.file},
                                {"line", r.info.line},
                                {"events", r.events},
                                {"evidence", evidence}});
  }
  doc["correlations"] = Json::array();
  for (const CorrelationRow& c : s.correlations) {
    Json hits = Json::array();
    for (const CorrelationHit& h : c.hits) {
      Json hit{{"group", h.group},
               {"start", iso8601(h.start_ms)},
               {"end", iso8601(h.end_ms)},
               {"count", h.count}};
      if (c.correlation.numeric()) hit["value"] = h.value;
      hits.push_back(std::move(hit));
    }
    const rules::RuleInfo& info = c.correlation.info;
    doc["correlations"].push_back(
        Json{{"id", info.id},
             {"title", info.title},
             {"level", info.level},
             {"status", info.status},
             {"tags", info.tags},
             {"file", info.file},
             {"line", info.line},
             {"type", c.correlation.type},
             {"group_by", c.correlation.group_by},
             {"field", c.correlation.field},
             {"timespan_seconds", c.correlation.timespan_seconds},
             {"condition", c.correlation.numeric() ? value_condition_json(c.correlation.condition)
                                                   : count_range_json(c.correlation.counts)},
             {"rules", c.correlation.rules},
             {"groups", hits.size()},
             {"hits", hits}});
    if (state::measure_of(c.correlation.type) == state::WindowMeasure::kPercentile)
      doc["correlations"].back()["percentile"] = c.correlation.percentile;
  }
  doc["rule_issues"] = Json::array();
  for (const RuleIssueRow& i : s.rule_issues)
    doc["rule_issues"].push_back(Json{{"file", i.file},
                                      {"line", i.line},
                                      {"id", i.id},
                                      {"title", i.title},
                                      {"kind", i.kind},
                                      {"reason", i.reason}});
  doc["top_agents_by_events"] = agents_json(s.top_agents_by_events);
  doc["top_agents_by_hits"] = agents_json(s.top_agents_by_hits);
  doc["top_agents_by_burst"] = agents_json(s.top_agents_by_burst);
  doc["top_agents_by_risk"] = agents_json(s.top_agents_by_risk);
  doc["agents_with_several_operators"] = agents_json(s.agents_with_several_operators);
  doc["top_operators"] = Json::array();
  for (const auto& o : s.top_operators)
    doc["top_operators"].push_back(Json{{"id", o.id},
                                        {"agents", o.agents},
                                        {"events", o.events},
                                        {"agents_with_hits", o.agents_with_hits}});
  doc["shared_keys"] = Json::array();
  for (const auto& k : s.shared_keys)
    doc["shared_keys"].push_back(Json{{"id", k.id}, {"agents", k.agents}, {"events", k.events}});
  // Invalid UTF-8 in ids or patterns is replaced rather than aborting the report.
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace agentsweep::report
