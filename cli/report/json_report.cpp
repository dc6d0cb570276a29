/** @file
 * JSON report writer (nlohmann::json keeps keys in insertion order here).
 */
#include "cli/report/json_report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

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

/// A row's text, built in memory and written at once: numbers with
/// std::to_chars instead of a stream insertion each (with --top 0 a report
/// holds millions of rows).
class RowText {
 public:
  RowText& operator<<(std::string_view text) {
    text_ += text;
    return *this;
  }
  RowText& operator<<(char c) {
    text_ += c;
    return *this;
  }
  template <std::integral Number>
  RowText& operator<<(Number n) {
    char digits[24];
    text_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
    return *this;
  }
  void clear() { text_.clear(); }
  void write_to(std::ostream& out) const {
    out.write(text_.data(), static_cast<std::streamsize>(text_.size()));
  }

 private:
  std::string text_;
};

/// `text` as a JSON string; invalid UTF-8 is replaced rather than aborting the report.
void write_string(RowText& out, const std::string& text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (plain)
    out << '"' << text << '"';
  else
    out << Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

void write_time(RowText& out, std::int64_t ms) {
  if (ms == kernels::kNoTime)
    out << "null";
  else
    out << '"' << iso8601(ms) << '"';
}

/// An agent row as an item of a top-level list, printed as
/// `nlohmann::json::dump(2)` prints it there, without building it as JSON
/// first: with --top 0 there are hundreds of thousands. The row is built in
/// `out`, whose room is kept from row to row, and then written to `to`.
void write_agent(std::ostream& to, const AgentRow& a, RowText& out) {
  out.clear();
  out << "{\n      \"id\": ";
  write_string(out, a.id);
  out << ",\n      \"events\": " << a.events << ",\n      \"hit_events\": " << a.hit_events
      << ",\n      \"operators\": " << a.operators << ",\n      \"keys\": " << a.keys
      << ",\n      \"ips\": " << a.ips << ",\n      \"first_seen\": ";
  write_time(out, a.first_ms);
  out << ",\n      \"last_seen\": ";
  write_time(out, a.last_ms);
  out << ",\n      \"rules\": " << a.rules << ",\n      \"risk\": " << a.risk
      << ",\n      \"pattern_events\": ";
  if (a.pattern_events.empty()) {
    out << "[]";
  } else {
    out << '[';
    for (std::size_t i = 0; i < a.pattern_events.size(); ++i)
      out << (i == 0 ? "\n" : ",\n")
          << "        {\n          \"pattern\": " << a.pattern_events[i].first
          << ",\n          \"events\": " << a.pattern_events[i].second << "\n        }";
    out << "\n      ]";
  }
  out << ",\n      \"busiest_window\": {\n        \"seconds\": " << kBurstWindowSeconds
      << ",\n        \"events\": " << a.busiest_window_events << ",\n        \"start\": ";
  write_time(out, a.busiest_window_start_ms);
  out << "\n      }\n    }";
  out.write_to(to);
}

/// Writes the report's top-level members one at a time, as
/// `nlohmann::json::dump(2)` would print the whole document, so that lists of
/// every agent (--top 0: hundreds of thousands of objects) are never held as
/// one JSON tree: each row is built, printed and dropped.
class TopLevelWriter {
 public:
  explicit TopLevelWriter(std::ostream& out) : out_(out) {}

  void member(std::string_view key, const Json& value) {
    open(key);
    write_indented(value, 2);
  }

  template <class Row, class ToJson>
  void list(std::string_view key, const std::vector<Row>& rows, const ToJson& to_json) {
    written_list(key, rows,
                 [&](std::ostream&, const Row& row) { write_indented(to_json(row), 4); });
  }

  /// A list whose rows `write(out, row)` prints itself, as an item of a top-level list.
  template <class Row, class Write>
  void written_list(std::string_view key, const std::vector<Row>& rows, const Write& write) {
    open(key);
    if (rows.empty()) {
      out_ << "[]";
      return;
    }
    out_ << "[\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out_ << (i == 0 ? "    " : ",\n    ");
      write(out_, rows[i]);
    }
    out_ << "\n  ]";
  }

  void finish() { out_ << (first_ ? "{}\n" : "\n}\n"); }

 private:
  void open(std::string_view key) {
    out_ << (first_ ? "{\n  " : ",\n  ") << Json(key).dump() << ": ";
    first_ = false;
  }

  /// `value` printed with an indent of 2, its lines after the first shifted by `indent`.
  void write_indented(const Json& value, std::size_t indent) {
    // Invalid UTF-8 in ids or patterns is replaced rather than aborting the report.
    const std::string text = value.dump(2, ' ', false, Json::error_handler_t::replace);
    std::string margin(indent + 1, ' ');
    margin.front() = '\n';
    std::size_t from = 0;
    for (std::size_t at; (at = text.find('\n', from)) != std::string::npos; from = at + 1)
      out_ << std::string_view(text).substr(from, at - from) << margin;
    out_ << std::string_view(text).substr(from);
  }

  std::ostream& out_;
  bool first_ = true;
};

}  // namespace

