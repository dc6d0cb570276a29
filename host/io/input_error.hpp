/** @file
 * A problem with one input that the scan reports and survives.
 */
#pragma once

#include <cstdint>
#include <string>

namespace agentsweep::io {

enum class OffsetKind { kDecoded, kCompressed };

struct InputError {
  std::uint64_t offset = 0;
  OffsetKind offset_kind = OffsetKind::kCompressed;
  std::string message;
};

}  // namespace agentsweep::io
