/** @file
 * A YAML scalar of a rule with its type. Plain (unquoted) scalars are typed as PyYAML
 * (YAML 1.1) types them, since SigmaHQ writes and tests rules with pySigma: `yes` is a
 * boolean, `0x1F` and `017` are integers, `~` is null. Quoted scalars are strings.
 */
#pragma once

#include <cstdint>
#include <string>

#include "host/rules/predicates.hpp"

namespace agentsweep::rules {

struct Scalar {
  enum class Type : std::uint8_t { kString, kNumber, kBoolean, kNull };
  Type type = Type::kString;
  std::string text;  ///< as written (numbers keep their spelling)
  Number number;
  bool boolean = false;
};

/// Types `text`; `plain` says whether it was written without quotes.
Scalar resolve_scalar(std::string text, bool plain);

}  // namespace agentsweep::rules
