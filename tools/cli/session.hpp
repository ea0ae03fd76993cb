// What the long-running commands (run, sweep) share: stopping cleanly on
// SIGINT/SIGTERM, and the UTC timestamps of their provenance records.
#pragma once

#include <atomic>
#include <string>

namespace pk::cli {

// Set by SIGINT or SIGTERM once catch_interrupts() is in force: the command
// finishes the work in hand, writes what it has, and exits with
// interrupted_exit_code().
std::atomic<bool>& stop_requested();
void catch_interrupts();
// Back to the default disposition: a second signal after this kills at once.
void release_interrupts();
// 130 after SIGINT, 143 after SIGTERM (128 + the signal number).
int interrupted_exit_code();

// The current time as ISO 8601 UTC, e.g. 2026-11-28T21:57:26Z.
std::string utc_now();

}  // namespace pk::cli
