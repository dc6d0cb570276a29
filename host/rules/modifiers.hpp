/** @file
 * Sigma value modifiers (`Field|contains|all: [...]`), applied in the order written, as
 * pySigma applies them: each turns the item's values into new values (strings with
 * wildcards, regexes, comparisons, networks, field references...) or changes how the
 * values combine (`all`) or negates the item (`neq`). What the values then compile to is
 * the detection compiler's job.
 */
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "host/rules/predicates.hpp"
#include "host/rules/sigma_scalar.hpp"
#include "host/rules/sigma_string.hpp"

namespace agentsweep::rules {

/// A string value: one or more spellings (windash, base64offset and placeholders make
/// several), any of which may match.
struct StringValue {
  std::vector<SigmaString> alternatives;
  bool cased = false;        ///< `cased`: case-sensitive
  std::string original;      ///< the value as written, for `re`, `cidr` and `fieldref`
  bool transformed = false;  ///< a modifier changed it since it was read
};

struct RegexValue {
  std::string regex;
  bool ignore_case = false;
  bool multiline = false;
  bool dot_all = false;
  bool anchor_start = false;  ///< `startswith`
  bool anchor_end = false;    ///< `endswith`
};

struct NumberValue {
  Number number;
  std::string written;
};

struct BoolValue {
  bool value = false;
};

struct NullValue {};

/// gt/gte/lt/lte on a number, or a time part (with or without one of those).
struct CompareValue {
  Comparison comparison = Comparison::kEqual;
  Number number;
  std::optional<TimePart> part;
};

struct CidrValue {
  IpNetwork network;
};

struct FieldRefValue {
  std::string field;
  FieldRefMatch how = FieldRefMatch::kEquals;
};

struct ExistsValue {
  bool exists = true;
};

using SigmaValue = std::variant<StringValue, RegexValue, NumberValue, BoolValue, NullValue,
                                CompareValue, CidrValue, FieldRefValue, ExistsValue>;

/// A detection item after its modifiers: `field|mod|mod: values`.
struct ModifiedItem {
  std::optional<std::string> field;  ///< nothing for keywords (the whole event)
  std::vector<SigmaValue> values;
  bool match_all = false;  ///< `all`: every value must match, not any
  bool negated = false;    ///< `neq`: the item must not match
};

/// A modifier that cannot apply, with the reason for the user.
class ModifierError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Applies `modifiers` (the names after the field, in order) to `values`. Throws
/// ModifierError naming the modifier and what is wrong.
ModifiedItem apply_modifiers(std::optional<std::string> field,
                             const std::vector<std::string>& modifiers,
                             const std::vector<Scalar>& values);

}  // namespace agentsweep::rules
