/** @file
 * The backends' value predicates (kernels/value_predicates.cuh) against the host reference
 * (rules::evaluate on nlohmann::json): every predicate of every ValueTest on hand-written and
 * random events, the fields located by kernels::scan_json_line, must give the same answer.
 * The leaves the two share, or that the reference takes from libraries, are checked against
 * independent answers: JSON numbers against strtod and nlohmann, ISO weeks against
 * std::chrono and known dates, addresses against inet_pton and known forms.
 */
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/engine/field_paths.hpp"
#include "host/rules/ip_network.hpp"
#include "host/rules/timestamp.hpp"
#include "host/rules/value_evaluator.hpp"
#include "host/rules/value_predicate_view.hpp"
#include "kernels/ip_address.cuh"
#include "kernels/json_number.cuh"
#include "kernels/json_scan.cuh"
#include "kernels/value_predicates.cuh"

namespace agentsweep::rules {
namespace {

using json = nlohmann::json;

template <class T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& pool) {
  return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
}

bool chance(std::mt19937_64& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}

int uniform(std::mt19937_64& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// ---- Values as JSON text ---------------------------------------------------------------

/// The fields of `text` between `separator`s, empty ones included.
std::vector<std::string> split(std::string_view text, char separator = ' ') {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    out.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

const std::vector<std::string> kNumberTokens = split(
    "0 -0 1 -1 5 10 31 4688 46880 1e3 1E3 1000 1000.0 1E-2 0.01 0.1 1e-1 "
    "0.10000000000000000555 1.5 -1.5 -0.0 0e0 2.5 3 52 53 2024 50000000 49999999 "
    "12345678901234567890 18446744073709551615 18446744073709551616 9223372036854775807 "
    "9223372036854775808 -9223372036854775808 -9223372036854775809 9007199254740993 "
    "9007199254740992 9007199254740993.0 1e308 1.7976931348623157e308 5e-324 "
    "4.9406564584124654e-324 1e-400 2.2250738585072014e-308 123456789012345678901234567890 "
    "0.30000000000000004 1.8446744073709552e19 9.2233720368547758e18 "
    "-9.2233720368547758e18 1e23 100000000000000000000000");

std::string random_digits(std::mt19937_64& rng, int count, bool leading_zero_ok) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out += static_cast<char>('0' + uniform(rng, i == 0 && !leading_zero_ok ? 1 : 0, 9));
  return out;
}

std::string random_number(std::mt19937_64& rng) {
  if (chance(rng, 0.4)) return pick(rng, kNumberTokens);
  std::string out = chance(rng, 0.3) ? "-" : "";
  out += chance(rng, 0.2) ? "0" : random_digits(rng, uniform(rng, 1, 24), false);
  if (chance(rng, 0.5)) out += "." + random_digits(rng, uniform(rng, 1, 22), true);
  if (chance(rng, 0.4)) {
    out += chance(rng, 0.5) ? "e" : "E";
    const int sign = uniform(rng, 0, 2);
    out += sign == 0 ? "" : sign == 1 ? "+" : "-";
    out += std::to_string(chance(rng, 0.7) ? uniform(rng, 0, 30) : uniform(rng, 0, 340));
  }
  return out;
}

/// Pieces of strings, raw JSON: escapes decode to what other pieces spell plainly.
const std::vector<std::string> kStringPieces = split(
    "a|b|c|A|B|\\u0061|\\u0062|x|\\n|\\\"|\\/|/|\xc3\xa9|\\u00e9|\\u00E9|\\ud83d\\ude00|"
    "\xf0\x9f\x98\x80| |0",
    '|');

const std::vector<std::string> kStrings = split(
    "|abc|ab|bc|ABC|a\\u0062c|4688|\\u0034688|04688|0x1F|0X1f|0x1f |1.5|1E3|1e3|true|null|"
    "abc\\u0000|46880|12345678901234567890|-0|0.1|50000000|31",
    '|');

std::string random_string(std::mt19937_64& rng) {
  if (chance(rng, 0.4)) return pick(rng, kStrings);
  std::string out;
  for (int n = uniform(rng, 0, 5); n > 0; --n) out += pick(rng, kStringPieces);
  return out;
}

const std::vector<std::string> kTimestamps = split(
    "2026-03-01T12:34:56.789Z|2020-12-31T23:59:59Z|2021-01-01|2021-01-03T00:00|"
    "2021-01-04 10:20|2024-12-30t01:02:03|2026-12-31|2015-12-31|2016-01-03|2008-12-29|"
    "2005-01-01|2010-01-03|2000-02-29|1900-02-29|2023-02-29|2024-02-29|2024-13-01|"
    "2024-00-10|2024-01-00|2024-01-32|2024-04-31|2024-01-01T24:00|2024-01-01T23:60|"
    "2024-01-01T10:2|2024-01-01X10:20|2024-01-01T10:20garbage|"
    "2024-01-01T10:20:30.123+05:00|2024-01-01 |2024\\u002d01-01T09:08|"
    "2024-01-01\\u005410:11|0000-01-01|9999-12-31T23:59|2024-1-01|20240101|2024/01/01|"
    "-2024-01-01|\\u0032024-06-15T05:06",
    '|');

std::string two_digits(int value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

std::string random_timestamp(std::mt19937_64& rng) {
  if (chance(rng, 0.3)) return pick(rng, kTimestamps);
  const std::vector<int> years = {0,    1900, 1999, 2000, 2004, 2009, 2015,
                                  2016, 2020, 2021, 2024, 2026, 9999};
  const int year = chance(rng, 0.5) ? pick(rng, years) : uniform(rng, 1000, 2999);
  std::string year_text = std::to_string(year);
  year_text.insert(0, 4 - year_text.size(), '0');
  const bool year_end = chance(rng, 0.4);  // late December or early January: week edges
  const int month = year_end ? (chance(rng, 0.5) ? 12 : 1) : uniform(rng, 0, 13);
  const int day =
      year_end ? (month == 12 ? uniform(rng, 26, 31) : uniform(rng, 1, 5)) : uniform(rng, 0, 32);
  std::string out = year_text + "-" + two_digits(month) + "-" + two_digits(day);
  if (chance(rng, 0.7)) {
    out += pick(rng, std::vector<std::string>{"T", "t", " ", "X"});
    out += two_digits(uniform(rng, 0, 25)) + ":" + two_digits(uniform(rng, 0, 61));
    out += pick(rng, std::vector<std::string>{"", ":00Z", ":59.999+01:00", "Zjunk"});
  }
  if (chance(rng, 0.1)) out.resize(uniform(rng, 0, static_cast<int>(out.size())));
  return out;
}

const std::vector<std::string> kAddresses = split(
    "1.2.3.4|10.1.2.3|10.255.255.255|11.0.0.0|192.168.1.1|255.255.255.255|0.0.0.0|"
    "256.1.1.1|01.2.3.4|1.2.3|1.2.3.4.5|1.2.3.4 | 1.2.3.4|1..3.4|1.2.3.1234|\\u0031.2.3.4|"
    "::|::1|::ffff:1.2.3.4|::FFFF:10.1.2.3|::ffff:256.1.1.1|::ffff:01.2.3.4|2001:db8::1|"
    "2001:DB8:0:0:0:0:0:1|2001:db9::1|fe80::1|fe80::1%eth0|1:2:3:4:5:6:7:8|"
    "1:2:3:4:5:6:7:8:9|1:2:3:4:5:6:7|1::2::3|:::|1:|:1|1::|12345::|g::|1:2:3:4:5:6:1.2.3.4|"
    "1:2:3:4:5:6:7:1.2.3.4|::1.2.3.4|1.2.3.4:1|::1:|"
    "0000:0000:0000:0000:0000:0000:0000:0001|ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255|"
    "2001:db8::\\u0031",
    '|');

std::string random_address(std::mt19937_64& rng) {
  if (chance(rng, 0.5)) return pick(rng, kAddresses);
  if (chance(rng, 0.5)) {
    std::string out;
    for (int i = 0; i < 4; ++i)
      out += (i ? "." : "") +
             std::to_string(chance(rng, 0.5) ? uniform(rng, 0, 12) : uniform(rng, 0, 300));
    return out;
  }
  std::string out;
  const int groups = uniform(rng, 1, 9);
  const int gap = uniform(rng, -1, groups);
  for (int i = 0; i < groups; ++i) {
    if (i == gap)
      out += "::";
    else if (i > 0)
      out += ":";
    std::ostringstream hex;
    hex << std::hex << (chance(rng, 0.5) ? uniform(rng, 0, 15) : uniform(rng, 0, 0xFFFF));
    out += i == 0 && chance(rng, 0.2) ? "2001" : hex.str();
  }
  if (gap == groups) out += "::";
  return out;
}

/// Any JSON value, weighted towards the shapes the predicates test.
std::string random_value(std::mt19937_64& rng) {
  switch (uniform(rng, 0, 9)) {
    case 0:
    case 1:
      return random_number(rng);
    case 2:
    case 3:
      return "\"" + random_string(rng) + "\"";
    case 4:
      return "\"" + random_timestamp(rng) + "\"";
    case 5:
      return "\"" + random_address(rng) + "\"";
    case 6:
      return pick(rng, std::vector<std::string>{"true", "false", "null"});
    case 7:
      return pick(
          rng, std::vector<std::string>{"{}", "[]", "{\"x\":1}", "[1,\"a\"]", "{\"a\":\"abc\"}"});
    default:
      return "\"" + pick(rng, kStrings) + "\"";
  }
}

// ---- Events and predicates ---------------------------------------------------------------

/// The rule's fields. The backend locates them in reverse order, so rule field i is span
/// kFields.size() - 1 - i and make_view's index mapping is exercised.
const std::vector<std::string> kFields = {"a", "b", "c", "n.x", "n.y", "ts", "ip", "gone", "n"};
enum Field { kA, kB, kC, kNx, kNy, kTs, kIp, kGone, kN };

std::string random_event(std::mt19937_64& rng) {
  std::vector<std::string> members;
  for (const char* key : {"a", "b", "c", "ts", "ip"})
    if (chance(rng, 0.85)) members.push_back("\"" + std::string(key) + "\":" + random_value(rng));
  if (chance(rng, 0.8)) {
    std::string n = chance(rng, 0.8) ? "{" : random_value(rng);
    if (n == "{") {
      if (chance(rng, 0.8)) n += "\"x\":" + random_value(rng);
      if (chance(rng, 0.6))
        n += std::string(n.size() > 1 ? "," : "") + "\"y\":" + random_value(rng);
      n += "}";
    }
    members.push_back("\"n\":" + n);
  }
  // The same key names elsewhere, and a repeated key (the last one counts).
  if (chance(rng, 0.2)) members.push_back("\"z\":{\"a\":" + random_value(rng) + ",\"x\":1}");
  if (chance(rng, 0.2)) members.push_back("\"list\":[{\"a\":1},\"ts\"]");
  if (chance(rng, 0.1)) members.push_back("\"a\":" + random_value(rng));
  std::shuffle(members.begin(), members.end(), rng);
  std::string line = "{";
  for (std::size_t i = 0; i < members.size(); ++i) line += (i ? "," : "") + members[i];
  return line + (chance(rng, 0.1) ? " } " : "}");
}

const std::vector<std::string> kHandWrittenEvents = {
    R"({})",
    R"({"a":null,"b":null,"n":null})",
    R"({"a":12345678901234567890,"b":-1})",
    R"({"a":18446744073709551615,"b":-1})",
    R"({"a":9223372036854775808,"b":-9223372036854775808})",
    R"({"a":0,"b":-0,"c":0.0})",
    R"({"a":-0.0,"b":0,"c":"-0"})",
    R"({"a":1e3,"b":1000,"c":"1e3"})",
    R"({"a":1E-2,"b":0.01,"c":"1E-2"})",
    R"({"a":9007199254740993,"b":9007199254740992.0,"c":9007199254740992})",
    R"({"a":"abc","b":"a\u0062c","c":"\u0041BC"})",
    R"({"a":"xabcx","b":"abc","c":"b"})",
    R"({"a":"","b":"","c":"x"})",
    R"({"a":"\u00e9t\u00E9","b":"été","c":"t"})",
    R"({"a":"\ud83d\ude00!","b":"😀","c":"!"})",
    R"({"a":true,"b":true,"c":false})",
    R"({"a":{"x":1},"b":{"x":1},"c":[1]})",
    R"({"a":"4688","b":"\u0034688","c":4688,"n":{"x":4688.0}})",
    R"({"a":"0X1f","b":"0x1F","c":31})",
    R"({"ts":"2020-12-31T10:00:00Z","a":"2021-01-01"})",
    R"({"ts":"2024-12-30","ip":"::ffff:1.2.3.4"})",
    R"({"ip":"10.1.2.3","a":"2001:db8::1","b":"::ffff:10.1.2.3"})",
    R"({"n":{"x":"10.0.0.1","y":"2001:db8::"},"ts":"2024\u002d02-29T23:59"})",
    R"({"n":{"x":1},"n":{"y":2}})",
    R"({"n":{"x":1},"n":5})",
    R"({"a":1,"a":"one"})",
    R"({"z":{"a":1},"list":[{"a":2}],"a":3})",
    R"({"a":"2024-01-01T10:20","ts":"2024-01-01T10:20:30.123456789+05:30"})",
};

std::vector<std::pair<Number, std::string>> rule_numbers() {
  std::vector<std::pair<Number, std::string>> out;
  for (const std::int64_t n :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{5}, std::int64_t{10},
        std::int64_t{1000}, std::int64_t{4688}, std::int64_t{50000000}, std::int64_t{2024},
        std::int64_t{9007199254740993}, std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::int64_t>::min()})
    out.push_back({Number::of_integer(n), std::to_string(n)});
  out.push_back({Number::of_integer(31), "0x1F"});
  out.push_back({Number::of_integer(4688), "ABC"});
  for (const char* text : {"0.1", "1.5", "-1.5", "0.01", "1e3", "2.5", "-0.0", "1e308", "5e-324",
                           "1.8446744073709552e19", "9.2233720368547758e18", "0.30000000000000004",
                           "1.7976931348623157e308", "1e23"})
    out.push_back({Number::of_real(std::strtod(text, nullptr)), text});
  return out;
}

std::vector<ValuePredicate> all_predicates() {
  std::vector<ValuePredicate> out;
  const auto add = [&out](ValueTest test, int field) -> ValuePredicate& {
    ValuePredicate p;
    p.test = test;
    p.field = field;
    return out.emplace_back(p);
  };
  for (int f = 0; f < static_cast<int>(kFields.size()); ++f) {
    for (ValueTest t :
         {ValueTest::kExists, ValueTest::kNull, ValueTest::kEmptyString, ValueTest::kScalar})
      add(t, f);
    for (bool b : {true, false}) add(ValueTest::kBoolean, f).boolean = b;
  }
  const std::vector<Comparison> comparisons = {Comparison::kEqual, Comparison::kLess,
                                               Comparison::kLessOrEqual, Comparison::kGreater,
                                               Comparison::kGreaterOrEqual};
  for (int f : {kA, kB, kC, kNx, kN})
    for (const auto& [number, text] : rule_numbers())
      for (Comparison c : comparisons) {
        ValuePredicate& p = add(ValueTest::kNumber, f);
        p.comparison = c;
        p.number = number;
        p.text = text;
      }
  for (int f : {kTs, kA})
    for (TimePart part : {TimePart::kMinute, TimePart::kHour, TimePart::kDay, TimePart::kWeek,
                          TimePart::kMonth, TimePart::kYear})
      for (const Number& n : {Number::of_integer(1), Number::of_integer(10), Number::of_integer(20),
                              Number::of_integer(52), Number::of_integer(53),
                              Number::of_integer(2024), Number::of_real(52.5)})
        for (Comparison c : comparisons) {
          ValuePredicate& p = add(ValueTest::kTimePart, f);
          p.part = part;
          p.number = n;
          p.comparison = c;
        }
  for (int f : {kIp, kA, kNx, kNy})
    for (const char* network :
         {"10.0.0.0/8", "0.0.0.0/0", "1.2.3.4", "1.2.3.4/31", "1.2.3.0/24", "255.255.255.255/32",
          "10.1.2.3/30", "::/0", "::1", "::ffff:0:0/96", "::ffff:1.2.3.4/128", "2001:db8::/32",
          "2001:db8::/33", "fe80::/10", "2001:db8::1/127", "::/1"}) {
      const auto parsed = parse_network(network);
      if (!parsed) throw std::logic_error(std::string("bad test network ") + network);
      add(ValueTest::kCidr, f).network = *parsed;
    }
  const int kFieldPairs[][2] = {{kA, kB},  {kB, kA},    {kA, kC},    {kC, kB},
                                {kNx, kA}, {kNx, kNy},  {kTs, kA},   {kIp, kB},
                                {kN, kA},  {kGone, kA}, {kA, kGone}, {kA, kA}};
  for (const auto& [f, other] : kFieldPairs)
    for (FieldRefMatch how : {FieldRefMatch::kEquals, FieldRefMatch::kContains,
                              FieldRefMatch::kStartsWith, FieldRefMatch::kEndsWith}) {
      ValuePredicate& p = add(ValueTest::kFieldRef, f);
      p.other_field = other;
      p.how = how;
    }
  return out;
}

std::string describe(const ValuePredicate& p) {
  std::ostringstream out;
  out << "test " << static_cast<int>(p.test) << " on " << kFields[p.field] << ", comparison "
      << static_cast<int>(p.comparison) << ", number "
      << (p.number.is_integer ? std::to_string(p.number.integer) : std::to_string(p.number.real))
      << " '" << p.text << "', boolean " << p.boolean << ", part " << static_cast<int>(p.part)
      << ", network v6 " << p.network.v6 << " /" << p.network.prefix_length << ", other "
      << (p.other_field >= 0 ? kFields[p.other_field] : "-") << ", how " << static_cast<int>(p.how);
  return out.str();
}

class ValuePredicateViews : public ::testing::Test {
 protected:
  ValuePredicateViews() : paths_(reversed(kFields)) {
    for (std::size_t f = 0; f < kFields.size(); ++f)
      field_index_.push_back(static_cast<int>(kFields.size() - 1 - f));
    predicates_ = all_predicates();
    for (const ValuePredicate& p : predicates_) views_.push_back(make_view(p, field_index_, pool_));
  }

  static std::vector<std::string> reversed(std::vector<std::string> v) {
    std::reverse(v.begin(), v.end());
    return v;
  }

  /// Every predicate on `line`, both ways; false when nlohmann rejects the line.
  bool compare_all(const std::string& line) {
    const json event = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded()) return false;
    // The line sits inside a batch, after another, as backends see it.
    const std::string batch = "{\"previous\":1}\n" + line + "\n";
    const auto begin = static_cast<std::uint32_t>(batch.find('\n') + 1);
    const kernels::JsonScanResult scan =
        kernels::scan_json_line(batch.data() + begin, static_cast<std::uint32_t>(line.size()),
                                paths_.view(paths_.segment_text().data()));
    EXPECT_EQ(scan.error, kernels::JsonError::kNone) << line;
    kernels::FieldValue spans[kernels::kMaxFields];
    for (int f = 0; f < kernels::kMaxFields; ++f) {
      spans[f] = scan.fields[f];
      spans[f].offset += begin;
    }
    for (std::size_t i = 0; i < predicates_.size(); ++i) {
      const bool expected = evaluate(predicates_[i], event, kFields);
      const bool actual = kernels::evaluate_value(views_[i], batch.data(), spans, pool_.data());
      ++compared_;
      if (expected != actual && ++mismatches_ <= 20)
        ADD_FAILURE() << line << "\n  " << describe(predicates_[i]) << "\n  reference " << expected
                      << ", kernel " << actual;
    }
    return true;
  }

  engine::FieldPaths paths_;
  std::vector<int> field_index_;
  std::vector<ValuePredicate> predicates_;
  std::vector<kernels::ValuePredicateView> views_;
  std::string pool_;
  long compared_ = 0;
  long mismatches_ = 0;
};

TEST_F(ValuePredicateViews, AgreeWithTheReferenceOnEveryEvent) {
  std::vector<std::string> events = kHandWrittenEvents;
  for (const std::string& token : kNumberTokens)
    events.push_back("{\"a\":" + token + ",\"b\":\"" + token + "\",\"c\":" + token + "}");
  for (const std::string& text : kTimestamps) events.push_back("{\"ts\":\"" + text + "\"}");
  for (const std::string& text : kAddresses) events.push_back("{\"ip\":\"" + text + "\"}");
  std::mt19937_64 rng(20260301);
  for (int i = 0; i < 4000; ++i) events.push_back(random_event(rng));

  int rejected = 0;  // numbers past the largest double: nlohmann refuses the whole line
  for (const std::string& line : events) rejected += compare_all(line) ? 0 : 1;
  EXPECT_EQ(mismatches_, 0);
  EXPECT_LT(rejected, static_cast<int>(events.size()) / 20);
  std::printf(
      "[ compared ] %ld predicate evaluations: %zu predicates on %zu events (%d events "
      "nlohmann rejects skipped)\n",
      compared_, predicates_.size(), events.size() - rejected, rejected);
}

TEST_F(ValuePredicateViews, NeedASpanForEveryField) {
  ValuePredicate p;
  p.field = 1;
  std::string pool;
  EXPECT_THROW(make_view(p, {0}, pool), std::invalid_argument);
  EXPECT_THROW(make_view(p, {0, -1}, pool), std::invalid_argument);
  p.test = ValueTest::kFieldRef;
  p.other_field = 2;
  EXPECT_THROW(make_view(p, {0, 1}, pool), std::invalid_argument);
  p.test = ValueTest::kNumber;
  p.text = "0x1F";
  pool = "abc";
  const kernels::ValuePredicateView view = make_view(p, {0, 4}, pool);
  EXPECT_EQ(view.field, 4);
  EXPECT_EQ(view.other_field, -1);
  EXPECT_EQ(pool.substr(view.text_offset, view.text_length), "0x1F");
}

// ---- Numbers -------------------------------------------------------------------------------

/// Tokens strtod finds hard: halfway points, subnormals, the edges of the range, long digits.
std::vector<std::string> hard_number_tokens() {
  std::vector<std::string> out = split(
      "2.2250738585072011e-308 2.2250738585072012e-308 4.9406564584124654e-324 "
      "2.4703282292062327e-324 2.4703282292062328e-324 1.7976931348623157e308 "
      "1.7976931348623158e308 1.7976931348623159e308 9007199254740993 "
      "9007199254740993.0000000001 1e23 8.41e21 7.038531e-26 0.1 1e-400 1e400 -1e400 1e22 1e-22 "
      "123456789012345678e-300 4503599627370496.5 4503599627370497.5 "
      "0.000000000000000000000000000000000000000000001e-280");
  // Exactly between 1 and the next double: ties go to even (1), anything above goes up,
  // also a nonzero digit past the 800 the slow path keeps.
  const std::string halfway = "1.00000000000000011102230246251565404236316680908203125";
  const std::string before_last = halfway.substr(0, halfway.size() - 1);
  for (const std::string& token :
       {halfway, before_last + "6", before_last + "4", halfway + std::string(900, '0'),
        halfway + std::string(900, '0') + "1", "0." + std::string(500, '0') + "1",
        std::string(400, '9'), std::string(309, '9'), "1" + std::string(308, '0')})
    out.push_back(token);
  return out;
}

std::uint64_t bits_of(double d) {
  return std::bit_cast<std::uint64_t>(d);
}

/// Exact decimal spellings of random doubles and of the points halfway between neighbours
/// (a long double holds those exactly), nudged a digit either way.
std::vector<std::string> random_number_tokens(std::mt19937_64& rng, int count) {
  std::vector<std::string> out;
  char buffer[1200];
  for (int i = 0; i < count; ++i) {
    double d = 0;
    do d = std::bit_cast<double>(rng() & 0x7FFFFFFFFFFFFFFFull);
    while (!std::isfinite(d) || d >= DBL_MAX);
    const long double halfway =
        (static_cast<long double>(d) + static_cast<long double>(std::nextafter(d, INFINITY))) / 2;
    std::snprintf(buffer, sizeof buffer, "%.1100Le", halfway);
    std::string exact = buffer;
    const std::size_t e = exact.find('e');
    const std::string mantissa = exact.substr(0, exact.find_last_not_of('0', e - 1) + 1);
    const std::string exponent = exact.substr(e);
    out.push_back(mantissa + exponent);
    std::string below = mantissa;  // its last digit is not 0
    below.back() = static_cast<char>(below.back() - 1);
    out.push_back(below + "9" + exponent);
    out.push_back(mantissa + "1" + exponent);
    std::snprintf(buffer, sizeof buffer, "%.*g", uniform(rng, 1, 17), d);
    out.push_back(buffer);
    out.push_back(random_number(rng));
  }
  return out;
}

TEST(JsonNumbers, ConvertToDoubleExactlyAsStrtod) {
  std::mt19937_64 rng(4688);
  std::vector<std::string> tokens = hard_number_tokens();
  for (const std::string& token : kNumberTokens) tokens.push_back(token);
  for (const std::string& token : random_number_tokens(rng, 20000)) tokens.push_back(token);
  int mismatches = 0;
  for (const std::string& token : tokens) {
    const double expected = std::strtod(token.c_str(), nullptr);
    const double actual =
        kernels::json_number_to_double(token.data(), static_cast<std::uint32_t>(token.size()));
    if (bits_of(expected) != bits_of(actual) && ++mismatches <= 20)
      ADD_FAILURE() << token << ": strtod " << expected << ", kernel " << actual;
  }
  EXPECT_EQ(mismatches, 0) << "of " << tokens.size();
}

TEST(JsonNumbers, HaveTheTypeAndValueNlohmannGivesThem) {
  std::mt19937_64 rng(31);
  std::vector<std::string> tokens = kNumberTokens;
  for (int i = 0; i < 20000; ++i) tokens.push_back(random_number(rng));
  for (const std::string& token : tokens) {
    const json j = json::parse(token, nullptr, false);
    if (j.is_discarded()) continue;  // past the largest double
    const kernels::JsonNumber n =
        kernels::read_json_number(token.data(), static_cast<std::uint32_t>(token.size()));
    if (j.is_number_unsigned()) {
      ASSERT_EQ(n.kind, kernels::NumberKind::kUnsigned) << token;
      EXPECT_EQ(n.unsigned_value, j.get<std::uint64_t>()) << token;
    } else if (j.is_number_integer()) {
      ASSERT_EQ(n.kind, kernels::NumberKind::kSigned) << token;
      EXPECT_EQ(n.signed_value, j.get<std::int64_t>()) << token;
    } else {
      ASSERT_EQ(n.kind, kernels::NumberKind::kReal) << token;
      EXPECT_EQ(bits_of(n.real), bits_of(j.get<double>())) << token;
    }
  }
}

// ---- Shared leaves with known answers ------------------------------------------------------

TEST(TimeParts, IsoWeeksAtTheEdgesOfTheYear) {
  for (const auto& [date, week] : std::vector<std::pair<std::string, int>>{
           {"2020-12-31", 53}, {"2021-01-01", 53}, {"2021-01-03", 53}, {"2021-01-04", 1},
           {"2024-12-30", 1},  {"2026-01-01", 1},  {"2026-12-31", 53}, {"2015-12-31", 53},
           {"2016-01-03", 53}, {"2008-12-29", 1},  {"2010-01-03", 53}, {"2005-01-01", 53},
           {"2005-01-02", 53}, {"2005-01-03", 1},  {"2006-01-01", 52}, {"2007-12-31", 1},
           {"2026-03-01", 9},  {"2000-02-29", 9},  {"0001-01-01", 1},  {"9999-12-31", 52}})
    EXPECT_EQ(timestamp_part(date + "T12:00", TimePart::kWeek), week) << date;
  EXPECT_EQ(timestamp_part("2024-02-29 23:59:60Z", TimePart::kMinute), 59);
  EXPECT_EQ(timestamp_part("2024-02-29", TimePart::kHour), std::nullopt);
  EXPECT_EQ(timestamp_part("2023-02-29", TimePart::kDay), std::nullopt);
  EXPECT_EQ(timestamp_part("2024-02-29T1:00", TimePart::kDay), std::nullopt);
}

/// The ISO week the independent way: the week's Thursday is in the week's year.
int iso_week_via_chrono(std::chrono::year_month_day date) {
  using namespace std::chrono;
  const sys_days day{date};
  const int monday_based = static_cast<int>(weekday{day}.iso_encoding()) - 1;
  const sys_days thursday = day + days{3 - monday_based};
  const sys_days new_year{year_month_day{thursday}.year() / January / 1};
  return static_cast<int>((thursday - new_year).count()) / 7 + 1;
}

TEST(TimeParts, IsoWeeksAgreeWithTheWeeksThursday) {
  using namespace std::chrono;
  std::mt19937_64 rng(53);
  for (int i = 0; i < 50000; ++i) {
    const year_month_day date{sys_days{days{uniform(rng, -719162, 2932896)}}};  // 0001 to 9999
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT00:00", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    ASSERT_EQ(timestamp_part(text, TimePart::kWeek), iso_week_via_chrono(date)) << text;
  }
}

/// Whether `text` is an address the C library reads too, and the same one.
void expect_as_inet_pton(const std::string& text) {
  std::uint8_t ours[16] = {};
  std::uint8_t theirs[16] = {};
  const auto length = static_cast<std::uint32_t>(text.size());
  const bool v4 = kernels::parse_ipv4(text.data(), length, ours);
  EXPECT_EQ(v4, inet_pton(AF_INET, text.c_str(), theirs) == 1) << text;
  if (v4) {
    EXPECT_EQ(std::memcmp(ours, theirs, 4), 0) << text;
  }
  const bool v6 = kernels::parse_ipv6(text.data(), length, ours);
  EXPECT_EQ(v6, inet_pton(AF_INET6, text.c_str(), theirs) == 1) << text;
  if (v6) {
    EXPECT_EQ(std::memcmp(ours, theirs, 16), 0) << text;
  }
}

TEST(IpNetworks, AddressesReadAsInetPtonReadsThem) {
  std::mt19937_64 rng(6);
  for (const std::string& text : kAddresses) expect_as_inet_pton(text);
  for (int i = 0; i < 50000; ++i) expect_as_inet_pton(random_address(rng));
}

TEST(IpNetworks, Ipv6TextForms) {
  const auto bytes = [](const char* text) -> std::vector<int> {
    const auto network = parse_network(text);
    if (!network) return {};
    return std::vector<int>(network->bytes.begin(), network->bytes.end());
  };
  EXPECT_EQ(bytes("::ffff:1.2.3.4"),
            (std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4}));
  EXPECT_EQ(bytes("2001:DB8::1"),
            (std::vector<int>{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(bytes("1::"), (std::vector<int>{0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(bytes("1:2:3:4:5:6:1.2.3.4"),
            (std::vector<int>{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4}));
  EXPECT_EQ(bytes("::"), std::vector<int>(16, 0));
  for (const char* bad :
       {":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4",
        "::ffff:01.2.3.4", "12345::", "g::", "1:", ":1", "1.2.3.4:1", "::1:", "1:2:3:4:5:6:7:8::"})
    EXPECT_FALSE(parse_network(bad)) << bad;
}

}  // namespace
}  // namespace agentsweep::rules
