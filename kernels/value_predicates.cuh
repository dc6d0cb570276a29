/** @file
 * Sigma value predicates (rules::ValuePredicate) in a form every backend can copy and
 * evaluate per event, on the raw JSON spans json_scan.cuh locates. The host reference is
 * rules::evaluate (host/rules/value_evaluator.hpp) on nlohmann::json; the two must agree
 * on every event nlohmann accepts.
 */
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernels/ip_address.cuh"
#include "kernels/json_number.cuh"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"
#include "kernels/json_string_relations.cuh"
#include "kernels/portability.cuh"
#include "kernels/time_parts.cuh"

namespace agentsweep::kernels {

/// Mirrors rules::ValueTest.
enum class ValueTestKind : std::uint8_t {
  kExists,
  kNull,
  kEmptyString,
  kScalar,
  kNumber,
  kBoolean,
  kTimePart,
  kCidr,
  kFieldRef,
};

/// Mirrors rules::Comparison.
enum class ComparisonKind : std::uint8_t { kEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };

/// Mirrors rules::FieldRefMatch.
enum class FieldRefMatchKind : std::uint8_t { kEquals, kContains, kStartsWith, kEndsWith };

/// One value predicate, trivially copyable and free of pointers (host/rules/
/// value_predicate_view.hpp builds it). Enums are stored as their integers.
struct ValuePredicateView {
  std::uint8_t test;         ///< ValueTestKind
  std::uint8_t comparison;   ///< ComparisonKind, for kNumber and kTimePart
  std::uint8_t part;         ///< TimePartKind, for kTimePart
  std::uint8_t how;          ///< FieldRefMatchKind, for kFieldRef
  bool number_is_integer;    ///< the rule's number is `integer` exactly (`real` holds it too)
  bool boolean;              ///< for kBoolean
  bool v6;                   ///< for kCidr: an IPv6 network, else IPv4 in network[0..3]
  std::int32_t field;        ///< index of the tested field's span
  std::int32_t other_field;  ///< for kFieldRef: index of the other field's span
  std::int64_t integer;
  double real;
  std::uint32_t text_offset;  ///< for kNumber: how the rule wrote the number, in the text pool
  std::uint32_t text_length;
  std::uint8_t network[16];  ///< for kCidr
  std::int32_t prefix_length;
};
static_assert(std::is_trivially_copyable<ValuePredicateView>::value &&
                  std::is_standard_layout<ValuePredicateView>::value,
              "backends copy value predicates to the device byte for byte");

namespace detail {

/// -1, 0 or 1 as `value` is below, equal to or above the rule's number. Integers compare
/// exactly; otherwise both as doubles.
AGENTSWEEP_HD inline int compare_with_rule(const JsonNumber& value, const ValuePredicateView& p) {
  if (p.number_is_integer && value.kind == NumberKind::kUnsigned) {
    if (p.integer < 0 || value.unsigned_value > static_cast<std::uint64_t>(INT64_MAX)) return 1;
    const auto n = static_cast<std::uint64_t>(p.integer);
    return value.unsigned_value < n ? -1 : value.unsigned_value > n ? 1 : 0;
  }
  if (p.number_is_integer && value.kind == NumberKind::kSigned)
    return value.signed_value < p.integer ? -1 : value.signed_value > p.integer ? 1 : 0;
  const double v = value.as_double();
  return v < p.real ? -1 : v > p.real ? 1 : 0;
}

AGENTSWEEP_HD inline bool holds(std::uint8_t comparison, int order) {
  switch (static_cast<ComparisonKind>(comparison)) {
    case ComparisonKind::kEqual:
      return order == 0;
    case ComparisonKind::kLess:
      return order < 0;
    case ComparisonKind::kLessOrEqual:
      return order <= 0;
    case ComparisonKind::kGreater:
      return order > 0;
    case ComparisonKind::kGreaterOrEqual:
      return order >= 0;
  }
  return false;
}

/// Numbers by value: as doubles when either is not an integer, else exactly.
AGENTSWEEP_HD inline bool same_number(const JsonNumber& a, const JsonNumber& b) {
  if (a.kind == NumberKind::kReal || b.kind == NumberKind::kReal)
    return a.as_double() == b.as_double();
  if (a.kind == b.kind)
    return a.kind == NumberKind::kUnsigned ? a.unsigned_value == b.unsigned_value
                                           : a.signed_value == b.signed_value;
  const JsonNumber& s = a.kind == NumberKind::kSigned ? a : b;
  const JsonNumber& u = a.kind == NumberKind::kSigned ? b : a;
  return s.signed_value >= 0 && static_cast<std::uint64_t>(s.signed_value) == u.unsigned_value;
}

AGENTSWEEP_HD inline bool same_string(const char* value, const FieldValue& v, const char* other,
                                      const FieldValue& o, std::uint8_t how) {
  switch (static_cast<FieldRefMatchKind>(how)) {
    case FieldRefMatchKind::kEquals:
      return json_strings_equal(value, v.length, v.has_escape, other, o.length, o.has_escape);
    case FieldRefMatchKind::kContains:
      return json_string_contains(value, v.length, other, o.length);
    case FieldRefMatchKind::kStartsWith:
      return json_string_starts_with(value, v.length, other, o.length);
    case FieldRefMatchKind::kEndsWith:
      return json_string_ends_with(value, v.length, other, o.length);
  }
  return false;
}

/// kFieldRef: both present and of one type.
AGENTSWEEP_HD inline bool same_value(const ValuePredicateView& p, const char* bytes,
                                     const FieldValue& value, const FieldValue& other) {
  const char* v = bytes + value.offset;
  const char* o = bytes + other.offset;
  if (value.kind == ValueKind::kString && other.kind == ValueKind::kString)
    return same_string(v, value, o, other, p.how);
  if (static_cast<FieldRefMatchKind>(p.how) != FieldRefMatchKind::kEquals) return false;
  if (value.kind == ValueKind::kNumber && other.kind == ValueKind::kNumber)
    return same_number(read_json_number(v, value.length), read_json_number(o, other.length));
  const bool booleans = (value.kind == ValueKind::kTrue || value.kind == ValueKind::kFalse) &&
                        (other.kind == ValueKind::kTrue || other.kind == ValueKind::kFalse);
  return booleans && value.kind == other.kind;
}

/// kTimePart on a string value.
AGENTSWEEP_HD inline bool time_part_holds(const ValuePredicateView& p, const char* raw,
                                          std::uint32_t length) {
  // timestamp_part reads the first kTimePartPrefix bytes and asks whether more follow.
  char prefix[kTimePartPrefix + 1];
  std::uint32_t decoded = 0;
  JsonStringDecoder decoder(raw, length);
  for (unsigned char byte = 0; decoded <= kTimePartPrefix && decoder.next(byte); ++decoded)
    prefix[decoded] = static_cast<char>(byte);
  int part = 0;
  if (!timestamp_part(prefix, decoded, static_cast<TimePartKind>(p.part), part)) return false;
  JsonNumber number;  // the part compares as a JSON integer would
  number.kind = NumberKind::kSigned;
  number.signed_value = part;
  return holds(p.comparison, compare_with_rule(number, p));
}

/// kCidr on a string value.
AGENTSWEEP_HD inline bool address_holds(const ValuePredicateView& p, const char* raw,
                                        std::uint32_t length) {
  char text[kMaxAddressText];
  std::uint32_t decoded = 0;
  JsonStringDecoder decoder(raw, length);
  for (unsigned char byte = 0; decoder.next(byte); ++decoded) {
    if (decoded == kMaxAddressText) return false;  // too long for an address
    text[decoded] = static_cast<char>(byte);
  }
  return address_in_network(p.network, p.prefix_length, p.v6, text, decoded);
}

}  // namespace detail

/**
 * Whether `p` holds for one event. `fields` are the event's located field values (from
 * scan_json_line) with offsets relative to `bytes`, indexed by p.field and p.other_field;
 * `text` is the predicate text pool.
 */
AGENTSWEEP_HD inline bool evaluate_value(const ValuePredicateView& p, const char* bytes,
                                         const FieldValue* fields, const char* text) {
  const FieldValue& value = fields[p.field];
  const char* raw = bytes + value.offset;
  const bool is_boolean = value.kind == ValueKind::kTrue || value.kind == ValueKind::kFalse;
  switch (static_cast<ValueTestKind>(p.test)) {
    case ValueTestKind::kExists:
      return value.kind != ValueKind::kAbsent;
    case ValueTestKind::kNull:
      return value.kind == ValueKind::kAbsent || value.kind == ValueKind::kNull;
    case ValueTestKind::kEmptyString:
      return value.kind == ValueKind::kString && value.length == 0;
    case ValueTestKind::kScalar:
      return value.kind == ValueKind::kString || value.kind == ValueKind::kNumber || is_boolean;
    case ValueTestKind::kNumber:
      if (value.kind == ValueKind::kNumber)
        return detail::holds(p.comparison,
                             detail::compare_with_rule(read_json_number(raw, value.length), p));
      // A string spelled as the rule wrote the number ("4688", "0x1F") also equals it.
      return static_cast<ComparisonKind>(p.comparison) == ComparisonKind::kEqual &&
             value.kind == ValueKind::kString &&
             json_string_iequals_ascii(raw, value.length, text + p.text_offset, p.text_length);
    case ValueTestKind::kBoolean:
      return is_boolean && (value.kind == ValueKind::kTrue) == p.boolean;
    case ValueTestKind::kTimePart:
      return value.kind == ValueKind::kString && detail::time_part_holds(p, raw, value.length);
    case ValueTestKind::kCidr:
      return value.kind == ValueKind::kString && detail::address_holds(p, raw, value.length);
    case ValueTestKind::kFieldRef: {
      const FieldValue& other = fields[p.other_field];
      return value.kind != ValueKind::kAbsent && other.kind != ValueKind::kAbsent &&
             detail::same_value(p, bytes, value, other);
    }
  }
  return false;
}

}  // namespace agentsweep::kernels
