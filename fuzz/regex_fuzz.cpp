/** @file
 * Fuzzes the regex parser and compiler (host/engine/patterns) against RE2
 * (and plain -F strings against a byte search).
 * Input: up to four patterns separated by '\n', then '\0' and a text; the
 * last byte holds the options (-F, -i, -w). The patterns are compiled
 * together, as one scan would, and for each pattern and each of three texts
 * (the text and its halves) "does it occur" must be RE2's answer.
 * A pattern the engine refuses must be one RE2 refuses too, or a refusal by
 * design (docs/patterns.md): it matches the empty string, it passes the NFA
 * or memory budget, or it uses \C. The engine accepts (?<name>re), which Debian's RE2
 * does not. -w is RE2's (?:\A|[^0-9A-Za-z_])(?:re)(?:\z|[^0-9A-Za-z_]),
 * compared on valid UTF-8 only: RE2's [^...] never matches an invalid byte.
 */
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::fuzz {
namespace {

constexpr std::size_t kMaxPatterns = 4;

/// What a pattern should match: RE2's answer, or for a plain fixed string a
/// byte search (-F takes any bytes, RE2 wants UTF-8).
class Reference {
 public:
  explicit Reference(const engine::PatternSpec& spec) : spec_(spec) {
    if (spec.literal && !spec.case_insensitive && !spec.word) return;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_literal(spec.literal);
    options.set_case_sensitive(!spec.case_insensitive);
    re2_ = std::make_unique<RE2>(spec.text, options);
    if (!re2_->ok()) {
      refusal_ = re2_->error();
      return;
    }
    if (!spec.word) return;
    const std::string body = spec.literal ? RE2::QuoteMeta(spec.text) : spec.text;
    std::string worded = "(?:\\A|[^0-9A-Za-z_])(?:";
    worded.append(body).append(")(?:\\z|[^0-9A-Za-z_])");
    options.set_literal(false);
    re2_ = std::make_unique<RE2>(worded, options);
    if (!re2_->ok()) refusal_ = "not comparable with -w";  // \Q without \E swallows the ')'
  }

  bool accepted() const { return refusal_.empty(); }
  const std::string& refusal() const { return refusal_; }
  bool occurs_in(const std::string& text) const {
    return re2_ ? RE2::PartialMatch(text, *re2_) : text.find(spec_.text) != std::string::npos;
  }

 private:
  engine::PatternSpec spec_;
  std::unique_ptr<RE2> re2_;  ///< null for a plain fixed string
  std::string refusal_;
};

bool refused_by_design(const std::string& why, const std::string& pattern) {
  return why.find("empty string") != std::string::npos ||
         why.find("too large") != std::string::npos ||
         why.find("--pattern-memory") != std::string::npos ||
         pattern.find("\\C") != std::string::npos;
}

bool accepted_by_design(const std::string& re2_refusal, const std::string& pattern) {
  return pattern.find("(?<") != std::string::npos ||
         re2_refusal.find("pattern too large") != std::string::npos ||
         re2_refusal == "not comparable with -w";
}

void check(std::vector<engine::PatternSpec> specs, const std::string& text) {
  std::vector<Reference> references(specs.begin(), specs.end());

  // Compile as a scan would; drop each refused pattern after checking why.
  engine::CompileLimits limits;
  limits.max_states = 2000;  // keeps each run fast; splitting still happens
  limits.memory_bytes = std::size_t{16} << 20;
  engine::PatternSet set;
  for (;;) {
    try {
      set = engine::compile_patterns(specs, limits);
      break;
    } catch (const engine::PatternError& e) {
      const std::size_t p = e.pattern();
      FUZZ_REQUIRE(p < specs.size(), "pattern index " << p);
      FUZZ_REQUIRE(!references[p].accepted() || refused_by_design(e.what(), specs[p].text),
                   "refused /" << escaped(specs[p].text) << "/ (-F " << specs[p].literal << " -i "
                               << specs[p].case_insensitive << " -w " << specs[p].word
                               << "), which RE2 accepts: " << e.what());
      specs.erase(specs.begin() + static_cast<std::ptrdiff_t>(p));
      references.erase(references.begin() + static_cast<std::ptrdiff_t>(p));
      if (specs.empty()) return;
    }
  }
  for (std::size_t p = 0; p < specs.size(); ++p)
    FUZZ_REQUIRE(
        references[p].accepted() || accepted_by_design(references[p].refusal(), specs[p].text),
        "accepted /" << escaped(specs[p].text)
                     << "/, which RE2 refuses: " << references[p].refusal());

  const std::string halves[] = {text, text.substr(0, text.size() / 2),
                                text.substr(text.size() / 2)};
  for (const std::string& t : halves) {
    // Each half on its own: cutting a text in two may split a character.
    const bool valid_text = is_valid_utf8(t);
    const std::vector<std::uint32_t> found = engine::match_line(set, t);
    for (std::uint32_t p = 0; p < specs.size(); ++p) {
      if (!references[p].accepted() || (specs[p].word && !valid_text)) continue;
      const bool expected = references[p].occurs_in(t);
      const bool actual = std::binary_search(found.begin(), found.end(), p);
      FUZZ_REQUIRE(actual == expected, "/" << escaped(specs[p].text) << "/ (-F " << specs[p].literal
                                           << " -i " << specs[p].case_insensitive << " -w "
                                           << specs[p].word << ", set of " << specs.size()
                                           << ") on \"" << escaped(t) << "\": engine " << actual
                                           << ", RE2 " << expected);
    }
  }
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t options = data[size - 1];
  const std::string input(reinterpret_cast<const char*>(data), size - 1);
  const std::size_t separator = std::min(input.find('\0'), input.size());
  std::vector<agentsweep::engine::PatternSpec> specs;
  for (std::size_t start = 0;
       start <= separator && specs.size() < agentsweep::fuzz::kMaxPatterns;) {
    const std::size_t end = std::min(input.find('\n', start), separator);
    agentsweep::engine::PatternSpec spec;
    spec.text = input.substr(start, end - start);
    spec.literal = options & 1;
    spec.case_insensitive = options & 2;
    spec.word = options & 4;
    if (!spec.text.empty()) specs.push_back(std::move(spec));
    start = end + 1;
  }
  if (specs.empty()) return 0;
  agentsweep::fuzz::check(std::move(specs),
                          separator < input.size() ? input.substr(separator + 1) : std::string());
  return 0;
}
