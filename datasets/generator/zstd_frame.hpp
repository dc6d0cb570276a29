/** @file
 * One independent zstd frame per call, with the content size in its header and a
 * checksum, so readers can decode the frames of a file in parallel.
 */
#pragma once

#include <string>
#include <string_view>

namespace agentsweep::gen {

/** Compresses `input` as one complete frame (each thread keeps its own context). */
std::string compress_frame(std::string_view input, int level);

}  // namespace agentsweep::gen
