/** @file Fleet sizes, agent attributes and the activity draw (see population.hpp). */
#include "population.hpp"

#include <array>
#include <cmath>
#include <numeric>

namespace agentsweep::gen {
namespace {

constexpr std::array<ScopeSet, 5> kScopeSets = {{
    {R"(["read"])", R"(["read"])", false, false, false, false},
    {R"(["read","posts:write","comments:write","votes:write"])",
     R"(["read", "posts:write", "comments:write", "votes:write"])", true, false, false, false},
    {R"(["read","posts:write","comments:write","votes:write","dm:write","follows:write"])",
     R"(["read", "posts:write", "comments:write", "votes:write", "dm:write", "follows:write"])",
     true, true, false, false},
    {R"(["read","posts:write","comments:write","votes:write","dm:write","follows:write","keys:write"])",
     R"(["read", "posts:write", "comments:write", "votes:write", "dm:write", "follows:write", "keys:write"])",
     true, true, true, false},
    {R"(["read","posts:write","comments:write","votes:write","dm:write","follows:write","keys:write","admin"])",
     R"(["read", "posts:write", "comments:write", "votes:write", "dm:write", "follows:write", "keys:write", "admin"])",
     true, true, true, true},
}};

constexpr std::array<std::string_view, 8> kUserAgents = {
    "agentkit-python/2.4.1 (CPython 3.12.2; linux)",
    "agentkit-js/1.9.0 node/20.11.1",
    "langgraph-runner/0.3.7",
    "Mozilla/5.0 (compatible; AgentRunner/3.2; +https://example.com/bot)",
    "curl/8.5.0",
    "python-httpx/0.27.0",
    "openclaw/1.2.0 (darwin arm64)",
    "Go-http-client/2.0",
};

/** First octets of the address blocks operators are spread over. */
constexpr std::array<std::uint32_t, 8> kFirstOctets = {34, 35, 52, 54, 104, 146, 185, 203};

std::uint64_t hash2(std::uint64_t key, std::uint64_t value) {
  return mix_seed(key, value);
}

/** Fleet weight of the operator at size rank r (1-based): (r + 20)^(-3/2). */
double fleet_weight(std::uint64_t rank) {
  const auto shifted = static_cast<double>(rank + 20);
  return 1.0 / (shifted * std::sqrt(shifted));  // sqrt is exactly rounded (IEEE 754)
}

std::uint64_t gcd(std::uint64_t a, std::uint64_t b) {
  return std::gcd(a, b);
}

}  // namespace

const ScopeSet& scope_set(std::uint8_t index) {
  return kScopeSets[index];
}
std::string_view user_agent_name(std::uint8_t index) {
  return kUserAgents[index];
}

Population::Population(const GeneratorOptions& options)
    : attribute_key_(mix_seed(options.seed, 0xA77E)),
      operator_of_(options.agents),
      fleet_start_(options.operators),
      fleet_size_(options.operators),
      reserved_(options.agents, 0) {
  Rng rng(mix_seed(options.seed, 0xF1EE7));
  const std::uint64_t operators = options.operators;
  const std::uint64_t spare = options.agents - operators;  // every operator has >= 1 agent

  std::vector<double> weights(operators);
  double total_weight = 0;
  for (std::uint64_t rank = 0; rank < operators; ++rank) {
    weights[rank] = fleet_weight(rank + 1);
    total_weight += weights[rank];
  }
  std::vector<std::uint64_t> size_by_rank(operators, 1);
  std::uint64_t given = 0;
  for (std::uint64_t rank = 0; rank < operators; ++rank) {
    const auto share =
        static_cast<std::uint64_t>(static_cast<double>(spare) * (weights[rank] / total_weight));
    size_by_rank[rank] += share;
    given += share;
  }
  for (std::uint64_t rank = 0; given < spare; rank = (rank + 1) % operators, ++given) {
    ++size_by_rank[rank];
  }
  // Operator indexes are a shuffle of size ranks, so ids say nothing about fleet size.
  std::vector<std::uint32_t> rank_of_operator(operators);
  std::iota(rank_of_operator.begin(), rank_of_operator.end(), 0u);
  for (std::uint64_t i = operators; i > 1; --i) {
    std::swap(rank_of_operator[i - 1], rank_of_operator[rng.below(i)]);
  }
  std::uint32_t next_agent = 0;
  for (std::uint32_t op = 0; op < operators; ++op) {
    const auto size = static_cast<std::uint32_t>(size_by_rank[rank_of_operator[op]]);
    fleet_start_[op] = next_agent;
    fleet_size_[op] = size;
    for (std::uint32_t i = 0; i < size; ++i) operator_of_[next_agent + i] = op;
    next_agent += size;
  }

  // Activity rank -> agent is an affine bijection mod A, unrelated to fleet order.
  const std::uint64_t agents = options.agents;
  rank_multiplier_ = agents == 1 ? 1 : 1 + rng.below(agents - 1);
  while (gcd(rank_multiplier_, agents) != 1) rank_multiplier_ = rank_multiplier_ % agents + 1;
  rank_offset_ = rng.below(agents);
}

std::uint8_t Population::scopes_of(std::uint32_t agent) const {
  const std::uint64_t per_million = hash2(attribute_key_, agent) % 1'000'000;
  if (per_million < 500) return kScopeAdmin;        // 0.05 %
  if (per_million < 100'000) return kScopeManager;  // ~10 %
  if (per_million < 200'000) return kScopeReader;   // 10 %
  if (per_million < 550'000) return kScopePoster;   // 35 %
  return kScopeSocial;                              // 45 %
}

std::uint8_t Population::user_agent_of(std::uint32_t agent) const {
  return static_cast<std::uint8_t>((hash2(attribute_key_ + 1, agent) >> 20) % kUserAgents.size());
}

std::uint32_t Population::ip_of(std::uint32_t agent) const {
  const std::uint64_t op_hash = hash2(attribute_key_ + 2, operator_of_[agent]);
  const std::uint32_t first = kFirstOctets[op_hash % kFirstOctets.size()];
  const auto second = static_cast<std::uint32_t>((op_hash >> 8) & 0xFF);
  const auto host = static_cast<std::uint32_t>(hash2(attribute_key_ + 3, agent) & 0xFFFF);
  return first << 24 | second << 16 | host;
}

std::uint32_t Population::draw_active_agent(Rng& rng) const {
  const double u = rng.fraction();
  const auto agents = static_cast<std::uint64_t>(operator_of_.size());
  auto rank = static_cast<std::uint64_t>(static_cast<double>(agents) * (u * u * u));
  if (rank >= agents) rank = agents - 1;
  return static_cast<std::uint32_t>((rank * rank_multiplier_ + rank_offset_) % agents);
}

}  // namespace agentsweep::gen
