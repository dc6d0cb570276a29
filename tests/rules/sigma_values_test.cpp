/** @file
 * The building blocks of Sigma values: string escaping and wildcards, placeholders, YAML
 * scalar typing, the encodings (base64, base64offset, UTF-16, windash; expected values
 * from pySigma 2.0.1), IP networks and timestamp parts.
 */
#include <gtest/gtest.h>

#include "host/rules/ip_network.hpp"
#include "host/rules/sigma_scalar.hpp"
#include "host/rules/sigma_string.hpp"
#include "host/rules/string_encodings.hpp"
#include "host/rules/timestamp.hpp"

namespace agentsweep::rules {
namespace {

using Kind = StringPart::Kind;
using Parts = std::vector<StringPart>;

TEST(SigmaString, WildcardsAndSigmaEscaping) {
  EXPECT_EQ(SigmaString::parse("a*b?c").parts(), (Parts{{Kind::kText, "a"},
                                                        {Kind::kAnyChars, ""},
                                                        {Kind::kText, "b"},
                                                        {Kind::kOneChar, ""},
                                                        {Kind::kText, "c"}}));
  // \* and \? are the characters; \\ is one backslash; a backslash before anything else
  // (or at the end) is itself.
  EXPECT_EQ(SigmaString::parse(R"(a\*b\?c)").parts(), (Parts{{Kind::kText, "a*b?c"}}));
  EXPECT_EQ(SigmaString::parse(R"(C:\Windows\cmd.exe)").parts(),
            (Parts{{Kind::kText, R"(C:\Windows\cmd.exe)"}}));
  EXPECT_EQ(SigmaString::parse(R"(C:\Windows\\*)").parts(),
            (Parts{{Kind::kText, R"(C:\Windows\)"}, {Kind::kAnyChars, ""}}));
  EXPECT_EQ(SigmaString::parse(R"(a\\\*)").parts(), (Parts{{Kind::kText, R"(a\*)"}}));
  EXPECT_EQ(SigmaString::parse(R"(a\\\\b)").parts(), (Parts{{Kind::kText, R"(a\\b)"}}));
  EXPECT_EQ(SigmaString::parse("end\\").parts(), (Parts{{Kind::kText, "end\\"}}));
  EXPECT_EQ(SigmaString::parse("a**b").parts(),
            (Parts{{Kind::kText, "a"}, {Kind::kAnyChars, ""}, {Kind::kText, "b"}}));
}

TEST(SigmaString, PlaceholdersOnlyWithExpandAndEscapedPercentIsPlain) {
  EXPECT_EQ(SigmaString::parse("%name%").parts(), (Parts{{Kind::kText, "%name%"}}));
  EXPECT_EQ(SigmaString::parse(R"(\%plain%name%*)").with_placeholders().parts(),
            (Parts{{Kind::kText, "%plain"}, {Kind::kPlaceholder, "name"}, {Kind::kAnyChars, ""}}));
  // As in pySigma, any two percent signs around a name form a placeholder.
  EXPECT_EQ(SigmaString::parse("100%").with_placeholders().parts(), (Parts{{Kind::kText, "100%"}}));
  EXPECT_EQ(SigmaString::parse("%%").with_placeholders().parts(), (Parts{{Kind::kText, "%%"}}));
}

TEST(SigmaScalar, PlainScalarsAreTypedAsPyYamlTypesThemQuotedOnesAreStrings) {
  EXPECT_EQ(resolve_scalar("4688", true).type, Scalar::Type::kNumber);
  EXPECT_EQ(resolve_scalar("4688", true).number, Number::of_integer(4688));
  EXPECT_EQ(resolve_scalar("0x1F", true).number, Number::of_integer(31));
  EXPECT_EQ(resolve_scalar("017", true).number, Number::of_integer(15));  // YAML 1.1 octal
  EXPECT_EQ(resolve_scalar("-1_000", true).number, Number::of_integer(-1000));
  EXPECT_EQ(resolve_scalar("2.5", true).number, Number::of_real(2.5));
  EXPECT_EQ(resolve_scalar("1e5", true).type, Scalar::Type::kString);  // no dot: not a float
  EXPECT_EQ(resolve_scalar("yes", true).type, Scalar::Type::kBoolean);
  EXPECT_TRUE(resolve_scalar("On", true).boolean);
  EXPECT_FALSE(resolve_scalar("no", true).boolean);
  EXPECT_EQ(resolve_scalar("~", true).type, Scalar::Type::kNull);
  EXPECT_EQ(resolve_scalar("4688", false).type, Scalar::Type::kString);
  EXPECT_EQ(resolve_scalar("true", false).type, Scalar::Type::kString);
  EXPECT_EQ(resolve_scalar("99999999999999999999", true).type, Scalar::Type::kString);
  EXPECT_EQ(resolve_scalar("4688", true).text, "4688");
}

TEST(Encodings, Base64AndItsThreeOffsetsAsPySigma) {
  EXPECT_EQ(base64("cmd"), "Y21k");
  EXPECT_EQ(base64("ab"), "YWI=");
  EXPECT_EQ(base64("a"), "YQ==");
  EXPECT_EQ(base64_offsets("http://"),
            (std::array<std::string, 3>{"aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"}));
  EXPECT_EQ(base64_offsets("abcd"), (std::array<std::string, 3>{"YWJjZ", "FiY2", "hYmNk"}));
  // Too short: some forms have no characters of their own.
  EXPECT_EQ(base64_offsets("a")[1], "");
}

TEST(Encodings, Utf16FormsKeepWildcards) {
  const SigmaString cmd = SigmaString::parse("cmd*");
  EXPECT_EQ(utf16(cmd, Utf16Form::kLittleEndian).parts(),
            (Parts{{Kind::kText, std::string("c\0m\0d\0", 6)}, {Kind::kAnyChars, ""}}));
  EXPECT_EQ(utf16(cmd, Utf16Form::kBigEndian).parts().front().text, std::string("\0c\0m\0d", 6));
  EXPECT_EQ(base64(utf16(SigmaString::parse("cmd"), Utf16Form::kLittleEndianWithBom).plain_text()),
            "//5jAG0AZAA=");
  EXPECT_EQ(base64(utf16(SigmaString::parse("cmd"), Utf16Form::kBigEndian).plain_text()),
            "AGMAbQBk");
  // Beyond the BMP: a surrogate pair.
  EXPECT_EQ(utf16(SigmaString::parse("\xF0\x9F\x98\x80"), Utf16Form::kLittleEndian).plain_text(),
            std::string("\x3D\xD8\x00\xDE", 4));
  const auto pieces =
      base64_offsets(utf16(SigmaString::parse("ping"), Utf16Form::kLittleEndian).plain_text());
  EXPECT_EQ(pieces, (std::array<std::string, 3>{"cABpAG4AZw", "AAaQBuAGcA", "wAGkAbgBnA"}));
}

TEST(Encodings, WindashSpellsFlagDashesFiveWaysInPySigmaOrder) {
  const auto variants = windash_variants(SigmaString::parse("-foo"));
  std::vector<std::string> texts;
  for (const SigmaString& v : variants) texts.push_back(v.plain_text());
  EXPECT_EQ(texts,
            (std::vector<std::string>{"-foo", "/foo", "\u2013foo", "\u2014foo", "\u2015foo"}));
  // Only a dash after a non-word character and before a word character is a flag: a-b
  // and the second dash of --x stay.
  EXPECT_EQ(windash_variants(SigmaString::parse(" -foo -bar a-b /c")).size(), 125u);
  EXPECT_EQ(windash_variants(SigmaString::parse("a-b --x")).size(), 5u);
  EXPECT_EQ(windash_variants(SigmaString::parse("a-b --x")).back().plain_text(), "a-b -\u2015x");
  EXPECT_THROW(windash_variants(SigmaString::parse(" -a -b -c -d")), std::invalid_argument);
}

TEST(IpNetwork, Ipv4AndIpv6NetworksAndMembership) {
  const auto ten = parse_network("10.0.0.0/8");
  ASSERT_TRUE(ten);
  EXPECT_TRUE(network_contains(*ten, "10.255.1.2"));
  EXPECT_FALSE(network_contains(*ten, "11.0.0.1"));
  EXPECT_FALSE(network_contains(*ten, "10.0.0.01"));  // leading zeros are ambiguous
  EXPECT_FALSE(network_contains(*ten, "::ffff:10.0.0.1"));
  const auto host = parse_network("192.168.1.7");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->prefix_length, 32);
  EXPECT_TRUE(network_contains(*host, "192.168.1.7"));
  const auto doc = parse_network("2001:db8::/32");
  ASSERT_TRUE(doc);
  EXPECT_TRUE(network_contains(*doc, "2001:0db8:ffff::1"));
  EXPECT_TRUE(network_contains(*doc, "2001:db8::"));
  EXPECT_FALSE(network_contains(*doc, "2001:db9::1"));
  EXPECT_FALSE(network_contains(*doc, "10.0.0.1"));
  const auto mapped = parse_network("::ffff:0:0/96");
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(network_contains(*mapped, "::ffff:1.2.3.4"));
  const auto odd = parse_network("fe80::/10");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(network_contains(*odd, "febf::1"));
  EXPECT_FALSE(network_contains(*odd, "fec0::1"));
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "1::2::3", "::/129", "x", "10.0.0.0/", ""})
    EXPECT_FALSE(parse_network(bad)) << bad;
}

