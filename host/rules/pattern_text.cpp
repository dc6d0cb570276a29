/** @file
 * Rendering Sigma values as regex text for the pattern engine.
 */
#include "host/rules/pattern_text.hpp"

#include <cstring>
#include <stdexcept>

#include "host/engine/patterns/regex/unicode_tables.hpp"
#include "host/rules/utf8.hpp"

namespace agentsweep::rules {
namespace {

constexpr char kHex[] = "0123456789abcdef";

/// A spelling without its leading and trailing `*`, and which ends they left open.
struct Trimmed {
  std::vector<StringPart> body;
  bool open_start = false;
  bool open_end = false;
};

Trimmed trim(const SigmaString& s) {
  Trimmed t;
  t.body = s.parts();
  t.open_start = s.starts_with_any();
  if (t.open_start) t.body.erase(t.body.begin());
  t.open_end = !t.body.empty() && t.body.back().kind == StringPart::Kind::kAnyChars;
  if (t.open_end) t.body.pop_back();
  return t;
}

std::u32string code_points(const std::string& text) {
  auto decoded = decode_utf8(text);
  if (!decoded)
    throw std::invalid_argument(
        "its bytes are not UTF-8 text (UTF-16 modifiers need base64 or base64offset after "
        "them, unless the value is ASCII)");
  return *decoded;
}

void append_hex_byte(unsigned value, std::string& out) {
  out += "\\x";
  out += kHex[value >> 4];
  out += kHex[value & 0xF];
}

/// One character as itself in RE2 syntax.
void append_regex_char(char32_t c, std::string& out) {
  if (c < 0x20 || c == 0x7F) {
    append_hex_byte(static_cast<unsigned>(c), out);
  } else if (c < 0x80 && std::strchr("\\.+*?()|[]{}^$", static_cast<int>(c)) != nullptr) {
    out += '\\';
    out += static_cast<char>(c);
  } else {
    append_utf8(c, out);
  }
}

/// `\uXXXX` as JSON may write it: the backslash escaped, hex letters in either case.
void append_json_u_escape(char16_t unit, std::string& out) {
  out += "\\\\u";
  for (int shift = 12; shift >= 0; shift -= 4) {
    const char digit = kHex[(unit >> shift) & 0xF];
    if (digit >= 'a') {
      out += '[';
      out += digit;
      out += static_cast<char>(digit - 'a' + 'A');
      out += ']';
    } else {
      out += digit;
    }
  }
}

void append_json_escapes_of(char32_t c, std::string& out) {
  if (c < 0x10000) {
    out += '|';
    append_json_u_escape(static_cast<char16_t>(c), out);
    return;
  }
  out += '|';
  append_json_u_escape(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)), out);
  append_json_u_escape(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)), out);
}

/// One character as it may appear inside a JSON string in a raw line.
void append_json_char(char32_t c, bool cased, std::string& out) {
  static constexpr std::pair<char32_t, const char*> kShortEscapes[] = {
      {'\b', "b"}, {'\t', "t"}, {'\n', "n"}, {'\f', "f"}, {'\r', "r"}};
  if (c == '"') {
    out += "\\\\\"";
  } else if (c == '\\') {
    out += "\\\\\\\\";
  } else if (c == '/') {
    out += "\\\\?/";
  } else if (c >= 0x20 && c < 0x7F && c != '<' && c != '>' && c != '&') {
    append_regex_char(c, out);
  } else {  // control, non-ASCII, and < > & (which Go's encoder writes as \u003c ...)
    out += "(?:";
    if (c < 0x20) {
      for (const auto& [ch, letter] : kShortEscapes)
        if (ch == c) out += std::string("\\\\") + letter + "|";
      append_json_u_escape(static_cast<char16_t>(c), out);
    } else {
      append_regex_char(c, out);
      // Case-insensitive: an escaped spelling of any case variant, too.
      char32_t member = c;
      do {
        append_json_escapes_of(member, out);
        member = cased ? c : engine::regex::next_in_fold_orbit(member);
      } while (member != c);
    }
    out += ')';
  }
}

/// `?` on a raw line: one character, or one JSON escape (a surrogate pair counts once).
constexpr const char* kOneJsonChar =
    "(?:[^\\\\]|\\\\[^u]|\\\\u[0-9A-Fa-f]{4}(?:\\\\u[0-9A-Fa-f]{4})?)";

bool json_safe(const std::string& text) {
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7F || std::strchr("\"\\/<>&", c) != nullptr) return false;
  }
  return true;
}

