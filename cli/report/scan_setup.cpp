/** @file
 * Describing a plan, and the description as JSON.
 */
#include "cli/report/scan_setup.hpp"

#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "cli/report/count_range_json.hpp"

namespace agentsweep::report {

namespace {

using Json = nlohmann::ordered_json;

Json info_json(const rules::RuleInfo& i) {
  return Json{{"file", i.file},
              {"line", i.line},
              {"id", i.id},
              {"name", i.name},
              {"title", i.title},
              {"description", i.description},
              {"status", i.status},
              {"level", i.level},
              {"tags", i.tags},
              {"references", i.references},
              {"falsepositives", i.falsepositives},
              {"logsource", i.logsource}};
}

rules::RuleInfo info_from(const Json& j) {
  rules::RuleInfo i;
  j.at("file").get_to(i.file);
  j.at("line").get_to(i.line);
  j.at("id").get_to(i.id);
  j.at("name").get_to(i.name);
  j.at("title").get_to(i.title);
  j.at("description").get_to(i.description);
  j.at("status").get_to(i.status);
  j.at("level").get_to(i.level);
  j.at("tags").get_to(i.tags);
  j.at("references").get_to(i.references);
  j.at("falsepositives").get_to(i.falsepositives);
  j.at("logsource").get_to(i.logsource);
  return i;
}

}  // namespace

ScanSetup describe(const engine::ScanPlan& plan, RuleCatalog rules) {
  ScanSetup setup;
  const auto path_of = [&](int field) {
    return plan.fields.dotted()[static_cast<std::size_t>(field)];
  };
  setup.entities = {path_of(plan.entities.agent), path_of(plan.entities.op),
                    path_of(plan.entities.key), path_of(plan.entities.ip),
                    path_of(plan.entities.time)};
  const engine::PatternSet& patterns = plan.patterns;
  for (const engine::PatternSpec& spec : patterns.patterns)
    setup.patterns.push_back(
        {spec.text, spec.field == engine::kWholeLine ? "line" : path_of(spec.field)});
  MatcherRow& m = setup.matcher;
  m.automata = patterns.automata.size();
  for (const engine::Automaton& a : patterns.automata)
    ++(a.kind == engine::Automaton::Kind::kAhoCorasick ? m.aho_corasick : m.regex_dfas);
  m.states = patterns.states();
  m.memory_bytes = patterns.memory_bytes();
  std::set<std::string> factors;
  for (const engine::Prefilter& prefilter : patterns.prefilters)
    for (const std::uint32_t a : prefilter.slot_automata)
      for (const std::uint32_t p : patterns.automata[a].pattern_ids) {
        ++m.prefiltered_patterns;
        factors.insert(patterns.factors[p].begin(), patterns.factors[p].end());
      }
  m.factors = factors.size();
  setup.rules = std::move(rules);
  return setup;
}

std::string setup_to_json(const ScanSetup& setup) {
  const engine::EntityPaths& e = setup.entities;
  Json doc{{"entities", Json{{"agent", e.agent},
                             {"operator", e.op},
                             {"key", e.key},
                             {"ip", e.ip},
                             {"time", e.time}}}};
  doc["patterns"] = Json::array();
  for (const PatternLabel& p : setup.patterns)
    doc["patterns"].push_back(Json{{"pattern", p.pattern}, {"scope", p.scope}});
  const MatcherRow& m = setup.matcher;
  doc["matcher"] = Json{{"automata", m.automata},
                        {"aho_corasick", m.aho_corasick},
                        {"regex_dfas", m.regex_dfas},
                        {"states", m.states},
                        {"memory_bytes", m.memory_bytes},
                        {"prefiltered_patterns", m.prefiltered_patterns},
                        {"factors", m.factors}};
  doc["rules"] = Json::array();
  for (const rules::RuleInfo& info : setup.rules.run) doc["rules"].push_back(info_json(info));
  doc["alerts"] = setup.rules.alerts;
  doc["correlations"] = Json::array();
  for (const CorrelationInfo& c : setup.rules.correlations) {
    Json chained = Json::array();
    for (const ChainedSlot& slot : c.chained)
      chained.push_back(Json{{"slot", slot.slot},
                             {"correlation", slot.correlation},
                             {"label_fields", slot.label_fields},
                             {"value_field", slot.value_field}});
    doc["correlations"].push_back(Json{{"info", info_json(c.info)},
                                       {"type", c.type},
                                       {"timespan_seconds", c.timespan_seconds},
                                       {"condition", count_range_json(c.counts)},
                                       {"bounds", value_condition_json(c.condition)},
                                       {"percentile", c.percentile},
                                       {"rules", c.rules},
                                       {"group_by", c.group_by},
                                       {"field", c.field},
                                       {"chained", chained},
                                       {"alerts", c.alerts}});
  }
  doc["rule_issues"] = Json::array();
  for (const RuleIssueRow& i : setup.rules.not_run)
    doc["rule_issues"].push_back(Json{{"file", i.file},
                                      {"line", i.line},
                                      {"id", i.id},
                                      {"title", i.title},
                                      {"kind", i.kind},
                                      {"reason", i.reason}});
  // Ids and patterns may hold invalid UTF-8: replaced, as in reports.
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

ScanSetup setup_from_json(const std::string& text) {
  try {
    const Json doc = Json::parse(text);
    ScanSetup setup;
    const Json& e = doc.at("entities");
    setup.entities = {e.at("agent"), e.at("operator"), e.at("key"), e.at("ip"), e.at("time")};
    for (const Json& p : doc.at("patterns"))
      setup.patterns.push_back({p.at("pattern"), p.at("scope")});
    const Json& m = doc.at("matcher");
    // States saved before the prefilter existed have no prefilter figures.
    setup.matcher = {m.at("automata"),
                     m.at("aho_corasick"),
                     m.at("regex_dfas"),
                     m.at("states"),
                     m.at("memory_bytes"),
                     m.value("prefiltered_patterns", std::size_t{0}),
                     m.value("factors", std::size_t{0})};
    for (const Json& r : doc.at("rules")) setup.rules.run.push_back(info_from(r));
    doc.at("alerts").get_to(setup.rules.alerts);
    if (setup.rules.alerts.size() != setup.rules.run.size())
      throw std::runtime_error("the scan description in it is damaged: rules and alerts differ");
    for (const Json& c : doc.at("correlations")) {
      CorrelationInfo info{info_from(c.at("info")),
                           c.at("type"),
                           c.at("timespan_seconds"),
                           count_range_from_json(c.at("condition")),
                           value_condition_from_json(c.at("bounds")),
                           c.at("percentile"),
                           c.at("rules"),
                           c.at("group_by"),
                           c.at("field")};
      for (const Json& slot : c.at("chained"))
        info.chained.push_back({slot.at("slot"), slot.at("correlation"), slot.at("label_fields"),
                                slot.at("value_field")});
      info.alerts = c.at("alerts");
      setup.rules.correlations.push_back(std::move(info));
    }
    // A report follows chains: each must lead to an earlier correlation of the file (the
    // catalog puts chained ones first), whose groups have the fields it reads.
    const std::vector<CorrelationInfo>& all = setup.rules.correlations;
    for (std::size_t c = 0; c < all.size(); ++c)
      for (const ChainedSlot& slot : all[c].chained) {
        bool fits = slot.correlation < c && slot.slot < all[c].rules &&
                    slot.label_fields.size() == all[c].group_by.size();
        const std::size_t fields = fits ? all[slot.correlation].group_by.size() : 0;
        for (const std::uint32_t f : slot.label_fields) fits = fits && f < fields;
        fits =
            fits && (slot.value_field < 0 || static_cast<std::size_t>(slot.value_field) < fields);
        if (!fits)
          throw std::runtime_error(
              "the scan description in it is damaged: a correlation chains one it does not hold");
      }
    for (const Json& i : doc.at("rule_issues"))
      setup.rules.not_run.push_back(
          {i.at("file"), i.at("line"), i.at("id"), i.at("title"), i.at("kind"), i.at("reason")});
    return setup;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("the scan description in it is damaged: ") + e.what());
  }
}

}  // namespace agentsweep::report
