/** @file Field formatting for both producer styles (see json_writer.hpp). */
#include "json_writer.hpp"

#include <array>

#include "clock.hpp"

namespace agentsweep::gen {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";

struct Style {
  std::string_view colon;
  std::string_view comma;
  bool worker;
};
constexpr Style kGatewayStyle{":", ",", false};
constexpr Style kWorkerStyle{": ", ", ", true};

struct ActionInfo {
  std::string_view name;
  std::string_view method;
};
constexpr std::array<ActionInfo, 11> kActions = {{
    {"post.create", "POST"},
    {"comment.create", "POST"},
    {"vote.cast", "POST"},
    {"dm.send", "POST"},
    {"follow.create", "POST"},
    {"resource.read", "GET"},
    {"resource.read", "GET"},
    {"key.create", "POST"},
    {"key.rotate", "POST"},
    {"admin.role.grant", "POST"},
    {"admin.config.read", "GET"},
}};

const ActionInfo& info(Action action) {
  return kActions[static_cast<std::size_t>(action)];
}

void append_escape_u(TextBuffer& out, std::uint32_t unit) {
  out.put("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out.put(kHex[(unit >> shift) & 0xF]);
}

/** Decodes one UTF-8 sequence at text[i] (input is always valid UTF-8 here). */
std::uint32_t decode_utf8(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  std::uint32_t code = lead & (0x3Fu >> extra);
  for (int k = 0; k < extra; ++k) {
    code = code << 6 | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
  }
  return code;
}

enum class Field : std::uint8_t {
  kTs,
  kEventId,
  kProducer,
  kActor,
  kAuth,
  kRequest,
  kAction,
  kResource,
  kStatus,
  kBytesOut,
  kLatency,
  kContent
};
constexpr std::array<Field, 12> kGatewayOrder = {
    Field::kTs,     Field::kEventId,  Field::kProducer, Field::kActor,
    Field::kAuth,   Field::kRequest,  Field::kAction,   Field::kResource,
    Field::kStatus, Field::kBytesOut, Field::kLatency,  Field::kContent};
constexpr std::array<Field, 12> kWorkerOrder = {
    Field::kActor,    Field::kAction,  Field::kTs,      Field::kEventId,
    Field::kProducer, Field::kRequest, Field::kAuth,    Field::kResource,
    Field::kContent,  Field::kStatus,  Field::kLatency, Field::kBytesOut};

class LineFormatter {
 public:
  LineFormatter(const IdFormats& ids, const Event& event, TextBuffer& out)
      : ids_(ids),
        event_(event),
        out_(out),
        style_(event.producer == Producer::kWorker ? kWorkerStyle : kGatewayStyle) {}

  void write() {
    out_.reserve_more(2048 + event_.content.size() * 12);
    out_.put('{');
    if (style_.worker) {
      for (Field field : kWorkerOrder) emit(field);
    } else {
      for (Field field : kGatewayOrder) emit(field);
    }
    out_.put("}\n");
  }

 private:
  void emit(Field field) {
    switch (field) {
      case Field::kTs:
        ts();
        break;
      case Field::kEventId:
        event_id();
        break;
      case Field::kProducer:
        producer();
        break;
      case Field::kActor:
        actor();
        break;
      case Field::kAuth:
        auth();
        break;
      case Field::kRequest:
        request();
        break;
      case Field::kAction:
        action();
        break;
      case Field::kResource:
        resource();
        break;
      case Field::kStatus:
        status();
        break;
      case Field::kBytesOut:
        bytes_out();
        break;
      case Field::kLatency:
        latency();
        break;
      case Field::kContent:
        content();
        break;
    }
  }

  void key(std::string_view name) {
    if (!first_) out_.put(style_.comma);
    first_ = false;
    out_.put('"');
    out_.put(name);
    out_.put('"');
    out_.put(style_.colon);
  }
  void open(std::string_view name) {
    key(name);
    out_.put('{');
    first_ = true;
  }
  void close() {
    out_.put('}');
    first_ = false;
  }
  void string_field(std::string_view name, std::string_view value) {
    key(name);
    out_.put('"');
    out_.put(value);
    out_.put('"');
  }
  void id_field(std::string_view name, const IdFormat& format, std::uint64_t number) {
    key(name);
    out_.put('"');
    format.append(out_, number);
    out_.put('"');
  }
  void number_field(std::string_view name, std::uint64_t value) {
    key(name);
    out_.put_uint(value);
  }

  void ts() {
    key("ts");
    out_.put('"');
    append_timestamp(out_, event_.ts_ms);
    out_.put('"');
  }
  void event_id() { id_field("event_id", ids_.event, event_.event_number); }
  void producer() { string_field("producer", style_.worker ? "worker" : "gateway"); }
  void action() { string_field("action", info(event_.action).name); }
  void status() { number_field("status", event_.status); }
  void bytes_out() { number_field("bytes_out", event_.bytes_out); }
  void latency() { number_field("latency_ms", event_.latency_ms); }

  void actor() {
    open("actor");
    if (style_.worker) {
      if (event_.has_operator) id_field("operator_id", ids_.operator_, event_.operator_index);
      id_field("agent_id", ids_.agent, event_.agent);
    } else {
      id_field("agent_id", ids_.agent, event_.agent);
      if (event_.has_operator) {
        id_field("operator_id", ids_.operator_, event_.operator_index);
      } else {
        key("operator_id");
        out_.put("null");
      }
    }
    close();
  }

  void auth() {
    open("auth");
    const ScopeSet& scopes = scope_set(event_.scopes);
    if (style_.worker) {
      key("scopes");
      out_.put(scopes.spaced_json);
      id_field("api_key_id", ids_.api_key, event_.api_key);
    } else {
      id_field("api_key_id", ids_.api_key, event_.api_key);
      key("scopes");
      out_.put(scopes.compact_json);
    }
    close();
  }

  void request() {
    open("request");
    if (style_.worker) {
      path_field();
      string_field("method", info(event_.action).method);
      user_agent();
      ip();
    } else {
      string_field("method", info(event_.action).method);
      path_field();
      ip();
      user_agent();
    }
    close();
  }
  void user_agent() {
    if (event_.has_user_agent) string_field("user_agent", user_agent_name(event_.user_agent));
  }
  void ip() {
    key("ip");
    out_.put('"');
    for (int shift = 24; shift >= 0; shift -= 8) {
      out_.put_uint((event_.ip >> shift) & 0xFF);
      if (shift != 0) out_.put('.');
    }
    out_.put('"');
  }

  void path_field() {
    key("path");
    out_.put("\"/v1/");
    switch (event_.action) {
      case Action::kPostCreate:
        out_.put("posts");
        break;
      case Action::kCommentCreate: {
        post(event_.parent);
        out_.put("/comments");
        break;
      }
      case Action::kVoteCast: {
        post(event_.object);
        out_.put("/votes");
        break;
      }
      case Action::kDmSend: {
        agent(event_.target_agent);
        out_.put("/messages");
        break;
      }
      case Action::kFollowCreate: {
        agent(event_.target_agent);
        out_.put("/follow");
        break;
      }
      case Action::kPostRead:
        post(event_.object);
        break;
      case Action::kPrivateRead:
        private_memory();
        break;
      case Action::kKeyCreate:
        out_.put("keys");
        break;
      case Action::kKeyRotate: {
        key_id();
        out_.put("/rotate");
        break;
      }
      case Action::kAdminRoleGrant:
        out_.put("admin/roles/grant");
        break;
      case Action::kAdminConfigRead:
        out_.put("admin/config");
        break;
    }
    out_.put('"');
  }

  void resource() {
    key("resource");
    out_.put('"');
    switch (event_.action) {
      case Action::kPostCreate:
      case Action::kVoteCast:
      case Action::kPostRead:
        post(event_.object);
        break;
      case Action::kCommentCreate: {
        post(event_.parent);
        out_.put("/comments/");
        ids_.comment.append(out_, event_.object);
        break;
      }
      case Action::kDmSend: {
        agent(event_.target_agent);
        out_.put("/messages/");
        ids_.message.append(out_, event_.object);
        break;
      }
      case Action::kFollowCreate:
        agent(event_.target_agent);
        break;
      case Action::kPrivateRead:
        private_memory();
        break;
      case Action::kKeyCreate:
      case Action::kKeyRotate:
        key_id();
        break;
      case Action::kAdminRoleGrant: {
        agent(event_.target_agent);
        out_.put("/roles/moderator");
        break;
      }
      case Action::kAdminConfigRead:
        out_.put("admin/config");
        break;
    }
    out_.put('"');
  }
  void post(std::uint64_t number) {
    out_.put("posts/");
    ids_.post.append(out_, number);
  }
  void agent(std::uint32_t number) {
    out_.put("agents/");
    ids_.agent.append(out_, number);
  }
  void key_id() {
    out_.put("keys/");
    ids_.api_key.append(out_, event_.object);
  }
  void private_memory() {
    agent(event_.target_agent);
    out_.put("/private/memory/");
    ids_.memory.append(out_, event_.object);
  }

  void content() {
    if (event_.content_source == ContentSource::kNone) return;
    key("content");
    out_.put('"');
    append_json_escaped(out_, event_.content, style_.worker);
    out_.put('"');
  }

  const IdFormats& ids_;
  const Event& event_;
  TextBuffer& out_;
  Style style_;
  bool first_ = true;
};

}  // namespace

void append_json_escaped(TextBuffer& out, std::string_view text, bool ascii_only) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    switch (byte) {
      case '"':
        out.put("\\\"");
        continue;
      case '\\':
        out.put("\\\\");
        continue;
      case '\n':
        out.put("\\n");
        continue;
      case '\t':
        out.put("\\t");
        continue;
      case '\r':
        out.put("\\r");
        continue;
      default:
        break;
    }
    if (byte < 0x20) {
      append_escape_u(out, byte);
    } else if (byte < 0x80 || !ascii_only) {
      out.put(static_cast<char>(byte));
    } else {
      const std::uint32_t code = decode_utf8(text, i);
      if (code >= 0x10000) {
        append_escape_u(out, 0xD800 + ((code - 0x10000) >> 10));
        append_escape_u(out, 0xDC00 + ((code - 0x10000) & 0x3FF));
      } else {
        append_escape_u(out, code);
      }
    }
  }
}

void JsonWriter::write(const Event& event, TextBuffer& out) const {
  LineFormatter(ids_, event, out).write();
}

}  // namespace agentsweep::gen
