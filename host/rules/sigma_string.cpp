/** @file
 * Parsing Sigma string values (wildcards and escaping) and placeholder insertion.
 */
#include "host/rules/sigma_string.hpp"

#include <algorithm>

namespace agentsweep::rules {
namespace {

bool is_wildcard(char c) {
  return c == '*' || c == '?';
}

}  // namespace

SigmaString SigmaString::parse(std::string_view value) {
  SigmaString s;
  std::string text;
  const auto flush = [&] {
    s.add_text(text);
    text.clear();
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\') {
      // An escape only means something before a wildcard or another backslash.
      if (i + 1 < value.size() && (is_wildcard(value[i + 1]) || value[i + 1] == '\\')) {
        text += value[++i];
      } else {
        text += c;
      }
    } else if (is_wildcard(c)) {
      flush();
      s.add(c == '*' ? StringPart::Kind::kAnyChars : StringPart::Kind::kOneChar);
    } else {
      text += c;
    }
  }
  flush();
  return s;
}

SigmaString SigmaString::literal(std::string_view text) {
  SigmaString s;
  s.add_text(text);
  return s;
}

bool SigmaString::has_wildcards() const {
  return std::any_of(parts_.begin(), parts_.end(), [](const StringPart& p) {
    return p.kind == StringPart::Kind::kAnyChars || p.kind == StringPart::Kind::kOneChar;
  });
}

bool SigmaString::has_placeholders() const {
  return std::any_of(parts_.begin(), parts_.end(),
                     [](const StringPart& p) { return p.kind == StringPart::Kind::kPlaceholder; });
}

std::string SigmaString::plain_text() const {
  std::string out;
  for (const StringPart& p : parts_) out += p.text;
  return out;
}

bool SigmaString::starts_with_any() const {
  return !parts_.empty() && parts_.front().kind == StringPart::Kind::kAnyChars;
}

bool SigmaString::ends_with_any() const {
  return !parts_.empty() && parts_.back().kind == StringPart::Kind::kAnyChars;
}

void SigmaString::prepend_any() {
  if (!starts_with_any()) parts_.insert(parts_.begin(), {StringPart::Kind::kAnyChars, {}});
}

void SigmaString::append_any() {
  if (!ends_with_any()) add(StringPart::Kind::kAnyChars);
}

SigmaString SigmaString::with_placeholders() const {
  SigmaString out;
  for (const StringPart& part : parts_) {
    if (part.kind != StringPart::Kind::kText) {
      out.parts_.push_back(part);
      continue;
    }
    const std::string& t = part.text;
    std::string text;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '\\' && i + 1 < t.size() && t[i + 1] == '%') {
        text += '%';
        ++i;
        continue;
      }
      const std::size_t end = t[i] == '%' ? t.find('%', i + 1) : std::string::npos;
      const std::string_view name = end == std::string::npos
                                        ? std::string_view{}
                                        : std::string_view(t).substr(i + 1, end - i - 1);
      if (name.empty() || name.find('\\') != std::string_view::npos) {
        text += t[i];
        continue;
      }
      out.add_text(text);
      text.clear();
      out.add(StringPart::Kind::kPlaceholder, std::string(name));
      i = end;
    }
    out.add_text(text);
  }
  return out;
}

void SigmaString::add_text(std::string_view text) {
  if (text.empty()) return;
  if (!parts_.empty() && parts_.back().kind == StringPart::Kind::kText) {
    parts_.back().text += text;
  } else {
    parts_.push_back({StringPart::Kind::kText, std::string(text)});
  }
}

void SigmaString::add(StringPart::Kind kind, std::string text) {
  if (kind == StringPart::Kind::kText) {
    add_text(text);
  } else if (kind == StringPart::Kind::kAnyChars && ends_with_any()) {
    return;  // `**` means the same as `*`
  } else {
    parts_.push_back({kind, std::move(text)});
  }
}

void SigmaString::append(const SigmaString& other) {
  for (const StringPart& part : other.parts_) add(part.kind, part.text);
}

}  // namespace agentsweep::rules
