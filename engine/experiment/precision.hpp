// Run until precise enough (`pkrisk run --target-ci`, `--target-ci-diff`):
// batches of replications of every arm, through the executor, until the 95%
// CI half-width of mean fatalities is within a fraction of the mean for every
// arm and/or the 95% CI half-width of lives saved per year is within an
// absolute amount for every arm against the baseline. Never before two batches
// and `min_replications`: an interval from one batch, or from one replication
// (half-width 0), says nothing of its own precision. Checked only at batch
// boundaries, so the stopping point and the result are the same for any
// thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "experiment/runner.hpp"
#include "scenario/loader.hpp"

namespace pk {

struct PrecisionTarget {
  // Relative half-width of mean fatalities, every arm; none: not a target.
  std::optional<double> relative_half_width = 0.02;
  // Absolute half-width of lives saved per year, every arm vs the baseline.
  std::optional<double> diff_half_width;
  int64_t batch = 1000;             // replications per batch
  int64_t min_replications = 1000;  // and at least two batches
  int64_t max_replications = 1000000;
  uint64_t seed = 1;
  int threads = 1;
  bool keep_rows = false;
  const std::atomic<bool>* stop = nullptr;
  // After each batch: replications so far, the worst relative half-width and
  // the worst half-width of lives saved per year.
  std::function<void(int64_t, double, double)> on_batch;
};

// Relative 95% CI half-width of mean fatalities of the worst arm (infinite
// when an arm has a spread but a zero mean; arms with no spread are ignored).
double worst_relative_half_width(const RunResult& r);

// 95% CI half-width of lives saved per year (the paired difference with the
// baseline, per year of `horizon_years`) of the worst arm; 0 with no arm.
double worst_diff_half_width(const RunResult& r, double horizon_years);

// Whether the result meets every target of `target`, minimums included.
bool precise_enough(const RunResult& r, const PrecisionTarget& target, double horizon_years);

// complete is false when `stop` ended it early (the result is still the exact
// result of the replications it holds). Stops at max_replications whether or
// not the targets are met; precise_enough() tells which.
RunResult run_until_precision(const LoadedScenario& ls, const PrecisionTarget& target);

}  // namespace pk
