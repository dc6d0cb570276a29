/** @file zstd frame compression with a per-thread context (see zstd_frame.hpp). */
#include "zstd_frame.hpp"

#include <zstd.h>

#include <memory>
#include <stdexcept>

namespace agentsweep::gen {
namespace {

struct ContextDeleter {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};

void check(std::size_t code) {
  if (ZSTD_isError(code) != 0) {
    throw std::runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(code));
  }
}

}  // namespace

std::string compress_frame(std::string_view input, int level) {
  thread_local std::unique_ptr<ZSTD_CCtx, ContextDeleter> context(ZSTD_createCCtx());
  if (!context) throw std::runtime_error("zstd: out of memory creating a compression context");
  check(ZSTD_CCtx_reset(context.get(), ZSTD_reset_session_and_parameters));
  check(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, level));
  check(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_contentSizeFlag, 1));
  check(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1));
  // Scratch space per thread: a fresh zero-filled string per frame costs a memset of the
  // whole bound, which showed up in profiles.
  thread_local std::unique_ptr<char[]> scratch;
  thread_local std::size_t scratch_size = 0;
  const std::size_t bound = ZSTD_compressBound(input.size());
  if (scratch_size < bound) {
    scratch = std::make_unique_for_overwrite<char[]>(bound);
    scratch_size = bound;
  }
  const std::size_t written =
      ZSTD_compress2(context.get(), scratch.get(), bound, input.data(), input.size());
  check(written);
  return std::string(scratch.get(), written);
}

}  // namespace agentsweep::gen
