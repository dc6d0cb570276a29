/** @file
 * Search identifiers to expressions, values to predicates, conditions to programs.
 */
#include "host/rules/detection_compiler.hpp"

#include <map>
#include <sstream>

#include "host/rules/condition_parser.hpp"
#include "host/rules/modifiers.hpp"
#include "host/rules/pattern_text.hpp"
#include "host/rules/predicate_table.hpp"
#include "host/rules/rule_error.hpp"
#include "host/rules/sigma_scalar.hpp"
#include "host/rules/yaml_documents.hpp"

namespace agentsweep::rules {
namespace {

using Kind = Expression::Kind;

[[noreturn]] void reject(int line, const std::string& reason) {
  throw RuleError(IssueKind::kRejected, line, reason);
}

ValuePredicate test_of(ValueTest test, int field = 0) {
  ValuePredicate v;
  v.test = test;
  v.field = field;
  return v;
}

StringValue text_value(const std::string& text) {
  StringValue v;
  v.alternatives = {SigmaString::literal(text)};
  v.original = text;
  return v;
}

Scalar scalar_of(const YAML::Node& node) {
  if (node.IsNull()) return resolve_scalar("", true);
  return resolve_scalar(node.Scalar(), node.Tag() == "?");  // "?": written without quotes
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::stringstream in(key);
  std::string part;
  while (std::getline(in, part, '|')) parts.push_back(part);
  if (parts.empty() || key.back() == '|') parts.push_back({});
  return parts;
}

class DetectionCompiler {
 public:
  explicit DetectionCompiler(const LoadOptions& options) : options_(options) {}

  PredicateTable& table() { return table_; }

  /// A search identifier's definition: a map of items, a list, or a keyword.
  Expression search(const YAML::Node& node) {
    if (node.IsMap()) {
      if (node.size() == 0) reject(line_of(node), "it is an empty map");
      check_unique_keys(node);
      std::vector<Expression> items;
      for (const auto& entry : node)
        items.push_back(item(entry.first.as<std::string>(), entry.second, line_of(entry.first)));
      return Expression::join(Kind::kAnd, std::move(items));
    }
    if (node.IsSequence()) {
      if (node.size() == 0) reject(line_of(node), "it is an empty list");
      bool all_scalars = true;
      for (const YAML::Node& element : node)
        all_scalars = all_scalars && !element.IsMap() && !element.IsSequence();
      if (all_scalars) return keywords(node, {}, line_of(node));
      std::vector<Expression> alternatives;
      for (const YAML::Node& element : node)
        alternatives.push_back(element.IsScalar() || element.IsNull()
                                   ? keywords(element, {}, line_of(element))
                                   : search(element));
      return Expression::join(Kind::kOr, std::move(alternatives));
    }
    return keywords(node, {}, line_of(node));
  }

 private:
  /// `field|modifier...: values`; an empty field means keywords with modifiers.
  Expression item(const std::string& key, const YAML::Node& values, int line) {
    std::vector<std::string> parts = split_key(key);
    std::optional<std::string> field;
    if (!parts.front().empty()) field = parts.front();
    parts.erase(parts.begin());
    if (!field) return keywords(values, parts, line);
    return compile_item(apply(field, parts, values, line, key), line, key);
  }

  Expression keywords(const YAML::Node& values, const std::vector<std::string>& modifiers,
                      int line) {
    return compile_item(apply(std::nullopt, modifiers, values, line, "keywords"), line, "keywords");
  }

  ModifiedItem apply(const std::optional<std::string>& field,
                     const std::vector<std::string>& modifiers, const YAML::Node& node, int line,
                     const std::string& what) {
    std::vector<Scalar> values;
    if (node.IsSequence()) {
      for (const YAML::Node& v : node) {
        if (v.IsMap() || v.IsSequence())
          reject(line_of(v), "'" + what +
                                 "': a value list holds strings, numbers, booleans or null, "
                                 "not nested lists or maps");
        values.push_back(scalar_of(v));
      }
      if (values.empty())
        values.push_back(scalar_of(YAML::Node()));  // [] means null, as in pySigma
    } else if (node.IsMap()) {
      reject(line_of(node), "'" + what +
                                "': the value is a map; write a value or a list of values, or "
                                "make the map its own search identifier");
    } else {
      values.push_back(scalar_of(node));
    }
    try {
      return apply_modifiers(field, modifiers, values);
    } catch (const ModifierError& e) {
      reject(line, "'" + what + "': " + e.what());
    }
  }

