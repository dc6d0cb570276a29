/** @file
 * String values and their modifiers compiled to pattern predicates: the exact RE2 text
 * the engine gets, case folding, anchoring, and matching on sample events through the
 * reference matcher.
 */
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace agentsweep::rules {
namespace {

using testing::compile;
using testing::issue_of;

std::vector<std::string> texts(const CompiledRule& rule) {
  std::vector<std::string> out;
  for (const engine::PatternSpec& p : rule.patterns) out.push_back(p.text);
  return out;
}

TEST(StringModifiers, PlainValueMatchesTheWholeValueCaseInsensitively) {
  const CompiledRule rule = compile(R"(selection:
  Image: 'C:\Windows\System32\cmd.exe'
condition: selection)");
  ASSERT_EQ(rule.patterns.size(), 1u);
  EXPECT_EQ(rule.patterns[0].text, R"(^C:\\Windows\\System32\\cmd\.exe$)");
  EXPECT_TRUE(rule.patterns[0].case_insensitive);
  EXPECT_FALSE(rule.patterns[0].literal);
  EXPECT_EQ(rule.fields, std::vector<std::string>{"Image"});
  EXPECT_EQ(rule.patterns[0].field, 0);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"Image":"c:\\windows\\system32\\CMD.EXE"})"));
  EXPECT_FALSE(m.matches(R"({"Image":"C:\\Windows\\System32\\cmd.exe.bak"})"));
  EXPECT_FALSE(m.matches(R"({"Image":"x C:\\Windows\\System32\\cmd.exe"})"));
  EXPECT_FALSE(m.matches(R"({"Other":"C:\\Windows\\System32\\cmd.exe"})"));
}

TEST(StringModifiers, ContainsStartswithEndswithOpenTheirEnds) {
  const CompiledRule rule = compile(R"(contains:
  CommandLine|contains: whoami
starts:
  CommandLine|startswith: 'net '
ends:
  Image|endswith: '\powershell.exe'
condition: 1 of them)");
  EXPECT_EQ(texts(rule), (std::vector<std::string>{"whoami", R"(\\powershell\.exe$)", "^net "}));
  EXPECT_TRUE(rule.patterns[0].literal);  // a fixed string: Aho-Corasick in the engine
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"CommandLine":"cmd /c WHOAMI /all"})"));
  EXPECT_TRUE(m.matches(R"({"CommandLine":"net user"})"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"cmd net user"})"));
  EXPECT_TRUE(m.matches(R"({"Image":"C:\\x\\PowerShell.exe"})"));
}

TEST(StringModifiers, WildcardsBecomeDotsUnderDotAll) {
  const CompiledRule rule = compile(R"(selection:
  - CommandLine: 'a*b?c'
  - CommandLine: '*.exe'
  - CommandLine: 'x\*y\?'
  - CommandLine: 'multi*'
condition: selection)");
  EXPECT_EQ(texts(rule),
            (std::vector<std::string>{R"((?s)^a.*b.c$)", R"(\.exe$)", R"(^x\*y\?$)", "^multi"}));
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"CommandLine":"a\nlong\nbXc"})"));  // `*` and `?` cross newlines
  EXPECT_TRUE(m.matches(R"({"CommandLine":"x*y?"})"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"xZyZ"})"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"abc"})"));  // `?` needs one character
}

TEST(StringModifiers, EmptyValueAndLoneWildcardAreValueTests) {
  const CompiledRule rule = compile(R"(empty:
  Description: ''
any:
  Company: '*'
condition: empty or any)");
  EXPECT_TRUE(rule.patterns.empty());  // the engine rejects patterns matching ""
  ASSERT_EQ(rule.values.size(), 2u);
  EXPECT_EQ(rule.values[0].test, ValueTest::kEmptyString);
  EXPECT_EQ(rule.values[1].test, ValueTest::kScalar);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"Description":""})"));
  EXPECT_FALSE(m.matches(R"({"Description":" "})"));
  EXPECT_TRUE(m.matches(R"({"Company":7})"));
  EXPECT_FALSE(m.matches(R"({"Company":null})"));
  EXPECT_FALSE(m.matches(R"({"Company":{"name":"x"}})"));
}