TEST(Timestamp, PartsAsWrittenWithIsoWeeks) {
  const std::string ts = "2026-03-01T12:34:56.789Z";
  EXPECT_EQ(timestamp_part(ts, TimePart::kYear), 2026);
  EXPECT_EQ(timestamp_part(ts, TimePart::kMonth), 3);
  EXPECT_EQ(timestamp_part(ts, TimePart::kDay), 1);
  EXPECT_EQ(timestamp_part(ts, TimePart::kHour), 12);
  EXPECT_EQ(timestamp_part(ts, TimePart::kMinute), 34);
  EXPECT_EQ(timestamp_part(ts, TimePart::kWeek), 9);  // Sunday of ISO week 9
  EXPECT_EQ(timestamp_part("2026-03-02 00:00:00+05:00", TimePart::kHour), 0);  // no conversion
  EXPECT_EQ(timestamp_part("2021-01-03", TimePart::kWeek), 53);  // belongs to 2020's last week
  EXPECT_EQ(timestamp_part("2024-12-30", TimePart::kWeek), 1);   // belongs to 2025's first
  EXPECT_EQ(timestamp_part("2026-01-01", TimePart::kHour), std::nullopt);
  EXPECT_EQ(timestamp_part("2026-02-30T00:00", TimePart::kDay), std::nullopt);
  EXPECT_EQ(timestamp_part("yesterday", TimePart::kDay), std::nullopt);
}

}  // namespace
}  // namespace agentsweep::rules
