/** @file
 * Everything a generation run depends on. The same options (and seed) give the same
 * output bytes whatever the thread count or machine.
 */
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace agentsweep::gen {

/** The labelled incident kinds, in the order they are planned and reported. */
enum class IncidentKind : std::uint8_t {
  kSecretInContent,
  kSharedKey,
  kPrivilegeEscalation,
  kBurst,
  kPromptInjection,
  kFleetJump,
  kOrphanAgents,
  kCrossOperatorRead,
  kExfiltration,
  kDormantWake,
};
inline constexpr std::size_t kIncidentKindCount = 10;

/** Names as used on the command line and in ground_truth.json. */
inline constexpr std::array<std::string_view, kIncidentKindCount> kIncidentKindNames = {
    "secret_in_content", "shared_key",  "privilege_escalation", "burst",
    "prompt_injection",  "fleet_jump",  "orphan_agents",        "cross_operator_read",
    "exfiltration",      "dormant_wake"};

std::optional<IncidentKind> incident_kind_from_name(std::string_view name);
inline std::string_view incident_kind_name(IncidentKind kind) {
  return kIncidentKindNames[static_cast<std::size_t>(kind)];
}

/** The rate limit background traffic never exceeds and `burst` incidents always do. */
inline constexpr std::uint32_t kBurstLimitEvents = 120;
inline constexpr std::int64_t kBurstWindowMillis = 60'000;
/** Background bytes_out stays below this; exfiltration responses are far above it. */
inline constexpr std::uint64_t kBackgroundMaxBytesOut = 1'048'576;
inline constexpr std::uint64_t kExfiltrationMinBytesOut = 50'000'000;
/** Dormant agents are silent at least this many days before they wake. */
inline constexpr std::int64_t kDormantSilentDays = 14;
/** dormant_wake needs this many days of output (activity, silence, wake). */
inline constexpr int kDormantMinDays = 16;

struct GeneratorOptions {
  std::uint64_t events = 30'000'000;  ///< total lines written, incidents included
  int days = 30;
  std::uint64_t agents = 1'500'000;
  std::uint64_t operators = 17'000;
  std::uint64_t seed = 1;
  std::filesystem::path out_dir = "sample";
  std::int64_t start_day = 20'513;  ///< days since 1970-01-01; 20513 is 2026-03-01
  unsigned threads = 0;             ///< 0: all hardware threads
  bool per_hour = false;            ///< one file per hour instead of per day
  bool plain = false;               ///< plain JSONL instead of zstd
  int zstd_level = 3;
  std::size_t frame_size = 4u << 20;    ///< uncompressed bytes per zstd frame (at most)
  std::uint32_t fleet_jump_agents = 0;  ///< new agents per fleet_jump; 0: see fleet_jump_size
  std::array<std::uint32_t, kIncidentKindCount> incidents{3, 3, 3, 3, 3, 3, 3, 3, 3, 3};

  [[nodiscard]] std::uint32_t count(IncidentKind kind) const {
    return incidents[static_cast<std::size_t>(kind)];
  }
};

/** New agents per fleet_jump incident: fleet_jump_agents, or when 0, 1 % of the agents
 * (at least 10, at most 3000: thousands for the default population). */
std::uint32_t fleet_jump_size(const GeneratorOptions& options);

/** Why the options cannot be generated, phrased for the user, or empty when they can. */
std::string validate(const GeneratorOptions& options);

}  // namespace agentsweep::gen
