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

#include "host/engine/patterns/utf8_sequences.hpp"

namespace agentsweep::rules {

std::optional<std::u32string> decode_utf8(std::string_view text);
using engine::append_utf8;

}  // namespace agentsweep::rules
