// What the long-running commands (run, sweep, calibrate) share: stopping
// cleanly on SIGINT/SIGTERM, the UTC timestamps of their provenance records,
// the MPI ranks of the job and how many threads to use.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "experiment/transport.hpp"
#include "scenario/loader.hpp"

namespace pk::cli {

// Set by SIGINT or SIGTERM once catch_interrupts() is in force: the command
// abandons the replication in hand within a few thousand events, writes what
// it has finished, and exits with interrupted_exit_code(). A second signal
// ends the process at once with that code.
std::atomic<bool>& stop_requested();
void catch_interrupts();
// Back to the default disposition: a second signal after this kills at once.
void release_interrupts();
// 130 after SIGINT, 143 after SIGTERM (128 + the signal number).
int interrupted_exit_code();

// The current time as ISO 8601 UTC, e.g. 2026-11-28T21:57:26Z.
std::string utc_now();

// The MPI ranks of this job (null: one process); set once by main().
Transport* transport();
void set_transport(Transport* t);

// Threads per process when -j is not given: the cores, shared by the ranks
// of this machine.
int default_threads(int ranks = 1);

// Parses "k/N" of --shard: digits only, 1 <= k <= N <= 100000.
bool parse_shard(const std::string& text, int64_t& k, int64_t& n);

// Rank 0 loads with every diagnostic printed (load_or_report); the other
// ranks load quietly (the command's ReleaseRanks makes every rank leave alike).
std::optional<LoadedScenario> load_on_every_rank(const std::string& file);

// Says on stderr (rank 0) that `command` compares the static arms only when
// the scenario has an adversary block (docs/model.md §2.9).
void note_static_adversary(const LoadedScenario& ls, const char* command);

// With an adversary block and arms: the pilot (said on stderr by rank 0 unless
// quiet) and each arm's adaptive twin (experiment/adversary.hpp). Every rank
// runs the same pilot, so that all build the same arms.
void add_adaptive_twins(LoadedScenario& ls, uint64_t seed, int threads, bool quiet);

}  // namespace pk::cli
