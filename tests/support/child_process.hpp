/** @file
 * Runs a command as a child process and reports what the caller of a nightly
 * job would see (exit code, stdout, stderr) plus what it cost: peak resident
 * memory, so tests can hold inputs to memory bounds.
 */
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace agentsweep::testing {

struct ChildResult {
  int exit_code = -1;  ///< -1 when killed by a signal
  std::string out;
  std::string err;
  long peak_rss_mib = 0;
};

/// Runs `argv` (argv[0] is a path) with stdout and stderr in files of a fresh
/// folder under `dir`, so tests that ctest runs in parallel never share them.
inline ChildResult run_child(const std::vector<std::string>& argv,
                             const std::filesystem::path& dir) {
  std::string folder = (dir / "agentsweep-child-XXXXXX").string();
  if (::mkdtemp(folder.data()) == nullptr) throw std::runtime_error("cannot create " + folder);
  const std::string out_path = folder + "/stdout";
  const std::string err_path = folder + "/stderr";
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, args[0], &files, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (spawn_error != 0) throw std::runtime_error("cannot run " + argv[0]);
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) != pid) throw std::runtime_error("wait4 failed");

  ChildResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.peak_rss_mib = usage.ru_maxrss / 1024;  // Linux reports KiB
  std::ifstream out(out_path, std::ios::binary);
  r.out.assign(std::istreambuf_iterator<char>(out), {});
  std::ifstream err(err_path, std::ios::binary);
  r.err.assign(std::istreambuf_iterator<char>(err), {});
  std::filesystem::remove_all(folder);
  return r;
}

}  // namespace agentsweep::testing
