/** @file
 * JSON report writer (nlohmann::json keeps keys in insertion order here).
 */
#include "cli/report/json_report.hpp"

#include <nlohmann/json.hpp>

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
              {"hit_lines", t.hit_lines},
              {"agents", t.agents},
              {"operators", t.operators},
              {"orphan_agents", t.orphan_agents},
              {"id_collisions", t.id_collisions}};
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
  return Json{
      {"id", a.id}, {"events", a.events}, {"hit_events", a.hit_events}, {"operators", a.operators}};
}

}  // namespace

void write_json(std::ostream& out, const Summary& s) {
  Json doc;
  doc["backend"] = Json{{"name", s.backend}, {"description", s.backend_description}};
  doc["fields"] = Json{{"agent", s.agent_field}, {"operator", s.operator_field}};
  doc["totals"] = totals_json(s.totals);
  doc["files"] = Json::array();
  for (const auto& f : s.files) doc["files"].push_back(file_json(f));
  doc["matcher"] = Json{{"patterns", s.patterns.size()},
                        {"automata", s.matcher.automata},
                        {"aho_corasick", s.matcher.aho_corasick},
                        {"regex_dfas", s.matcher.regex_dfas},
                        {"states", s.matcher.states},
                        {"memory_bytes", s.matcher.memory_bytes}};
  doc["patterns"] = Json::array();
  for (const auto& p : s.patterns)
    doc["patterns"].push_back(
        Json{{"pattern", p.pattern}, {"scope", p.scope}, {"lines", p.lines}, {"events", p.events}});
  doc["top_agents_by_events"] = Json::array();
  for (const auto& a : s.top_agents_by_events) doc["top_agents_by_events"].push_back(agent_json(a));
  doc["top_agents_by_hits"] = Json::array();
  for (const auto& a : s.top_agents_by_hits) doc["top_agents_by_hits"].push_back(agent_json(a));
  doc["top_operators"] = Json::array();
  for (const auto& o : s.top_operators)
    doc["top_operators"].push_back(Json{{"id", o.id}, {"agents", o.agents}, {"events", o.events}});
  // Invalid UTF-8 in ids or patterns is replaced rather than aborting the report.
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace agentsweep::report
