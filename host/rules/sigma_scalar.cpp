/** @file
 * YAML 1.1 scalar resolution: the forms PyYAML's resolver recognises, except base-60
 * numbers (1:30) and .inf/.nan, which stay strings (pySigma rejects infinite numbers).
 */
#include "host/rules/sigma_scalar.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <regex>

namespace agentsweep::rules {
namespace {

bool one_of(const std::string& text, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (text == w) return true;
  return false;
}

std::string without_underscores(std::string text) {
  std::erase(text, '_');
  return text;
}

/// An integer in `digits` (sign handled by the caller) in `base`, if it fits.
bool parse_integer(const std::string& digits, int base, bool negative, std::int64_t& out) {
  if (digits.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long magnitude = std::strtoull(digits.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return false;
  if (magnitude > static_cast<unsigned long long>(INT64_MAX)) return false;
  out = negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

}  // namespace

Scalar resolve_scalar(std::string text, bool plain) {
  Scalar s;
  s.text = std::move(text);
  if (!plain) return s;
  const std::string& t = s.text;
  if (one_of(t, {"", "~", "null", "Null", "NULL"})) {
    s.type = Scalar::Type::kNull;
    return s;
  }
  if (one_of(t, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) {
    s.type = Scalar::Type::kBoolean;
    s.boolean = true;
    return s;
  }
  if (one_of(t, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) {
    s.type = Scalar::Type::kBoolean;
    return s;
  }
  static const std::regex kInteger(
      "[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)");
  static const std::regex kFloat(
      "[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?");
  if (std::regex_match(t, kInteger)) {
    const bool negative = t[0] == '-';
    std::string digits = without_underscores(t.substr(t[0] == '-' || t[0] == '+' ? 1 : 0));
    int base = 10;
    if (digits.rfind("0b", 0) == 0) {
      base = 2;
      digits = digits.substr(2);
    } else if (digits.rfind("0x", 0) == 0) {
      base = 16;
      digits = digits.substr(2);
    } else if (digits.size() > 1 && digits[0] == '0') {
      base = 8;
    }
    std::int64_t value = 0;
    if (parse_integer(digits, base, negative, value)) {
      s.type = Scalar::Type::kNumber;
      s.number = Number::of_integer(value);
    }
    return s;  // integers too large for 64 bits stay text
  }
  if (std::regex_match(t, kFloat)) {
    s.type = Scalar::Type::kNumber;
    s.number = Number::of_real(std::strtod(without_underscores(t).c_str(), nullptr));
  }
  return s;
}

}  // namespace agentsweep::rules