TEST(StringModifiers, CasedIsCaseSensitive) {
  const CompiledRule rule = compile(R"(selection:
  Token|cased|startswith: 'ghp_'
condition: selection)");
  ASSERT_EQ(rule.patterns.size(), 1u);
  EXPECT_FALSE(rule.patterns[0].case_insensitive);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"Token":"ghp_abc"})"));
  EXPECT_FALSE(m.matches(R"({"Token":"GHP_abc"})"));
}

TEST(StringModifiers, ValueListsAreOrUnlessAll) {
  const CompiledRule any = compile(R"(selection:
  CommandLine|contains: [' -enc ', ' -nop ']
condition: selection)");
  EXPECT_EQ(to_string(any.program), "p0 p1 or");
  const CompiledRule all = compile(R"(selection:
  CommandLine|contains|all: [' -enc ', ' -nop ']
condition: selection)");
  EXPECT_EQ(to_string(all.program), "p0 p1 and");
  RuleMatcher m(all);
  EXPECT_TRUE(m.matches(R"({"CommandLine":"powershell -nop -enc AAA"})"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"powershell -enc AAA"})"));
}

TEST(StringModifiers, RegexPassesThroughWithItsFlags) {
  const CompiledRule rule = compile(R"(plain:
  CommandLine|re: '\s-e(nc)?\s'
flags:
  CommandLine|re|i|m|s: '^a.b$'
anchored:
  CommandLine|re|startswith: 'x|y'
condition: 1 of them)");
  // Identifiers in name order (1 of them): anchored, flags, plain.
  EXPECT_EQ(texts(rule),
            (std::vector<std::string>{R"(\A(?:x|y))", "(?m)(?s)^a.b$", R"(\s-e(nc)?\s)"}));
  EXPECT_FALSE(rule.patterns[2].case_insensitive);  // Sigma regexes are case-sensitive
  EXPECT_TRUE(rule.patterns[1].case_insensitive);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"CommandLine":"ps -enc x"})"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"ps -ENC x"})"));
  EXPECT_TRUE(m.matches(R"({"CommandLine":"zz\nA\nB"})"));
  EXPECT_TRUE(m.matches(R"({"CommandLine":"y..."})"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"...y"})"));
}

TEST(StringModifiers, RegexTheEngineCannotRunIsRejectedWithItsReason) {
  const RuleIssue lookahead = issue_of(R"(selection:
  CommandLine|re: 'a(?=b)'
condition: selection)");
  EXPECT_EQ(lookahead.kind, IssueKind::kRejected);
  EXPECT_EQ(lookahead.line, 6);
  EXPECT_NE(lookahead.reason.find("'CommandLine|re'"), std::string::npos) << lookahead.reason;
  EXPECT_NE(lookahead.reason.find("lookahead"), std::string::npos) << lookahead.reason;
  const RuleIssue empty = issue_of(R"(selection:
  CommandLine|re: 'x*'
condition: selection)");
  EXPECT_NE(empty.reason.find("empty string"), std::string::npos) << empty.reason;
  const RuleIssue order = issue_of(R"(selection:
  CommandLine|contains|re: 'x'
condition: selection)");
  EXPECT_NE(order.reason.find("must come first"), std::string::npos) << order.reason;
}

TEST(StringModifiers, WindashSpellsEveryFlagDash) {
  const CompiledRule rule = compile(R"(selection:
  CommandLine|windash|contains: ' -exec bypass'
condition: selection)");
  ASSERT_EQ(rule.patterns.size(), 1u);
  EXPECT_EQ(rule.patterns[0].text,
            "(?: -exec bypass| /exec bypass| \u2013exec bypass| \u2014exec bypass| \u2015exec "
            "bypass)");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"CommandLine":"powershell /Exec Bypass"})"));
  EXPECT_TRUE(m.matches("{\"CommandLine\":\"powershell \u2014exec bypass\"}"));
  EXPECT_FALSE(m.matches(R"({"CommandLine":"powershell exec bypass"})"));
}

