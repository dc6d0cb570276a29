/** @file
 * Test helpers that write real gzip streams with zlib: one member, or text
 * cut into many members as `cat a.gz b.gz` or pigz write them.
 */
#pragma once

#include <zlib.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace agentsweep::testing {

/// One gzip member holding `text`.
inline std::string gzip_member(std::string_view text, int level = Z_DEFAULT_COMPRESSION) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

/// `text` cut into members of `member_bytes` (so lines span members), concatenated.
inline std::string gzip_members(std::string_view text, std::size_t member_bytes) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); at += member_bytes)
    out += gzip_member(text.substr(at, member_bytes));
  return out;
}

}  // namespace agentsweep::testing
