/** @file
 * Correlation rules (`correlation:`) and global filters (`filter:`), read and checked
 * against the Sigma correlation and filter specifications (with pySigma's extra
 * correlation types value_sum, value_avg, value_percentile and value_median).
 */
#pragma once

#include <yaml-cpp/yaml.h>

#include "host/rules/correlation.hpp"
#include "host/rules/rule_set.hpp"

namespace agentsweep::rules {

/// Throws RuleError (kRejected) naming the bad part and its line.
CorrelationRule parse_correlation(const YAML::Node& document, RuleInfo info);

/// Throws RuleError (kRejected) naming the bad part and its line.
GlobalFilter parse_filter(const YAML::Node& document, RuleInfo info, const LoadOptions& options);

}  // namespace agentsweep::rules
