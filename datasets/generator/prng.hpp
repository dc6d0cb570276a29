/** @file
 * The generator's only source of randomness: splitmix64 for seeding and xoshiro256**
 * for streams, with integer-only helpers. std:: distributions are never used because
 * their output differs between standard libraries, and the generator promises the same
 * bytes on every machine.
 */
#pragma once

#include <cstdint>

namespace agentsweep::gen {

/** One step of splitmix64: a good 64-bit mixer, also used to derive ids and seeds. */
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/** Stateless hash of two values, for seeds like (seed, chunk index). */
constexpr std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t state = a ^ (b * 0xD1B54A32D192ED03ULL);
  splitmix64(state);
  return splitmix64(state);
}

/** xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  constexpr std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /** Uniform integer in [0, bound) for bound <= 2^32 (multiply-shift, tiny bias). */
  constexpr std::uint64_t below(std::uint64_t bound) { return ((next() >> 32) * bound) >> 32; }

  /** Integer in [0, bound) for any bound > 0 (modulo draw; bias below 2^-30 here). */
  constexpr std::uint64_t below64(std::uint64_t bound) { return next() % bound; }

  /** Uniform integer in [low, high], inclusive, for spans <= 2^32. */
  constexpr std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low + 1)));
  }

  /** Uniform fraction in [0, 1) with 53 bits; only exact IEEE operations follow it. */
  constexpr double fraction() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

}  // namespace agentsweep::gen