void write_json(std::ostream& out, const Summary& s) {
  TopLevelWriter doc(out);
  doc.member("backend", Json{{"name", s.backend}, {"description", s.backend_description}});
  doc.member("fields", Json{{"agent", s.agent_field},
                            {"operator", s.operator_field},
                            {"key", s.key_field},
                            {"ip", s.ip_field},
                            {"time", s.time_field}});
  doc.member("totals", totals_json(s.totals));
  doc.member("fleet", fleet_json(s.fleet));
  doc.list("files", s.files, file_json);
  doc.member("matcher", Json{{"patterns", s.patterns.size()},
                             {"automata", s.matcher.automata},
                             {"aho_corasick", s.matcher.aho_corasick},
                             {"regex_dfas", s.matcher.regex_dfas},
                             {"states", s.matcher.states},
                             {"memory_bytes", s.matcher.memory_bytes},
                             {"prefiltered_patterns", s.matcher.prefiltered_patterns},
                             {"factors", s.matcher.factors}});
  doc.list("patterns", s.patterns, [](const PatternRow& p) {
    return Json{
        {"pattern", p.pattern}, {"scope", p.scope}, {"lines", p.lines}, {"events", p.events}};
  });
  doc.list("rules", s.rules, [](const RuleRow& r) {
    Json evidence = Json::array();
    for (const EvidenceRow& e : r.evidence)
      evidence.push_back(Json{{"file", e.file}, {"line", e.line}, {"offset", e.offset}});
    return Json{{"id", r.info.id},         {"title", r.info.title}, {"level", r.info.level},
                {"status", r.info.status}, {"tags", r.info.tags},   {"file", r.info.file},
                {"line", r.info.line},     {"events", r.events},    {"evidence", evidence}};
  });
  doc.list("correlations", s.correlations, [](const CorrelationRow& c) {
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
    Json row{{"id", info.id},
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
             {"hits", hits}};
    if (state::measure_of(c.correlation.type) == state::WindowMeasure::kPercentile)
      row["percentile"] = c.correlation.percentile;
    return row;
  });
  doc.list("rule_issues", s.rule_issues, [](const RuleIssueRow& i) {
    return Json{{"file", i.file},   {"line", i.line}, {"id", i.id},
                {"title", i.title}, {"kind", i.kind}, {"reason", i.reason}};
  });
  RowText row_text;
  const auto agent_row = [&](std::ostream& to, const AgentRow& a) { write_agent(to, a, row_text); };
  doc.written_list("top_agents_by_events", s.top_agents_by_events, agent_row);
  doc.written_list("top_agents_by_hits", s.top_agents_by_hits, agent_row);
  doc.written_list("top_agents_by_burst", s.top_agents_by_burst, agent_row);
  doc.written_list("top_agents_by_risk", s.top_agents_by_risk, agent_row);
  doc.written_list("agents_with_several_operators", s.agents_with_several_operators, agent_row);
  doc.list("top_operators", s.top_operators, [](const OperatorRow& o) {
    return Json{{"id", o.id},
                {"agents", o.agents},
                {"events", o.events},
                {"agents_with_hits", o.agents_with_hits}};
  });
  doc.list("shared_keys", s.shared_keys, [](const KeyRow& k) {
    return Json{{"id", k.id}, {"agents", k.agents}, {"events", k.events}};
  });
  doc.finish();
}

}  // namespace agentsweep::report
