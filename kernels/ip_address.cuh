/** @file
 * IPv4 and IPv6 addresses in text (RFC 4291 forms: "::" compression, an embedded dotted
 * IPv4 address at the end) and the prefix test of the `cidr` modifier. Shared by the host
 * rules and every backend.
 */
#pragma once

#include <cstdint>

#include "kernels/json_string.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {

/// The longest address text either parser accepts:
/// "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".
inline constexpr std::uint32_t kMaxAddressText = 45;

/// Dotted-quad IPv4. Octets have no leading zeros: "010" is octal to some parsers and
/// decimal to others.
AGENTSWEEP_HD inline bool parse_ipv4(const char* text, std::uint32_t length, std::uint8_t out[4]) {
  std::uint32_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0 && (pos >= length || text[pos++] != '.')) return false;
    const std::uint32_t start = pos;
    int value = 0;
    for (; pos < length && text[pos] >= '0' && text[pos] <= '9' && pos - start < 4; ++pos)
      value = value * 10 + (text[pos] - '0');
    const std::uint32_t digits = pos - start;
    if (digits == 0 || digits > 3 || (digits > 1 && text[start] == '0') || value > 255)
      return false;
    out[octet] = static_cast<std::uint8_t>(value);
  }
  return pos == length;
}

/// IPv6 text into 16 bytes, most significant first.
AGENTSWEEP_HD inline bool parse_ipv6(const char* text, std::uint32_t length, std::uint8_t out[16]) {
  std::uint16_t groups[8] = {};
  int count = 0;
  int gap = -1;  // where "::" stands: the index of the group after it
  std::uint32_t pos = 0;
  if (length >= 2 && text[0] == ':' && text[1] == ':') {
    gap = 0;
    pos = 2;
  }
  while (pos < length) {
    std::uint32_t end = pos;
    bool dotted = false;
    for (; end < length && text[end] != ':'; ++end) dotted = dotted || text[end] == '.';
    if (end == length && dotted) {  // an embedded IPv4 address: the last two groups
      std::uint8_t v4[4];
      if (count > 6 || !parse_ipv4(text + pos, end - pos, v4)) return false;
      groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
      break;
    }
    if (end == pos || end - pos > 4 || count == 8) return false;
    int value = 0;
    for (std::uint32_t i = pos; i < end; ++i) {
      const int digit = hex_digit_value(static_cast<unsigned char>(text[i]));
      if (digit < 0) return false;
      value = value << 4 | digit;
    }
    groups[count++] = static_cast<std::uint16_t>(value);
    if (end == length) break;
    if (end + 1 < length && text[end + 1] == ':') {
      if (gap >= 0) return false;
      gap = count;
      pos = end + 2;
    } else {
      pos = end + 1;
      if (pos == length) return false;  // a trailing single ':'
    }
  }
  if (gap >= 0 ? count > 7 : count != 8) return false;
  const int head = gap >= 0 ? gap : count;
  const int tail = count - head;  // the groups after "::" go to the end, zeros between
  for (int i = 0; i < 8; ++i) {
    const int from = i < head ? i : i >= 8 - tail ? head + i - (8 - tail) : -1;
    const std::uint16_t group = from < 0 ? std::uint16_t{0} : groups[from];
    out[2 * i] = static_cast<std::uint8_t>(group >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(group & 0xFF);
  }
  return true;
}

/// Whether `text` is an address of the network's family (v6, else IPv4 in the first 4
/// bytes of `network`) whose first `prefix_length` bits equal the network's.
AGENTSWEEP_HD inline bool address_in_network(const std::uint8_t network[16], int prefix_length,
                                             bool v6, const char* text, std::uint32_t length) {
  std::uint8_t address[16] = {};
  if (!(v6 ? parse_ipv6(text, length, address) : parse_ipv4(text, length, address))) return false;
  for (int bit = 0; bit < prefix_length; ++bit) {
    const int shift = 7 - bit % 8;
    if (((network[bit / 8] >> shift) & 1) != ((address[bit / 8] >> shift) & 1)) return false;
  }
  return true;
}

}  // namespace agentsweep::kernels
