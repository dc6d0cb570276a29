/** @file
 * Sigma global filters (`filter:` documents): a filter's detection removes the
 * events it matches from the rules it names. Applied when the rules load, by
 * rewriting each named rule into "its condition and not the filter's", so
 * backends run filtered rules like any other.
 */
#pragma once

#include <string>

#include "host/rules/compiled_rule.hpp"

namespace agentsweep::rules {

/// `rule` keeps only the events `filter` does not match; `filter_id` names the
/// filter in the rule's condition text.
void apply_filter(CompiledRule& rule, const CompiledRule& filter, const std::string& filter_id);

}  // namespace agentsweep::rules
