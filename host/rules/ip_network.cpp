/** @file
 * CIDR networks as rules write them; the addresses and the prefix test are
 * kernels/ip_address.cuh's, which every backend runs.
 */
#include "host/rules/ip_network.hpp"

#include <charconv>

#include "kernels/ip_address.cuh"

namespace agentsweep::rules {
namespace {

/// The address in the network's family (IPv4 in the first 4 bytes), or nothing.
std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text, bool v6) {
  std::array<std::uint8_t, 16> out{};
  if (text.size() > kernels::kMaxAddressText) return std::nullopt;  // and fits 32-bit lengths
  const auto length = static_cast<std::uint32_t>(text.size());
  const bool parsed = v6 ? kernels::parse_ipv6(text.data(), length, out.data())
                         : kernels::parse_ipv4(text.data(), length, out.data());
  if (!parsed) return std::nullopt;
  return out;
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
  if (address.size() > kernels::kMaxAddressText) return false;
  return kernels::address_in_network(network.bytes.data(), network.prefix_length, network.v6,
                                     address.data(), static_cast<std::uint32_t>(address.size()));
}

}  // namespace agentsweep::rules
