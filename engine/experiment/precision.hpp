// Run until precise enough (`pkrisk run --target-ci`): batches of
// replications of every arm, through the executor, until the 95% CI
// half-width of mean fatalities is within a fraction of the mean for every
// arm. Checked only at batch boundaries, so the stopping point and the result
// are the same for any thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "experiment/runner.hpp"
#include "scenario/loader.hpp"

namespace pk {

struct PrecisionTarget {
  double relative_half_width = 0.02;  // of mean fatalities, every arm
  int64_t batch = 1000;               // replications per batch (also the minimum)
  int64_t max_replications = 1000000;
  uint64_t seed = 1;
  int threads = 1;
  bool keep_rows = false;
  const std::atomic<bool>* stop = nullptr;
  // After each batch: replications so far and the worst relative half-width.
  std::function<void(int64_t, double)> on_batch;
};

// Relative 95% CI half-width of mean fatalities of the worst arm (infinite
// when an arm has a spread but a zero mean; arms with no spread are ignored).
double worst_relative_half_width(const RunResult& r);

// complete is false when `stop` ended it early (the result is still the exact
// result of the replications it holds).
RunResult run_until_precision(const LoadedScenario& ls, const PrecisionTarget& target);

}  // namespace pk
