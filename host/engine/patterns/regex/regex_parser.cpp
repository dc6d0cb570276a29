/** @file
 * One-pass parser for the linear-time subset of RE2 syntax. It follows
 * RE2's parse.cc rule by rule (which "{" is a literal, which escapes
 * exist, how flags scope, how (?i) folds classes) so that an accepted pattern
 * means what it means in RE2. What RE2 rejects is rejected here too, plus \C,
 * which matches single bytes and so does not fit a code point engine.
 */
#include "host/engine/patterns/regex/regex_parser.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/engine/patterns/regex/codepoint_set.hpp"
#include "host/engine/patterns/regex/named_classes.hpp"
#include "host/engine/patterns/regex/unicode_tables.hpp"

namespace agentsweep::engine::regex {

namespace {

/// Groups nest at most this deep. The parser keeps open groups on the heap,
/// but the compiler's tree walkers recurse, so the tree depth stays bounded.
constexpr std::size_t kMaxNesting = 1000;

struct Flags {
  bool fold_case = false;   ///< (?i)
  bool multi_line = false;  ///< (?m): ^ and $ also match next to "\n"
  bool dot_nl = false;      ///< (?s): . also matches "\n"
};

struct Repetition {
  int min = 0;
  int max = -1;
};

struct Utf8Char {
  char32_t code_point = 0;
  std::size_t length = 0;
};

/// Decodes one UTF-8 sequence as RE2 does: overlong forms, values above
/// U+10FFFF and broken sequences are invalid, encoded surrogates are accepted.
std::optional<Utf8Char> decode_utf8(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return Utf8Char{lead, 1};
  std::size_t length = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
  } else {
    return std::nullopt;
  }
  if (text.size() - pos < length) return std::nullopt;
  char32_t value = lead & (0x7Fu >> length);  // the lead byte's payload bits
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (byte(pos + i) & 0x3Fu);
  }
  // Below the smallest value that needs `length` bytes is an overlong form.
  constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kSmallest[length] || value > kMaxCodepoint) return std::nullopt;
  return Utf8Char{value, length};
}

bool is_ascii_alnum(char c) {
  return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z');
}

bool is_decimal_digit(char c) {
  return '0' <= c && c <= '9';
}

bool is_octal_digit(char c) {
  return '0' <= c && c <= '7';
}

int hex_value(char c) {
  if ('0' <= c && c <= '9') return c - '0';
  if ('a' <= c && c <= 'f') return c - 'a' + 10;
  if ('A' <= c && c <= 'F') return c - 'A' + 10;
  return -1;
}

RegexNode chars_node(CodepointSet set) {
  RegexNode node;
  node.kind = RegexNode::Kind::kChars;
  node.chars = std::move(set);
  return node;
}

RegexNode assert_node(Assertion assertion) {
  RegexNode node;
  node.kind = RegexNode::Kind::kAssert;
  node.assertion = assertion;
  return node;
}

RegexNode repeat_node(RegexNode child, Repetition repetition) {
  RegexNode node;
  node.kind = RegexNode::Kind::kRepeat;
  node.min = repetition.min;
  node.max = repetition.max;
  node.children.push_back(std::move(child));
  return node;
}

/// Zero items match the empty string, one needs no kConcat around it.
RegexNode concat_node(std::vector<RegexNode> items) {
  if (items.empty()) return RegexNode{};
  if (items.size() == 1) return std::move(items.front());
  RegexNode node;
  node.kind = RegexNode::Kind::kConcat;
  node.children = std::move(items);
  return node;
}

RegexNode alternate_node(std::vector<RegexNode> alternatives) {
  if (alternatives.size() == 1) return std::move(alternatives.front());
  RegexNode node;
  node.kind = RegexNode::Kind::kAlternate;
  node.children = std::move(alternatives);
  return node;
}

/// The alternatives of one group, or of the whole pattern, read so far.
struct Alternation {
  std::vector<RegexNode> alternatives;
  std::vector<RegexNode> items;  ///< of the alternative being read

  void next_alternative() { alternatives.push_back(concat_node(std::exchange(items, {}))); }
  RegexNode finish() {
    next_alternative();
    return alternate_node(std::move(alternatives));
  }
};