TEST(StringModifiers, Base64AndBase64OffsetAsPySigma) {
  const CompiledRule rule = compile(R"(plain:
  Payload|base64: 'cmd'
shifted:
  Payload|base64offset|contains: 'http://'
wide:
  Payload|wide|base64offset|contains: 'cmd'
bom:
  Payload|utf16|base64: 'cmd'
le:
  Payload|utf16le|base64: 'cmd'
be:
  Payload|utf16be|base64: 'cmd'
condition: 1 of them)");
  // Identifiers in name order: be, bom, le, plain, shifted, wide.
  EXPECT_EQ(texts(rule), (std::vector<std::string>{"^AGMAbQBk$", "^//5jAG0AZAA=$", "^YwBtAGQA$",
                                                   "^Y21k$", "(?:aHR0cDovL|h0dHA6Ly|odHRwOi8v)",
                                                   "(?:YwBtAGQA|MAbQBkA|jAG0AZA)"}));
  RuleMatcher m(rule);
  // "http://" at each offset of a base64 group.
  EXPECT_TRUE(m.matches(R"({"Payload":"Y3VybCBodHRwOi8veA=="})"));
  EXPECT_TRUE(m.matches(R"({"Payload":"eCBjdXJsIGh0dHA6Ly94"})"));
  EXPECT_TRUE(m.matches(R"({"Payload":"aHR0cDovL3g="})"));
  EXPECT_FALSE(m.matches(R"({"Payload":"aHR0cHM6Ly94"})"));
}

TEST(StringModifiers, EncodingsRejectWhatTheyCannotEncode) {
  EXPECT_NE(issue_of(R"(s:
  P|base64: 'a*b'
condition: s)")
                .reason.find("wildcards"),
            std::string::npos);
  EXPECT_NE(issue_of(R"(s:
  P|base64offset|contains: 'a'
condition: s)")
                .reason.find("at least 3 bytes"),
            std::string::npos);
  EXPECT_NE(issue_of(R"(s:
  P|utf16|contains: 'cmd'
condition: s)")
                .reason.find("not UTF-8"),
            std::string::npos);
}

TEST(StringModifiers, WideWithoutBase64MatchesUtf16TextInTheValue) {
  const CompiledRule rule = compile(R"(s:
  P|wide|contains: 'cm'
condition: s)");
  ASSERT_EQ(rule.patterns.size(), 1u);
  EXPECT_EQ(rule.patterns[0].text, std::string("c\0m\0", 4));
  EXPECT_TRUE(RuleMatcher(rule).matches(R"({"P":"xc\u0000m\u0000"})"));
}

TEST(StringModifiers, ExpandReplacesPlaceholdersWithConfiguredValues) {
  LoadOptions options;
  options.placeholders.add("Admins", {"admin", "adm_*"});
  const CompiledRule rule = compile(R"(selection:
  User|expand: '%Admins%'
condition: selection)",
                                    options);
  ASSERT_EQ(rule.patterns.size(), 1u);
  EXPECT_EQ(rule.patterns[0].text, "(?:^admin$|^adm_)");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"User":"adm_bob"})"));
  EXPECT_FALSE(m.matches(R"({"User":"bob"})"));
  const RuleIssue missing = issue_of(R"(selection:
  User|expand: '%Servers%'
condition: selection)");
  EXPECT_NE(missing.reason.find("placeholder %Servers% has no values"), std::string::npos);
  // Without expand, %...% is text.
  EXPECT_EQ(texts(compile("s:\n  P: '%Servers%'\ncondition: s")),
            std::vector<std::string>{"^%Servers%$"});
}

