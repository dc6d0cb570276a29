/** @file
 * Stops a file that decodes to far more bytes than it holds: a decompression
 * bomb (zstd's RLE blocks expand 32,768-fold, so 1 MiB can become 32 GiB)
 * would otherwise keep a nightly scan busy for minutes on a file of nothing.
 * Past a floor of decoded bytes, a file may decode to at most `max_ratio`
 * times the compressed bytes read so far; beyond that reading stops with an
 * error, like a corrupt frame: lines before it are scanned, the rest is not.
 */
#pragma once

#include <cstdint>
#include <memory>

#include "host/io/byte_source.hpp"

namespace agentsweep::io {

struct ExpansionLimit {
  std::uint64_t max_ratio = 0;                          ///< 0: no limit
  std::uint64_t floor_bytes = std::uint64_t{64} << 20;  ///< decoded bytes always allowed
};

/// `source`, stopped with an error once it expands past `limit`; `source` itself when there is no
/// limit.
std::unique_ptr<ByteSource> guard_expansion(std::unique_ptr<ByteSource> source,
                                            ExpansionLimit limit);

}  // namespace agentsweep::io