/// A group whose ")" has not been read yet.
struct OpenGroup {
  std::size_t start = 0;  ///< of its "("
  Flags outside;          ///< the flags to restore at its ")"
  Alternation enclosing;  ///< what the enclosing group had read before it
};

/// The largest product of counted repetitions along any path from `node`
/// down, capped just above kMaxRepeat. RE2 rejects nesting such as
/// (a{100}){100} when this exceeds kMaxRepeat; unbounded counts weigh their
/// minimum and zero counts nothing, as in RE2's RepetitionWalker.
int repetition_product(const RegexNode& node) {
  int below = 1;
  for (const RegexNode& child : node.children) below = std::max(below, repetition_product(child));
  if (node.kind != RegexNode::Kind::kRepeat) return below;
  const int count = node.max < 0 ? node.min : node.max;
  return count > 0 ? std::min(below * count, kMaxRepeat + 1) : below;
}

/// Messages for escapes that are not part of RE2 syntax, keyed by letter.
std::string unsupported_escape_message(char letter) {
  switch (letter) {
    case 'C':
      return "\\C (any single byte) is not supported: patterns match whole UTF-8 characters; "
             "write . instead";
    case 'Z':
      return "\\Z is not supported (RE2 has no \\Z); write \\z or $ for the end of the text";
    case 'b':
      return "\\b is a word boundary and has no meaning in a character class; write \\x08 for a "
             "backspace";
    case 'B':
    case 'A':
    case 'z':
      return std::string("\\") + letter +
             " is an assertion and has no meaning in a character class";
    case 'd':
    case 'D':
    case 's':
    case 'S':
    case 'w':
    case 'W':
    case 'p':
    case 'P':
      return std::string("\\") + letter +
             " is a class, not a single character, so it cannot end a range; "
             "list it on its own, e.g. [a\\d-]";
    case 'Q':
    case 'E':
      return "\\Q...\\E quotes literal text outside character classes only; "
             "escape each character instead, e.g. [\\*\\]]";
    case 'K':
      return "\\K (reset the match start) is not supported: the engine reports matching lines, "
             "so remove it";
    case 'G':
      return "\\G is not supported; write \\A or ^ for the start of the text";
    case 'k':
    case 'g':
      return "backreferences are not supported: they need backtracking, and the engine runs in "
             "linear time; match the repeated text explicitly";
    case 'u':
    case 'U':
      return std::string("\\") + letter + " is not supported; write \\x{hhhh} for a code point";
    case 'e':
      return "\\e is not supported; write \\x1B for the escape character";
    case 'c':
      return "control escapes \\cX are not supported; write the code point as \\x01 .. \\x1F";
    case 'o':
      return "\\o{...} is not supported; write octal as \\0nn or a code point as \\x{hhhh}";
    default:
      return std::string("unknown escape \\") + letter +
             "; only punctuation may be escaped (\\. \\* \\\\), see docs/patterns.md for the "
             "escapes that exist";
  }
}

class Parser {
 public:
  Parser(std::string_view pattern, const ParseOptions& options) : pattern_(pattern) {
    flags_.fold_case = options.case_insensitive;
  }

  /// Open groups are kept in a vector rather than on the call stack, so deep
  /// nesting cannot overflow it.
  RegexNode parse_pattern() {
    check_utf8();
    Alternation current;
    std::vector<OpenGroup> open;
    // Where the repetition operator just before started, if the last token was one.
    std::optional<std::size_t> repetition_start;
    while (!at_end()) {
      const std::size_t start = pos_;
      const std::optional<std::size_t> previous = std::exchange(repetition_start, std::nullopt);
      if (peek() == '|') {
        ++pos_;
        current.next_alternative();
      } else if (peek() == '(') {
        Flags inside = flags_;
        if (!parse_group_opening(inside)) continue;  // (?flags): no group opened
        if (open.size() >= kMaxNesting)
          fail(start, "groups nest more than 1000 deep here; simplify the pattern");
        open.push_back({start, std::exchange(flags_, inside), std::exchange(current, {})});
      } else if (peek() == ')') {
        if (open.empty())
          fail(pos_, "unexpected ): no group is open here; write \\) for a literal parenthesis");
        ++pos_;
        RegexNode group = current.finish();
        flags_ = open.back().outside;
        current = std::move(open.back().enclosing);
        open.pop_back();
        current.items.push_back(std::move(group));
      } else if (const std::optional<Repetition> repetition = scan_repetition()) {
        if (previous) fail_stacked_repetition(*previous, start);
        apply_repetition(current.items, *repetition, start);
        repetition_start = start;
      } else {
        parse_atom(current.items);
      }
    }
    if (!open.empty())
      fail(open.back().start,
           "missing ) to close the group opened here; write \\( for a literal parenthesis");
    return current.finish();
  }

