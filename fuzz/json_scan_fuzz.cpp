/** @file
 * Fuzzes JSON line validation and field location (kernels/json_scan.cuh)
 * against nlohmann::json, an independent parser. The input is one line. It
 * must be an event exactly when nlohmann reads it as one object, and every
 * located field must hold what nlohmann finds at that path: the same kind,
 * the same decoded string, the same number, absent when the path is missing
 * or runs through a non-object. Differences by design are left out:
 * nlohmann refuses ill-formed UTF-8 and lone surrogate escapes (agentsweep
 * takes bytes as they are), skips a leading byte order mark, ends the input
 * at a NUL byte and refuses numbers beyond a double; agentsweep refuses
 * nesting deeper than kMaxNesting.
 */
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/engine/field_paths.hpp"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"

namespace agentsweep::fuzz {
namespace {

using kernels::JsonError;
using kernels::ValueKind;
using Json = nlohmann::json;

// Short keys the fuzzer finds quickly, nesting, the entity paths, the deepest path.
const std::vector<std::string> kPaths{
    "a", "b", "a.b", "a.a", "b.a.c", "actor.agent_id", "actor.id", "a.b.c.d.e.f.g.h"};

const Json* find_path(const Json& doc, const std::string& path) {
  const Json* at = &doc;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot - start);
    if (!at->is_object()) return nullptr;
    const auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    if (dot == std::string::npos) return at;
    start = dot + 1;
  }
}

int depth_of(const Json& value) {
  int deepest = 0;
  if (value.is_structured())
    for (const Json& child : value) deepest = std::max(deepest, depth_of(child));
  return value.is_structured() ? deepest + 1 : 0;
}

/// True when nlohmann's refusal is one of the differences by design.
bool refused_by_design(const std::string& why) {
  return why.find("ill-formed UTF-8") != std::string::npos ||
         why.find("surrogate") != std::string::npos ||
         why.find("number overflow") != std::string::npos;
}

void check_field(std::string_view line, const std::string& path, const kernels::FieldValue& field,
                 const Json* expected) {
  FUZZ_REQUIRE(field.offset + field.length <= line.size(),
               path << ": span " << field.offset << "+" << field.length << " past the line");
  const std::string_view span = line.substr(field.offset, field.length);
  const auto context = [&] { return path + " in \"" + escaped(line) + "\""; };
  if (expected == nullptr) {
    FUZZ_REQUIRE(field.kind == ValueKind::kAbsent,
                 context() << ": located kind " << static_cast<int>(field.kind) << ", absent");
    return;
  }
  switch (field.kind) {
    case ValueKind::kAbsent:
      FUZZ_REQUIRE(false, context() << ": not located, nlohmann finds " << expected->dump());
      break;
    case ValueKind::kString:
      FUZZ_REQUIRE(
          expected->is_string() &&
              kernels::decode_json_string(span.data(), static_cast<std::uint32_t>(span.size())) ==
                  expected->get<std::string>(),
          context() << ": string \"" << escaped(span) << "\", nlohmann finds " << expected->dump());
      break;
    case ValueKind::kNumber:
      FUZZ_REQUIRE(
          expected->is_number() && Json::parse(span) == *expected,
          context() << ": number \"" << escaped(span) << "\", nlohmann finds " << expected->dump());
      break;
    case ValueKind::kTrue:
    case ValueKind::kFalse:
      FUZZ_REQUIRE(expected->is_boolean() &&
                       expected->get<bool>() == (field.kind == ValueKind::kTrue) &&
                       span == (field.kind == ValueKind::kTrue ? "true" : "false"),
                   context() << ": literal \"" << escaped(span) << "\", nlohmann finds "
                             << expected->dump());
      break;
    case ValueKind::kNull:
      FUZZ_REQUIRE(expected->is_null() && span == "null",
                   context() << ": null, nlohmann finds " << expected->dump());
      break;
    case ValueKind::kObject:
    case ValueKind::kArray:
      FUZZ_REQUIRE(expected->is_object() == (field.kind == ValueKind::kObject) &&
                       expected->is_array() == (field.kind == ValueKind::kArray),
                   context() << ": container kind " << static_cast<int>(field.kind)
                             << ", nlohmann finds " << expected->dump());
      break;
  }
}

void check(std::string_view line) {
  static const engine::FieldPaths paths(kPaths);
  static const kernels::FieldPathsView view = paths.view(paths.segment_text().data());
  const kernels::JsonScanResult scan =
      kernels::scan_json_line(line.data(), static_cast<std::uint32_t>(line.size()), view);
  FUZZ_REQUIRE(scan.error_offset <= line.size(), "error offset " << scan.error_offset);

  // nlohmann stops reading at a NUL byte and skips a leading byte order mark.
  if (line.find('\0') != std::string_view::npos || line.starts_with("\xEF\xBB\xBF")) return;

  Json doc;
  std::string refusal;
  try {
    doc = Json::parse(line);
  } catch (const Json::exception& e) {
    refusal = e.what();
  }
  if (!refusal.empty() && refused_by_design(refusal)) return;
  const bool event = refusal.empty() && doc.is_object();
  if (scan.error == JsonError::kTooDeep) {
    FUZZ_REQUIRE(!event || depth_of(doc) > kernels::kMaxNesting,
                 "too deep at depth " << depth_of(doc) << ": \"" << escaped(line) << "\"");
    return;
  }
  FUZZ_REQUIRE(event == (scan.error == JsonError::kNone),
               "agentsweep: error "
                   << static_cast<int>(scan.error) << " at " << scan.error_offset
                   << "; nlohmann: " << (refusal.empty() ? doc.type_name() : refusal) << "; line \""
                   << escaped(line) << "\"");
  if (!event) return;
  for (std::size_t f = 0; f < kPaths.size(); ++f)
    check_field(line, kPaths[f], scan.fields[f], find_path(doc, kPaths[f]));
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  agentsweep::fuzz::check({reinterpret_cast<const char*>(data), size});
  return 0;
}
