/** @file
 * Parses the linear-time part of RE2 syntax into a RegexNode tree (see
 * docs/patterns.md for the accepted syntax). Anything that needs
 * backtracking (backreferences, lookaround) or that the engine does not
 * support is rejected with the position of the offending construct.
 */
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "host/engine/patterns/regex/regex_ast.hpp"

namespace agentsweep::engine::regex {

struct ParseOptions {
  bool case_insensitive = false;  ///< as if the pattern started with (?i)
  bool literal = false;           ///< the whole pattern is a fixed string (grep -F)
};

/// A pattern the engine cannot take: `position` is the byte offset in the
/// pattern, what() explains what is wrong and what to write instead.
class RegexError : public std::invalid_argument {
 public:
  RegexError(std::size_t position, const std::string& message)
      : std::invalid_argument(message), position_(position) {}
  std::size_t position() const { return position_; }

 private:
  std::size_t position_;
};

/// Repetition counts above this are rejected, as in RE2.
inline constexpr int kMaxRepeat = 1000;

/// Throws RegexError. The pattern must be valid UTF-8.
RegexNode parse_regex(std::string_view pattern, const ParseOptions& options = {});

}  // namespace agentsweep::engine::regex
