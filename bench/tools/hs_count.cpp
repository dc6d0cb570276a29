// hs_count: Hyperscan reference counter for bench/patterns.sh (not part of agentsweep).
//
// Reads decoded JSON lines on stdin, compiles PATTERN_FILE (one pattern per line) into one
// Hyperscan block-mode multi-pattern database and scans every line on its own, so that each
// pattern is counted at most once per line, as `agentsweep scan` and `grep -c` count.
// Prints the number of lines with at least one hit on stdout; with --counts FILE, writes the
// number of lines that contain each pattern, one per line, in pattern-file order.
//
// Line rules follow agentsweep: a line ends at "\n", a "\r" before it is dropped, a final
// line without "\n" counts. Pattern rules follow agentsweep's -f: a trailing "\r" is dropped
// and a blank line is an error (it would match everything).
//
// Regexes are compiled with HS_FLAG_UTF8 (a `.` or a negated class consumes one code point,
// as in RE2); Hyperscan's \w, \d, \s and \b stay ASCII, as in RE2. -F compiles the patterns
// as literals (hs_compile_lit_multi: every byte is literal), -i adds HS_FLAG_CASELESS (ASCII
// case folding only, unlike agentsweep's simple Unicode folding). Single-threaded.
//
// Build: g++ -O2 -std=c++17 bench/tools/hs_count.cpp -o hs_count -lhs
// Usage: hs_count [-F] [-i] [--bytes] [--counts FILE] PATTERN_FILE < lines
//        hs_count [-F] [-i] [--bytes] --check PATTERN_FILE
//        (compiles each pattern alone, prints "LINE<TAB>error" for each one Hyperscan rejects)
// Exit status: 0 success, 2 bad usage, unreadable file or a pattern Hyperscan rejects.

#include <hs/hs.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct LineState {
  std::vector<std::uint64_t>* counts;
  bool hit;
};

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
             unsigned int /*flags*/, void* context) {
  auto* state = static_cast<LineState*>(context);
  ++(*state->counts)[id];  // HS_FLAG_SINGLEMATCH: at most once per id and scan (= line)
  state->hit = true;
  return 0;  // keep scanning: every pattern of the line is wanted
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "hs_count: %s\n", message.c_str());
  std::exit(2);
}

void usage() {
  die("usage: hs_count [-F] [-i] [--bytes] [--check | --counts FILE] PATTERN_FILE < lines");
}

}  // namespace

