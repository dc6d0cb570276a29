/** @file
 * Identifier formats of the synthetic platform. Every id is a bijection of a small
 * integer (agent index, event number, ...) scrambled by the run's seed, so ids look
 * random, never collide, and need no lookup table. Alphabet: lowercase Crockford
 * base32 ("0123456789abcdefghjkmnpqrstvwxyz"), which can never spell a secret format
 * (those need uppercase letters or underscores after their prefix).
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "text_buffer.hpp"

namespace agentsweep::gen {

/** A family of ids: prefix, number of base32 characters, and per-run scrambling key. */
struct IdFormat {
  std::string_view prefix;
  int chars;  ///< base32 characters after the prefix (5 bits each)
  std::uint64_t key;

  /** The id of `number` (which must be < 2^(5*chars), or any value when chars >= 13). */
  void append(TextBuffer& out, std::uint64_t number) const;
  [[nodiscard]] std::string format(std::uint64_t number) const;
};

/** The id formats of one run, all keyed by its seed. */
struct IdFormats {
  explicit IdFormats(std::uint64_t seed);
  IdFormat agent;      ///< agt_ + 12 base32, from the agent index
  IdFormat operator_;  ///< op_ + 8 base32, from the operator index
  IdFormat api_key;    ///< key_ + 10 base32, from the key number
  IdFormat event;      ///< evt_ + 13 base32, from the global event number
  IdFormat post;       ///< pst_ + 12 base32
  IdFormat comment;    ///< cmt_ + 12 base32
  IdFormat message;    ///< msg_ + 12 base32
  IdFormat memory;     ///< mem_ + 10 base32, a private object of an agent
};

}  // namespace agentsweep::gen
