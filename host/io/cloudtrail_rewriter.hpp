/** @file
 * The byte-level rules behind cloudtrail_records.hpp: recognising the start of
 * a Records document, and rewriting a stream of Records documents in place as
 * it passes, with a few counters of state (nesting depth, in a string, after a
 * backslash), so memory stays the same whatever the document's size.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "host/io/input_error.hpp"

namespace agentsweep::io {

/// Recognises `{ "Records" : [` (whitespace allowed between the tokens), a byte at a time.
class RecordsStart {
 public:
  enum class Verdict { kMore, kMatched, kMismatch };
  Verdict feed(char c);

 private:
  std::size_t token_ = 0;    ///< which of `{`, `"Records"`, `:`, `[` comes next
  std::size_t matched_ = 0;  ///< bytes of it seen so far
};

/// Rewrites concatenated Records documents (whitespace between them) so that
/// line N is record N; the stream starts with a document whose array opens at
/// `array_start` (after its `{"Records":[` and maybe a byte order mark).
class CloudTrailRewriter {
 public:
  explicit CloudTrailRewriter(std::uint64_t array_start) : array_start_(array_start) {}

  struct Rewritten {
    std::size_t consumed = 0;   ///< bytes of the input used up
    std::size_t delivered = 0;  ///< bytes of out to hand on: consumed, or one less at an error
  };

  /// Rewrites the next bytes of the input, `in`, into `out` (room for as many).
  /// `ends_input`: no byte follows `in`. Stops at the byte where the document
  /// goes wrong (error() is set; feed no more bytes after that).
  Rewritten rewrite(std::span<const char> in, bool ends_input, char* out);

  /// Call when the input ends: sets error() if the document is incomplete.
  void finish();

  const std::optional<InputError>& error() const { return error_; }

 private:
  enum class State : std::uint8_t {
    kBeforeArray,        ///< the first `{"Records":[`, already recognised
    kBeforeFirstRecord,  ///< whitespace, then a record or ']'
    kBeforeRecord,       ///< after a ',': whitespace, then a record
    kInRecord,
    kAfterRecord,    ///< whitespace, then ',' or ']'
    kAfterArray,     ///< whitespace, then '}'
    kAfterDocument,  ///< whitespace, or the '{' of another document
    kNextDocument,   ///< inside another document's `{"Records":[`
  };

  /// Copies the bytes of a record up to the next one that matters to its
  /// structure (a quote, backslash, bracket or line break); returns how many.
  std::size_t copy_plain_bytes(std::span<const char> in, char* out);
  bool rewrite_byte(char c, bool last, char& out);  ///< false: `c` is not delivered
  char in_record(char c);
  bool fail(char c, char& out, const std::string& where);

  std::uint64_t array_start_;
  State state_ = State::kBeforeArray;
  std::uint64_t position_ = 0;  ///< decoded offset of the next byte
  std::uint64_t records_ = 0;   ///< records started so far, in all documents
  std::uint64_t depth_ = 0;     ///< open brackets in the current record
  bool in_string_ = false;
  bool escaped_ = false;    ///< in a string, right after a backslash
  bool line_open_ = false;  ///< the last record's line still needs its '\n'
  RecordsStart next_start_;
  std::optional<InputError> error_;
};

}  // namespace agentsweep::io
