/** @file
 * Fuzzes fixed-string sets (-F, -F -i: host/engine/patterns/aho_corasick.cpp
 * and the regex path that -i strings with k, s or non-ASCII letters take), up
 * to 150 strings at once so that both attribution modes (a 64-bit mask, and
 * output lists past 64 patterns) run. The text is fuzzed bytes with some of
 * the strings planted in it, case-flipped or cut short. For every string,
 * "does it occur" must be what a byte search says, or with -i what RE2's
 * case-insensitive literal match says.
 */
#include <fuzzer/FuzzedDataProvider.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::fuzz {
namespace {

std::string planted(const std::string& literal, std::uint8_t how) {
  std::string copy = literal;
  if (how & 1)
    for (char& c : copy)
      c = static_cast<char>(std::isupper(static_cast<unsigned char>(c))
                                ? std::tolower(static_cast<unsigned char>(c))
                                : std::toupper(static_cast<unsigned char>(c)));
  if ((how & 2) && copy.size() > 1) copy.pop_back();
  return copy;
}

void check(FuzzedDataProvider& input) {
  const bool case_insensitive = input.ConsumeBool();
  const std::size_t count = input.ConsumeIntegralInRange<std::size_t>(1, 150);
  std::vector<engine::PatternSpec> specs;
  for (std::size_t i = 0; i < count && input.remaining_bytes() > 0; ++i) {
    std::string text = input.ConsumeBytesAsString(input.ConsumeIntegralInRange<std::size_t>(1, 12));
    // -i strings leave Aho-Corasick for the regex path, which takes UTF-8 only.
    if (text.empty() || (case_insensitive && !is_valid_utf8(text))) continue;
    specs.push_back({std::move(text), /*literal=*/true, case_insensitive});
  }
  if (specs.empty()) return;
  std::string text = input.ConsumeBytesAsString(input.ConsumeIntegralInRange<std::size_t>(0, 256));
  while (input.remaining_bytes() > 0) {
    const std::string& literal =
        specs[input.ConsumeIntegralInRange<std::size_t>(0, specs.size() - 1)].text;
    const std::size_t at = input.ConsumeIntegralInRange<std::size_t>(0, text.size());
    text.insert(at, planted(literal, input.ConsumeIntegral<std::uint8_t>()));
  }

  engine::PatternSet set;
  try {
    set = engine::compile_patterns(specs);
  } catch (const engine::PatternError& e) {
    FUZZ_REQUIRE(
        false, "refused fixed string \"" << escaped(specs[e.pattern()].text) << "\": " << e.what());
  }
  const std::vector<std::uint32_t> found = engine::match_line(set, text);
  RE2::Options options;
  options.set_literal(true);
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  for (std::uint32_t p = 0; p < specs.size(); ++p) {
    bool expected = text.find(specs[p].text) != std::string::npos;
    if (case_insensitive) {
      const RE2 reference(specs[p].text, options);
      FUZZ_REQUIRE(reference.ok(), reference.error());
      expected = RE2::PartialMatch(text, reference);
    }
    const bool actual = std::binary_search(found.begin(), found.end(), p);
    FUZZ_REQUIRE(actual == expected, "\"" << escaped(specs[p].text) << "\" (-i " << case_insensitive
                                          << ", set of " << specs.size() << ") in \""
                                          << escaped(text) << "\": engine " << actual
                                          << ", expected " << expected);
  }
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  agentsweep::fuzz::check(input);
  return 0;
}
