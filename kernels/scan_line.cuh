/** @file
 * The per-line work of a scan, written once for every backend: classify the
 * line (event, blank, malformed), locate the entity fields, hash their decoded
 * values and read the timestamp. Pattern matching runs as separate passes
 * (scan_batch.inl).
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/hash.cuh"
#include "kernels/json_scan.cuh"
#include "kernels/json_string.cuh"
#include "kernels/portability.cuh"
#include "kernels/timestamp.cuh"

namespace agentsweep::kernels {

enum class LineKind : std::uint8_t { kEvent, kBlank, kMalformed };

/// A located entity value; the span is relative to the batch start.
struct EntityRef {
  AGENTSWEEP_HD EntityRef() : length(0), escaped(0) {}  // bit-field initializers need C++20

  std::uint64_t key = kNoEntity;
  std::uint32_t offset = 0;
  std::uint32_t length : 31;  // packed: a batch holds one of these per entity and line
  std::uint32_t escaped : 1;
};

struct LineRecord {
  std::uint32_t begin = 0;   ///< batch offset of the first byte
  std::uint32_t length = 0;  ///< without "\n" or "\r\n"
  EntityRef agent;
  EntityRef op;
  EntityRef key;                   ///< the API key
  EntityRef ip;                    ///< the source address
  std::int64_t time_ms = 0;        ///< when time == TimeStatus::kValid
  std::uint32_t error_offset = 0;  ///< within the line, for malformed lines
  JsonError error = JsonError::kNone;
  LineKind kind = LineKind::kBlank;
  TimeStatus time = TimeStatus::kAbsent;
  bool hit = false;  ///< some pattern occurs in the line
};

/// Ids of at most this many raw bytes are copied per line where a backend asks
/// (ScanLine::id_copies); agent, operator and key ids are a little shorter.
inline constexpr std::uint32_t kIdCopyBytes = 22;

/// One line's copied ids, by entity: agent, operator, key, address.
struct IdCopies {
  char raw[4][kIdCopyBytes];
};

/// Which located fields are the entities that scans aggregate by, and the time.
struct EntityFields {
  int agent = 0;
  int op = 1;
  int key = 2;
  int ip = 3;
  int time = 4;
  static constexpr int kCount = 5;  ///< pattern scopes come after these
};

AGENTSWEEP_HD inline EntityRef entity_from_field(const char* line, std::uint32_t line_begin,
                                                 const FieldValue& field) {
  EntityRef ref;
  if (field.kind != ValueKind::kString && field.kind != ValueKind::kNumber &&
      field.kind != ValueKind::kTrue && field.kind != ValueKind::kFalse)
    return ref;  // absent, null or a container: no entity
  EntityHasher hasher;
  const char* raw = line + field.offset;
  if (field.has_escape) {
    JsonStringDecoder decoder(raw, field.length);
    unsigned char byte = 0;
    while (decoder.next(byte)) hasher.add(byte);
  } else {  // the raw bytes are the decoded ones
    for (std::uint32_t i = 0; i < field.length; ++i) hasher.add(static_cast<unsigned char>(raw[i]));
  }
  ref.key = hasher.finish();
  ref.offset = line_begin + field.offset;
  ref.length = field.length & 0x7fffffffu;  // fits: --batch-size is at most 2 GiB
  ref.escaped = field.has_escape ? 1u : 0u;
  return ref;
}

/// Copies the raw bytes of a short entity id to `to`; a longer one is left to be read in the batch.
AGENTSWEEP_HD inline void copy_short_id(const char* bytes, const EntityRef& ref, char* to) {
  if (ref.key != kNoEntity && ref.length <= kIdCopyBytes)
    memcpy(to, bytes + ref.offset, ref.length);
}

/// Maps a line index to its record. `line_ends` holds the position of each "\n".
/// The values of fields first_span_field .. paths.count - 1 (the pattern
/// scopes) go to `spans`, span_fields per line, with batch-relative offsets.
/// With `id_copies`, the short ids of each event go there too, one IdCopies per line.
struct ScanLine {
  const char* bytes;
  const std::uint32_t* line_ends;
  FieldPathsView paths;
  EntityFields entities;
  FieldValue* spans;
  int first_span_field;
  IdCopies* id_copies;  ///< nullptr: none are copied

  AGENTSWEEP_HD LineRecord operator()(std::uint32_t index) const {
    LineRecord record;
    record.begin = index == 0 ? 0 : line_ends[index - 1] + 1;
    std::uint32_t end = line_ends[index];
    if (end > record.begin && bytes[end - 1] == '\r') --end;
    record.length = end - record.begin;
    const char* line = bytes + record.begin;

    bool blank = true;
    for (std::uint32_t i = 0; i < record.length && blank; ++i)
      blank = line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
    if (blank) return record;

    const JsonScanResult scan = scan_json_line(line, record.length, paths);
    if (scan.error != JsonError::kNone) {
      record.kind = LineKind::kMalformed;
      record.error = scan.error;
      record.error_offset = scan.error_offset;
      return record;
    }
    record.kind = LineKind::kEvent;
    record.agent = entity_from_field(line, record.begin, scan.fields[entities.agent]);
    record.op = entity_from_field(line, record.begin, scan.fields[entities.op]);
    record.key = entity_from_field(line, record.begin, scan.fields[entities.key]);
    record.ip = entity_from_field(line, record.begin, scan.fields[entities.ip]);
    record.time = read_timestamp(line, scan.fields[entities.time], record.time_ms);
    if (id_copies != nullptr) {
      IdCopies& copies = id_copies[index];
      copy_short_id(bytes, record.agent, copies.raw[0]);
      copy_short_id(bytes, record.op, copies.raw[1]);
      copy_short_id(bytes, record.key, copies.raw[2]);
      copy_short_id(bytes, record.ip, copies.raw[3]);
    }
    const int span_fields = paths.count - first_span_field;
    for (int f = 0; f < span_fields; ++f) {
      FieldValue value = scan.fields[first_span_field + f];
      value.offset += record.begin;
      spans[static_cast<std::size_t>(index) * span_fields + f] = value;
    }
    return record;
  }
};

}  // namespace agentsweep::kernels
