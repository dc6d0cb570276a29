/** @file
 * The named character classes of RE2 syntax: Perl classes (\d \s \w), POSIX
 * classes ([:alpha:]) and Unicode classes (\p{Greek}). Perl and POSIX classes
 * are ASCII-only, as in RE2. Negation and case folding are the parser's job.
 */
#pragma once

#include <optional>
#include <string_view>

#include "host/engine/patterns/regex/regex_ast.hpp"

namespace agentsweep::engine::regex {

/// `letter` is d, s or w; nullopt otherwise.
std::optional<CodepointSet> perl_class(char letter);

/// `name` as written between "[:" and ":]", e.g. "alpha"; nullopt when unknown.
std::optional<CodepointSet> posix_class(std::string_view name);

/// "Any", a general category (L, Lu, ...) or a script (Greek, ...); nullopt when unknown.
std::optional<CodepointSet> unicode_class(std::string_view name);

}  // namespace agentsweep::engine::regex