std::string field_body(const std::vector<StringPart>& body, bool& wildcards) {
  std::string out;
  for (const StringPart& part : body) {
    switch (part.kind) {
      case StringPart::Kind::kText:
        for (const char32_t c : code_points(part.text)) append_regex_char(c, out);
        break;
      case StringPart::Kind::kAnyChars:
        out += ".*";
        wildcards = true;
        break;
      case StringPart::Kind::kOneChar:
        out += '.';
        wildcards = true;
        break;
      case StringPart::Kind::kPlaceholder:
        throw std::logic_error("placeholders are substituted before patterns are made");
    }
  }
  return out;
}

std::string keyword_body(const std::vector<StringPart>& body, bool cased) {
  std::string out;
  for (const StringPart& part : body) {
    switch (part.kind) {
      case StringPart::Kind::kText:
        for (const char32_t c : code_points(part.text)) append_json_char(c, cased, out);
        break;
      case StringPart::Kind::kAnyChars:
        out += ".*";
        break;
      case StringPart::Kind::kOneChar:
        out += kOneJsonChar;
        break;
      case StringPart::Kind::kPlaceholder:
        throw std::logic_error("placeholders are substituted before patterns are made");
    }
  }
  return out;
}

bool is_single_text(const std::vector<StringPart>& body) {
  return body.size() == 1 && body.front().kind == StringPart::Kind::kText;
}

/// Alternatives joined: anchors outside the group when all spellings share them.
std::string join(const std::vector<Trimmed>& spellings, const std::vector<std::string>& bodies) {
  bool same_ends = true;
  for (const Trimmed& t : spellings)
    same_ends = same_ends && t.open_start == spellings.front().open_start &&
                t.open_end == spellings.front().open_end;
  std::string out;
  if (same_ends) {
    if (!spellings.front().open_start) out += '^';
    if (bodies.size() > 1) out += "(?:";
    for (std::size_t i = 0; i < bodies.size(); ++i) out += (i > 0 ? "|" : "") + bodies[i];
    if (bodies.size() > 1) out += ')';
    if (!spellings.front().open_end) out += '$';
    return out;
  }
  out += "(?:";
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    if (i > 0) out += '|';
    out += (spellings[i].open_start ? "" : "^") + bodies[i] + (spellings[i].open_end ? "" : "$");
  }
  return out + ')';
}

}  // namespace

FieldStringMatch field_string_pattern(const StringValue& value) {
  FieldStringMatch match;
  std::vector<Trimmed> spellings;
  for (const SigmaString& alt : value.alternatives) {
    Trimmed t = trim(alt);
    if (!t.body.empty()) {
      spellings.push_back(std::move(t));
    } else if (t.open_start || t.open_end) {
      match.any_value = true;
    } else {
      match.empty_string = true;
    }
  }
  if (spellings.empty()) return match;
  engine::PatternSpec spec;
  spec.case_insensitive = !value.cased;
  if (spellings.size() == 1 && spellings.front().open_start && spellings.front().open_end &&
      is_single_text(spellings.front().body)) {
    code_points(spellings.front().body.front().text);  // rejects bytes that are not UTF-8
    spec.text = spellings.front().body.front().text;
    spec.literal = true;
    match.pattern = spec;
    return match;
  }
  bool wildcards = false;
  std::vector<std::string> bodies;
  for (const Trimmed& t : spellings) bodies.push_back(field_body(t.body, wildcards));
  spec.text = (wildcards ? "(?s)" : "") + join(spellings, bodies);
  match.pattern = spec;
  return match;
}

engine::PatternSpec keyword_pattern(const StringValue& value) {
  engine::PatternSpec spec;
  spec.case_insensitive = !value.cased;
  std::vector<Trimmed> spellings;
  for (const SigmaString& alt : value.alternatives) {
    Trimmed t = trim(alt);
    if (t.body.empty())
      throw std::invalid_argument("the keyword '" + value.original +
                                  "' would match every event; remove it");
    t.open_start = t.open_end = true;  // keywords are found anywhere in the event
    spellings.push_back(std::move(t));
  }
  if (spellings.size() == 1 && is_single_text(spellings.front().body) &&
      json_safe(spellings.front().body.front().text)) {
    spec.text = spellings.front().body.front().text;
    spec.literal = true;
    return spec;
  }
  std::vector<std::string> bodies;
  for (const Trimmed& t : spellings) bodies.push_back(keyword_body(t.body, value.cased));
  spec.text = join(spellings, bodies);
  return spec;
}

engine::PatternSpec regex_pattern(const RegexValue& value) {
  engine::PatternSpec spec;
  spec.case_insensitive = value.ignore_case;
  if (value.multiline) spec.text += "(?m)";
  if (value.dot_all) spec.text += "(?s)";
  const bool anchored = value.anchor_start || value.anchor_end;
  if (value.anchor_start) spec.text += "\\A";
  spec.text += anchored ? "(?:" + value.regex + ")" : value.regex;
  if (value.anchor_end) spec.text += "\\z";
  return spec;
}

}  // namespace agentsweep::rules