  RegexNode parse_literal() {
    check_utf8();
    std::vector<RegexNode> items;
    while (!at_end()) items.push_back(literal_node(next_code_point()));
    return concat_node(std::move(items));
  }

 private:
  [[noreturn]] void fail(std::size_t position, const std::string& message) const {
    throw RegexError(position, message);
  }

  bool at_end() const { return pos_ >= pattern_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < pattern_.size() ? pattern_[pos_ + ahead] : '\0';
  }
  bool looking_at(std::string_view text) const { return pattern_.substr(pos_).starts_with(text); }
  std::string_view text_from(std::size_t start) const {
    return pattern_.substr(start, pos_ - start);
  }

  void check_utf8() const {
    for (std::size_t pos = 0; pos < pattern_.size();) {
      const auto decoded = decode_utf8(pattern_, pos);
      if (!decoded)
        fail(pos,
             "the pattern is not valid UTF-8 here; save it as UTF-8, or write the character "
             "as a code point, e.g. \\x{E9} for é");
      pos += decoded->length;
    }
  }

  /// The pattern was validated up front, so decoding cannot fail here.
  char32_t next_code_point() {
    const Utf8Char decoded = *decode_utf8(pattern_, pos_);
    pos_ += decoded.length;
    return decoded.code_point;
  }

  CodepointSet folded_if_needed(CodepointSet set) const {
    return flags_.fold_case ? case_folded(set) : set;
  }

  /// Negating under (?i) folds first, then negates, as RE2 does: (?i)\W
  /// excludes U+212A KELVIN SIGN because \w contains k.
  CodepointSet class_piece(CodepointSet set, bool negated) const {
    CodepointSet folded = folded_if_needed(std::move(set));
    return negated ? complement(folded) : folded;
  }

  RegexNode literal_node(char32_t c) const { return chars_node(folded_if_needed({{c, c}})); }

  void parse_atom(std::vector<RegexNode>& items) {
    switch (peek()) {
      case '^':
        ++pos_;
        items.push_back(
            assert_node(flags_.multi_line ? Assertion::kBeginLine : Assertion::kBeginText));
        return;
      case '$':
        ++pos_;
        items.push_back(assert_node(flags_.multi_line ? Assertion::kEndLine : Assertion::kEndText));
        return;
      case '.':
        ++pos_;
        items.push_back(chars_node(flags_.dot_nl
                                       ? CodepointSet{{0, kMaxCodepoint}}
                                       : CodepointSet{{0, '\n' - 1}, {'\n' + 1, kMaxCodepoint}}));
        return;
      case '[':
        items.push_back(chars_node(parse_class()));
        return;
      case '\\':
        parse_escape(items);
        return;
      default:
        items.push_back(literal_node(next_code_point()));
    }
  }

  // ---- repetition ----------------------------------------------------------

  /// Consumes * + ? or a valid {n}, {n,}, {n,m}, each optionally lazy (a
  /// trailing ?, which changes nothing about which lines match). Anything
  /// else, including a "{" that does not form a count, is left alone.
  std::optional<Repetition> scan_repetition() {
    Repetition repetition;
    switch (peek()) {
      case '*':
        repetition = {0, -1};
        ++pos_;
        break;
      case '+':
        repetition = {1, -1};
        ++pos_;
        break;
      case '?':
        repetition = {0, 1};
        ++pos_;
        break;
      case '{': {
        const std::optional<Repetition> counted = scan_counts();
        if (!counted) return std::nullopt;
        repetition = *counted;
        break;
      }
      default:
        return std::nullopt;
    }
    if (peek() == '?') ++pos_;
    return repetition;
  }

