/** @file
 * Formats one Event as one JSON line in the style of its producer:
 *  - gateway: compact, `ts` first, `actor.operator_id` null for orphans, raw UTF-8;
 *  - worker: ", " and ": " separators, `actor` first with operator_id before agent_id,
 *    other nested keys reordered, orphans without `operator_id`, non-ASCII text as
 *    \uXXXX escapes (surrogate pairs beyond the BMP), like Python's json.dumps.
 */
#pragma once

#include "event.hpp"
#include "ids.hpp"
#include "population.hpp"
#include "text_buffer.hpp"

namespace agentsweep::gen {

class JsonWriter {
 public:
  explicit JsonWriter(const IdFormats& ids) : ids_(ids) {}
  /** Appends the event's line, newline included. */
  void write(const Event& event, TextBuffer& out) const;

 private:
  const IdFormats& ids_;
};

/** Appends `text` as JSON string contents (no quotes); escapes non-ASCII when asked. */
void append_json_escaped(TextBuffer& out, std::string_view text, bool ascii_only);

}  // namespace agentsweep::gen
