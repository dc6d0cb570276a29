/** @file
 * Event timestamps: the forms accepted, the ones refused, and the arithmetic
 * against known epoch values (the generator writes "...T..:..:...mmmZ").
 */
#include <gtest/gtest.h>

#include <string>

#include "cli/report/time_text.hpp"
#include "kernels/timestamp.cuh"

namespace agentsweep::kernels {
namespace {

/// The raw JSON text of a value as json_scan would locate it in a line.
TimeStatus parse(const std::string& json_value, std::int64_t& ms) {
  FieldValue field;
  if (json_value == "null") {
    field.kind = ValueKind::kNull;
  } else if (json_value.front() == '"') {
    field.kind = ValueKind::kString;
    field.offset = 1;
    field.length = static_cast<std::uint32_t>(json_value.size() - 2);
    field.has_escape = json_value.find('\\') != std::string::npos;
  } else {
    field.kind = ValueKind::kNumber;
    field.length = static_cast<std::uint32_t>(json_value.size());
  }
  return read_timestamp(json_value.data(), field, ms);
}

std::int64_t valid(const std::string& json_value) {
  std::int64_t ms = 0;
  EXPECT_EQ(parse(json_value, ms), TimeStatus::kValid) << json_value;
  return ms;
}

TEST(Timestamp, Iso8601FormsGiveEpochMilliseconds) {
  EXPECT_EQ(valid("\"1970-01-01T00:00:00Z\""), 0);
  EXPECT_EQ(valid("\"2026-03-01T12:34:56.789Z\""), 1772368496789);
  EXPECT_EQ(valid("\"2026-03-01t12:34:56.789z\""), 1772368496789);
  EXPECT_EQ(valid("\"2026-03-01 12:34:56.789\""), 1772368496789);  // no zone: UTC
  EXPECT_EQ(valid("\"2026-03-01T13:34:56.789+01:00\""), 1772368496789);
  EXPECT_EQ(valid("\"2026-03-01T07:04:56.789-0530\""), 1772368496789);
  EXPECT_EQ(valid("\"2026-03-01T12:34:56.7899999Z\""), 1772368496789);  // truncated, not rounded
  EXPECT_EQ(valid("\"2026-03-01T12:34:56.7Z\""), 1772368496700);
  EXPECT_EQ(valid("\"2024-02-29T00:00:00Z\""), 1709164800000);  // leap day
  EXPECT_EQ(valid("\"2016-12-31T23:59:60Z\""), 1483228800000);  // leap second: the next one
  EXPECT_EQ(valid("\"1969-12-31T23:59:59.999Z\""), -1);
  EXPECT_EQ(valid("\"2026-03-01T12:34:56\\u002e789Z\""), 1772368496789);  // escaped '.'
}

TEST(Timestamp, NumbersAreEpochSeconds) {
  EXPECT_EQ(valid("1772368496"), 1772368496000);
  EXPECT_EQ(valid("1772368496.789"), 1772368496789);
  EXPECT_EQ(valid("0.5"), 500);
  EXPECT_EQ(valid("-1.5"), -1500);
}

TEST(Timestamp, AnythingElseIsInvalidNeverGuessed) {
  for (const std::string bad :
       {"\"\"", "\"2026-03-01\"", "\"2026-02-29T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
        "\"2026-03-01T24:00:00Z\"", "\"2026-03-01T12:60:00Z\"", "\"2026-03-01T12:34:56.Z\"",
        "\"2026-03-01T12:34:56+25:00\"", "\"2026-03-01T12:34:56Z trailing\"",
        "\"2026-03-01T12:34:56.78900000000000000000000000000000000Z\"", "\"yesterday\"", "1.5e9",
        "1234567890123456", "true"}) {
    std::int64_t ms = 0;
    FieldValue field;
    if (bad == "true") {
      field.kind = ValueKind::kTrue;
      EXPECT_EQ(read_timestamp(bad.data(), field, ms), TimeStatus::kInvalid);
      continue;
    }
    EXPECT_EQ(parse(bad, ms), TimeStatus::kInvalid) << bad;
  }
  std::int64_t ms = 0;
  EXPECT_EQ(parse("null", ms), TimeStatus::kAbsent);
  EXPECT_EQ(read_timestamp("", FieldValue{}, ms), TimeStatus::kAbsent);
}

TEST(Timestamp, SecondsFloorAndPrintingRoundTrips) {
  EXPECT_EQ(second_of(1999), 1);
  EXPECT_EQ(second_of(0), 0);
  EXPECT_EQ(second_of(-1), -1);
  EXPECT_EQ(second_of(-1000), -1);
  EXPECT_EQ(second_of(-1001), -2);
  for (const char* text : {"2026-03-01T12:34:56.789Z", "1969-12-31T23:59:59.999Z",
                           "2000-02-29T00:00:00.000Z", "2400-12-31T23:59:59.001Z"})
    EXPECT_EQ(report::iso8601(valid(std::string("\"") + text + "\"")), text);
  // The edges of four-digit years, and years beyond them.
  EXPECT_EQ(report::iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(report::iso8601(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(report::iso8601(-62167219200001), "-001-12-31T23:59:59.999Z");
  EXPECT_EQ(report::iso8601(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(report::iso8601(253402300800000), "10000-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace agentsweep::kernels
