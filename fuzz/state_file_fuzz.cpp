/** @file
 * Fuzzes the state-file reader behind `agentsweep merge`
 * (host/state/state_file.cpp). Any bytes must load or fail with an error
 * message, never crash or allocate without bound; a file that loads must
 * survive a round trip: saved again, it loads to a state that saves to the
 * very same bytes.
 */
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include "fuzz/fuzz_support.hpp"
#include "host/state/state_file.hpp"

namespace agentsweep::fuzz {
namespace {

std::string saved_bytes(const state::SavedState& saved, const std::string& path) {
  state::save_state(path, saved.state, saved.setup);
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agentsweep;
  const fuzz::MemoryFile input(std::string_view(reinterpret_cast<const char*>(data), size));
  std::optional<state::SavedState> loaded;
  try {
    loaded.emplace(state::load_state(input.path()));
  } catch (const std::runtime_error& e) {
    FUZZ_REQUIRE(std::string(e.what()).find("offset") != std::string::npos,
                 "error without an offset: " << e.what());
    return 0;
  }
  const std::string scratch = "/tmp/state_file_fuzz." + std::to_string(::getpid());
  const std::string once = fuzz::saved_bytes(*loaded, scratch);
  const std::string twice = fuzz::saved_bytes(state::load_state(scratch), scratch);
  std::remove(scratch.c_str());  // no file outlives the input that wrote it
  FUZZ_REQUIRE(once == twice, "a loaded state does not save to the same bytes twice");
  return 0;
}
