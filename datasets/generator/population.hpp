/** @file
 * The synthetic platform's agents and operators: skewed fleet sizes (most operators run
 * a few agents, a few run thousands), Zipf-like agent activity, per-agent scopes, user
 * agent and address, and the set of agents reserved for incidents (background traffic
 * never uses them, so every event of a reserved agent belongs to its incident).
 * Memory is proportional to the number of agents; nothing here grows with events.
 */
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "prng.hpp"

namespace agentsweep::gen {

/** A named set of API key scopes; agents hold one. */
struct ScopeSet {
  std::string_view compact_json;  ///< e.g. ["read","posts:write"]
  std::string_view spaced_json;   ///< e.g. ["read", "posts:write"]
  bool posts = false;             ///< posts:write, comments:write, votes:write
  bool social = false;            ///< dm:write, follows:write
  bool keys = false;              ///< keys:write
  bool admin = false;             ///< admin
};

inline constexpr std::uint8_t kScopeReader = 0;
inline constexpr std::uint8_t kScopePoster = 1;
inline constexpr std::uint8_t kScopeSocial = 2;
inline constexpr std::uint8_t kScopeManager = 3;
inline constexpr std::uint8_t kScopeAdmin = 4;
const ScopeSet& scope_set(std::uint8_t index);

/** The user agents agents run with (an event may still omit the header). */
std::string_view user_agent_name(std::uint8_t index);

class Population {
 public:
  explicit Population(const GeneratorOptions& options);

  [[nodiscard]] std::uint32_t agent_count() const {
    return static_cast<std::uint32_t>(operator_of_.size());
  }
  [[nodiscard]] std::uint32_t operator_count() const {
    return static_cast<std::uint32_t>(fleet_start_.size());
  }

  [[nodiscard]] std::uint32_t operator_of(std::uint32_t agent) const { return operator_of_[agent]; }
  /** The contiguous agent range an operator was given (fleet jumps move agents away). */
  [[nodiscard]] std::uint32_t fleet_start(std::uint32_t op) const { return fleet_start_[op]; }
  [[nodiscard]] std::uint32_t fleet_size(std::uint32_t op) const { return fleet_size_[op]; }

  [[nodiscard]] std::uint8_t scopes_of(std::uint32_t agent) const;
  [[nodiscard]] std::uint8_t user_agent_of(std::uint32_t agent) const;
  /** IPv4 address (host order): the operator's /16 plus a per-agent host part. */
  [[nodiscard]] std::uint32_t ip_of(std::uint32_t agent) const;

  /** An agent drawn by activity: rank r has weight ~ r^(-2/3); may be reserved. */
  [[nodiscard]] std::uint32_t draw_active_agent(Rng& rng) const;

  [[nodiscard]] bool is_reserved(std::uint32_t agent) const { return reserved_[agent] != 0; }
  /** Takes an agent out of background traffic for good (it acts in an incident). */
  void reserve(std::uint32_t agent) {
    reserved_[agent] = 1;
    ++reserved_total_;
  }
  [[nodiscard]] std::uint32_t reserved_count() const { return reserved_total_; }
  /** Moves an agent into another operator's fleet (fleet_jump). */
  void reassign(std::uint32_t agent, std::uint32_t op) { operator_of_[agent] = op; }

 private:
  std::uint64_t attribute_key_;
  std::uint64_t rank_multiplier_;
  std::uint64_t rank_offset_;
  std::vector<std::uint32_t> operator_of_;
  std::vector<std::uint32_t> fleet_start_;
  std::vector<std::uint32_t> fleet_size_;
  std::vector<std::uint8_t> reserved_;
  std::uint32_t reserved_total_ = 0;
};

}  // namespace agentsweep::gen
