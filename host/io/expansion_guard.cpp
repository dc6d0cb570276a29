/** @file
 * ExpansionGuard: a ByteSource that counts what another decodes.
 */
#include "host/io/expansion_guard.hpp"

#include <string>
#include <utility>

namespace agentsweep::io {

namespace {

class ExpansionGuard final : public ByteSource {
 public:
  ExpansionGuard(std::unique_ptr<ByteSource> inner, ExpansionLimit limit)
      : inner_(std::move(inner)), limit_(limit) {}

  std::size_t read(std::span<char> out) override {
    if (error_) return 0;
    const std::size_t n = inner_->read(out);
    if (n == 0) {
      error_ = inner_->error();
      return 0;
    }
    decoded_ += n;
    const std::uint64_t compressed = inner_->compressed_bytes_read();
    if (decoded_ > limit_.floor_bytes && decoded_ / limit_.max_ratio > compressed) {
      // These bytes are delivered; the next read reports the stop.
      error_ = InputError{compressed, OffsetKind::kCompressed,
                          "decoded " + std::to_string(decoded_) + " bytes from " +
                              std::to_string(compressed) + " compressed bytes, more than " +
                              std::to_string(limit_.max_ratio) +
                              " times as many: a decompression bomb? Raise --max-expansion to "
                              "read it"};
    }
    return n;
  }
  std::string_view codec() const override { return inner_->codec(); }
  std::uint64_t compressed_bytes_read() const override { return inner_->compressed_bytes_read(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  ExpansionLimit limit_;
  std::uint64_t decoded_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> guard_expansion(std::unique_ptr<ByteSource> source,
                                            ExpansionLimit limit) {
  if (limit.max_ratio == 0) return source;
  return std::make_unique<ExpansionGuard>(std::move(source), limit);
}

}  // namespace agentsweep::io
