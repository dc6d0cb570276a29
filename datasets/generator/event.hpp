/** @file
 * One audit event before it is formatted: what happened, by whom, with which key, to
 * what. Background traffic and incidents both fill this struct and share one writer, so
 * an incident line differs from background only where the incident says it does.
 */
#pragma once

#include <cstdint>
#include <string_view>

namespace agentsweep::gen {

enum class Action : std::uint8_t {
  kPostCreate,       ///< POST /v1/posts                          post.create
  kCommentCreate,    ///< POST /v1/posts/{post}/comments          comment.create
  kVoteCast,         ///< POST /v1/posts/{post}/votes             vote.cast
  kDmSend,           ///< POST /v1/agents/{agent}/messages        dm.send
  kFollowCreate,     ///< POST /v1/agents/{agent}/follow          follow.create
  kPostRead,         ///< GET  /v1/posts/{post}                   resource.read (public)
  kPrivateRead,      ///< GET  /v1/agents/{owner}/private/memory/{mem}  resource.read
  kKeyCreate,        ///< POST /v1/keys                           key.create
  kKeyRotate,        ///< POST /v1/keys/{key}/rotate              key.rotate
  kAdminRoleGrant,   ///< POST /v1/admin/roles/grant              admin.role.grant
  kAdminConfigRead,  ///< GET  /v1/admin/config                   admin.config.read
};

/** Which service wrote the line: field order, spacing and null handling differ. */
enum class Producer : std::uint8_t { kGateway, kWorker };

/** Where the content text of a content action comes from. */
enum class ContentSource : std::uint8_t { kNone, kGenerated, kLiteral };

struct Event {
  std::int64_t ts_ms = 0;
  std::uint64_t event_number = 0;  ///< global line number across the run, 0-based
  std::uint32_t agent = 0;
  std::uint32_t operator_index = 0;
  bool has_operator = true;   ///< false for orphans: null (gateway) or absent (worker)
  std::uint64_t api_key = 0;  ///< key number; an agent's own key is its agent index
  std::uint8_t scopes = 0;
  Action action = Action::kPostRead;
  Producer producer = Producer::kGateway;
  bool has_user_agent = true;
  std::uint8_t user_agent = 0;
  std::uint32_t ip = 0;
  std::uint64_t object = 0;        ///< post, comment, message, memory or key number
  std::uint64_t parent = 0;        ///< post of a comment
  std::uint32_t target_agent = 0;  ///< dm / follow / role target, private resource owner
  std::uint16_t status = 200;
  std::uint64_t bytes_out = 0;
  std::uint32_t latency_ms = 0;
  ContentSource content_source = ContentSource::kNone;
  std::string_view content;  ///< raw UTF-8 text (kLiteral, or kGenerated once composed)
};

}  // namespace agentsweep::gen
