/** @file
 * One pass over one JSON line that validates it and locates a few fields by
 * path, structurally: a key is matched only at the object depth its path
 * names, so a key name inside a string value or the same key in another
 * nested object is never taken for the field. Runs one thread per line on the
 * GPU and one iteration per line on the CPU (cuDF get_json_object's pattern).
 */
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__SSE2__) && !defined(__CUDA_ARCH__)
#include <emmintrin.h>
#endif

#include "kernels/json_string.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {

inline constexpr int kMaxFields = 32;    ///< field paths located per line (bits of a PathMask)
inline constexpr int kMaxPathDepth = 8;  ///< segments per path ("a.b.c" is 3)
inline constexpr int kMaxNesting = 128;  ///< deeper lines are reported malformed

/// Field paths in a form kernels can read: segment bytes live in `text`.
/// One bit per field path.
using PathMask = std::uint32_t;
static_assert(kMaxFields <= 32, "a PathMask holds one bit per field");

struct FieldPathsView {
  const char* text = nullptr;
  std::uint32_t segment_offset[kMaxFields][kMaxPathDepth] = {};
  std::uint32_t segment_length[kMaxFields][kMaxPathDepth] = {};
  std::uint8_t depth[kMaxFields] = {};
  std::uint8_t count = 0;
  /// Per level, bit (length % 64) for the length of every segment there: most
  /// keys of a line are ruled out by their length alone, before any compare.
  std::uint64_t segment_lengths[kMaxPathDepth] = {};
};

enum class JsonError : std::uint8_t {
  kNone,
  kNotObject,
  kUnexpectedEnd,
  kUnexpectedByte,
  kBadEscape,
  kControlCharacter,
  kBadNumber,
  kBadLiteral,
  kTooDeep,
  kTrailingData,
};

enum class ValueKind : std::uint8_t {
  kAbsent,
  kString,
  kNumber,
  kTrue,
  kFalse,
  kNull,
  kObject,
  kArray
};

/// Where a field's value lies in the line. For strings the span is the raw
/// contents between the quotes; for numbers and literals the token itself.
struct FieldValue {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  ValueKind kind = ValueKind::kAbsent;
  bool has_escape = false;
};

struct JsonScanResult {
  JsonError error = JsonError::kNone;
  std::uint32_t error_offset = 0;  ///< byte offset within the line
  FieldValue fields[kMaxFields];
};

namespace detail {

AGENTSWEEP_HD inline bool is_json_space(char c) {
  // One compare for the common case, a byte above the space.
  constexpr std::uint64_t kSpaces =
      (1ull << ' ') | (1ull << '\t') | (1ull << '\r') | (1ull << '\n');
  const auto byte = static_cast<unsigned char>(c);
  return byte <= ' ' && ((kSpaces >> byte) & 1u);
}

AGENTSWEEP_HD inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// The high bit of each of the 8 bytes in `word` (first byte lowest) that may
/// be a quote, a backslash or a control character, the bytes a string scan
/// must look at one by one: the classic "has a zero byte" and "has a byte
/// below n" tests. Borrows only run upwards, so the lowest bit set is exact:
/// it marks the first such byte.
AGENTSWEEP_HD inline std::uint64_t string_special_bits(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighs = 0x8080808080808080ull;
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  return (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
          ((word - kOnes * 0x20) & ~word)) &
         kHighs;
}

/// Moves `pos` over the plain string bytes (no quote, backslash or control
/// character) of the next chunk: true when the whole chunk was plain, false
/// when `pos` stopped at a byte that needs a look (or too few bytes are left
/// for a chunk). On the host a chunk is 16 bytes, compared at once with SSE2
/// (most ids and keys end within one); on the device, 8 bytes as one word.
AGENTSWEEP_HD inline bool skip_plain_chunk(const char* s, std::uint32_t n, std::uint32_t& pos) {
#if defined(__SSE2__) && !defined(__CUDA_ARCH__)
  if (pos + 16 <= n) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + pos));
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                     _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))),
        _mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(0x1f)), bytes));  // below 0x20
    const auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(special));
    if (mask == 0) {
      pos += 16;
      return true;
    }
    pos += static_cast<std::uint32_t>(lowest_bit(mask));
    return false;
  }
