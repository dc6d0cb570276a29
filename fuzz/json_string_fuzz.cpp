/** @file
 * Fuzzes JSON string unescaping and comparison (kernels/json_string.cuh). The
 * input is two raw string contents (the bytes between the quotes). Whatever
 * the bytes, decoding stays inside them. For contents that validate
 * (json_scan.cuh's string grammar): decoding agrees with nlohmann::json,
 * except where nlohmann refuses by design (ill-formed UTF-8, lone surrogates,
 * which agentsweep decodes to U+FFFD); unescaped contents decode to
 * themselves; and both comparisons agree with comparing the decoded bytes.
 */
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"

namespace agentsweep::fuzz {
namespace {

struct RawString {
  std::vector<char> bytes;  ///< exactly sized, so any read past them is caught
  bool valid = false;
  bool has_escape = false;

  const char* data() const { return bytes.empty() ? nullptr : bytes.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(bytes.size()); }
  std::string_view view() const { return {data(), bytes.size()}; }
};

RawString raw_string(std::vector<char> bytes) {
  RawString s{std::move(bytes)};
  // The grammar check reads up to the closing quote, so give it one.
  std::string quoted(s.bytes.begin(), s.bytes.end());
  quoted += '"';
  std::uint32_t pos = 0;
  s.valid = kernels::detail::scan_string(quoted.data(), static_cast<std::uint32_t>(quoted.size()),
                                         pos, s.has_escape) == kernels::JsonError::kNone &&
            pos == quoted.size();
  return s;
}

std::string decode(const RawString& s) {
  return kernels::decode_json_string(s.data(), s.size());
}

void check_against_nlohmann(const RawString& s, const std::string& decoded) {
  std::string quoted = "\"";
  quoted.append(s.view());
  quoted += '"';
  try {
    const std::string expected = nlohmann::json::parse(quoted).get<std::string>();
    FUZZ_REQUIRE(decoded == expected, "\"" << escaped(s.view()) << "\" decodes to \""
                                           << escaped(decoded) << "\", nlohmann to \""
                                           << escaped(expected) << "\"");
  } catch (const nlohmann::json::parse_error& e) {
    const std::string why = e.what();
    FUZZ_REQUIRE(why.find("ill-formed UTF-8") != std::string::npos ||
                     why.find("surrogate") != std::string::npos,
                 "valid \"" << escaped(s.view()) << "\" refused by nlohmann: " << why);
  }
}

void check(const RawString& a, const RawString& b) {
  const std::string decoded_a = decode(a);  // must stay in bounds even when invalid
  const std::string decoded_b = decode(b);
  if (!a.valid || !b.valid) return;
  check_against_nlohmann(a, decoded_a);
  if (!a.has_escape)
    FUZZ_REQUIRE(decoded_a == a.view(), "unescaped \"" << escaped(a.view()) << "\" changed");
  const bool same = decoded_a == decoded_b;
  FUZZ_REQUIRE(
      kernels::json_strings_equal(a.data(), a.size(), a.has_escape, b.data(), b.size(),
                                  b.has_escape) == same,
      "json_strings_equal(\"" << escaped(a.view()) << "\", \"" << escaped(b.view()) << "\")");
  FUZZ_REQUIRE(kernels::json_string_equals(a.data(), a.size(), a.has_escape, decoded_b.data(),
                                           static_cast<std::uint32_t>(decoded_b.size())) == same,
               "json_string_equals(\"" << escaped(a.view()) << "\", decoded \""
                                       << escaped(decoded_b) << "\")");
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agentsweep::fuzz;
  FuzzedDataProvider input(data, size);
  const auto first_length = input.ConsumeIntegralInRange<std::size_t>(0, size);
  RawString a = raw_string(input.ConsumeBytes<char>(first_length));
  RawString b = raw_string(input.ConsumeRemainingBytes<char>());
  check(a, b);
  check(b, a);
  return 0;
}
