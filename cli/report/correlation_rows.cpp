/** @file
 * Groups, chained firings and earliest windows.
 */
#include "cli/report/correlation_rows.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "host/state/correlation_windows.hpp"

namespace agentsweep::report {
namespace {

using Entry = state::CorrelationGroup::Entry;
using Label = std::vector<std::string>;

state::WindowTest test_of(const CorrelationInfo& info) {
  state::WindowTest test;
  test.measure = state::measure_of(info.type);
  test.length = info.timespan_seconds * 1000;  // rows are per millisecond
  test.counts = info.counts;
  test.condition = info.condition;
  test.percentile = info.percentile;
  test.rules = info.rules;
  return test;
}

/// When a correlation fired, for a group: an event of the correlations chaining it.
struct Firing {
  Label label;
  std::int64_t time = 0;
};

class CorrelationJudge {
 public:
  CorrelationJudge(const state::ScanState& state, const RuleCatalog& rules)
      : state_(state), rules_(rules), firings_(rules.correlations.size()) {}

  CorrelationRow row(std::size_t c) {
    const CorrelationInfo& info = rules_.correlations[c];
    const state::WindowTest test = test_of(info);
    CorrelationRow row{info, {}};
    each_group(c, [&](const Label& label, std::vector<Entry>& entries) {
      const state::ReachedWindow w = state::first_window(entries, test);
      if (w.reached) row.hits.push_back({label, w.start, w.start + test.length, w.count, w.value});
    });
    std::sort(row.hits.begin(), row.hits.end(),
              [](const CorrelationHit& a, const CorrelationHit& b) {
                return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.group < b.group;
              });
    return row;
  }

 private:
  /// Calls visit(label, entries) for each group of correlation `c`.
  template <class Visit>
  void each_group(std::size_t c, Visit visit) {
    const CorrelationInfo& info = rules_.correlations[c];
    if (info.chained.empty()) {  // groups as the backend keyed them
      for (const auto& [key, group] : state_.correlations()[c]) {
        std::vector<Entry> entries = group.entries;
        visit(group.label, entries);
      }
      return;
    }
    // Firings carry their group's values only, so groups meet by their values.
    const state::WindowMeasure measure = state::measure_of(info.type);
    std::map<Label, std::vector<Entry>> groups;
    for (const auto& [key, group] : state_.correlations()[c]) {
      std::vector<Entry>& entries = groups[group.label];
      entries.insert(entries.end(), group.entries.begin(), group.entries.end());
    }
    for (const ChainedSlot& slot : info.chained)
      for (const Firing& firing : firings(slot.correlation)) {
        Label label;
        for (const std::uint32_t f : slot.label_fields) label.push_back(firing.label.at(f));
        std::uint64_t value = 0;  // event_count
        if (measure == state::WindowMeasure::kDistinctRules ||
            measure == state::WindowMeasure::kRulesInOrder)
          value = slot.slot;
        else if (slot.value_field >= 0)  // value_count of firings only (correlation_resolver)
          value =
              std::hash<std::string>{}(firing.label.at(static_cast<std::size_t>(slot.value_field)));
        groups[label].push_back({value, firing.time, 1});
      }
    for (auto& [label, entries] : groups) visit(label, entries);
  }

  /// Every firing of correlation `c`, worked out once.
  const std::vector<Firing>& firings(std::size_t c) {
    if (!firings_[c]) {
      std::vector<Firing>& found = firings_[c].emplace();
      const state::WindowTest test = test_of(rules_.correlations[c]);
      each_group(c, [&](const Label& label, std::vector<Entry>& entries) {
        for (const std::int64_t time : state::firing_times(entries, test))
          found.push_back({label, time});
      });
    }
    return *firings_[c];
  }

  const state::ScanState& state_;
  const RuleCatalog& rules_;
  std::vector<std::optional<std::vector<Firing>>> firings_;
};

}  // namespace

std::vector<CorrelationRow> correlation_rows(const state::ScanState& state,
                                             const RuleCatalog& rules) {
  CorrelationJudge judge(state, rules);
  std::vector<CorrelationRow> rows;
  for (std::size_t c = 0; c < rules.correlations.size(); ++c)
    if (rules.correlations[c].alerts) rows.push_back(judge.row(c));
  return rows;
}

}  // namespace agentsweep::report