#endif
  if (pos + 8 <= n) {
    std::uint64_t word;
    memcpy(&word, s + pos, 8);  // unaligned; little-endian on every backend
    const std::uint64_t special = string_special_bits(word);
    if (special == 0) {
      pos += 8;
      return true;
    }
    pos += static_cast<std::uint32_t>(lowest_bit(special)) / 8;
  }
  return false;
}

/// Scans a string starting after its opening quote; on success `pos` is just
/// past the closing quote. Most string bytes are plain: they are skipped a
/// chunk at a time, straight to the next byte that needs a look.
AGENTSWEEP_HD inline JsonError scan_string(const char* s, std::uint32_t n, std::uint32_t& pos,
                                           bool& has_escape) {
  has_escape = false;
  while (pos < n) {
    if (skip_plain_chunk(s, n, pos)) continue;
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c == '"') {
      ++pos;
      return JsonError::kNone;
    }
    if (c < 0x20) return JsonError::kControlCharacter;
    if (c != '\\') {
      ++pos;
      continue;
    }
    has_escape = true;
    if (pos + 1 >= n) return JsonError::kUnexpectedEnd;
    const char e = s[pos + 1];
    if (e == 'u') {
      if (pos + 6 > n) return JsonError::kUnexpectedEnd;
      for (std::uint32_t k = 2; k < 6; ++k)
        if (hex_digit_value(static_cast<unsigned char>(s[pos + k])) < 0)
          return JsonError::kBadEscape;
      pos += 6;
    } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
               e == 't') {
      pos += 2;
    } else {
      return JsonError::kBadEscape;
    }
  }
  return JsonError::kUnexpectedEnd;
}

/// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
AGENTSWEEP_HD inline JsonError scan_number(const char* s, std::uint32_t n, std::uint32_t& pos) {
  if (pos < n && s[pos] == '-') ++pos;
  if (pos >= n || !is_digit(s[pos])) return JsonError::kBadNumber;
  if (s[pos] == '0') {
    ++pos;
  } else {
    while (pos < n && is_digit(s[pos])) ++pos;
  }
  if (pos < n && s[pos] == '.') {
    ++pos;
    if (pos >= n || !is_digit(s[pos])) return JsonError::kBadNumber;
    while (pos < n && is_digit(s[pos])) ++pos;
  }
  if (pos < n && (s[pos] == 'e' || s[pos] == 'E')) {
    ++pos;
    if (pos < n && (s[pos] == '+' || s[pos] == '-')) ++pos;
    if (pos >= n || !is_digit(s[pos])) return JsonError::kBadNumber;
    while (pos < n && is_digit(s[pos])) ++pos;
  }
  return JsonError::kNone;
}

AGENTSWEEP_HD inline bool scan_literal(const char* s, std::uint32_t n, std::uint32_t& pos,
                                       const char* word, std::uint32_t word_length) {
  if (pos + word_length > n) return false;
  for (std::uint32_t k = 0; k < word_length; ++k)
    if (s[pos + k] != word[k]) return false;
  pos += word_length;
  return true;
}

/// Paths (as a bit mask) among `candidates` whose segment at `level` equals the key.
AGENTSWEEP_HD inline PathMask paths_matching_key(const FieldPathsView& paths, PathMask candidates,
                                                 int level, const char* key,
                                                 std::uint32_t key_length, bool key_escaped) {
  // An escaped key's raw length is not its decoded length: no filter then.
  if (!key_escaped && ((paths.segment_lengths[level] >> (key_length % 64)) & 1u) == 0) return 0;
  PathMask matched = 0;
  for (PathMask m = candidates; m != 0; m &= m - 1) {
    const int f = lowest_bit(m);
    if (json_string_equals(key, key_length, key_escaped,
                           paths.text + paths.segment_offset[f][level],
                           paths.segment_length[f][level]))
      matched |= PathMask{1} << f;
  }
  return matched;
}

}  // namespace detail

