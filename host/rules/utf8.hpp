/** @file
 * UTF-8 to code points and back, for the value encodings (UTF-16, windash) and the JSON
 * escapes of keyword patterns. Strict: overlong forms, surrogates and values past
 * U+10FFFF are not UTF-8.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentsweep::rules {

std::optional<std::u32string> decode_utf8(std::string_view text);
void append_utf8(char32_t code_point, std::string& out);

}  // namespace agentsweep::rules
