/** @file
 * Value predicates on nlohmann::json events.
 */
#include "host/rules/value_evaluator.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "host/rules/event_fields.hpp"
#include "host/rules/ip_network.hpp"
#include "host/rules/timestamp.hpp"

namespace agentsweep::rules {
namespace {

using json = nlohmann::json;

/// -1, 0 or 1 as the JSON number `value` is below, equal to or above `number`.
int compare_number(const json& value, const Number& number) {
  if (number.is_integer && value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      const auto v = value.get<std::uint64_t>();
      if (number.integer < 0 ||
          v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return 1;
      const auto n = static_cast<std::uint64_t>(number.integer);
      return v < n ? -1 : v > n ? 1 : 0;
    }
    const auto v = value.get<std::int64_t>();
    return v < number.integer ? -1 : v > number.integer ? 1 : 0;
  }
  const double v = value.get<double>();
  return v < number.real ? -1 : v > number.real ? 1 : 0;
}

bool holds(Comparison comparison, int order) {
  switch (comparison) {
    case Comparison::kEqual:
      return order == 0;
    case Comparison::kLess:
      return order < 0;
    case Comparison::kLessOrEqual:
      return order <= 0;
    case Comparison::kGreater:
      return order > 0;
    case Comparison::kGreaterOrEqual:
      return order >= 0;
  }
  return false;
}

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool string_relation(const std::string& value, const std::string& other, FieldRefMatch how) {
  switch (how) {
    case FieldRefMatch::kEquals:
      return value == other;
    case FieldRefMatch::kContains:
      return value.find(other) != std::string::npos;
    case FieldRefMatch::kStartsWith:
      return value.starts_with(other);
    case FieldRefMatch::kEndsWith:
      return value.ends_with(other);
  }
  return false;
}

/// Two JSON integers by value. (nlohmann's == casts unsigned to signed, so 2^64-1 would
/// equal -1.)
bool same_integer(const json& value, const json& other) {
  if (value.is_number_unsigned() && other.is_number_unsigned())
    return value.get<std::uint64_t>() == other.get<std::uint64_t>();
  if (!value.is_number_unsigned() && !other.is_number_unsigned())
    return value.get<std::int64_t>() == other.get<std::int64_t>();
  const json& signed_one = value.is_number_unsigned() ? other : value;
  const json& unsigned_one = value.is_number_unsigned() ? value : other;
  return signed_one.get<std::int64_t>() >= 0 &&
         static_cast<std::uint64_t>(signed_one.get<std::int64_t>()) ==
             unsigned_one.get<std::uint64_t>();
}

bool same_value(const json& value, const json& other, FieldRefMatch how) {
  if (value.is_string() && other.is_string())
    return string_relation(value.get<std::string>(), other.get<std::string>(), how);
  if (how != FieldRefMatch::kEquals) return false;
  if (value.is_number() && other.is_number()) {
    if (value.is_number_float() || other.is_number_float())
      return value.get<double>() == other.get<double>();
    return same_integer(value, other);
  }
  return value.is_boolean() && other.is_boolean() && value == other;
}

}  // namespace

bool evaluate(const ValuePredicate& p, const json& event, const std::vector<std::string>& fields) {
  const json* value = find_field(event, fields[p.field]);
  switch (p.test) {
    case ValueTest::kExists:
      return value != nullptr;
    case ValueTest::kNull:
      return value == nullptr || value->is_null();
    case ValueTest::kEmptyString:
      return value != nullptr && value->is_string() && value->get_ref<const std::string&>().empty();
    case ValueTest::kScalar:
      return value != nullptr && (value->is_string() || value->is_number() || value->is_boolean());
    case ValueTest::kNumber:
      if (value == nullptr) return false;
      if (value->is_number()) return holds(p.comparison, compare_number(*value, p.number));
      return p.comparison == Comparison::kEqual && value->is_string() &&
             iequals(value->get<std::string>(), p.text);
    case ValueTest::kBoolean:
      return value != nullptr && value->is_boolean() && value->get<bool>() == p.boolean;
    case ValueTest::kTimePart: {
      if (value == nullptr || !value->is_string()) return false;
      const auto part = timestamp_part(value->get<std::string>(), p.part);
      return part && holds(p.comparison, compare_number(json(*part), p.number));
    }
    case ValueTest::kCidr:
      return value != nullptr && value->is_string() &&
             network_contains(p.network, value->get<std::string>());
    case ValueTest::kFieldRef: {
      const json* other = find_field(event, fields[p.other_field]);
      return value != nullptr && other != nullptr && same_value(*value, *other, p.how);
    }
  }
  return false;
}

}  // namespace agentsweep::rules
