// What the test suites share: where the sources, the program and the
// reference scenario are, reading files, temporary paths, and running the
// program. Paths come from the build (tests/CMakeLists.txt).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "scenario/loader.hpp"

namespace pk::test {

// Indirect fire on one camp: 0.05 attacks a day, one casualty an attack, half
// killed: 9.125 deaths a year as written (calibration and from_samples tests).
inline constexpr const char* kOneCampScenario = R"(pkrisk: 1
scenario: {name: one camp, horizon_days: 365, seed: 11, replications: 100}
vehicle_types:
  - {id: truck, seats: 4, blast: {p_kill: 0.3, p_wound: 0.5}}
zones:
  - id: z
    idf: {per_site_day: 0.05, mean_rounds: 1, p_effective: 1, casualties_per_round: 1, kill_share: 0.5}
sites:
  - {id: camp, zone: z, personnel: 500}
)";

inline const std::string kSourceDir = PK_SOURCE_DIR;
inline const std::string kBinary = PK_BINARY;
inline const std::string kReferenceScenario = PK_REFERENCE_SCENARIO;

// A file of the source tree, e.g. source_path("tests/data/run/small.yaml").
inline std::string source_path(const std::string& relative) {
  return kSourceDir + "/" + relative;
}

// The whole file, byte for byte; "" when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// A path in the test temporary directory, unique to this process (ctest runs
// each test in its own process, possibly in parallel) and to `name`.
inline std::string temp_path(const std::string& name) {
  return testing::TempDir() + "pk_" + std::to_string(::getpid()) + "_" + name;
}

// temp_path(name) with whatever was there removed: a fresh directory name.
inline std::string fresh_dir(const std::string& name) {
  const std::string dir = temp_path(name);
  std::filesystem::remove_all(dir);
  return dir;
}

// The exit code of a shell status: the code, or 128 + the signal that killed it.
inline int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs `command` in the shell with stdout discarded and stderr to `err_path`.
inline int shell(const std::string& command, const std::string& err_path = "/dev/null") {
  return exit_code(std::system((command + " >/dev/null 2>" + err_path).c_str()));
}

struct RunResult {
  int code = -1;
  std::string out, err;
};

// Runs `pkrisk ARGS` (ARGS as the shell splits them) and captures its output;
// in the folder `cwd` when one is given.
inline RunResult run_pkrisk(const std::string& args, const std::string& cwd = "") {
  static int counter = 0;
  const std::string base = temp_path("run_" + std::to_string(counter++));
  const std::string in_folder = cwd.empty() ? "" : "cd " + cwd + " && ";
  const int status = std::system(
      (in_folder + kBinary + " " + args + " >" + base + ".out 2>" + base + ".err").c_str());
  RunResult r;
  r.code = exit_code(status);
  r.out = read_file(base + ".out");
  r.err = read_file(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return r;
}

// The first error of loading `text` as the file `name`, formatted as the
// user sees it; empty when it loads.
inline std::string first_load_error(const std::string& text, const std::string& name = "t.yaml") {
  Diagnostics d(name);
  if (load_scenario_text(text, d)) return "";
  for (const auto& x : d.all())
    if (x.severity == Diagnostic::Severity::kError) return x.format();
  return "refused without an error";
}

// `text` with its first `from` replaced by `to` (a failure when there is none).
inline std::string with_replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace pk::test
