/** @file
 * A correlation condition on a number (the sum, average or percentile of a
 * field's values in a window): Sigma's bounds, every one of which must hold.
 */
#pragma once

#include <charconv>
#include <string>
#include <vector>

namespace agentsweep::engine {

/// The shortest text that reads back as `number`: 400000.5, 1e+21, 0.1.
inline std::string number_text(double number) {
  char text[32];
  const auto written = std::to_chars(text, text + sizeof text, number);
  return {text, written.ptr};
}

struct ValueBound {
  std::string comparison;  ///< gt, gte, lt, lte, eq or neq
  double value = 0;

  friend bool operator==(const ValueBound&, const ValueBound&) = default;
};

struct ValueCondition {
  std::vector<ValueBound> bounds;

  bool holds(double number) const {
    for (const ValueBound& b : bounds) {
      const bool held = b.comparison == "gt"    ? number > b.value
                        : b.comparison == "gte" ? number >= b.value
                        : b.comparison == "lt"  ? number < b.value
                        : b.comparison == "lte" ? number <= b.value
                        : b.comparison == "eq"  ? number == b.value
                                                : number != b.value;
      if (!held) return false;
    }
    return true;
  }

  /// "> 100 and <= 250.5": as a report shows the condition.
  std::string text() const {
    std::string out;
    for (const ValueBound& b : bounds) {
      if (&b != &bounds.front()) out += " and ";
      out += b.comparison == "gt"    ? "> "
             : b.comparison == "gte" ? ">= "
             : b.comparison == "lt"  ? "< "
             : b.comparison == "lte" ? "<= "
             : b.comparison == "eq"  ? "== "
                                     : "!= ";
      out += number_text(b.value);
    }
    return out;
  }

  friend bool operator==(const ValueCondition&, const ValueCondition&) = default;
};

}  // namespace agentsweep::engine
