/** @file
 * CloudTrailRewriter: one state per place in a Records document, byte by byte,
 * except that runs of a record's bytes that do not touch its structure are
 * copied whole.
 */
#include "host/io/cloudtrail_rewriter.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <string_view>

namespace agentsweep::io {

namespace {

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string records(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " record" : " records");
}

std::string describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return std::string("'") + c + "'";
  static const char* const kHex = "0123456789abcdef";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15];
}

}  // namespace

RecordsStart::Verdict RecordsStart::feed(char c) {
  static constexpr std::string_view kTokens[] = {"{", "\"Records\"", ":", "["};
  if (matched_ == 0 && is_json_space(c)) return Verdict::kMore;
  if (c != kTokens[token_][matched_]) return Verdict::kMismatch;
  if (++matched_ < kTokens[token_].size()) return Verdict::kMore;
  matched_ = 0;
  return ++token_ == std::size(kTokens) ? Verdict::kMatched : Verdict::kMore;
}

CloudTrailRewriter::Rewritten CloudTrailRewriter::rewrite(std::span<const char> in, bool ends_input,
                                                          char* out) {
  std::size_t i = 0;
  while (i < in.size()) {
    if (state_ == State::kInRecord) i += copy_plain_bytes(in.subspan(i), out + i);
    if (i == in.size()) break;
    const bool delivered = rewrite_byte(in[i], ends_input && i + 1 == in.size(), out[i]);
    ++i;
    if (error_) return {i, delivered ? i : i - 1};
  }
  return {i, i};
}

std::size_t CloudTrailRewriter::copy_plain_bytes(std::span<const char> in, char* out) {
  static constexpr auto kMatters = [] {
    std::array<std::array<bool, 256>, 2> matters{};  // [in a string][byte]
    for (const unsigned char c : {'"', '\\', '\n', '\r'}) matters[0][c] = matters[1][c] = true;
    for (const unsigned char c : {'{', '}', '[', ']'}) matters[0][c] = true;
    return matters;
  }();
  if (escaped_) return 0;
  const std::array<bool, 256>& matters = kMatters[in_string_ ? 1 : 0];
  std::size_t n = 0;
  while (n < in.size() && !matters[static_cast<unsigned char>(in[n])]) ++n;
  std::copy_n(in.data(), n, out);
  position_ += n;
  return n;
}

bool CloudTrailRewriter::rewrite_byte(char c, bool last, char& out) {
  out = ' ';
  switch (state_) {
    case State::kBeforeArray:
      if (position_ + 1 == array_start_) state_ = State::kBeforeFirstRecord;
      break;
    case State::kBeforeFirstRecord:
    case State::kBeforeRecord:
      if (c == '{') {
        ++records_;
        depth_ = 1;
        out = c;
        state_ = State::kInRecord;
      } else if (c == ']' && state_ == State::kBeforeFirstRecord) {
        state_ = State::kAfterArray;
      } else if (!is_json_space(c)) {
        return fail(
            c, out,
            "where record " + std::to_string(records_ + 1) + " (a JSON object) should start");
      }
      break;
    case State::kInRecord:
      out = in_record(c);
      break;
    case State::kAfterRecord:
      if (c == ',') {
        out = '\n';
        line_open_ = false;
        state_ = State::kBeforeRecord;
      } else if (c == ']') {
        state_ = State::kAfterArray;
      } else if (!is_json_space(c)) {
        return fail(
            c, out,
            "after record " + std::to_string(records_) + ", where ',' or ']' should follow");
      }
      break;
    case State::kAfterArray:
      if (c == '}') {
        state_ = State::kAfterDocument;
      } else if (!is_json_space(c)) {
        return fail(c, out,
                    "after the Records array, where '}' should end the document: only "
                    "{\"Records\":[...]} documents are read as records");
      }
      break;
    case State::kAfterDocument:
      if (c == '{') {  // another document, as `cat` or `zcat` of several files gives
        if (line_open_) out = '\n';
        line_open_ = false;
        next_start_ = {};
        next_start_.feed(c);
        state_ = State::kNextDocument;
      } else if (!is_json_space(c)) {
        return fail(c, out, "after the end of the document");
      }
      break;
    case State::kNextDocument:
      switch (next_start_.feed(c)) {
        case RecordsStart::Verdict::kMore:
          break;
        case RecordsStart::Verdict::kMatched:
          state_ = State::kBeforeFirstRecord;
          break;
        case RecordsStart::Verdict::kMismatch:
          return fail(c, out,
                      "after the end of a document, where only another {\"Records\":[...]} "
                      "document may follow");
      }
      break;
  }
  ++position_;
  if (last && out == ' ' && (line_open_ || state_ == State::kAfterDocument)) out = '\n';
  return true;
}

/// A byte of a record: unchanged, except line breaks (JSON whitespace, or
/// invalid inside strings anyway) become spaces so the record stays one line.
char CloudTrailRewriter::in_record(char c) {
  if (in_string_) {
    if (escaped_)
      escaped_ = false;
    else if (c == '\\')
      escaped_ = true;
    else if (c == '"')
      in_string_ = false;
  } else if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    ++depth_;
  } else if ((c == '}' || c == ']') && --depth_ == 0) {
    state_ = State::kAfterRecord;
    line_open_ = true;
  }
  return c == '\n' || c == '\r' ? ' ' : c;
}

/// Stops at the offending byte `c`. A record whose line is still open gets
/// `c`'s place for its '\n' (returns true: deliver `out`), so it is scanned whole.
bool CloudTrailRewriter::fail(char c, char& out, const std::string& where) {
  error_ = InputError{position_, OffsetKind::kDecoded,
                      "malformed CloudTrail file: found " + describe(c) + " " + where};
  out = '\n';
  return line_open_;
}

void CloudTrailRewriter::finish() {
  if (error_ || state_ == State::kAfterDocument) return;
  const std::string where = state_ == State::kInRecord
                                ? "inside record " + std::to_string(records_)
                                : "before the closing \"]}\", after " + records(records_);
  error_ = InputError{
      position_, OffsetKind::kDecoded,
      "truncated CloudTrail file: the document ends " + where + "; was the file cut short?"};
}

}  // namespace agentsweep::io