  /// RE2's MaybeParseRepeat: "{" digits ["," [digits]] "}", no leading zeros.
  std::optional<Repetition> scan_counts() {
    std::size_t pos = pos_ + 1;
    const auto at = [&](std::size_t i) { return i < pattern_.size() ? pattern_[i] : '\0'; };
    const auto number = [&]() -> std::optional<int> {
      if (!is_decimal_digit(at(pos)) || (at(pos) == '0' && is_decimal_digit(at(pos + 1))))
        return std::nullopt;
      int value = 0;
      for (; is_decimal_digit(at(pos)); ++pos) {
        if (value >= 100000000) return std::nullopt;  // RE2 gives up here too: a literal "{"
        value = value * 10 + (at(pos) - '0');
      }
      return value;
    };
    const std::optional<int> min = number();
    if (!min) return std::nullopt;
    Repetition repetition{*min, *min};
    if (at(pos) == ',') {
      ++pos;
      const std::optional<int> max = at(pos) == '}' ? -1 : number();
      if (!max) return std::nullopt;
      repetition.max = *max;
    }
    if (at(pos) != '}') return std::nullopt;
    pos_ = pos + 1;
    return repetition;
  }

  [[noreturn]] void fail_stacked_repetition(std::size_t previous, std::size_t start) const {
    const std::string both(pattern_.substr(previous, pos_ - previous));
    if (pattern_[start] == '+')
      fail(previous, "possessive repetition " + both +
                         " is not supported: it steers backtracking, which this engine never "
                         "does; drop the final + if the pattern does not rely on it");
    fail(previous, "repetition operators cannot follow each other as in " + both +
                       "; keep one, or group the first: (?:a*)*");
  }

  void apply_repetition(std::vector<RegexNode>& items, Repetition repetition,
                        std::size_t start) const {
    const std::string op(text_from(start));
    if (repetition.max >= 0 && repetition.max < repetition.min)
      fail(start, "invalid repetition " + op + ": the maximum is smaller than the minimum");
    if (repetition.min > kMaxRepeat || repetition.max > kMaxRepeat)
      fail(start, "repetition count in " + op +
                      " is above 1000, RE2's limit; use a smaller count, or * or + for any number");
    if (items.empty())
      fail(start, "missing argument to repetition operator " + op +
                      ": put it after what it repeats, or escape it (\\" + op.substr(0, 1) +
                      ") to match it literally");
    RegexNode repeated = repeat_node(std::move(items.back()), repetition);
    if ((repetition.min >= 2 || repetition.max >= 2) && repetition_product(repeated) > kMaxRepeat)
      fail(start, "nested repetition counts multiply to more than 1000 at " + op +
                      ", RE2's limit; reduce the counts");
    items.back() = std::move(repeated);
  }

  // ---- groups and flags ----------------------------------------------------

  /// Reads "(" or "(?" with a name or flags. Returns true when a group opens
  /// (with `inside` its flags), false for (?flags), which changes flags_
  /// until the end of the enclosing group.
  bool parse_group_opening(Flags& inside) {
    const std::size_t start = pos_;
    if (peek(1) != '?') {
      ++pos_;
      return true;
    }
    pos_ += 2;
    return parse_group_prefix(start, inside);
  }

