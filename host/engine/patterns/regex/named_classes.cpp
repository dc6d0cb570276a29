/** @file
 * Class contents copied from RE2's documented syntax (re2/syntax.txt): \s is
 * [\t\n\f\r ] without \v, while [:space:] includes \v.
 */
#include "host/engine/patterns/regex/named_classes.hpp"

#include <array>

#include "host/engine/patterns/regex/codepoint_set.hpp"
#include "host/engine/patterns/regex/unicode_tables.hpp"

namespace agentsweep::engine::regex {

namespace {

struct NamedClass {
  std::string_view name;
  CodepointSet ranges;
};

const std::array<NamedClass, 14>& posix_classes() {
  static const std::array<NamedClass, 14> classes = {{
      {"alnum", {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}}},
      {"alpha", {{'A', 'Z'}, {'a', 'z'}}},
      {"ascii", {{0x00, 0x7F}}},
      {"blank", {{'\t', '\t'}, {' ', ' '}}},
      {"cntrl", {{0x00, 0x1F}, {0x7F, 0x7F}}},
      {"digit", {{'0', '9'}}},
      {"graph", {{'!', '~'}}},
      {"lower", {{'a', 'z'}}},
      {"print", {{' ', '~'}}},
      {"punct", {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}}},
      {"space", {{'\t', '\r'}, {' ', ' '}}},
      {"upper", {{'A', 'Z'}}},
      {"word", {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}},
      {"xdigit", {{'0', '9'}, {'A', 'F'}, {'a', 'f'}}},
  }};
  return classes;
}

}  // namespace

std::optional<CodepointSet> perl_class(char letter) {
  switch (letter) {
    case 'd':
      return CodepointSet{{'0', '9'}};
    case 's':
      return CodepointSet{{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};
    case 'w':
      return CodepointSet{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
    default:
      return std::nullopt;
  }
}

std::optional<CodepointSet> posix_class(std::string_view name) {
  for (const NamedClass& named : posix_classes())
    if (named.name == name) return named.ranges;
  return std::nullopt;
}

std::optional<CodepointSet> unicode_class(std::string_view name) {
  if (name == "Any") return CodepointSet{{0, kMaxCodepoint}};
  auto ranges = find_general_category(name);
  if (!ranges) ranges = find_script(name);
  if (!ranges) return std::nullopt;
  return CodepointSet(ranges->begin(), ranges->end());
}

}  // namespace agentsweep::engine::regex
