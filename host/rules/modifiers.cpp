/** @file
 * The modifier pipeline: one function per modifier family, dispatched by name.
 */
#include "host/rules/modifiers.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "host/rules/ip_network.hpp"
#include "host/rules/string_encodings.hpp"

namespace agentsweep::rules {
namespace {

std::string describe(const SigmaValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, StringValue>) return "the string '" + v.original + "'";
        if constexpr (std::is_same_v<T, RegexValue>)
          return "the regular expression '" + v.regex + "'";
        if constexpr (std::is_same_v<T, NumberValue>) return "the number " + v.written;
        if constexpr (std::is_same_v<T, BoolValue>) return v.value ? "true" : "false";
        if constexpr (std::is_same_v<T, NullValue>) return "null";
        if constexpr (std::is_same_v<T, CompareValue>) return "a comparison";
        if constexpr (std::is_same_v<T, CidrValue>) return "a network";
        if constexpr (std::is_same_v<T, FieldRefValue>) return "a field reference";
        if constexpr (std::is_same_v<T, ExistsValue>) return "an existence test";
      },
      value);
}

[[noreturn]] void not_for(const std::string& modifier, const SigmaValue& value,
                          const std::string& advice = {}) {
  throw ModifierError("modifier '" + modifier + "' does not apply to " + describe(value) +
                      (advice.empty() ? "" : "; " + advice));
}

/// The value as a string: numbers and booleans are taken as written, since a string
/// modifier on them can only mean their text.
StringValue* as_string(SigmaValue& value) {
  std::string text;
  if (const auto* number = std::get_if<NumberValue>(&value)) {
    text = number->written;
  } else if (const auto* boolean = std::get_if<BoolValue>(&value)) {
    text = boolean->value ? "true" : "false";
  } else {
    return std::get_if<StringValue>(&value);
  }
  StringValue s;
  s.alternatives = {SigmaString::literal(text)};
  s.original = text;
  value = s;
  return &std::get<StringValue>(value);
}

StringValue& string_for(const std::string& modifier, SigmaValue& value) {
  StringValue* s = as_string(value);
  if (s == nullptr) not_for(modifier, value);
  return *s;
}

/// For modifiers that read the value as written (re, cidr, fieldref, exists).
StringValue& untransformed_string_for(const std::string& modifier, SigmaValue& value) {
  StringValue& s = string_for(modifier, value);
  if (s.transformed)
    throw ModifierError("modifier '" + modifier +
                        "' must come first: it reads the value as written, before other "
                        "modifiers change it");
  return s;
}

void wildcards_around(const std::string& modifier, SigmaValue& value) {
  const bool start = modifier != "startswith";  // contains and endswith: anything before
  const bool end = modifier != "endswith";      // contains and startswith: anything after
  if (auto* regex = std::get_if<RegexValue>(&value)) {
    // A regex matches anywhere already; startswith/endswith pin it to one end.
    if (modifier == "startswith") regex->anchor_start = true;
    if (modifier == "endswith") regex->anchor_end = true;
    return;
  }
  if (auto* ref = std::get_if<FieldRefValue>(&value)) {
    const bool was_start = ref->how == FieldRefMatch::kStartsWith;
    const bool was_end = ref->how == FieldRefMatch::kEndsWith;
    if (modifier == "contains" || (modifier == "startswith" && was_end) ||
        (modifier == "endswith" && was_start)) {
      ref->how = FieldRefMatch::kContains;
    } else if (ref->how == FieldRefMatch::kEquals) {
      ref->how = modifier == "startswith" ? FieldRefMatch::kStartsWith : FieldRefMatch::kEndsWith;
    }
    return;
  }
  StringValue& s = string_for(modifier, value);
  for (SigmaString& alt : s.alternatives) {
    if (start) alt.prepend_any();
    if (end) alt.append_any();
  }
  s.transformed = true;
}

