/** @file
 * A recursive-descent parser for Sigma conditions, producing expressions over the
 * compiled search identifiers.
 */
#include "host/rules/condition_parser.hpp"

#include <cctype>
#include <vector>

namespace agentsweep::rules {
namespace {

struct Token {
  std::string text;  ///< a word, "(", ")", or a comparison operator
  std::size_t position = 0;
};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '*' ||
         c == '.';
}

std::vector<Token> tokenize(std::string_view text, std::size_t offset) {
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({std::string(1, c), offset + i++});
    } else if (c == '<' || c == '>' || c == '=' || c == '!') {
      const std::size_t start = i;
      while (i < text.size() &&
             (text[i] == '<' || text[i] == '>' || text[i] == '=' || text[i] == '!'))
        ++i;
      tokens.push_back({std::string(text.substr(start, i - start)), offset + start});
    } else if (is_word_char(c)) {
      const std::size_t start = i;
      while (i < text.size() && is_word_char(text[i])) ++i;
      tokens.push_back({std::string(text.substr(start, i - start)), offset + start});
    } else {
      throw ConditionError(offset + i, std::string("unexpected character '") + c + "'");
    }
  }
  return tokens;
}

/// Whether `name` matches `pattern`, where `*` stands for any characters.
bool wildcard_match(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) return name.empty();
  if (pattern.front() == '*') {
    for (std::size_t skip = 0; skip <= name.size(); ++skip)
      if (wildcard_match(pattern.substr(1), name.substr(skip))) return true;
    return false;
  }
  return !name.empty() && pattern.front() == name.front() &&
         wildcard_match(pattern.substr(1), name.substr(1));
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::size_t end,
         const std::map<std::string, Expression>& identifiers)
      : tokens_(std::move(tokens)), end_(end), identifiers_(identifiers) {}

  Expression parse_all() {
    Expression e = parse_or();
    if (!at_end()) fail("unexpected '" + peek().text + "'; expected 'and', 'or' or the end");
    return e;
  }

 private:
  bool at_end() const { return next_ >= tokens_.size(); }
  const Token& peek() const { return tokens_[next_]; }
  bool accept(std::string_view word) {
    if (at_end() || peek().text != word) return false;
    ++next_;
    return true;
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw ConditionError(at_end() ? end_ : peek().position, message);
  }

  Expression parse_or() {
    std::vector<Expression> terms{parse_and()};
    while (accept("or")) terms.push_back(parse_and());
    return Expression::join(Expression::Kind::kOr, std::move(terms));
  }

  Expression parse_and() {
    std::vector<Expression> terms{parse_not()};
    while (accept("and")) terms.push_back(parse_not());
    return Expression::join(Expression::Kind::kAnd, std::move(terms));
  }

  Expression parse_not() {
    if (accept("not")) return Expression::negate(parse_not());
    return parse_atom();
  }

  Expression parse_atom() {
    if (at_end()) fail("the condition ends where a search identifier or '(' was expected");
    if (accept("(")) {
      Expression e = parse_or();
      if (!accept(")")) fail("missing ')'");
      return e;
    }
    const Token& token = peek();
    if (token.text == ")" || token.text == "and" || token.text == "or" || token.text == "of")
      fail("unexpected '" + token.text + "' where a search identifier or '(' was expected");
    ++next_;
    if (token.text == "1" || token.text == "any" || token.text == "all") {
      if (accept("of")) return parse_selector(token.text == "all");
    }
    const auto found = identifiers_.find(token.text);
    if (found == identifiers_.end()) {
      std::string known;
      for (const auto& [name, e] : identifiers_) known += (known.empty() ? "" : ", ") + name;
      throw ConditionError(token.position,
                           "unknown search identifier '" + token.text + "'; the detection " +
                               (known.empty() ? "defines none" : "defines " + known));
    }
    return found->second;
  }

  /// `1 of X*` / `all of them`, after the `of`.
  Expression parse_selector(bool all) {
    if (at_end()) fail("'of' must be followed by 'them' or a search identifier pattern");
    const Token& token = tokens_[next_++];
    const bool them = token.text == "them";
    // Identifiers starting with `_` are left out unless the pattern asks for them.
    const bool underscore = !them && token.text.front() == '_';
    std::vector<Expression> terms;
    for (const auto& [name, e] : identifiers_) {
      if (name.front() == '_' && !underscore) continue;
      if (them || wildcard_match(token.text, name)) terms.push_back(e);
    }
    if (terms.empty())
      throw ConditionError(token.position,
                           "'" + token.text + "' matches no search identifier of the detection");
    return Expression::join(all ? Expression::Kind::kAnd : Expression::Kind::kOr, std::move(terms));
  }

  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  std::size_t end_;
  const std::map<std::string, Expression>& identifiers_;
};

bool is_number(const std::string& text) {
  std::size_t i = text.front() == '-' ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i)
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0 && text[i] != '.') return false;
  return true;
}

}  // namespace

SplitCondition split_aggregation(std::string_view condition) {
  const std::size_t pipe = condition.find('|');
  if (pipe == std::string_view::npos) return {condition, {}, 0};
  std::size_t start = pipe + 1;
  while (start < condition.size() && std::isspace(static_cast<unsigned char>(condition[start])))
    ++start;
  std::size_t end = condition.size();
  while (end > start && std::isspace(static_cast<unsigned char>(condition[end - 1]))) --end;
  return {condition.substr(0, pipe), condition.substr(start, end - start), start};
}

Expression parse_condition(std::string_view text,
                           const std::map<std::string, Expression>& identifiers) {
  return Parser(tokenize(text, 0), text.size(), identifiers).parse_all();
}

void check_aggregation(std::string_view aggregation,
                       const std::map<std::string, Expression>& identifiers) {
  const std::vector<Token> tokens = tokenize(aggregation, 0);
  if (tokens.empty()) throw ConditionError(0, "nothing follows the pipe");
  if (tokens.front().text == "near") {
    if (tokens.size() == 1) throw ConditionError(aggregation.size(), "'near' needs a condition");
    Parser(std::vector<Token>(tokens.begin() + 1, tokens.end()), aggregation.size(), identifiers)
        .parse_all();
    return;
  }
  // function ( [field] ) [by field] op number
  static const char* const kFunctions[] = {"count", "min", "max", "avg", "sum"};
  std::size_t i = 0;
  const auto expect = [&](bool ok, const std::string& what) {
    if (!ok)
      throw ConditionError(i < tokens.size() ? tokens[i].position : aggregation.size(),
                           "expected " + what + " in the aggregation");
  };
  bool function = false;
  for (const char* f : kFunctions) function = function || tokens[0].text == f;
  expect(function, "count, min, max, avg, sum or near");
  ++i;
  expect(i < tokens.size() && tokens[i].text == "(", "'('");
  ++i;
  if (i < tokens.size() && tokens[i].text != ")") ++i;  // the field
  expect(i < tokens.size() && tokens[i].text == ")", "')'");
  ++i;
  if (i < tokens.size() && tokens[i].text == "by") {
    ++i;
    expect(i < tokens.size() && tokens[i].text != "(" && tokens[i].text != ")", "a field");
    ++i;
  }
  static const char* const kOperators[] = {"<", "<=", ">", ">=", "=", "=="};
  bool op = false;
  for (const char* o : kOperators) op = op || (i < tokens.size() && tokens[i].text == o);
  expect(op, "a comparison (<, <=, >, >=, ==)");
  ++i;
  expect(i < tokens.size() && is_number(tokens[i].text), "a number");
  ++i;
  expect(i == tokens.size(), "the end");
}

}  // namespace agentsweep::rules
