/** @file
 * FieldPaths: parsing and validation of dotted JSON paths.
 */
#include "host/engine/field_paths.hpp"

#include <stdexcept>

namespace agentsweep::engine {

FieldPaths::FieldPaths(std::vector<std::string> dotted_paths) : dotted_(std::move(dotted_paths)) {
  if (dotted_.size() > static_cast<std::size_t>(kernels::kMaxFields))
    throw std::invalid_argument("at most " + std::to_string(kernels::kMaxFields) +
                                " JSON field paths can be located per event");
  layout_.count = static_cast<std::uint8_t>(dotted_.size());
  for (std::size_t f = 0; f < dotted_.size(); ++f) {
    const std::string& path = dotted_[f];
    std::size_t start = 0;
    int depth = 0;
    for (;;) {
      const std::size_t dot = path.find('.', start);
      const std::string segment =
          path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (segment.empty())
        throw std::invalid_argument(
            "field path '" + path +
            "' has an empty segment; write it as dot-separated keys, e.g. actor.agent_id");
      if (depth == kernels::kMaxPathDepth)
        throw std::invalid_argument("field path '" + path + "' is deeper than " +
                                    std::to_string(kernels::kMaxPathDepth) + " keys");
      layout_.segment_offset[f][depth] = static_cast<std::uint32_t>(text_.size());
      layout_.segment_length[f][depth] = static_cast<std::uint32_t>(segment.size());
      layout_.segment_lengths[depth] |= std::uint64_t{1} << (segment.size() % 64);
      text_ += segment;
      ++depth;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    layout_.depth[f] = static_cast<std::uint8_t>(depth);
  }
}

kernels::FieldPathsView FieldPaths::view(const char* text) const {
  kernels::FieldPathsView view = layout_;
  view.text = text;
  return view;
}

}  // namespace agentsweep::engine
