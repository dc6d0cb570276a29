/** @file Scrambling and base32 spelling of identifiers (see ids.hpp). */
#include "ids.hpp"

#include "prng.hpp"

namespace agentsweep::gen {
namespace {

constexpr std::string_view kBase32 = "0123456789abcdefghjkmnpqrstvwxyz";

/** A bijection on the low `bits` bits: xor, odd multiply and xor-shift steps only. */
std::uint64_t scramble(std::uint64_t x, int bits, std::uint64_t key) {
  const std::uint64_t mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
  const int shift = bits / 2;
  x = (x ^ key) & mask;
  x = (x * 0x9E3779B97F4A7C15ULL) & mask;
  x ^= x >> shift;
  x = (x * (0xBF58476D1CE4E5B9ULL | 1)) & mask;
  x ^= x >> (shift + 1);
  x = (x * 0x94D049BB133111EBULL) & mask;
  x ^= x >> shift;
  return x;
}

IdFormat make_format(std::string_view prefix, int chars, std::uint64_t seed, std::uint64_t salt) {
  return IdFormat{prefix, chars, mix_seed(seed, salt)};
}

}  // namespace

void IdFormat::append(TextBuffer& out, std::uint64_t number) const {
  out.put(prefix);
  const int bits = chars * 5 >= 64 ? 64 : chars * 5;
  std::uint64_t value = scramble(number, bits, key);
  char spelled[16];
  for (int i = chars - 1; i >= 0; --i) {
    spelled[i] = kBase32[value & 31];
    value >>= 5;
  }
  out.put(std::string_view(spelled, static_cast<std::size_t>(chars)));
}

std::string IdFormat::format(std::uint64_t number) const {
  TextBuffer buffer;
  buffer.reserve_more(prefix.size() + 16);
  append(buffer, number);
  return std::string(buffer.view());
}

IdFormats::IdFormats(std::uint64_t seed)
    : agent(make_format("agt_", 12, seed, 1)),
      operator_(make_format("op_", 8, seed, 2)),
      api_key(make_format("key_", 10, seed, 3)),
      event(make_format("evt_", 13, seed, 4)),
      post(make_format("pst_", 12, seed, 5)),
      comment(make_format("cmt_", 12, seed, 6)),
      message(make_format("msg_", 12, seed, 7)),
      memory(make_format("mem_", 10, seed, 8)) {}

}  // namespace agentsweep::gen
