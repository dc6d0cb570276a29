/** @file
 * Messages for malformed lines.
 */
#include "host/engine/batch_result.hpp"

namespace agentsweep::engine {

const char* describe(kernels::JsonError error) {
  using kernels::JsonError;
  switch (error) {
    case JsonError::kNone:
      return "no error";
    case JsonError::kNotObject:
      return "not a JSON object";
    case JsonError::kUnexpectedEnd:
      return "line ends inside a JSON value";
    case JsonError::kUnexpectedByte:
      return "unexpected character in JSON";
    case JsonError::kBadEscape:
      return "invalid escape in a JSON string";
    case JsonError::kControlCharacter:
      return "unescaped control character in a JSON string";
    case JsonError::kBadNumber:
      return "invalid JSON number";
    case JsonError::kBadLiteral:
      return "invalid JSON literal (true, false or null expected)";
    case JsonError::kTooDeep:
      return "JSON nested deeper than 128 levels";
    case JsonError::kTrailingData:
      return "data after the end of the JSON object";
  }
  return "unknown JSON error";
}

}  // namespace agentsweep::engine
