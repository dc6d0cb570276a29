/** @file Random secrets in well-known formats (see secrets.hpp). */
#include "secrets.hpp"

namespace agentsweep::gen {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kBase32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string random_chars(Rng& rng, std::string_view alphabet, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += alphabet[rng.below(alphabet.size())];
  return text;
}

}  // namespace

std::string make_secret(Rng& rng, SecretFormat format) {
  switch (format) {
    case SecretFormat::kPlatformKey:
      return "agsk_live_" + random_chars(rng, kBase62, 32);
    case SecretFormat::kAwsAccessKeyId:
      return "AKIA" + random_chars(rng, kBase32Upper, 16);
    case SecretFormat::kGithubToken:
      return "ghp_" + random_chars(rng, kBase62, 36);
    case SecretFormat::kJwt:
      // {"alg":"HS256","typ":"JWT"} and {"sub":... payload, base64url without padding.
      return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ" +
             random_chars(rng, kBase64Url, 40) + "." + random_chars(rng, kBase64Url, 43);
    case SecretFormat::kPrivateKey: {
      std::string block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA";
      for (int line = 0; line < 4; ++line) block += random_chars(rng, kBase64, 64) + "\n";
      return block + "-----END RSA PRIVATE KEY-----";
    }
  }
  return {};
}

}  // namespace agentsweep::gen
