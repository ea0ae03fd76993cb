// Runs every arm of a scenario over replications, on threads, with results
// that do not depend on the thread count (docs/architecture.md: Plan -> Tally ->
// Summary). Arms share random numbers: replication r of every arm uses the
// streams of (seed, r), so arm-minus-baseline differences are paired.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scenario/loader.hpp"
#include "stats/histogram.hpp"
#include "stats/ratio.hpp"

namespace pk {

struct RunConfig {
  int64_t replications = 1000;
  uint64_t seed = 1;
  int threads = 1;  // >= 1
  // Replications per work block. Results never depend on it or on threads.
  int64_t block = 64;
  // Called from one thread at a time with (replications done, total).
  std::function<void(int64_t, int64_t)> progress;
  // Set to true (e.g. from a signal handler) to stop after the current blocks.
  const std::atomic<bool>* stop = nullptr;
  // Keep every replication's metrics (for --per-replication); off by default
  // so that memory does not grow with the number of replications.
  bool keep_rows = false;
};

struct ArmResult {
  std::string name;
  double cost_usd = 0;  // over the horizon simulated (Arm::horizon_cost_usd)
  double personnel_years = 0;
  std::vector<IntHistogram> metrics;  // aligned with RunResult::metric_names
  IntHistogram fatalities_diff;       // per-replication fatalities(arm) - fatalities(baseline)
  int64_t any_fatality = 0;           // replications with at least one fatality
  double movement_km = 0;             // sum over replications
  double medevac_wait_hours = 0;      // sum over replications
  // 10-1-2 (docs/model.md §3.6): T1 casualties given first aid within 10
  // minutes, advanced care within 1 hour, surgery within 2 hours, over T1.
  std::array<RatioSums, 3> ten_one_two{};
};

// The names of ArmResult::ten_one_two's timelines, in order, as the JSON and
// CSV write them.
inline constexpr std::array<const char*, 3> kTenOneTwoNames = {"first_aid_10min",
                                                               "advanced_care_1h", "surgery_2h"};

struct RunResult {
  uint64_t seed = 0;
  int64_t replications = 0;  // completed (all arms)
  bool complete = true;      // false when stopped early
  std::vector<std::string> metric_names;
  std::vector<ArmResult> arms;  // baseline first
  int64_t events = 0;           // kernel events dispatched, all arms (a cost measure)
  // With keep_rows: for each replication in order, for each arm, the metric
  // values (arms.size() * metric_names.size() numbers per replication).
  std::vector<int64_t> rows;
};

// An empty result for `arms` (baseline first): names, costs, personnel-years
// and one empty histogram per metric of the baseline.
RunResult empty_result(const std::vector<Arm>& arms, uint64_t seed);

// The one merge of arm results: adds `from` (the same arms and metrics) to
// `into`. Histograms add exactly; the sums are added once each, so merging
// partial results in a fixed order always gives the same bits.
void merge_results(RunResult& into, const RunResult& from);

// Runs replications [first, first + count) of every arm and merges them into
// `into` (which must be empty or from the same scenario and seed). Merging is
// exact, so running in batches gives the same result as one run. An exception
// thrown on a worker thread stops the other workers and is rethrown here.
void run_replications(const LoadedScenario& ls, const RunConfig& cfg, int64_t first, int64_t count,
                      RunResult& into);

// Runs cfg.replications of every arm from replication 0.
RunResult run_arms(const LoadedScenario& ls, const RunConfig& cfg);

}  // namespace pk
