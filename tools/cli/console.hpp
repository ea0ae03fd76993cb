// What several commands print or write the same way: errors on stderr,
// provenance (host, manifest.json), progress of a long run, files written
// whole or not at all.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "experiment/executor.hpp"
#include "experiment/store.hpp"
#include "experiment/transport.hpp"
#include "report/output.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace pk::cli {

// Prints "pkrisk: MESSAGE" on stderr and returns `code`.
int fail(int code, const std::string& message);

// Prints every diagnostic (FILE:LINE:COL: error: PATH: message) on stderr.
void print_diagnostics(const Diagnostics& diags);

// Reads a whole file; false when it cannot be read.
bool read_file(const std::string& path, std::string& out);

// Writes `bytes` to `path` atomically; kExitIo (message printed) on failure.
int write_or_fail(const std::string& path, const std::string& bytes);

// Creates the output directory `dir` (and its parents); kExitIo (message
// printed) when it cannot.
int make_dirs_or_fail(const std::string& dir);

// Takes an exclusive lock on the results directory `dir` (a flock on
// DIR/pkrisk.lock, which holds the owner's PID) for the rest of the process:
// two sweeps on one directory would both run every unit or fight over the
// store. kExitBadInput (message naming the holder's PID) when another process
// holds it, kExitIo when the lock file cannot be made.
int lock_results_dir(const std::string& dir);

// Whether a live process holds the lock of `dir`, and its PID (0 if unknown).
bool results_dir_in_use(const std::string& dir, long& pid);

// The one way run, sweep and merge take their output directory: refused (exit
// 2, the message says why and which flag would allow it) when another pkrisk
// holds it or when it is not empty and the request does not allow writing
// there (decide_output_dir, report/output.hpp); then created, locked
// (lock_results_dir) and, with --force, cleared of the previous result.
int prepare_output_dir(const std::string& dir, const OutputDirRequest& request);

// This machine's name, for manifests.
std::string host_name();

// write_manifest and finish_sweep (commands.hpp) are defined in console.cpp.

// --per-replication: whether every replication's metrics of `ls` fit in
// memory (a message on stderr when not), and the CSV of them.
bool rows_fit(const LoadedScenario& ls, int64_t replications);
std::string per_replication_csv(const RunResult& r);

// Progress of replications on stderr: a bar on a terminal, a line every few
// seconds otherwise (CI logs).
std::function<void(int64_t, int64_t)> replication_progress();

// Progress of run-until-precision on stderr, one line a batch: replications
// so far and the worst half-width of each target given.
std::function<void(int64_t, double, double)> precision_progress(std::optional<double> target_ci,
                                                                std::optional<double> target_diff);

// A sink that prints finished work units on stderr (unless quiet) with the
// elapsed time and an estimate of the rest: the first, the last, and one
// every two seconds between.
class UnitProgress final : public Sink {
 public:
  UnitProgress(const ExecutionReport& survey, bool quiet);
  void accept(const WorkUnit&, const RunResult&) override;

 private:
  using Clock = std::chrono::steady_clock;
  ExecutionReport survey_;
  bool quiet_;
  int64_t finished_ = 0;
  double last_ = 0;  // seconds at the last line printed
  Clock::time_point start_ = Clock::now();
};

// Takes the results directory `out` (prepare_output_dir, with --force and
// --resume) and opens its store with `open` (which sets the error and whether
// it is bad input). 0, or the exit code with the message printed.
using StoreOpener =
    std::function<std::unique_ptr<ResultStore>(std::string& error, bool& bad_input)>;
int open_results_dir(const std::string& out, bool force, bool resume, const StoreOpener& open,
                     std::unique_ptr<ResultStore>& store);

// The scenario a results store holds (its text, file name and hash, as
// open_results_store recorded them), diagnostics printed; nullopt with
// `error` ("no longer loads", "does not match its hash").
std::optional<LoadedScenario> load_stored_scenario(std::map<std::string, std::string>& meta,
                                                   Diagnostics& diags, std::string& error);

// The policy of a run into a results store: this shard's units, the MPI
// ranks, a stop on SIGINT/SIGTERM (the store is set once it is open).
ExecutionPolicy stored_policy(int64_t shard_k, int64_t shard_n, Transport* net);

// A run into a results store (sweep, decide): the manifest says "running"
// before the units run and how the run ended after; progress on stderr;
// SIGINT/SIGTERM stop it after the unit in hand.
struct StoredRun {
  std::string out;                   // the results directory
  int64_t shard_n = 1;               // N of --shard k/N
  Transport* net = nullptr;          // the MPI ranks, if any
  bool quiet = false;                // no progress
  const char* units_name = "units";  // what a unit is, in messages ("draws")
};
// Runs `execute` with `manifest` (the command's own keys: identity, shard)
// completed and written on rank 0. The exit code when the run ends here
// (another rank, an interruption, one shard of several); nullopt when rank 0
// holds a complete store for the caller to finish.
std::optional<int> run_stored(const StoredRun& run, nlohmann::json& manifest,
                              const ExecutionReport& survey,
                              const std::function<ExecutionReport(Sink&)>& execute);

}  // namespace pk::cli
