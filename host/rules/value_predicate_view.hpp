/** @file
 * A rule's value predicates in the form backends evaluate (kernels/value_predicates.cuh).
 */
#pragma once

#include <string>
#include <vector>

#include "host/rules/predicates.hpp"
#include "kernels/value_predicates.cuh"

namespace agentsweep::rules {

/// `p` as a kernel view. `field_index` maps each rule field (ValuePredicate::field and
/// other_field) to the index of its span in the backend's located fields; a kNumber's text
/// is appended to `text_pool`. Throws std::invalid_argument when a field has no span, and
/// std::length_error when the pool outgrows 32-bit offsets.
kernels::ValuePredicateView make_view(const ValuePredicate& p, const std::vector<int>& field_index,
                                      std::string& text_pool);

}  // namespace agentsweep::rules
