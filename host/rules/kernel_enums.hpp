/** @file
 * The rule enums as kernels/ spells them. Kernel headers compile without the host's rule
 * types, so they mirror each enum; the static_asserts keep the two in step, which makes
 * each conversion a plain cast.
 */
#pragma once

#include "host/rules/predicates.hpp"
#include "kernels/time_parts.cuh"
#include "kernels/value_predicates.cuh"

namespace agentsweep::rules {
namespace detail {

template <class Host, class Kernel>
constexpr bool mirrors(Host host, Kernel kernel) {
  return static_cast<int>(host) == static_cast<int>(kernel);
}

}  // namespace detail

constexpr kernels::ValueTestKind to_kernel(ValueTest test) {
  using K = kernels::ValueTestKind;
  static_assert(detail::mirrors(ValueTest::kExists, K::kExists) &&
                detail::mirrors(ValueTest::kNull, K::kNull) &&
                detail::mirrors(ValueTest::kEmptyString, K::kEmptyString) &&
                detail::mirrors(ValueTest::kScalar, K::kScalar) &&
                detail::mirrors(ValueTest::kNumber, K::kNumber) &&
                detail::mirrors(ValueTest::kBoolean, K::kBoolean) &&
                detail::mirrors(ValueTest::kTimePart, K::kTimePart) &&
                detail::mirrors(ValueTest::kCidr, K::kCidr) &&
                detail::mirrors(ValueTest::kFieldRef, K::kFieldRef));
  return static_cast<K>(test);
}

constexpr kernels::ComparisonKind to_kernel(Comparison comparison) {
  using K = kernels::ComparisonKind;
  static_assert(detail::mirrors(Comparison::kEqual, K::kEqual) &&
                detail::mirrors(Comparison::kLess, K::kLess) &&
                detail::mirrors(Comparison::kLessOrEqual, K::kLessOrEqual) &&
                detail::mirrors(Comparison::kGreater, K::kGreater) &&
                detail::mirrors(Comparison::kGreaterOrEqual, K::kGreaterOrEqual));
  return static_cast<K>(comparison);
}

constexpr kernels::TimePartKind to_kernel(TimePart part) {
  using K = kernels::TimePartKind;
  static_assert(
      detail::mirrors(TimePart::kMinute, K::kMinute) &&
      detail::mirrors(TimePart::kHour, K::kHour) && detail::mirrors(TimePart::kDay, K::kDay) &&
      detail::mirrors(TimePart::kWeek, K::kWeek) && detail::mirrors(TimePart::kMonth, K::kMonth) &&
      detail::mirrors(TimePart::kYear, K::kYear));
  return static_cast<K>(part);
}

constexpr kernels::FieldRefMatchKind to_kernel(FieldRefMatch how) {
  using K = kernels::FieldRefMatchKind;
  static_assert(detail::mirrors(FieldRefMatch::kEquals, K::kEquals) &&
                detail::mirrors(FieldRefMatch::kContains, K::kContains) &&
                detail::mirrors(FieldRefMatch::kStartsWith, K::kStartsWith) &&
                detail::mirrors(FieldRefMatch::kEndsWith, K::kEndsWith));
  return static_cast<K>(how);
}

}  // namespace agentsweep::rules