namespace detail {

/// The innermost open container is an object (1 bit per level in `object_bits`).
AGENTSWEEP_HD inline bool is_object_at(const std::uint64_t* object_bits, int depth) {
  return depth > 0 && ((object_bits[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1u);
}

AGENTSWEEP_HD inline void skip_space(const char* s, std::uint32_t n, std::uint32_t& pos) {
  while (pos < n && is_json_space(s[pos])) ++pos;
}

/**
 * The parse behind scan_json_line: fills `fields` and returns the first
 * error, with `pos` at the offending byte.
 *
 * A key, its ':' and its value are taken in one turn of the loop, and the ','
 * or closing brackets after a value at the end of the same turn, so a member
 * costs one turn and the branches of each step are predicted on their own.
 */
AGENTSWEEP_HD inline JsonError scan_object_line(const char* line, std::uint32_t n,
                                                const FieldPathsView& paths, FieldValue* fields,
                                                std::uint32_t& pos) {
  skip_space(line, n, pos);
  if (pos >= n || line[pos] != '{') return JsonError::kNotObject;

  // Per nesting level: is it an object, and which paths are still alive there.
  std::uint64_t object_bits[kMaxNesting / 64] = {};
  PathMask alive[kMaxPathDepth + 2] = {};
  int depth = 0;           // number of open containers
  bool in_object = false;  // is_object_at(object_bits, depth), kept at hand
  const PathMask all_paths =
      paths.count == 32 ? ~PathMask{0} : (PathMask{1} << paths.count) - PathMask{1};

  // What the next token must be: a key or a value, each possibly the first of
  // its container (which may close instead).
  enum class Expect { kValue, kFirstKey, kKey, kFirstItem } expect = Expect::kValue;
  bool root_pending = true;  // the root object is not open yet

  for (;;) {
    skip_space(line, n, pos);
    if (pos >= n) return JsonError::kUnexpectedEnd;
    char c = line[pos];

    bool closing =
        (expect == Expect::kFirstKey && c == '}') || (expect == Expect::kFirstItem && c == ']');
    if (!closing) {
      PathMask value_paths = 0;  // paths whose value is the value parsed below
      if (expect == Expect::kFirstKey || expect == Expect::kKey) {
        if (c != '"') return JsonError::kUnexpectedByte;
        const std::uint32_t key_start = ++pos;
        bool key_escaped = false;
        const JsonError e = scan_string(line, n, pos, key_escaped);
        if (e != JsonError::kNone) return e;
        const std::uint32_t key_length = pos - 1 - key_start;
        skip_space(line, n, pos);
        if (pos >= n) return JsonError::kUnexpectedEnd;
        if (line[pos] != ':') return JsonError::kUnexpectedByte;
        ++pos;
        if (depth <= kMaxPathDepth && alive[depth] != 0)
          value_paths = paths_matching_key(paths, alive[depth], depth - 1, line + key_start,
                                           key_length, key_escaped);
        // A repeated key replaces its earlier value: forget what was found under it.
        for (PathMask m = value_paths; m != 0; m &= m - 1) fields[lowest_bit(m)] = FieldValue{};
        skip_space(line, n, pos);
        if (pos >= n) return JsonError::kUnexpectedEnd;
        c = line[pos];
      }

      // A value: after a key, as an array item, or the root.
      const std::uint32_t start = pos;
      ValueKind kind = ValueKind::kAbsent;
      bool escaped = false;
      if (c == '{' || c == '[') {
        if (depth >= kMaxNesting) return JsonError::kTooDeep;
        const bool object = c == '{';
        if (object)
          object_bits[depth / 64] |= (1ull << (depth % 64));
        else
          object_bits[depth / 64] &= ~(1ull << (depth % 64));
        ++depth;
        in_object = object;
        ++pos;
        if (depth <= kMaxPathDepth) {
          // Paths continue into this object only if they are longer than its depth.
          PathMask next = root_pending ? all_paths : PathMask{0};
          if (object && !root_pending)
            for (PathMask m = value_paths; m != 0; m &= m - 1)
              if (paths.depth[lowest_bit(m)] > depth - 1) next |= m & (~m + 1);
          alive[depth] = object ? next : 0;
        }
        kind = object ? ValueKind::kObject : ValueKind::kArray;
        expect = object ? Expect::kFirstKey : Expect::kFirstItem;
        root_pending = false;
      } else if (c == '"') {
        ++pos;
        const JsonError e = scan_string(line, n, pos, escaped);
        if (e != JsonError::kNone) return e;
        kind = ValueKind::kString;
      } else if (c == '-' || is_digit(c)) {
        const JsonError e = scan_number(line, n, pos);
        if (e != JsonError::kNone) return e;
        kind = ValueKind::kNumber;
      } else if (scan_literal(line, n, pos, "true", 4)) {
        kind = ValueKind::kTrue;
      } else if (scan_literal(line, n, pos, "false", 5)) {
        kind = ValueKind::kFalse;
      } else if (scan_literal(line, n, pos, "null", 4)) {
        kind = ValueKind::kNull;
      } else {
        return c == 't' || c == 'f' || c == 'n' ? JsonError::kBadLiteral
                                                : JsonError::kUnexpectedByte;
      }
      // Record the value for paths that end at this key.
      const bool container = kind == ValueKind::kObject || kind == ValueKind::kArray;
      const int value_depth = container ? depth - 1 : depth;
      for (PathMask m = value_paths; m != 0; m &= m - 1) {
        const int f = lowest_bit(m);
        if (paths.depth[f] != value_depth) continue;
        FieldValue& field = fields[f];
        field.kind = kind;
        field.has_escape = escaped;
        field.offset = kind == ValueKind::kString ? start + 1 : start;
        field.length = kind == ValueKind::kString ? pos - start - 2 : pos - start;
      }
      if (container) continue;  // its first key or item comes next
    }

    // After a value (or at the close of an empty container): a ',' and the
    // next key or item, or the brackets that close containers.
    for (;;) {
      if (!closing) {
        skip_space(line, n, pos);
        if (pos >= n) return JsonError::kUnexpectedEnd;
        c = line[pos];
        if (c == ',') break;
        if (c != (in_object ? '}' : ']')) return JsonError::kUnexpectedByte;
      }
      closing = false;
      ++pos;
      --depth;
      in_object = is_object_at(object_bits, depth);
      if (depth == 0) {
        skip_space(line, n, pos);
        return pos == n ? JsonError::kNone : JsonError::kTrailingData;
      }
    }
    ++pos;  // the ','
    expect = in_object ? Expect::kKey : Expect::kValue;
  }
}

}  // namespace detail

/**
 * Validates `line` (without its line terminator) as one JSON object and fills
 * the located fields. Duplicate keys: the last occurrence wins, as in most
 * JSON parsers. A field whose path runs through a non-object stays absent.
 */
AGENTSWEEP_HD inline JsonScanResult scan_json_line(const char* line, std::uint32_t n,
                                                   const FieldPathsView& paths) {
  JsonScanResult result;  // the only object returned: built in place (no copy)
  std::uint32_t pos = 0;
  result.error = detail::scan_object_line(line, n, paths, result.fields, pos);
  if (result.error != JsonError::kNone) result.error_offset = pos;
  return result;
}

}  // namespace agentsweep::kernels