  Expression compile_item(const ModifiedItem& item, int line, const std::string& what) {
    try {
      std::vector<Expression> per_path;
      const std::vector<std::string> paths =
          item.field ? options_.fields.paths_of(*item.field) : std::vector<std::string>{{}};
      for (const std::string& path : paths) {
        const int field = item.field ? table_.field(path) : engine::kWholeLine;
        std::vector<Expression> per_value;
        for (const SigmaValue& value : item.values)
          per_value.push_back(compile_value(value, field));
        per_path.push_back(
            Expression::join(item.match_all ? Kind::kAnd : Kind::kOr, std::move(per_value)));
      }
      Expression e = Expression::join(Kind::kOr, std::move(per_path));
      return item.negated ? Expression::negate(std::move(e)) : e;
    } catch (const std::invalid_argument& e) {
      reject(line, "'" + what + "': " + e.what());
    }
  }

  Expression compile_value(const SigmaValue& value, int field) {
    const bool keyword = field == engine::kWholeLine;
    const auto needs_field = [&](const std::string& what) {
      if (keyword)
        throw std::invalid_argument(what + " needs a field; keywords search the whole event");
    };
    const auto test = [&](ValuePredicate v) {
      v.field = field;
      return Expression::value(table_.value(v));
    };
    if (const auto* s = std::get_if<StringValue>(&value)) return string_value(*s, field);
    if (const auto* r = std::get_if<RegexValue>(&value))
      return pattern(regex_pattern(*r), field, true);
    if (const auto* n = std::get_if<NumberValue>(&value)) {
      if (keyword) return string_value(text_value(n->written), field);
      ValuePredicate v = test_of(ValueTest::kNumber);
      v.number = n->number;
      v.text = n->written;
      return test(v);
    }
    if (const auto* b = std::get_if<BoolValue>(&value)) {
      const std::string text = b->value ? "true" : "false";
      if (keyword) return string_value(text_value(text), field);
      ValuePredicate v = test_of(ValueTest::kBoolean);
      v.boolean = b->value;
      return test(v);
    }
    if (std::holds_alternative<NullValue>(value)) {
      needs_field("null");
      return test(test_of(ValueTest::kNull));
    }
    if (const auto* c = std::get_if<CompareValue>(&value)) {
      needs_field("a comparison");
      ValuePredicate v = test_of(c->part ? ValueTest::kTimePart : ValueTest::kNumber);
      v.comparison = c->comparison;
      v.number = c->number;
      if (c->part) v.part = *c->part;
      return test(v);
    }
    if (const auto* n = std::get_if<CidrValue>(&value)) {
      needs_field("cidr");
      ValuePredicate v = test_of(ValueTest::kCidr);
      v.network = n->network;
      return test(v);
    }
    if (const auto* ref = std::get_if<FieldRefValue>(&value)) {
      needs_field("fieldref");
      std::vector<Expression> targets;
      for (const std::string& path : options_.fields.paths_of(ref->field)) {
        ValuePredicate v = test_of(ValueTest::kFieldRef);
        v.other_field = table_.field(path);
        v.how = ref->how;
        targets.push_back(test(v));
      }
      return Expression::join(Kind::kOr, std::move(targets));
    }
    const auto& exists = std::get<ExistsValue>(value);
    const Expression e = test(test_of(ValueTest::kExists));
    return exists.exists ? e : Expression::negate(e);
  }

  Expression string_value(const StringValue& value, int field) {
    StringValue substituted = value;
    substituted.alternatives.clear();
    for (const SigmaString& alt : value.alternatives)
      for (SigmaString& s : substitute(alt)) substituted.alternatives.push_back(std::move(s));
    if (field == engine::kWholeLine) return pattern(keyword_pattern(substituted), field, false);
    const FieldStringMatch match = field_string_pattern(substituted);
    std::vector<Expression> any;
    if (match.pattern) any.push_back(pattern(*match.pattern, field, false));
    if (match.empty_string)
      any.push_back(Expression::value(table_.value(test_of(ValueTest::kEmptyString, field))));
    if (match.any_value)
      any.push_back(Expression::value(table_.value(test_of(ValueTest::kScalar, field))));
    return Expression::join(Kind::kOr, std::move(any));
  }

