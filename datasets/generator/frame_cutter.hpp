/** @file
 * Cuts one output file's byte stream into frames of at most `frame_size` bytes, always
 * at line ends (a single longer line gets a frame of its own). Frames depend only on the
 * byte stream, so the compressed output is the same whatever produced the stream.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace agentsweep::gen {

class FrameCutter {
 public:
  explicit FrameCutter(std::size_t frame_size) : frame_size_(frame_size) {}

  /** Appends complete lines; calls `on_frame(std::string&&)` for every full frame. */
  template <class OnFrame>
  void append(std::string_view text, OnFrame&& on_frame) {
    while (!text.empty()) {
      const std::size_t room = frame_size_ > frame_.size() ? frame_size_ - frame_.size() : 0;
      if (text.size() <= room) {
        frame_.append(text);
        return;
      }
      std::size_t take = text.rfind('\n', room == 0 ? 0 : room - 1);
      if (take == std::string_view::npos || room == 0) {
        if (!frame_.empty()) {
          on_frame(take_frame());
          continue;
        }
        take = text.find('\n');  // one line longer than a frame: it gets its own frame
      }
      frame_.append(text.substr(0, take + 1));
      text.remove_prefix(take + 1);
      on_frame(take_frame());
    }
  }

  /** The partial frame left at the end of a file (may be empty). */
  std::string take_frame() {
    std::string frame;
    frame.swap(frame_);
    frame_.reserve(frame_size_);
    return frame;
  }

 private:
  std::size_t frame_size_;
  std::string frame_;
};

}  // namespace agentsweep::gen
