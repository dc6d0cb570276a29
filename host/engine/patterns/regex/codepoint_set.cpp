/** @file
 * CodepointSet algebra; folding walks only the orbits that start inside the
 * set's ranges, so folding a huge class such as \PL stays cheap.
 */
#include "host/engine/patterns/regex/codepoint_set.hpp"

#include <algorithm>

#include "host/engine/patterns/regex/unicode_tables.hpp"

namespace agentsweep::engine::regex {

CodepointSet normalized(std::vector<CodepointRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const CodepointRange& a, const CodepointRange& b) { return a.lo < b.lo; });
  CodepointSet merged;
  for (const CodepointRange& range : ranges) {
    if (!merged.empty() && range.lo <= merged.back().hi + 1)
      merged.back().hi = std::max(merged.back().hi, range.hi);
    else
      merged.push_back(range);
  }
  return merged;
}

CodepointSet united(const CodepointSet& set, std::span<const CodepointRange> more) {
  std::vector<CodepointRange> all = set;
  all.insert(all.end(), more.begin(), more.end());
  return normalized(std::move(all));
}

CodepointSet complement(const CodepointSet& set) {
  CodepointSet result;
  char32_t next = 0;  // the lowest code point not yet known to be in `set`
  for (const CodepointRange& range : set) {
    if (range.lo > next) result.push_back({next, range.lo - 1});
    next = range.hi + 1;
  }
  if (next <= kMaxCodepoint) result.push_back({next, kMaxCodepoint});
  return result;
}

CodepointSet case_folded(const CodepointSet& set) {
  const auto steps = fold_steps();
  std::vector<CodepointRange> all = set;
  for (const CodepointRange& range : set) {
    auto step =
        std::lower_bound(steps.begin(), steps.end(), range.lo,
                         [](const FoldStep& s, char32_t key) { return s.code_point < key; });
    for (; step != steps.end() && step->code_point <= range.hi; ++step)
      for (char32_t c = step->next; c != step->code_point; c = next_in_fold_orbit(c))
        all.push_back({c, c});
  }
  return normalized(std::move(all));
}

bool contains(std::span<const CodepointRange> set, char32_t c) {
  const auto it =
      std::lower_bound(set.begin(), set.end(), c,
                       [](const CodepointRange& range, char32_t key) { return range.hi < key; });
  return it != set.end() && it->lo <= c;
}

}  // namespace agentsweep::engine::regex
