/** @file
 * Sigma string and regex values as engine patterns (RE2 syntax, docs/patterns.md).
 *
 * On a field, a string value must match the whole decoded value: `foo` is `^foo$`,
 * wildcards become `.*` and `.` under `(?s)`, and a leading or trailing `*` drops that
 * anchor (a value with `*` at both ends and none inside is a fixed string). Keywords have
 * no field: they search the raw JSON line, so each character also matches the way JSON
 * may escape it (`"` as `\"`, `é` as `\u00e9`, `/` as `\/`). Matching is case-insensitive
 * unless the value is `cased`.
 */
#pragma once

#include <optional>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "host/rules/modifiers.hpp"
#include "host/rules/sigma_string.hpp"

namespace agentsweep::rules {

/// What a string value needs on a field. The engine rejects patterns that match the empty
/// string, so the spellings that do are reported apart, as value tests.
struct FieldStringMatch {
  std::optional<engine::PatternSpec> pattern;  ///< the other spellings, if any
  bool empty_string = false;                   ///< a spelling is '' (only "" matches it)
  bool any_value = false;                      ///< a spelling is `*` (any value matches it)
};

/// Throws std::invalid_argument when a spelling is not UTF-8 text (UTF-16 without base64).
FieldStringMatch field_string_pattern(const StringValue& value);

/// Throws std::invalid_argument for a value that would match every line (empty or `*`).
engine::PatternSpec keyword_pattern(const StringValue& value);

engine::PatternSpec regex_pattern(const RegexValue& value);

}  // namespace agentsweep::rules