  /// After "(?": reads a group name or flags; returns as parse_group_opening.
  bool parse_group_prefix(std::size_t start, Flags& inside) {
    reject_unsupported_group(start);
    if (looking_at("P<") || looking_at("<")) {
      parse_group_name(start);
      return true;
    }
    bool negated = false;
    bool saw_flag = false;
    while (!at_end()) {
      const char c = peek();
      const std::size_t at = pos_;
      ++pos_;
      switch (c) {
        case 'i':
          inside.fold_case = !negated;
          break;
        case 'm':
          inside.multi_line = !negated;
          break;
        case 's':
          inside.dot_nl = !negated;
          break;
        case 'U':
          break;  // lazy by default: changes match length, never whether a line matches
        case '-':
          if (negated) fail(at, "only one - is allowed in a flag group, as in (?i-sm)");
          negated = true;
          saw_flag = false;
          continue;
        case ':':
        case ')':
          if (negated && !saw_flag)
            fail(at - 1, "- must be followed by the flags to turn off, as in (?-i)");
          if (c == ':') return true;
          flags_ = inside;
          return false;
        case 'x':
          fail(at,
               "flag x (free spacing) is not supported, as in RE2; remove the spaces and "
               "comments, or escape spaces as \\x20");
        default:
          fail(at, "unknown flag in (?" + std::string(text_from(start + 2)) +
                       ": the flags are i, m, s and U, as in (?i) or (?i:...)");
      }
      saw_flag = true;
    }
    fail(start, "missing ) after (?" + std::string(text_from(start + 2)) +
                    ": write (?flags) or (?flags:...)");
  }

  void reject_unsupported_group(std::size_t start) const {
    if (looking_at("=") || looking_at("!"))
      fail(start,
           "lookahead (?= and (?! is not supported: the engine matches in linear time "
           "without backtracking; match the text itself, or use \\b, ^ or $");
    if (looking_at("<=") || looking_at("<!"))
      fail(start,
           "lookbehind (?<= and (?<! is not supported: the engine matches in linear "
           "time without backtracking; match the text itself, or use \\b, ^ or $");
    if (looking_at("P=") || looking_at("P>") || looking_at("&"))
      fail(start,
           "named backreferences and subroutine calls are not supported: they need "
           "backtracking; repeat the group's pattern instead");
    if (looking_at(">"))
      fail(start,
           "atomic groups (?>...) are not supported: they steer backtracking, which this "
           "engine never does; write (?:...) if the pattern does not rely on it");
    if (looking_at("#"))
      fail(start, "comments (?#...) are not supported, as in RE2; remove the comment");
    if (looking_at("|"))
      fail(start, "branch reset groups (?|...) are not supported; write (?:...)");
    if (looking_at("R") || looking_at("+") || is_decimal_digit(peek()))
      fail(start, "recursion (?R) and (?1) is not supported; repeat the group's pattern instead");
    if (looking_at("P") && !looking_at("P<"))
      fail(start, "unknown group (?P: named groups are written (?P<name>...) or (?<name>...)");
  }

  /// Names may use letters, digits, marks and connector punctuation, as in
  /// RE2; they only group, since the engine reports lines, not submatches.
  void parse_group_name(std::size_t start) {
    pos_ += looking_at("P<") ? 2 : 1;
    const std::size_t name_start = pos_;
    const std::size_t close = pattern_.find('>', pos_);
    if (close == std::string_view::npos)
      fail(start, "missing > after the group name; write (?P<name>...)");
    if (close == name_start)
      fail(start, "empty group name; write (?P<name>...) or (?:...) for a group without a name");
    while (pos_ < close) {
      const std::size_t at = pos_;
      if (!is_name_character(next_code_point()))
        fail(at, "group names may contain only letters, digits and _; write (?P<name>...)");
    }
    ++pos_;
  }

  static bool is_name_character(char32_t c) {
    for (const char* category : {"Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Mn", "Mc", "Nd", "Pc"})
      if (contains(*find_general_category(category), c)) return true;
    return false;
  }

  // ---- escapes -------------------------------------------------------------

  /// An escape outside a character class; \Q...\E adds one item per character.
  void parse_escape(std::vector<RegexNode>& items) {
    const char letter = peek(1);
    switch (letter) {
      case 'b':
      case 'B':
        pos_ += 2;
        items.push_back(
            assert_node(letter == 'b' ? Assertion::kWordBoundary : Assertion::kNotWordBoundary));
        return;
      case 'A':
      case 'z':
        pos_ += 2;
        items.push_back(assert_node(letter == 'A' ? Assertion::kBeginText : Assertion::kEndText));
        return;
      case 'Q':
        pos_ += 2;
        while (!at_end() && !looking_at("\\E")) items.push_back(literal_node(next_code_point()));
        if (!at_end()) pos_ += 2;
        return;
      case 'p':
      case 'P':
        items.push_back(chars_node(parse_unicode_class()));
        return;
      case 'd':
      case 'D':
      case 's':
      case 'S':
      case 'w':
      case 'W':
        items.push_back(chars_node(parse_perl_class()));
        return;
      default:
        items.push_back(literal_node(parse_escaped_code_point()));
    }
  }

