/** @file
 * The two kinds of predicate a Sigma detection item compiles to. Pattern predicates are
 * engine::PatternSpec (a regex or fixed string over one field's decoded value or the raw
 * line), which the pattern engine runs as DFAs. Value predicates need the field's JSON
 * value itself (its type, a number, an address, another field): a small tagged struct a
 * backend can evaluate per event, with the host reference in value_evaluator.hpp.
 */
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::rules {

/// A number written in a rule. Integers stay exact; other numbers are doubles.
struct Number {
  bool is_integer = true;
  std::int64_t integer = 0;
  double real = 0.0;

  static Number of_integer(std::int64_t value) { return {true, value, static_cast<double>(value)}; }
  static Number of_real(double value) { return {false, 0, value}; }
  bool operator==(const Number&) const = default;
};

enum class Comparison : std::uint8_t { kEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };

/// An IPv4 or IPv6 network: the address bytes (IPv4 in the first 4) and a prefix length.
struct IpNetwork {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  int prefix_length = 0;
  bool operator==(const IpNetwork&) const = default;
};

/// Parts of an ISO-8601 timestamp the time modifiers compare.
enum class TimePart : std::uint8_t { kMinute, kHour, kDay, kWeek, kMonth, kYear };

/// How a field reference compares the two values.
enum class FieldRefMatch : std::uint8_t { kEquals, kContains, kStartsWith, kEndsWith };

enum class ValueTest : std::uint8_t {
  kExists,       ///< the field is present, whatever its value (null included)
  kNull,         ///< the field is absent or null (Sigma's `null`)
  kEmptyString,  ///< a string with no characters (Sigma's '')
  kScalar,       ///< any string, number or boolean (what a lone `*` matches)
  kNumber,       ///< a JSON number `comparison` `number`; kEqual also takes a string spelled `text`
  kBoolean,      ///< the JSON boolean `boolean`
  kTimePart,     ///< `part` of an ISO-8601 timestamp string `comparison` `number`
  kCidr,         ///< a string holding an IP address inside `network`
  kFieldRef,     ///< the same JSON value as field `other_field` (strings as `how` says)
};

/// A test on one field's JSON value. `field` and `other_field` index CompiledRule::fields.
struct ValuePredicate {
  ValueTest test = ValueTest::kExists;
  int field = 0;
  Comparison comparison = Comparison::kEqual;
  Number number;
  std::string text;
  bool boolean = false;
  TimePart part = TimePart::kMinute;
  IpNetwork network;
  int other_field = -1;
  FieldRefMatch how = FieldRefMatch::kEquals;

  bool operator==(const ValuePredicate&) const = default;
};

}  // namespace agentsweep::rules