void encode_base64(const std::string& modifier, SigmaValue& value) {
  StringValue& s = string_for(modifier, value);
  std::vector<SigmaString> encoded;
  for (const SigmaString& alt : s.alternatives) {
    if (alt.has_wildcards() || alt.has_placeholders())
      throw ModifierError("modifier '" + modifier + "' cannot encode " + describe(value) +
                          ": it has wildcards or placeholders, whose base64 form is unknown; "
                          "write the value without them");
    const std::string bytes = alt.plain_text();
    if (modifier == "base64") {
      encoded.push_back(SigmaString::literal(base64(bytes)));
      continue;
    }
    for (const std::string& form : base64_offsets(bytes)) {
      if (form.empty())
        throw ModifierError("modifier 'base64offset' needs at least 3 bytes of value, " +
                            describe(value) +
                            " is shorter: one of its shifted base64 forms would be empty "
                            "and match everything");
      encoded.push_back(SigmaString::literal(form));
    }
  }
  s.alternatives = std::move(encoded);
  s.transformed = true;
}

void encode_utf16(const std::string& modifier, SigmaValue& value) {
  StringValue& s = string_for(modifier, value);
  const Utf16Form form = modifier == "utf16be" ? Utf16Form::kBigEndian
                         : modifier == "utf16" ? Utf16Form::kLittleEndianWithBom
                                               : Utf16Form::kLittleEndian;
  try {
    for (SigmaString& alt : s.alternatives) alt = utf16(alt, form);
  } catch (const std::invalid_argument& e) {
    throw ModifierError("modifier '" + modifier + "' cannot encode " + describe(value) + ": " +
                        e.what());
  }
  s.transformed = true;
}

void expand_windash(const std::string& modifier, SigmaValue& value) {
  StringValue& s = string_for(modifier, value);
  std::vector<SigmaString> variants;
  try {
    for (const SigmaString& alt : s.alternatives)
      for (SigmaString& v : windash_variants(alt)) variants.push_back(std::move(v));
  } catch (const std::invalid_argument& e) {
    throw ModifierError("modifier 'windash' on " + describe(value) + ": " + e.what());
  }
  s.alternatives = std::move(variants);
  s.transformed = true;
}

void insert_placeholders(const std::string& modifier, SigmaValue& value) {
  StringValue& s = string_for(modifier, value);
  for (SigmaString& alt : s.alternatives) alt = alt.with_placeholders();
  s.transformed = true;
}

void make_cased(const std::string& modifier, SigmaValue& value) {
  string_for(modifier, value).cased = true;
}

void make_regex(const std::string& modifier, SigmaValue& value) {
  const StringValue& s = untransformed_string_for(modifier, value);
  RegexValue regex;
  regex.regex = s.original;
  value = regex;
}

void set_regex_flag(const std::string& modifier, SigmaValue& value) {
  auto* regex = std::get_if<RegexValue>(&value);
  if (regex == nullptr) not_for(modifier, value, "it is a flag of 're', write it after re");
  if (modifier == "i" || modifier == "ignorecase") regex->ignore_case = true;
  if (modifier == "m" || modifier == "multiline") regex->multiline = true;
  if (modifier == "s" || modifier == "dotall") regex->dot_all = true;
}

void make_cidr(const std::string& modifier, SigmaValue& value) {
  const StringValue& s = untransformed_string_for(modifier, value);
  const auto network = parse_network(s.original);
  if (!network)
    throw ModifierError("'" + s.original +
                        "' is not an IPv4 or IPv6 network; write it like 10.0.0.0/8 or "
                        "2001:db8::/32");
  value = CidrValue{*network};
}

void make_fieldref(const std::string& modifier, SigmaValue& value) {
  const StringValue& s = untransformed_string_for(modifier, value);
  if (s.alternatives.front().has_wildcards())
    throw ModifierError("a field reference names a field, '" + s.original +
                        "' has wildcards; remove them");
  FieldRefValue ref;
  ref.field = s.alternatives.front().plain_text();
  value = ref;
}

void make_exists(const std::string& modifier, SigmaValue& value) {
  const auto* boolean = std::get_if<BoolValue>(&value);
  if (boolean == nullptr) not_for(modifier, value, "write exists: true or exists: false");
  value = ExistsValue{boolean->value};
}

/// The number a numeric modifier compares with: a YAML number, or a string spelling one.
std::optional<Number> number_of(const SigmaValue& value) {
  if (const auto* n = std::get_if<NumberValue>(&value)) return n->number;
  if (const auto* s = std::get_if<StringValue>(&value); s != nullptr && !s->transformed) {
    const Scalar scalar = resolve_scalar(s->original, true);
    if (scalar.type == Scalar::Type::kNumber) return scalar.number;
  }
  return std::nullopt;
}

