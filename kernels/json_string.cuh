/** @file
 * Decoding of raw JSON string contents (the bytes between the quotes) on the
 * fly: escapes such as \" \/ \n and \uXXXX (with surrogate pairs) become the
 * bytes they stand for, UTF-8 encoded. Used to hash, compare and print field
 * values and to compare object keys, without copying.
 */
#pragma once

#include <cstdint>
#include <string>

#include "kernels/portability.cuh"

namespace agentsweep::kernels {

AGENTSWEEP_HD inline int hex_digit_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Yields the decoded bytes of a raw JSON string one at a time. The input must
/// already be validated (see json_scan.cuh); a lone surrogate decodes to U+FFFD.
class JsonStringDecoder {
 public:
  AGENTSWEEP_HD JsonStringDecoder(const char* raw, std::uint32_t length)
      : raw_(raw), length_(length) {}

  /// Stores the next decoded byte in `out`; false at the end of the string.
  AGENTSWEEP_HD bool next(unsigned char& out) {
    if (pending_index_ < pending_count_) {
      out = pending_[pending_index_++];
      return true;
    }
    if (pos_ >= length_) return false;
    const unsigned char c = static_cast<unsigned char>(raw_[pos_++]);
    if (c != '\\' || pos_ >= length_) {
      out = c;
      return true;
    }
    const unsigned char e = static_cast<unsigned char>(raw_[pos_++]);
    switch (e) {
      case 'b':
        out = '\b';
        return true;
      case 'f':
        out = '\f';
        return true;
      case 'n':
        out = '\n';
        return true;
      case 'r':
        out = '\r';
        return true;
      case 't':
        out = '\t';
        return true;
      case 'u':
        break;
      default:
        out = e;
        return true;  // \" \\ \/
    }
    std::uint32_t code = read_hex4();
    if (code >= 0xD800 && code <= 0xDBFF) {
      const std::uint32_t mark = pos_;
      std::uint32_t low = 0;
      if (pos_ + 6 <= length_ && raw_[pos_] == '\\' && raw_[pos_ + 1] == 'u') {
        pos_ += 2;
        low = read_hex4();
      }
      if (low >= 0xDC00 && low <= 0xDFFF) {
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
      } else {
        pos_ = mark;
        code = 0xFFFD;
      }
    } else if (code >= 0xDC00 && code <= 0xDFFF) {
      code = 0xFFFD;
    }
    encode_utf8(code);
    out = pending_[pending_index_++];
    return true;
  }

 private:
  AGENTSWEEP_HD std::uint32_t read_hex4() {
    std::uint32_t code = 0;
    for (int i = 0; i < 4 && pos_ < length_; ++i) {
      const int digit = hex_digit_value(static_cast<unsigned char>(raw_[pos_++]));
      code = (code << 4) | static_cast<std::uint32_t>(digit < 0 ? 0 : digit);
    }
    return code;
  }

  AGENTSWEEP_HD void encode_utf8(std::uint32_t code) {
    if (code < 0x80) {
      pending_[0] = static_cast<unsigned char>(code);
      pending_count_ = 1;
    } else if (code < 0x800) {
      pending_[0] = static_cast<unsigned char>(0xC0 | (code >> 6));
      pending_[1] = static_cast<unsigned char>(0x80 | (code & 0x3F));
      pending_count_ = 2;
    } else if (code < 0x10000) {
      pending_[0] = static_cast<unsigned char>(0xE0 | (code >> 12));
      pending_[1] = static_cast<unsigned char>(0x80 | ((code >> 6) & 0x3F));
      pending_[2] = static_cast<unsigned char>(0x80 | (code & 0x3F));
      pending_count_ = 3;
    } else {
      pending_[0] = static_cast<unsigned char>(0xF0 | (code >> 18));
      pending_[1] = static_cast<unsigned char>(0x80 | ((code >> 12) & 0x3F));
      pending_[2] = static_cast<unsigned char>(0x80 | ((code >> 6) & 0x3F));
      pending_[3] = static_cast<unsigned char>(0x80 | (code & 0x3F));
      pending_count_ = 4;
    }
    pending_index_ = 0;
  }

  const char* raw_;
  std::uint32_t length_;
  std::uint32_t pos_ = 0;
  unsigned char pending_[4] = {};
  std::uint8_t pending_count_ = 0;
  std::uint8_t pending_index_ = 0;
};

/// True when the decoded raw JSON string equals the plain bytes `text`.
AGENTSWEEP_HD inline bool json_string_equals(const char* raw, std::uint32_t raw_length,
                                             bool has_escape, const char* text,
                                             std::uint32_t text_length) {
  if (!has_escape) {
    if (raw_length != text_length) return false;
    for (std::uint32_t i = 0; i < raw_length; ++i)
      if (raw[i] != text[i]) return false;
    return true;
  }
  JsonStringDecoder decoder(raw, raw_length);
  unsigned char byte = 0;
  std::uint32_t i = 0;
  while (decoder.next(byte)) {
    if (i >= text_length || static_cast<unsigned char>(text[i]) != byte) return false;
    ++i;
  }
  return i == text_length;
}

}  // namespace agentsweep::kernels

namespace agentsweep::kernels {

/// True when two raw JSON strings decode to the same bytes.
AGENTSWEEP_HD inline bool json_strings_equal(const char* a, std::uint32_t a_length, bool a_escaped,
                                             const char* b, std::uint32_t b_length,
                                             bool b_escaped) {
  if (!a_escaped && !b_escaped) return json_string_equals(a, a_length, false, b, b_length);
  JsonStringDecoder left(a, a_length);
  JsonStringDecoder right(b, b_length);
  unsigned char x = 0;
  unsigned char y = 0;
  for (;;) {
    const bool more_left = left.next(x);
    const bool more_right = right.next(y);
    if (more_left != more_right) return false;
    if (!more_left) return true;
    if (x != y) return false;
  }
}

/// Host only: the decoded bytes of a raw JSON string, for printing ids.
inline std::string decode_json_string(const char* raw, std::uint32_t length) {
  std::string text;
  JsonStringDecoder decoder(raw, length);
  unsigned char byte = 0;
  while (decoder.next(byte)) text.push_back(static_cast<char>(byte));
  return text;
}

}  // namespace agentsweep::kernels
