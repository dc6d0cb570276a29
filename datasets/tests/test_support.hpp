/** @file
 * Shared fixtures of the generator tests: a small corpus generated once per test
 * binary, read back with libzstd and parsed with nlohmann::json (never with the
 * generator's own code), and the fields the tests check, extracted per line.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "generator.hpp"
#include "options.hpp"

namespace agentsweep::gen::testing {

/** A fresh, empty directory under the system temp directory. */
std::filesystem::path fresh_directory(const std::string& name);

/** Options of a small run that still has every incident kind (dormant needs 16 days). */
GeneratorOptions small_options(const std::filesystem::path& out_dir);

/** The bytes of a file. */
std::string read_file(const std::filesystem::path& path);
/** Decompresses a .jsonl.zst file's bytes frame by frame with libzstd. Fails the test
 * when a frame lacks its content size. */
std::string decode_zstd_frames(const std::string& compressed);
/** The decompressed bytes of a .jsonl.zst or .jsonl file. */
std::string read_log(const std::filesystem::path& path);
std::vector<std::string> split_lines(const std::string& text);

/** The fields tests look at, extracted from one parsed line. */
struct Line {
  std::string file;
  std::uint64_t number = 0;  ///< 1-based
  std::string event_id;
  std::int64_t ts_ms = 0;
  std::string agent;
  std::optional<std::string> operator_id;  ///< nothing when null or absent
  bool operator_null = false;
  bool operator_absent = false;
  std::string key;
  bool admin_scope = false;
  std::string action;
  std::string path;
  std::string resource;
  int status = 0;
  std::uint64_t bytes_out = 0;
  std::optional<std::string> content;
  std::string producer;
};

/** Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SS.mmmZ". */
std::int64_t parse_timestamp(const std::string& text);

struct Corpus {
  GeneratorOptions options;
  GenerationSummary summary;
  std::map<std::string, std::string> compressed;  ///< file name -> bytes as written
  std::map<std::string, std::string> text;        ///< file name -> decompressed bytes
  std::vector<Line> lines;
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> by_location;  ///< file,line
  nlohmann::json truth;
  std::set<std::size_t> incident_lines;  ///< indexes into lines named by ground truth
};

/** The shared corpus (generated, read into memory and its directory removed on first use). */
const Corpus& corpus();

}  // namespace agentsweep::gen::testing
