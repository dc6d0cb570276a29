/** @file
 * Parsing IPv4/IPv6 addresses (RFC 4291 text forms, embedded IPv4 included) and prefix
 * tests.
 */
#include "host/rules/ip_network.hpp"

#include <charconv>
#include <vector>

namespace agentsweep::rules {
namespace {

std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text) {
  std::array<std::uint8_t, 4> out{};
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    const std::size_t digits = pos - start;
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (digits == 0 || digits > 3 || (digits > 1 && text[start] == '0')) return std::nullopt;
    int value = 0;
    std::from_chars(text.data() + start, text.data() + pos, value);
    if (value > 255) return std::nullopt;
    out[octet] = static_cast<std::uint8_t>(value);
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text) {
  // Groups before and after "::"; an embedded IPv4 address counts as two groups.
  std::vector<std::uint16_t> head, tail;
  bool compressed = false;
  std::vector<std::uint16_t>* groups = &head;
  std::size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    compressed = true;
    groups = &tail;
    pos = 2;
  }
  while (pos < text.size()) {
    const std::size_t end = text.find(':', pos);
    const std::string_view group =
        text.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (end == std::string_view::npos && group.find('.') != std::string_view::npos) {
      const auto v4 = parse_ipv4(group);
      if (!v4) return std::nullopt;
      groups->push_back(static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]));
      groups->push_back(static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]));
      pos = text.size();
      break;
    }
    if (group.empty() || group.size() > 4) return std::nullopt;
    std::uint16_t value = 0;
    const auto [ptr, ec] = std::from_chars(group.data(), group.data() + group.size(), value, 16);
    if (ec != std::errc() || ptr != group.data() + group.size()) return std::nullopt;
    groups->push_back(value);
    if (end == std::string_view::npos) {
      pos = text.size();
    } else if (text.substr(end, 2) == "::") {
      if (compressed) return std::nullopt;
      compressed = true;
      groups = &tail;
      pos = end + 2;
    } else {
      pos = end + 1;
      if (pos == text.size()) return std::nullopt;  // a trailing single ':'
    }
  }
  const std::size_t count = head.size() + tail.size();
  if (compressed ? count > 7 : count != 8) return std::nullopt;
  std::array<std::uint8_t, 16> out{};
  const auto put = [&](std::size_t index, std::uint16_t value) {
    out[2 * index] = static_cast<std::uint8_t>(value >> 8);
    out[2 * index + 1] = static_cast<std::uint8_t>(value & 0xFF);
  };
  for (std::size_t i = 0; i < head.size(); ++i) put(i, head[i]);
  for (std::size_t i = 0; i < tail.size(); ++i) put(8 - tail.size() + i, tail[i]);
  return out;
}

/// The address in the network's family, or nothing.
std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text, bool v6) {
  if (!v6) {
    const auto v4 = parse_ipv4(text);
    if (!v4) return std::nullopt;
    std::array<std::uint8_t, 16> out{};
    std::copy(v4->begin(), v4->end(), out.begin());
    return out;
  }
  return parse_ipv6(text);
}

}  // namespace

std::optional<IpNetwork> parse_network(std::string_view text) {
  IpNetwork network;
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  network.v6 = address.find(':') != std::string_view::npos;
  const auto bytes = parse_address(address, network.v6);
  if (!bytes) return std::nullopt;
  network.bytes = *bytes;
  const int max_prefix = network.v6 ? 128 : 32;
  network.prefix_length = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view prefix = text.substr(slash + 1);
    const auto [ptr, ec] =
        std::from_chars(prefix.data(), prefix.data() + prefix.size(), network.prefix_length);
    if (prefix.empty() || ec != std::errc() || ptr != prefix.data() + prefix.size() ||
        network.prefix_length < 0 || network.prefix_length > max_prefix)
      return std::nullopt;
  }
  return network;
}

bool network_contains(const IpNetwork& network, std::string_view address) {
  const auto bytes = parse_address(address, network.v6);
  if (!bytes) return false;
  for (int bit = 0; bit < network.prefix_length; ++bit) {
    const int shift = 7 - bit % 8;
    if (((network.bytes[bit / 8] >> shift) & 1) != (((*bytes)[bit / 8] >> shift) & 1)) return false;
  }
  return true;
}

}  // namespace agentsweep::rules
