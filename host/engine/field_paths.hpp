/** @file
 * JSON field paths in dot notation ("actor.agent_id"), validated and laid out
 * for kernels::scan_json_line.
 */
#pragma once

#include <string>
#include <vector>

#include "kernels/json_scan.cuh"

namespace agentsweep::engine {

class FieldPaths {
 public:
  /// Throws std::invalid_argument naming the bad path and what to fix.
  explicit FieldPaths(std::vector<std::string> dotted_paths);

  const std::vector<std::string>& dotted() const { return dotted_; }
  const std::string& segment_text() const { return text_; }

  /// The view kernels read, with `text` pointing at a copy of segment_text()
  /// that lives where the kernel runs.
  kernels::FieldPathsView view(const char* text) const;

 private:
  std::vector<std::string> dotted_;
  std::string text_;
  kernels::FieldPathsView layout_;
};

}  // namespace agentsweep::engine
