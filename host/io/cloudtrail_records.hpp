/** @file
 * AWS CloudTrail log files read as JSON lines. CloudTrail writes one JSON
 * document per file, `{"Records":[{...},{...}]}`, each record one event. The
 * document is rewritten as it streams past, byte for byte in place, so that
 * line N is record N and every decoded offset still points into the file:
 *  - bytes around the records (`{"Records":[`, commas and whitespace between
 *    records, the closing `]}`) become spaces, except one '\n' after each
 *    record: the comma after it, the last byte of the input, the '{' of a
 *    document that follows, or the byte where the document goes wrong;
 *  - line breaks inside a record (JSON whitespace) become spaces.
 * Documents one after another (`zcat *.json.gz`, gzip members of whole
 * documents) read as one: their records keep counting. Input that does not
 * start as a Records document (JSON lines, anything else) comes out
 * unchanged; telling needs only its first bytes. A document that breaks off
 * or goes wrong later ends the file with an error at the decoded offset, and
 * every complete record before it still comes out as a line (but for a record
 * the input ends right after: no byte is left for its '\n').
 */
#pragma once

#include <memory>

#include "host/io/byte_source.hpp"

namespace agentsweep::io {

/// `decoded`, with a CloudTrail Records document turned into one line per
/// record (codec "<codec>+cloudtrail"), or unchanged. Reads the first bytes of
/// `decoded` to tell.
std::unique_ptr<ByteSource> split_cloudtrail_records(std::unique_ptr<ByteSource> decoded);

}  // namespace agentsweep::io
