/** @file
 * Predicate interning and compaction.
 */
#include "host/rules/predicate_table.hpp"

#include <algorithm>
#include <map>

#include "host/rules/field_mapping.hpp"

namespace agentsweep::rules {
namespace {

bool same_spec(const engine::PatternSpec& a, const engine::PatternSpec& b) {
  return a.text == b.text && a.literal == b.literal && a.case_insensitive == b.case_insensitive &&
         a.word == b.word && a.field == b.field;
}

template <typename T, typename Equal>
std::uint32_t intern(std::vector<T>& items, const T& item, Equal equal) {
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const T& other) { return equal(item, other); });
  if (it != items.end()) return static_cast<std::uint32_t>(it - items.begin());
  items.push_back(item);
  return static_cast<std::uint32_t>(items.size() - 1);
}

/// Renumbers, in order of first use, the predicates and fields `e` refers to.
class Compactor {
 public:
  Compactor(const std::vector<std::string>& fields,
            const std::vector<engine::PatternSpec>& patterns,
            const std::vector<ValuePredicate>& values, CompiledRule& rule)
      : fields_(fields), patterns_(patterns), values_(values), rule_(rule) {}

  Expression renumber(const Expression& e) {
    Expression out = e;
    if (e.kind == Expression::Kind::kPattern) {
      out.predicate = map(pattern_ids_, e.predicate, [&] {
        engine::PatternSpec spec = patterns_[e.predicate];
        if (spec.field != engine::kWholeLine) spec.field = field(spec.field);
        rule_.patterns.push_back(spec);
        return rule_.patterns.size() - 1;
      });
    } else if (e.kind == Expression::Kind::kValue) {
      out.predicate = map(value_ids_, e.predicate, [&] {
        ValuePredicate v = values_[e.predicate];
        v.field = field(v.field);
        if (v.other_field >= 0) v.other_field = field(v.other_field);
        rule_.values.push_back(v);
        return rule_.values.size() - 1;
      });
    }
    for (Expression& child : out.children) child = renumber(child);
    return out;
  }

 private:
  template <typename Make>
  std::uint32_t map(std::map<std::uint32_t, std::uint32_t>& ids, std::uint32_t old, Make make) {
    const auto it = ids.find(old);
    if (it != ids.end()) return it->second;
    return ids[old] = static_cast<std::uint32_t>(make());
  }

  int field(int old) {
    return static_cast<int>(map(field_ids_, static_cast<std::uint32_t>(old), [&] {
      rule_.fields.push_back(fields_[old]);
      return rule_.fields.size() - 1;
    }));
  }

  const std::vector<std::string>& fields_;
  const std::vector<engine::PatternSpec>& patterns_;
  const std::vector<ValuePredicate>& values_;
  CompiledRule& rule_;
  std::map<std::uint32_t, std::uint32_t> pattern_ids_, value_ids_, field_ids_;
};

}  // namespace

int PredicateTable::field(const std::string& path) {
  const auto it = std::find(fields_.begin(), fields_.end(), path);
  if (it != fields_.end()) return static_cast<int>(it - fields_.begin());
  check_field_path(path);
  fields_.push_back(path);
  return static_cast<int>(fields_.size() - 1);
}

std::uint32_t PredicateTable::pattern(const engine::PatternSpec& spec) {
  return intern(patterns_, spec, same_spec);
}

std::uint32_t PredicateTable::value(const ValuePredicate& predicate) {
  return intern(values_, predicate, std::equal_to<ValuePredicate>());
}

void PredicateTable::finish(const Expression& condition, CompiledRule& rule) const {
  rule.fields.clear();
  rule.patterns.clear();
  rule.values.clear();
  Compactor compactor(fields_, patterns_, values_, rule);
  rule.program = compile_program(compactor.renumber(condition));
}

}  // namespace agentsweep::rules