int main(int argc, char** argv) {
  bool literal = false, caseless = false, utf8 = true, check = false;
  std::string counts_path, pattern_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-F") {
      literal = true;
    } else if (arg == "-i") {
      caseless = true;
    } else if (arg == "-Fi" || arg == "-iF") {
      literal = caseless = true;
    } else if (arg == "--check") {
      check = true;
    } else if (arg == "--bytes") {
      utf8 = false;
    } else if (arg == "--counts" && i + 1 < argc) {
      counts_path = argv[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      usage();
    } else if (pattern_path.empty()) {
      pattern_path = arg;
    } else {
      usage();
    }
  }
  if (pattern_path.empty()) usage();

  std::ifstream in(pattern_path, std::ios::binary);
  if (!in) die(pattern_path + ": cannot open");
  std::vector<std::string> patterns;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      die(pattern_path + ": line " + std::to_string(patterns.size() + 1) +
          ": blank pattern (it would match every line)");
    patterns.push_back(std::move(line));
  }
  if (patterns.empty()) die(pattern_path + ": no patterns");

  if (check) {  // compile each pattern alone; list the ones Hyperscan rejects
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      const unsigned f = HS_FLAG_SINGLEMATCH | (caseless ? HS_FLAG_CASELESS : 0u) |
                         (literal || !utf8 ? 0u : HS_FLAG_UTF8);
      hs_database_t* one = nullptr;
      hs_compile_error_t* e = nullptr;
      const hs_error_t r =
          literal ? hs_compile_lit(patterns[i].data(), f, patterns[i].size(), HS_MODE_BLOCK,
                                   nullptr, &one, &e)
                  : hs_compile(patterns[i].c_str(), f, HS_MODE_BLOCK, nullptr, &one, &e);
      if (r == HS_SUCCESS) {
        hs_free_database(one);
      } else {
        std::printf("%zu\t%s\n", i + 1, e && e->message ? e->message : "unknown error");
        hs_free_compile_error(e);
      }
    }
    return 0;
  }

  const auto compile_start = std::chrono::steady_clock::now();
  std::vector<unsigned> flags(patterns.size(),
                              HS_FLAG_SINGLEMATCH | (caseless ? HS_FLAG_CASELESS : 0u));
  std::vector<unsigned> ids(patterns.size());
  std::vector<const char*> exprs(patterns.size());
  std::vector<std::size_t> lengths(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    ids[i] = static_cast<unsigned>(i);
    exprs[i] = patterns[i].c_str();
    lengths[i] = patterns[i].size();
    if (!literal && utf8) flags[i] |= HS_FLAG_UTF8;
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  const auto n = static_cast<unsigned>(patterns.size());
  hs_error_t rc = literal
                      ? hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lengths.data(),
                                             n, HS_MODE_BLOCK, nullptr, &db, &error)
                      : hs_compile_multi(exprs.data(), flags.data(), ids.data(), n, HS_MODE_BLOCK,
                                         nullptr, &db, &error);
  if (rc != HS_SUCCESS) {
    std::string message = error && error->message ? error->message : "unknown error";
    if (error && error->expression >= 0) {
      message = pattern_path + ": pattern " + std::to_string(error->expression + 1) + " (" +
                patterns[static_cast<std::size_t>(error->expression)] + "): " + message;
    } else {
      message = pattern_path + ": " + message;
    }
    hs_free_compile_error(error);
    die("Hyperscan rejects the pattern set: " + message);
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) die("hs_alloc_scratch failed");
  std::size_t db_bytes = 0;
  hs_database_size(db, &db_bytes);
  const double compile_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - compile_start).count();

  std::vector<std::uint64_t> counts(patterns.size(), 0);
  std::uint64_t lines = 0, hit_lines = 0;
  LineState state{&counts, false};
  auto scan_line = [&](const char* begin, std::size_t len) {
    if (len > 0 && begin[len - 1] == '\r') --len;
    state.hit = false;
    if (hs_scan(db, begin, static_cast<unsigned>(len), 0, scratch, on_match, &state) != HS_SUCCESS)
      die("hs_scan failed at line " + std::to_string(lines + 1));
    ++lines;
    if (state.hit) ++hit_lines;
  };

  std::vector<char> buffer(std::size_t{16} << 20);
  std::size_t filled = 0;  // bytes in buffer, the first of them start a line
  for (;;) {
    if (filled == buffer.size()) buffer.resize(buffer.size() * 2);  // a line longer than the buffer
    const std::size_t got = std::fread(buffer.data() + filled, 1, buffer.size() - filled, stdin);
    if (got == 0) break;
    const std::size_t end = filled + got;
    std::size_t start = 0;
    for (;;) {
      const void* nl = std::memchr(buffer.data() + start, '\n', end - start);
      if (!nl) break;
      const std::size_t pos =
          static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data());
      scan_line(buffer.data() + start, pos - start);
      start = pos + 1;
    }
    std::memmove(buffer.data(), buffer.data() + start, end - start);
    filled = end - start;
  }
  if (std::ferror(stdin)) die("error reading standard input");
  if (filled > 0) scan_line(buffer.data(), filled);  // final line without "\n"

  std::printf("%llu\n", static_cast<unsigned long long>(hit_lines));
  std::fprintf(
      stderr,
      "hs_count: %zu %s, database %zu bytes, compiled in %.2f s; %llu lines, %llu with a hit\n",
      patterns.size(), literal ? "literals" : "regexes", db_bytes, compile_s,
      static_cast<unsigned long long>(lines), static_cast<unsigned long long>(hit_lines));
  if (!counts_path.empty()) {
    std::FILE* out = std::fopen(counts_path.c_str(), "w");
    if (!out) die(counts_path + ": cannot write");
    for (auto c : counts) std::fprintf(out, "%llu\n", static_cast<unsigned long long>(c));
    if (std::fclose(out) != 0) die(counts_path + ": write failed");
  }
  hs_free_scratch(scratch);
  hs_free_database(db);
  return 0;
}
