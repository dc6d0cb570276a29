/** @file
 * What a corrupt zstd stream costs does not depend on --read-size: libzstd
 * drops what a failing call wrote and checks some things only when a call has
 * room for them, so the reader gives every call the same room, one step of
 * 128 KiB (host/io/zstd_source.cpp). At most that much good data before the
 * corruption is lost.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "host/io/zstd_source.hpp"
#include "kernels/cpu/cpu_backend.hpp"
#include "tests/reliability/crafted_zstd.hpp"
#include "tests/support/scan_report.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::TempDir;

constexpr std::size_t kReadSizes[] = {1, 7, 4096, 1 << 20, 64 << 20};

nlohmann::json scan_file(const std::filesystem::path& path, std::size_t read_bytes) {
  const auto backend = backends::make_cpu_backend();
  return testing::scan_report(*backend, {path.string()}, {{64 << 20, read_bytes}, {}, {}, {}})
      .at("files")
      .at(0);
}

TEST(CorruptZstd, ACorruptBlockCostsAtMostOneStepBeforeItAtEveryReadSize) {
  TempDir dir;
  const std::string line = "{\"good\":\"" + std::string(1012, 'x') + "\"}\n";  // 1 KiB
  std::string content;
  for (int i = 0; i < 4 * 127; ++i) content += line;
  const auto file =
      dir.write("bad-block.zst", testing::zstd_frame_with_bad_last_block(content, 127 * 1024));
  const nlohmann::json reference = scan_file(file, 1);
  EXPECT_EQ(reference["complete"], false);
  EXPECT_GE(reference["decoded_bytes"].get<std::size_t>(),
            content.size() - io::ZstdSource::step_bytes());
  EXPECT_GE(reference["events"].get<std::size_t>(),
            (content.size() - io::ZstdSource::step_bytes()) / line.size() - 1);
  for (const std::size_t read : kReadSizes) EXPECT_EQ(scan_file(file, read), reference) << read;
}

TEST(CorruptZstd, WrongContentSizeGetsOneVerdictAtEveryReadSize) {
  TempDir dir;
  const auto file = dir.write("size.zst", testing::zstd_frame_declaring(200, "{\"a\":1}\n"));
  const nlohmann::json reference = scan_file(file, 1);
  for (const std::size_t read : kReadSizes) EXPECT_EQ(scan_file(file, read), reference) << read;
  EXPECT_EQ(reference["complete"], false);  // libzstd's verdict when it has room to check
}

}  // namespace
}  // namespace agentsweep