  CodepointSet parse_perl_class() {
    const char letter = peek(1);
    pos_ += 2;
    const bool negated = 'A' <= letter && letter <= 'Z';
    return class_piece(*perl_class(static_cast<char>(negated ? letter - 'A' + 'a' : letter)),
                       negated);
  }

  /// \pL, \p{Greek}, \PL, \p{^Greek}; at the backslash.
  CodepointSet parse_unicode_class() {
    const std::size_t start = pos_;
    bool negated = peek(1) == 'P';
    pos_ += 2;
    if (at_end()) fail(start, "\\p needs a class name: \\pL or \\p{Greek}");
    std::string_view name;
    if (peek() == '{') {
      const std::size_t close = pattern_.find('}', pos_);
      if (close == std::string_view::npos)
        fail(start, "missing } after \\p{; write \\p{Name}, e.g. \\p{Greek}");
      name = pattern_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
    } else {
      const std::size_t name_start = pos_;
      next_code_point();
      name = text_from(name_start);
    }
    if (name.starts_with('^')) {
      negated = !negated;
      name.remove_prefix(1);
    }
    std::optional<CodepointSet> set = unicode_class(name);
    if (!set)
      fail(start, "unknown Unicode class " + std::string(text_from(start)) +
                      "; use a general category (L, Lu, Nd, P, ...) or a script (Greek, Latin, "
                      "Han, ...); names are case-sensitive");
    return class_piece(std::move(*set), negated);
  }

  /// One code point written as an escape, at the backslash: octal, \x, C
  /// escapes like \n, or escaped ASCII punctuation.
  char32_t parse_escaped_code_point() {
    const std::size_t start = pos_;
    if (pos_ + 1 >= pattern_.size())
      fail(start, "the pattern ends with a lone \\; write \\\\ for a literal backslash");
    const char letter = pattern_[pos_ + 1];
    pos_ += 2;
    if ('1' <= letter && letter <= '9' && !(letter <= '7' && is_octal_digit(peek())))
      fail(start, "backreferences like \\" + std::string(1, letter) +
                      " are not supported: they need backtracking, and the engine runs in linear "
                      "time; match the repeated text explicitly");
    if (is_octal_digit(letter)) {
      char32_t value = static_cast<char32_t>(letter - '0');
      for (int more = 0; more < 2 && is_octal_digit(peek()); ++more, ++pos_)
        value = value * 8 + static_cast<char32_t>(peek() - '0');
      return value;
    }
    switch (letter) {
      case 'a':
        return '\a';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'x':
        return parse_hex_escape(start);
      default:
        break;
    }
    if (static_cast<unsigned char>(letter) < 0x80 && !is_ascii_alnum(letter)) return letter;
    if (static_cast<unsigned char>(letter) >= 0x80)
      fail(start,
           "only ASCII punctuation may be escaped; write " +
               std::string(pattern_.substr(pos_ - 1, decode_utf8(pattern_, pos_ - 1)->length)) +
               " without the backslash");
    fail(start, unsupported_escape_message(letter));
  }

  /// \xHH or \x{H...} up to 10FFFF; pos_ is just after "\x".
  char32_t parse_hex_escape(std::size_t start) {
    const std::string usage =
        "; write two hex digits (\\x41) or a code point in braces (\\x{1F600}), up to \\x{10FFFF}";
    if (peek() == '{') {
      const std::size_t first_digit = ++pos_;
      char32_t value = 0;
      for (; !at_end() && hex_value(peek()) >= 0; ++pos_) {
        value = value * 16 + static_cast<char32_t>(hex_value(peek()));
        if (value > kMaxCodepoint) fail(start, "code point too large in \\x{...}" + usage);
      }
      if (at_end() || peek() != '}' || pos_ == first_digit)
        fail(start, "invalid \\x{...} escape" + usage);
      ++pos_;
      return value;
    }
    if (hex_value(peek()) < 0 || hex_value(peek(1)) < 0) fail(start, "invalid \\x escape" + usage);
    const auto value = static_cast<char32_t>(hex_value(peek()) * 16 + hex_value(peek(1)));
    pos_ += 2;
    return value;
  }