TEST(StringModifiers, UnknownModifierIsNamed) {
  const RuleIssue issue = issue_of(R"(selection:
  Image|endwith: '.exe'
condition: selection)");
  EXPECT_EQ(issue.line, 6);
  EXPECT_NE(issue.reason.find("search identifier 'selection': 'Image|endwith': unknown modifier "
                              "'endwith'"),
            std::string::npos)
      << issue.reason;
}

TEST(StringModifiers, NumbersUnderStringModifiersAreTheirText) {
  const CompiledRule rule = compile("s:\n  Port|endswith: 443\ncondition: s");
  EXPECT_EQ(texts(rule), std::vector<std::string>{"443$"});
  EXPECT_TRUE(RuleMatcher(rule).matches(R"({"Port":8443})"));  // numbers match as written
}

TEST(Keywords, SearchTheRawEventAndFollowJsonEscapes) {
  const CompiledRule rule = compile(R"(keywords:
  - 'mimikatz'
  - 'C:\Temp\"x"'
  - 'café/ü'
condition: keywords)");
  ASSERT_EQ(rule.patterns.size(), 3u);
  for (const engine::PatternSpec& p : rule.patterns) EXPECT_EQ(p.field, engine::kWholeLine);
  EXPECT_TRUE(rule.patterns[0].literal);
  EXPECT_EQ(rule.patterns[1].text, R"(C:\\\\Temp\\\\\\"x\\")");
  EXPECT_EQ(
      rule.patterns[2].text,
      "caf(?:\u00e9|\\\\u00[eE]9|\\\\u00[cC]9)\\\\?/(?:\u00fc|\\\\u00[fF][cC]|\\\\u00[dD][cC])");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"msg":"run MIMIKATZ now"})"));
  EXPECT_TRUE(m.matches(R"({"path":"C:\\Temp\\\"X\""})"));
  EXPECT_TRUE(m.matches(R"({"m":"caf\u00c9\/\u00FC"})"));  // escaped, either case
  EXPECT_TRUE(m.matches("{\"m\":\"CAF\u00c9/\u00fc\"}"));  // raw UTF-8
  EXPECT_FALSE(m.matches(R"({"m":"cafe/u"})"));
  // Go's encoder writes < > & as \u003c \u003e \u0026.
  const CompiledRule html = compile("k: ['<script>']\ncondition: k");
  ASSERT_EQ(html.patterns.size(), 1u);
  EXPECT_EQ(html.patterns[0].text, R"((?:<|\\u003[cC])script(?:>|\\u003[eE]))");
  EXPECT_TRUE(RuleMatcher(html).matches(R"({"m":"x\u003cscript\u003e"})"));
  EXPECT_TRUE(RuleMatcher(html).matches(R"({"m":"x<SCRIPT>"})"));
}

TEST(Keywords, AllModifierAndWildcardsAndNoFieldOnlyTests) {
  const CompiledRule rule = compile(R"(keywords:
  '|all':
    - 'OabVirtualDirectory'
    - ' -ExternalUrl '
condition: keywords)");
  EXPECT_EQ(to_string(rule.program), "p0 p1 and");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"c":"Set-OabVirtualDirectory -ExternalUrl http://x"})"));
  EXPECT_FALSE(m.matches(R"({"c":"Set-OabVirtualDirectory"})"));
  const CompiledRule wild = compile("k:\n  - 'a?c'\ncondition: k");
  RuleMatcher w(wild);
  EXPECT_TRUE(w.matches(R"({"m":"a\nc"})"));  // `?` is one character, escaped or not
  EXPECT_TRUE(w.matches(R"({"m":"a\u00e9c"})"));
  EXPECT_TRUE(w.matches(R"({"m":"abc"})"));
  EXPECT_NE(issue_of("k:\n  - '*'\ncondition: k").reason.find("would match every event"),
            std::string::npos);
  EXPECT_NE(issue_of("k:\n  '|gt': 5\ncondition: k").reason.find("needs a field"),
            std::string::npos);
}

}  // namespace
}  // namespace agentsweep::rules
