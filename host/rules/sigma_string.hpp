/** @file
 * A Sigma string value: literal text interrupted by the wildcards `*` (any characters) and
 * `?` (one character), and, after the `expand` modifier, %placeholders%. Parsed with
 * Sigma's escaping: `\*`, `\?` and `\\` are the plain characters, a backslash before any
 * other character (or at the end) is itself, so `C:\Windows\*` means `C:\Windows\` then a
 * wildcard.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentsweep::rules {

struct StringPart {
  enum class Kind : std::uint8_t { kText, kAnyChars, kOneChar, kPlaceholder };
  Kind kind = Kind::kText;
  std::string text;  ///< kText: the bytes; kPlaceholder: the name between the % signs

  bool operator==(const StringPart&) const = default;
};

class SigmaString {
 public:
  SigmaString() = default;
  /// Parses a rule value with Sigma's wildcards and escaping.
  static SigmaString parse(std::string_view value);
  /// Text taken as it is, without wildcards.
  static SigmaString literal(std::string_view text);

  const std::vector<StringPart>& parts() const { return parts_; }
  bool has_wildcards() const;
  bool has_placeholders() const;
  /// The text of a string without wildcards or placeholders.
  std::string plain_text() const;

  bool starts_with_any() const;
  bool ends_with_any() const;
  void prepend_any();
  void append_any();

  /// Turns %name% in the text into placeholders (`expand`); `\%` is a plain percent sign.
  SigmaString with_placeholders() const;

  /// Appends, merging adjacent text.
  void add_text(std::string_view text);
  void add(StringPart::Kind kind, std::string text = {});
  void append(const SigmaString& other);

  bool operator==(const SigmaString&) const = default;

 private:
  std::vector<StringPart> parts_;
};

}  // namespace agentsweep::rules
