/** @file
 * IPv4 and IPv6 addresses and CIDR networks, for the `cidr` modifier.
 */
#pragma once

#include <optional>
#include <string_view>

#include "host/rules/predicates.hpp"

namespace agentsweep::rules {

/// "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128. Host bits set past
/// the prefix are allowed and ignored. Nothing for anything else.
std::optional<IpNetwork> parse_network(std::string_view text);

/// Whether `address` (dotted IPv4, or IPv6 text) lies in `network`; false when it is not
/// an address of the network's family.
bool network_contains(const IpNetwork& network, std::string_view address);

}  // namespace agentsweep::rules