void make_comparison(const std::string& modifier, SigmaValue& value) {
  static const std::map<std::string, Comparison> kComparisons = {
      {"gt", Comparison::kGreater},
      {"gte", Comparison::kGreaterOrEqual},
      {"lt", Comparison::kLess},
      {"lte", Comparison::kLessOrEqual}};
  const Comparison comparison = kComparisons.at(modifier);
  if (auto* compare = std::get_if<CompareValue>(&value);
      compare != nullptr && compare->part && compare->comparison == Comparison::kEqual) {
    compare->comparison = comparison;
    return;
  }
  const auto number = number_of(value);
  if (!number) not_for(modifier, value, "it compares numbers");
  value = CompareValue{comparison, *number, std::nullopt};
}

void make_time_part(const std::string& modifier, SigmaValue& value) {
  static const std::map<std::string, TimePart> kParts = {
      {"minute", TimePart::kMinute}, {"hour", TimePart::kHour},   {"day", TimePart::kDay},
      {"week", TimePart::kWeek},     {"month", TimePart::kMonth}, {"year", TimePart::kYear}};
  const auto number = number_of(value);
  if (!number || !number->is_integer) not_for(modifier, value, "it compares a whole number");
  value = CompareValue{Comparison::kEqual, *number, kParts.at(modifier)};
}

using ValueModifier = std::function<void(const std::string&, SigmaValue&)>;

const std::map<std::string, ValueModifier>& value_modifiers() {
  static const std::map<std::string, ValueModifier> kModifiers = {
      {"contains", wildcards_around},
      {"startswith", wildcards_around},
      {"endswith", wildcards_around},
      {"base64", encode_base64},
      {"base64offset", encode_base64},
      {"utf16le", encode_utf16},
      {"wide", encode_utf16},
      {"utf16be", encode_utf16},
      {"utf16", encode_utf16},
      {"windash", expand_windash},
      {"expand", insert_placeholders},
      {"cased", make_cased},
      {"re", make_regex},
      {"i", set_regex_flag},
      {"ignorecase", set_regex_flag},
      {"m", set_regex_flag},
      {"multiline", set_regex_flag},
      {"s", set_regex_flag},
      {"dotall", set_regex_flag},
      {"cidr", make_cidr},
      {"fieldref", make_fieldref},
      {"exists", make_exists},
      {"gt", make_comparison},
      {"gte", make_comparison},
      {"lt", make_comparison},
      {"lte", make_comparison},
      {"minute", make_time_part},
      {"hour", make_time_part},
      {"day", make_time_part},
      {"week", make_time_part},
      {"month", make_time_part},
      {"year", make_time_part},
  };
  return kModifiers;
}

SigmaValue initial_value(const Scalar& scalar) {
  switch (scalar.type) {
    case Scalar::Type::kString: {
      StringValue s;
      s.alternatives = {SigmaString::parse(scalar.text)};
      s.original = scalar.text;
      return s;
    }
    case Scalar::Type::kNumber:
      return NumberValue{scalar.number, scalar.text};
    case Scalar::Type::kBoolean:
      return BoolValue{scalar.boolean};
    case Scalar::Type::kNull:
      return NullValue{};
  }
  return NullValue{};
}

std::string known_modifiers() {
  std::string names = "all, neq";
  for (const auto& [name, modifier] : value_modifiers()) names += ", " + name;
  return names;
}

}  // namespace

ModifiedItem apply_modifiers(std::optional<std::string> field,
                             const std::vector<std::string>& modifiers,
                             const std::vector<Scalar>& values) {
  ModifiedItem item;
  item.field = std::move(field);
  for (const Scalar& scalar : values) item.values.push_back(initial_value(scalar));
  for (const std::string& name : modifiers) {
    if (name == "all") {
      item.match_all = true;
      continue;
    }
    if (name == "neq") {
      item.negated = true;
      continue;
    }
    const auto found = value_modifiers().find(name);
    if (found == value_modifiers().end())
      throw ModifierError("unknown modifier '" + name + "'; Sigma's modifiers are " +
                          known_modifiers());
    if (name == "exists" && !item.field)
      throw ModifierError("modifier 'exists' needs a field: write Field|exists: true");
    for (SigmaValue& value : item.values) found->second(name, value);
  }
  return item;
}

}  // namespace agentsweep::rules
