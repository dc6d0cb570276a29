/** @file
 * Slots, aliases and chains of correlation rules.
 */
#include "host/rules/correlation_resolver.hpp"

#include <algorithm>

#include "kernels/rule_program.cuh"

namespace agentsweep::rules {
namespace {

class Resolver {
 public:
  Resolver(std::vector<CorrelationRule>& correlations,
           const std::map<std::string, CompiledRule*>& rules, const FieldMapping& fields)
      : correlations_(correlations), rules_(rules), fields_(fields), visit_(correlations.size()) {
    for (std::size_t i = 0; i < correlations.size(); ++i) {
      if (!correlations[i].info.id.empty()) chained_[correlations[i].info.id] = i;
      if (!correlations[i].info.name.empty()) chained_[correlations[i].info.name] = i;
    }
  }

  void resolve_all() {
    for (std::size_t i = 0; i < correlations_.size(); ++i) resolve(i);
  }

 private:
  enum class Visit { kNew, kInProgress, kDone };

  /// Resolves the correlations `i` chains first, then `i`.
  void resolve(std::size_t i) {
    if (visit_[i] != Visit::kNew) return;
    visit_[i] = Visit::kInProgress;
    CorrelationRule& c = correlations_[i];
    for (const std::string& ref : c.rules) {
      if (rules_.contains(ref)) {
        if (!c.generate) rules_.at(ref)->standalone = false;
        continue;
      }
      const auto inner = chained_.find(ref);
      if (inner == chained_.end()) {
        c.unsupported = "it chains correlation '" + ref + "', which did not load";
      } else if (visit_[inner->second] == Visit::kInProgress) {
        c.unsupported = "its chain of correlations comes back to itself through '" + ref + "'";
      } else {
        resolve(inner->second);
        if (!c.generate) correlations_[inner->second].standalone = false;
      }
    }
    if (c.unsupported.empty()) c.unsupported = check_runnable(c);
    visit_[i] = Visit::kDone;
  }

  /// Why `c` cannot run (empty: it can), filling its slots.
  std::string check_runnable(CorrelationRule& c) const {
    if (!c.extended_condition.empty())
      return "a temporal condition written as an expression ('" + c.extended_condition + "')";
    if (c.type == "temporal_ordered" &&
        (!c.counts.contains(c.rules.size()) || c.counts.contains(c.rules.size() - 1)))
      return "a temporal_ordered condition other than all of its rules (gte: " +
             std::to_string(c.rules.size()) + ")";
    bool chains = false;
    for (const std::string& ref : c.rules) {
      if (rules_.contains(ref)) continue;
      chains = true;
      const CorrelationRule& inner = correlations_[chained_.at(ref)];
      if (!inner.unsupported.empty())
        return "the correlation it chains ('" + ref + "') cannot run: " + inner.unsupported;
      if (c.numeric()) return c.type + " over the firings of another correlation";  // no number
    }
    // Firings hold their values as text, detection events as the backend hashes them: the two
    // cannot be counted as one set of distinct values.
    if (chains && c.type == "value_count" &&
        std::any_of(c.rules.begin(), c.rules.end(),
                    [&](const std::string& ref) { return rules_.contains(ref); }))
      return "value_count over both a correlation's firings and detection rules";
    const bool slot_per_rule = c.temporal() || !c.aliases.empty() || chains;
    if (slot_per_rule && c.rules.size() > kernels::kMaxCorrelationSlots)
      return "it names " + std::to_string(c.rules.size()) + " rules; a " +
             (c.temporal() ? c.type : "correlation with aliases or chains") + " takes at most " +
             std::to_string(kernels::kMaxCorrelationSlots);
    const bool reads_value = reads_field(c.type);
    if (reads_value && c.fields.size() != 1) return c.type + " over several fields";
    c.slots.clear();
    for (std::size_t s = 0; s < (slot_per_rule ? c.rules.size() : 1); ++s) {
      CorrelationSlot slot;
      if (slot_per_rule)
        slot.rules = {c.rules[s]};
      else
        slot.rules = c.rules;
      const std::string& ref = slot.rules.front();
      if (const auto inner = chained_.find(ref); !rules_.contains(ref) && inner != chained_.end())
        slot.correlation = static_cast<int>(inner->second);
      for (const std::string& field : c.group_by) {
        std::string where;
        int position = -1;
        if (std::string why = locate(c, slot, field, where, position); !why.empty()) return why;
        slot.group_paths.push_back(where);
        slot.label_fields.push_back(position);
      }
      if (reads_value)
        if (std::string why = locate(c, slot, c.fields.front(), slot.value_path, slot.value_label);
            !why.empty())
          return why;
      c.slots.push_back(std::move(slot));
    }
    const bool named = !c.aliases.empty() || chains;  // no one path per field: say the names
    c.group_labels = named ? c.group_by : c.slots.front().group_paths;
    c.value_label = named && reads_value ? c.fields.front() : c.slots.front().value_path;
    return {};
  }

  /// Where the events of `slot` hold `field` (a field name or an alias): its
  /// JSON path for detection rules, or its position among the group-by fields
  /// of the correlation the slot chains.
  std::string locate(const CorrelationRule& c, const CorrelationSlot& slot,
                     const std::string& field, std::string& path, int& position) const {
    const std::string& ref = slot.rules.front();
    std::string name = field;
    if (const auto alias = c.aliases.find(field); alias != c.aliases.end()) {
      // An alias may name the rule by its id or by its name.
      const auto named =
          std::find_if(alias->second.begin(), alias->second.end(),
                       [&](const auto& entry) { return same_rule(entry.first, ref); });
      if (named == alias->second.end())
        return "alias '" + field + "' names no field for rule '" + ref + "'";
      name = named->second;
    }
    if (slot.correlation >= 0) {
      const CorrelationRule& inner = correlations_[static_cast<std::size_t>(slot.correlation)];
      const auto found = std::find(inner.group_by.begin(), inner.group_by.end(), name);
      if (found == inner.group_by.end())
        return "field '" + name +
               "' is not among the group-by fields of the correlation it chains ('" + ref + "')";
      position = static_cast<int>(found - inner.group_by.begin());
      return {};
    }
    const std::vector<std::string> paths = fields_.paths_of(name);
    if (paths.size() != 1) return "field '" + name + "' maps to several paths";
    path = paths.front();
    return {};
  }

  /// Whether references `a` and `b` name the same rule or correlation.
  bool same_rule(const std::string& a, const std::string& b) const {
    if (a == b) return true;
    const auto ra = rules_.find(a);
    const auto rb = rules_.find(b);
    if (ra != rules_.end() && rb != rules_.end()) return ra->second == rb->second;
    const auto ca = chained_.find(a);
    const auto cb = chained_.find(b);
    return ca != chained_.end() && cb != chained_.end() && ca->second == cb->second;
  }

  std::vector<CorrelationRule>& correlations_;
  const std::map<std::string, CompiledRule*>& rules_;
  const FieldMapping& fields_;
  std::map<std::string, std::size_t> chained_;  ///< ids and names of the correlations
  std::vector<Visit> visit_;
};

}  // namespace

void resolve_correlations(std::vector<CorrelationRule>& correlations,
                          const std::map<std::string, CompiledRule*>& rules,
                          const FieldMapping& fields) {
  Resolver(correlations, rules, fields).resolve_all();
}

}  // namespace agentsweep::rules