  /// Every spelling of `s` with its placeholders replaced by their configured values.
  std::vector<SigmaString> substitute(const SigmaString& s) const {
    std::vector<SigmaString> out(1);
    for (const StringPart& part : s.parts()) {
      if (part.kind != StringPart::Kind::kPlaceholder) {
        for (SigmaString& o : out) o.add(part.kind, part.text);
        continue;
      }
      const auto* values = options_.placeholders.values_of(part.text);
      if (values == nullptr)
        throw std::invalid_argument("placeholder %" + part.text +
                                    "% has no values; list them in a placeholders file "
                                    "(rules check --placeholders FILE)");
      std::vector<SigmaString> next;
      for (const SigmaString& o : out) {
        for (const std::string& v : *values) {
          next.push_back(o);
          next.back().append(SigmaString::parse(v));
        }
      }
      out = std::move(next);
    }
    return out;
  }

  Expression pattern(engine::PatternSpec spec, int field, bool user_regex) {
    spec.field = field;
    if (user_regex) {
      // Generated patterns are valid by construction; a rule's own regex may not be.
      try {
        engine::compile_patterns({spec});
      } catch (const engine::PatternError& e) {
        throw std::invalid_argument("regular expression '" + spec.text + "', at byte " +
                                    std::to_string(e.position()) + ": " + e.what());
      }
    }
    return Expression::pattern(table_.pattern(spec));
  }

  const LoadOptions& options_;
  PredicateTable table_;
};

std::vector<std::pair<std::string, int>> conditions_of(const YAML::Node& node) {
  std::vector<std::pair<std::string, int>> out;
  if (node.IsScalar()) {
    out.emplace_back(node.Scalar(), line_of(node));
  } else if (node.IsSequence() && node.size() > 0) {
    for (const YAML::Node& c : node) {
      if (!c.IsScalar()) reject(line_of(c), "each condition of a condition list is a string");
      out.emplace_back(c.Scalar(), line_of(c));
    }
  } else {
    reject(line_of(node), "the condition must be a string or a list of strings");
  }
  return out;
}

}  // namespace

void compile_detection(const YAML::Node& detection, const LoadOptions& options,
                       CompiledRule& rule) {
  if (!detection || !detection.IsMap())
    reject(detection ? line_of(detection) : rule.info.line,
           "the rule needs a 'detection' map with search identifiers and a condition");
  try {
    check_unique_keys(detection);
  } catch (const YamlError& e) {
    reject(e.line(), e.what());
  }
  DetectionCompiler compiler(options);
  std::map<std::string, Expression> identifiers;
  int timeframe_line = 0;
  for (const auto& entry : detection) {
    const std::string name = entry.first.as<std::string>();
    if (name == "condition") continue;
    if (name == "timeframe") {  // Sigma 1.x: the window of an aggregation
      timeframe_line = line_of(entry.first);
      continue;
    }
    try {
      identifiers.emplace(name, compiler.search(entry.second));
    } catch (const RuleError& e) {
      throw RuleError(e.kind(), e.line(), "search identifier '" + name + "': " + e.what());
    } catch (const YamlError& e) {
      reject(e.line(), "search identifier '" + name + "': " + e.what());
    }
  }
  if (!detection["condition"]) reject(line_of(detection), "the detection has no condition");
  std::vector<Expression> alternatives;
  std::string aggregation;
  int aggregation_line = 0;
  for (const auto& [text, line] : conditions_of(detection["condition"])) {
    const auto condition_error = [&](std::size_t position, const char* message) {
      reject(line, "condition '" + text + "', at character " + std::to_string(position + 1) + ": " +
                       message);
    };
    const SplitCondition split = split_aggregation(text);
    try {
      alternatives.push_back(parse_condition(split.expression, identifiers));
    } catch (const ConditionError& e) {
      condition_error(e.position(), e.what());
    }
    if (split.expression.size() < text.size()) {
      try {
        check_aggregation(split.aggregation, identifiers);
      } catch (const ConditionError& e) {
        condition_error(split.aggregation_offset + e.position(), e.what());
      }
      aggregation = std::string(split.aggregation);
      aggregation_line = line;
    }
    rule.condition += (rule.condition.empty() ? "" : " or ") + text;
  }
  const Expression condition = Expression::join(Kind::kOr, std::move(alternatives));
  compiler.table().finish(condition, rule);
  if (!aggregation.empty())
    throw RuleError(IssueKind::kNotYetSupported, aggregation_line,
                    "the Sigma 1.x aggregation '| " + aggregation + "' is " + kNeedsAggregation +
                        "; Sigma 2 writes it as a correlation rule");
  if (timeframe_line > 0)
    throw RuleError(IssueKind::kNotYetSupported, timeframe_line,
                    std::string("'timeframe' asks for events correlated in a time window, which "
                                "is ") +
                        kNeedsAggregation);
}

}  // namespace agentsweep::rules
