/** @file
 * Structural field location and validation of JSON lines: nesting, decoys,
 * escapes, key order, whitespace, and a property test against nlohmann::json
 * (an independent parser) on generated lines.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "host/engine/field_paths.hpp"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"

namespace agentsweep::kernels {
namespace {

struct Located {
  JsonError error = JsonError::kNone;
  std::vector<std::optional<std::string>> values;  ///< decoded, nullopt when absent
};

Located locate(const std::string& line, std::vector<std::string> paths) {
  const engine::FieldPaths fields(std::move(paths));
  const JsonScanResult r = scan_json_line(line.data(), static_cast<std::uint32_t>(line.size()),
                                          fields.view(fields.segment_text().data()));
  Located out{r.error, {}};
  for (std::size_t f = 0; f < fields.dotted().size(); ++f) {
    const FieldValue& v = r.fields[f];
    if (v.kind == ValueKind::kAbsent || v.kind == ValueKind::kNull ||
        v.kind == ValueKind::kObject || v.kind == ValueKind::kArray) {
      out.values.push_back(std::nullopt);
      continue;
    }
    out.values.push_back(decode_json_string(line.data() + v.offset, v.length));
  }
  return out;
}

const std::vector<std::string> kEntityPaths{"actor.agent_id", "actor.operator_id"};

TEST(JsonScan, LocatesAsManyPathsAsAPathMaskHolds) {
  // Odd fields nested under "n", even ones at the top level: both levels use every bit.
  std::vector<std::string> paths;
  std::string top;
  std::string nested;
  for (int f = 0; f < kMaxFields; ++f) {
    std::string key = "k";
    key += std::to_string(f);
    std::string& object = f % 2 ? nested : top;
    if (!object.empty()) object += ',';
    object += '"';
    object += key;
    object += "\":\"v";
    object += std::to_string(f);
    object += '"';
    std::string path = f % 2 ? "n." : "";
    path += key;
    paths.push_back(path);
  }
  std::string line = "{";
  line += top;
  line += ",\"n\":{";
  line += nested;
  line += "}}";
  const Located r = locate(line, paths);
  ASSERT_EQ(r.error, JsonError::kNone) << line;
  for (std::size_t f = 0; f < paths.size(); ++f)
    EXPECT_EQ(r.values[f], std::string("v").append(std::to_string(f))) << paths[f];
}

TEST(JsonScan, FindsNestedFieldsInAnyKeyOrder) {
  auto a = locate(R"({"ts":1,"actor":{"agent_id":"agt_1","operator_id":"op_1"}})", kEntityPaths);
  auto b = locate(R"({"actor":{"operator_id":"op_1","agent_id":"agt_1"},"ts":1})", kEntityPaths);
  EXPECT_EQ(a.error, JsonError::kNone);
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.values[0], "agt_1");
  EXPECT_EQ(a.values[1], "op_1");
}

TEST(JsonScan, IgnoresDecoysInStringsAndOtherObjects) {
  const auto r = locate(
      R"({"content":"{\"actor\":{\"agent_id\":\"fake\"}}","agent_id":"top","other":{"actor":{"agent_id":"deep"}},)"
      R"("list":[{"actor":{"agent_id":"in_array"}}],"actor":{"x":{"agent_id":"nested"},"agent_id":"real"}})",
      kEntityPaths);
  EXPECT_EQ(r.error, JsonError::kNone);
  EXPECT_EQ(r.values[0], "real");
  EXPECT_EQ(r.values[1], std::nullopt);
}

TEST(JsonScan, DecodesEscapesInKeysAndValues) {
  const auto r =
      locate(R"({"act\u006fr":{"agent_id":"a\"b\/c\\d\u00e9\ud83d\ude00\n"}})", kEntityPaths);
  EXPECT_EQ(r.error, JsonError::kNone);
  EXPECT_EQ(r.values[0], "a\"b/c\\d\xc3\xa9\xf0\x9f\x98\x80\n");
}

TEST(JsonScan, KeysOfEveryLengthAreMatchedWhateverTheirEscapes) {
  // Keys are ruled out by length (modulo 64) before they are compared: a key
  // 64 bytes longer than another path's segment, keys of a segment's length
  // with other bytes, and an escaped key whose raw length differs.
  const std::string long_key(70, 'k');
  const auto r =
      locate(R"({"ab":1,"xy":2,")" + long_key + R"(":"long","k\u0061y":"escaped","zz":3})",
             {"xy", long_key, "kay", "k"});
  EXPECT_EQ(r.error, JsonError::kNone);
  EXPECT_EQ(r.values[0], "2");
  EXPECT_EQ(r.values[1], "long");
  EXPECT_EQ(r.values[2], "escaped");
  EXPECT_EQ(r.values[3], std::nullopt);
}

TEST(JsonScan, ToleratesWhitespaceEverywhere) {
  const auto r = locate(" \t{ \"actor\" :\t{ \"agent_id\" : \"x\" , \"operator_id\":null } } \r",
                        kEntityPaths);
  EXPECT_EQ(r.error, JsonError::kNone);
  EXPECT_EQ(r.values[0], "x");
  EXPECT_EQ(r.values[1], std::nullopt);
}

TEST(JsonScan, LastDuplicateKeyWins) {
  EXPECT_EQ(locate(R"({"actor":{"agent_id":"first","agent_id":"second"}})", kEntityPaths).values[0],
            "second");
}

TEST(JsonScan, ARepeatedKeyForgetsFieldsFoundUnderItsEarlierValue) {
  // Found by fuzz/json_scan_fuzz: the last "actor" has no agent, so there is none.
  EXPECT_EQ(locate(R"({"actor":{"agent_id":"evil"},"actor":{}})", kEntityPaths).values[0],
            std::nullopt);
  EXPECT_EQ(
      locate(R"({"actor":{"agent_id":"a"},"actor":{"agent_id":"b"}})", kEntityPaths).values[0],
      "b");
}

TEST(JsonScan, NumbersAreIdsByTheirText) {
  EXPECT_EQ(locate(R"({"actor":{"agent_id":-12.5e3}})", kEntityPaths).values[0], "-12.5e3");
}

TEST(JsonScan, RejectsMalformedLines) {
  const std::pair<const char*, JsonError> cases[] = {
      {"", JsonError::kNotObject},
      {"[1,2]", JsonError::kNotObject},
      {"not json", JsonError::kNotObject},
      {R"({"a":1)", JsonError::kUnexpectedEnd},
      {R"({"a":1}})", JsonError::kTrailingData},
      {R"({"a":1} x)", JsonError::kTrailingData},
      {R"({"a" 1})", JsonError::kUnexpectedByte},
      {R"({"a":1,})", JsonError::kUnexpectedByte},
      {R"({"a":[1,]})", JsonError::kUnexpectedByte},
      {R"({a:1})", JsonError::kUnexpectedByte},
      {R"({"a":"\x"})", JsonError::kBadEscape},
      {R"({"a":"\u12"})", JsonError::kBadEscape},
      {"{\"a\":\"tab\there\"}", JsonError::kControlCharacter},
      {R"({"a":01})", JsonError::kUnexpectedByte},
      {R"({"a":1.})", JsonError::kBadNumber},
      {R"({"a":-})", JsonError::kBadNumber},
      {R"({"a":tru})", JsonError::kBadLiteral},
      {R"({"a":"open)", JsonError::kUnexpectedEnd},
  };
  for (const auto& [line, error] : cases)
    EXPECT_EQ(locate(line, kEntityPaths).error, error) << line;
}

TEST(JsonScan, NestingLimitIsAnErrorNotACrash) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  EXPECT_EQ(locate(deep, kEntityPaths).error, JsonError::kTooDeep);
  std::string ok = "{\"a\":";
  for (int i = 0; i < 100; ++i) ok += "[";
  for (int i = 0; i < 100; ++i) ok += "]";
  ok += "}";
  EXPECT_EQ(locate(ok, kEntityPaths).error, JsonError::kNone);
}

/// Random JSON objects with decoys, escapes and nesting, dumped by nlohmann.
nlohmann::json random_value(std::mt19937_64& rng, int depth) {
  const char* words[] = {"agent_id", "actor", "operator_id", "x", "é\"\\/", "\n\t", "\x01"};
  std::uniform_int_distribution<int> pick(0, depth > 3 ? 3 : 6);
  switch (pick(rng)) {
    case 0:
      return words[rng() % 7];
    case 1:
      return static_cast<std::int64_t>(rng() % 100000) - 50000;
    case 2:
      return nullptr;
    case 3:
      return (rng() & 1) == 1;
    case 4: {
      nlohmann::json a = nlohmann::json::array();
      for (int i = static_cast<int>(rng() % 3); i > 0; --i)
        a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      nlohmann::json o = nlohmann::json::object();
      for (int i = static_cast<int>(rng() % 4); i > 0; --i)
        o[words[rng() % 7]] = random_value(rng, depth + 1);
      return o;
    }
  }
}

TEST(JsonScan, AgreesWithNlohmannOnGeneratedLines) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 3000; ++i) {
    nlohmann::json event = random_value(rng, 0);
    if (!event.is_object()) event = nlohmann::json::object({{"v", event}});
    const std::string line = event.dump(-1, ' ', rng() % 2 == 0);  // ASCII escapes half the time
    const Located r = locate(line, kEntityPaths);
    ASSERT_EQ(r.error, JsonError::kNone) << line;
    for (std::size_t f = 0; f < kEntityPaths.size(); ++f) {
      const nlohmann::json::json_pointer pointer(f == 0 ? "/actor/agent_id" : "/actor/operator_id");
      std::optional<std::string> expected;
      if (event.contains(pointer)) {
        const auto& v = event.at(pointer);
        if (v.is_string())
          expected = v.get<std::string>();
        else if (v.is_number() || v.is_boolean())
          expected = v.dump();
      }
      EXPECT_EQ(r.values[f], expected) << line;
    }
    // Breaking the line anywhere must never crash and must be reported.
    const std::string cut = line.substr(0, rng() % line.size());
    EXPECT_NE(locate(cut, kEntityPaths).error, JsonError::kNone) << cut;
  }
}

}  // namespace
}  // namespace agentsweep::kernels
