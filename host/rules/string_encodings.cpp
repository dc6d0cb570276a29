/** @file
 * base64, base64offset, UTF-16 and windash.
 */
#include "host/rules/string_encodings.hpp"

#include <stdexcept>

#include "host/engine/patterns/regex/unicode_tables.hpp"
#include "host/rules/utf8.hpp"

namespace agentsweep::rules {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool in_ranges(char32_t c, std::span<const engine::regex::CodepointRange> ranges) {
  for (const auto& r : ranges)
    if (r.lo <= c && c <= r.hi) return true;
  return false;
}

/// Python's `\w` on text: letters, digits (Unicode categories L and N) and `_`.
bool is_word(char32_t c) {
  static const auto letters = *engine::regex::find_general_category("L");
  static const auto numbers = *engine::regex::find_general_category("N");
  return c == '_' || in_ranges(c, letters) || in_ranges(c, numbers);
}

void append_utf16_unit(char16_t unit, Utf16Form form, std::string& out) {
  const auto low = static_cast<char>(unit & 0xFF);
  const auto high = static_cast<char>(unit >> 8);
  if (form == Utf16Form::kBigEndian) {
    out += high;
    out += low;
  } else {
    out += low;
    out += high;
  }
}

}  // namespace

std::string base64(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k)
      group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k)
      out += k <= n ? kBase64Alphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return out;
}

std::array<std::string, 3> base64_offsets(std::string_view bytes) {
  // Shift the value by 0, 1 or 2 filler bytes; the first characters then also encode the
  // filler, and the last ones the bytes that follow, so both ends are cut.
  constexpr std::size_t kStartCut[] = {0, 2, 3};
  constexpr std::size_t kEndCut[] = {0, 3, 2};  // by (filler + length) % 3
  std::array<std::string, 3> out;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    const std::string encoded = base64(std::string(shift, ' ') + std::string(bytes));
    const std::size_t end = encoded.size() - kEndCut[(bytes.size() + shift) % 3];
    const std::size_t start = kStartCut[shift];
    out[shift] = start < end ? encoded.substr(start, end - start) : std::string();
  }
  return out;
}

SigmaString utf16(const SigmaString& value, Utf16Form form) {
  SigmaString out;
  if (form == Utf16Form::kLittleEndianWithBom) out.add_text("\xFF\xFE");
  for (const StringPart& part : value.parts()) {
    if (part.kind != StringPart::Kind::kText) {
      out.add(part.kind, part.text);
      continue;
    }
    const auto code_points = decode_utf8(part.text);
    if (!code_points)
      throw std::invalid_argument("its text is not UTF-8, so it has no UTF-16 form");
    std::string encoded;
    for (const char32_t c : *code_points) {
      if (c < 0x10000) {
        append_utf16_unit(static_cast<char16_t>(c), form, encoded);
      } else {
        append_utf16_unit(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)), form, encoded);
        append_utf16_unit(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)), form, encoded);
      }
    }
    out.add_text(encoded);
  }
  return out;
}

std::vector<SigmaString> windash_variants(const SigmaString& value) {
  static constexpr std::string_view kDashes[] = {"-", "/", "\u2013", "\u2014", "\u2015"};
  constexpr int kMaxDashes = 3;  // 5^3 spellings already
  std::vector<SigmaString> variants(1);
  int dashes = 0;
  for (const StringPart& part : value.parts()) {
    if (part.kind != StringPart::Kind::kText) {
      for (SigmaString& v : variants) v.add(part.kind, part.text);
      continue;
    }
    const auto code_points = decode_utf8(part.text);
    if (!code_points) throw std::invalid_argument("its text is not UTF-8");
    const std::u32string& cps = *code_points;
    for (std::size_t i = 0; i < cps.size(); ++i) {
      const bool flag_dash = (cps[i] == '-' || cps[i] == '/') && (i == 0 || !is_word(cps[i - 1])) &&
                             i + 1 < cps.size() && is_word(cps[i + 1]);
      if (!flag_dash) {
        std::string c;
        append_utf8(cps[i], c);
        for (SigmaString& v : variants) v.add_text(c);
        continue;
      }
      if (++dashes > kMaxDashes)
        throw std::invalid_argument(
            "windash expands at most three dashes in one value; split the value into "
            "several values with one flag each");
      std::vector<SigmaString> next;
      for (const SigmaString& v : variants) {
        for (const std::string_view dash : kDashes) {
          next.push_back(v);
          next.back().add_text(dash);
        }
      }
      variants = std::move(next);
    }
  }
  return variants;
}

}  // namespace agentsweep::rules
