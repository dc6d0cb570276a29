/** @file
 * Secret formats planted by `secret_in_content` incidents. The platform's own key
 * format is `agsk_live_` + 32 base62 characters; the others are the common formats
 * secret scanners look for. Background text can never contain any of them.
 */
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "prng.hpp"

namespace agentsweep::gen {

enum class SecretFormat : std::uint8_t {
  kPlatformKey,     ///< agsk_live_ + 32 [0-9A-Za-z]
  kAwsAccessKeyId,  ///< AKIA + 16 [A-Z2-7]
  kGithubToken,     ///< ghp_ + 36 [0-9A-Za-z]
  kJwt,             ///< eyJ<base64url header>.eyJ<base64url payload>.<base64url signature>
  kPrivateKey,      ///< -----BEGIN RSA PRIVATE KEY----- block
};
inline constexpr std::array<std::string_view, 5> kSecretFormatNames = {
    "platform_api_key", "aws_access_key_id", "github_token", "jwt", "rsa_private_key"};

/** A fresh secret of `format`. */
std::string make_secret(Rng& rng, SecretFormat format);

}  // namespace agentsweep::gen