  // ---- character classes ---------------------------------------------------

  /// [...] or [^...], at the "[". Under (?i) the members are folded first
  /// and a negated class is negated afterwards, as in RE2.
  CodepointSet parse_class() {
    const std::size_t start = pos_++;
    const bool negated = peek() == '^';
    if (negated) ++pos_;
    std::vector<CodepointRange> members;
    for (bool first = true; first || peek() != ']'; first = false) {
      if (at_end()) fail_unclosed_class(start);
      if (looking_at("[:") && pattern_.size() - pos_ > 2) {
        if (std::optional<CodepointSet> posix = parse_posix_class()) {
          members.insert(members.end(), posix->begin(), posix->end());
          continue;
        }
      }
      if (peek() == '\\' && pattern_.size() - pos_ > 2 && (peek(1) == 'p' || peek(1) == 'P')) {
        const CodepointSet unicode = parse_unicode_class();
        members.insert(members.end(), unicode.begin(), unicode.end());
        continue;
      }
      if (peek() == '\\' && std::string_view("dDsSwW").find(peek(1)) != std::string_view::npos) {
        const CodepointSet perl = parse_perl_class();
        members.insert(members.end(), perl.begin(), perl.end());
        continue;
      }
      members.push_back(parse_class_range(start));
    }
    ++pos_;  // ']'
    CodepointSet set = folded_if_needed(normalized(std::move(members)));
    return negated ? complement(set) : set;
  }

  [[noreturn]] void fail_unclosed_class(std::size_t class_start) const {
    fail(class_start,
         "missing ] to close the character class opened here; write \\[ for a literal bracket");
  }

  /// [:alpha:] or [:^alpha:] at "[:"; nullopt (nothing consumed) when no ":]"
  /// follows anywhere, in which case RE2 reads "[" as a plain member.
  std::optional<CodepointSet> parse_posix_class() {
    const std::size_t start = pos_;
    const std::size_t close = pattern_.find(":]", pos_ + 2);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view name = pattern_.substr(pos_ + 2, close - pos_ - 2);
    pos_ = close + 2;
    const bool negated = name.starts_with('^');
    if (negated) name.remove_prefix(1);
    std::optional<CodepointSet> set = posix_class(name);
    if (!set)
      fail(start, "unknown POSIX class " + std::string(text_from(start)) +
                      "; the classes are alnum, alpha, ascii, blank, cntrl, digit, graph, lower, "
                      "print, punct, space, upper, word and xdigit");
    return class_piece(std::move(*set), negated);
  }

  /// "a", "a-z" or "-"; a "-" right before "]" is a member, not a range.
  CodepointRange parse_class_range(std::size_t class_start) {
    const std::size_t start = pos_;
    const char32_t lo = parse_class_character(class_start);
    if (peek() != '-' || pattern_.size() - pos_ < 2 || peek(1) == ']') return {lo, lo};
    ++pos_;
    const char32_t hi = parse_class_character(class_start);
    if (hi < lo)
      fail(start, "invalid range " + std::string(text_from(start)) +
                      " in character class: the first character must not come after the last");
    return {lo, hi};
  }

  char32_t parse_class_character(std::size_t class_start) {
    if (at_end()) fail_unclosed_class(class_start);
    return peek() == '\\' ? parse_escaped_code_point() : next_code_point();
  }

  std::string_view pattern_;
  std::size_t pos_ = 0;
  Flags flags_;
};

}  // namespace

RegexNode parse_regex(std::string_view pattern, const ParseOptions& options) {
  Parser parser(pattern, options);
  return options.literal ? parser.parse_literal() : parser.parse_pattern();
}

}  // namespace agentsweep::engine::regex
