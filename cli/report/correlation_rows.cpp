/** @file
 * Groups, chained firings and earliest windows.
 */
#include "cli/report/correlation_rows.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
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

/// Judges every correlation in one pass over the state's groups: groups of
/// correlations that chain none are judged as they stream by (and their
/// firings kept when a chain counts them); groups of chaining correlations are
/// gathered by label and judged after, with the firings they chain.
class CorrelationJudge {
 public:
  CorrelationJudge(const state::ScanState& state, const RuleCatalog& rules)
      : rules_(rules),
        hits_(rules.correlations.size()),
        firings_(rules.correlations.size()),
        chaining_groups_(rules.correlations.size()) {
    for (const CorrelationInfo& info : rules.correlations)
      for (const ChainedSlot& slot : info.chained) firings_[slot.correlation].emplace();
    state.each_correlation_group(
        [&](std::size_t c, std::uint64_t key, std::vector<Entry>& entries) {
          const CorrelationInfo& info = rules_.correlations[c];
          const Label& label = state.correlations()[c].at(key).label;
          if (!info.chained.empty()) {  // firings carry their group's values only: meet by values
            std::vector<Entry>& gathered = chaining_groups_[c][label];
            gathered.insert(gathered.end(), entries.begin(), entries.end());
            return;
          }
          const state::WindowTest test = test_of(info);
          if (firings_[c]) {
            std::vector<Entry> copy = entries;
            for (const std::int64_t time : state::firing_times(copy, test))
              firings_[c]->push_back({label, time});
          }
          if (info.alerts) judge(c, label, entries);
        });
  }

  CorrelationRow row(std::size_t c) {
    const CorrelationInfo& info = rules_.correlations[c];
    if (!info.chained.empty())
      each_chaining_group(
          c, [&](const Label& label, std::vector<Entry>& entries) { judge(c, label, entries); });
    CorrelationRow row{info, std::move(hits_[c])};
    std::sort(row.hits.begin(), row.hits.end(),
              [](const CorrelationHit& a, const CorrelationHit& b) {
                return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.group < b.group;
              });
    return row;
  }

 private:
  void judge(std::size_t c, const Label& label, std::vector<Entry>& entries) {
    const state::WindowTest test = test_of(rules_.correlations[c]);
    const state::ReachedWindow w = state::first_window(entries, test);
    if (w.reached) hits_[c].push_back({label, w.start, w.start + test.length, w.count, w.value});
  }

  /// Calls visit(label, entries) for each group of a chaining correlation `c`:
  /// its own entries and the firings of the correlations it chains.
  template <class Visit>
  void each_chaining_group(std::size_t c, Visit visit) {
    const CorrelationInfo& info = rules_.correlations[c];
    const state::WindowMeasure measure = state::measure_of(info.type);
    std::map<Label, std::vector<Entry>> groups = chaining_groups_[c];
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

  /// Every firing of correlation `c`: found in the pass for one that chains
  /// none, worked out once here for one that chains others.
  const std::vector<Firing>& firings(std::size_t c) {
    if (!rules_.correlations[c].chained.empty() && worked_out_.insert(c).second) {
      const state::WindowTest test = test_of(rules_.correlations[c]);
      std::vector<Firing> found;
      each_chaining_group(c, [&](const Label& label, std::vector<Entry>& entries) {
        for (const std::int64_t time : state::firing_times(entries, test))
          found.push_back({label, time});
      });
      *firings_[c] = std::move(found);
    }
    return *firings_[c];
  }

  const RuleCatalog& rules_;
  std::vector<std::vector<CorrelationHit>> hits_;
  /// Set for the correlations that others chain.
  std::vector<std::optional<std::vector<Firing>>> firings_;
  std::set<std::size_t> worked_out_;  ///< chaining correlations whose firings_ are set
  std::vector<std::map<Label, std::vector<Entry>>> chaining_groups_;
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
