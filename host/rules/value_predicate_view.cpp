/** @file
 * ValuePredicate to kernels::ValuePredicateView.
 */
#include "host/rules/value_predicate_view.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "host/rules/kernel_enums.hpp"

namespace agentsweep::rules {
namespace {

std::int32_t span_of(int field, const std::vector<int>& field_index) {
  if (field < 0 || static_cast<std::size_t>(field) >= field_index.size() || field_index[field] < 0)
    throw std::invalid_argument("value predicate on rule field " + std::to_string(field) +
                                ", which has no located span");
  return field_index[field];
}

}  // namespace

kernels::ValuePredicateView make_view(const ValuePredicate& p, const std::vector<int>& field_index,
                                      std::string& text_pool) {
  kernels::ValuePredicateView view{};
  view.test = static_cast<std::uint8_t>(to_kernel(p.test));
  view.comparison = static_cast<std::uint8_t>(to_kernel(p.comparison));
  view.part = static_cast<std::uint8_t>(to_kernel(p.part));
  view.how = static_cast<std::uint8_t>(to_kernel(p.how));
  view.field = span_of(p.field, field_index);
  view.other_field = p.test == ValueTest::kFieldRef ? span_of(p.other_field, field_index) : -1;
  view.number_is_integer = p.number.is_integer;
  view.integer = p.number.integer;
  view.real = p.number.real;
  view.boolean = p.boolean;
  if (p.test == ValueTest::kNumber) {
    if (text_pool.size() + p.text.size() > std::numeric_limits<std::uint32_t>::max())
      throw std::length_error("value predicate texts exceed 4 GiB");
    view.text_offset = static_cast<std::uint32_t>(text_pool.size());
    view.text_length = static_cast<std::uint32_t>(p.text.size());
    text_pool += p.text;
  }
  view.v6 = p.network.v6;
  std::copy(p.network.bytes.begin(), p.network.bytes.end(), view.network);
  view.prefix_length = p.network.prefix_length;
  return view;
}

}  // namespace agentsweep::rules
