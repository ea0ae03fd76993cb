// Parameter sweeps: points × arms × replication batches ("work units"),
// stored unit by unit so that a sweep can be interrupted, resumed, split into
// shards or spread over MPI ranks, and always summarised to the same bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/design.hpp"
#include "experiment/executor.hpp"
#include "experiment/store.hpp"
#include "scenario/loader.hpp"

namespace pk {

struct SweepSettings {
  int64_t replications = 1000;  // per point and arm
  int64_t batch = 250;          // replications per work unit
  uint64_t seed = 1;            // the same for every point: neighbours share random numbers
  // Metrics whose sensitivity the summary gives besides default_responses():
  // any metric of the scenario (experiment/metrics.hpp).
  std::vector<std::string> extra_responses;
};

// The response metrics of every sweep: sensitivity indices in its summary.
const std::vector<std::string>& default_responses();

// default_responses(), then the extra ones not already among them.
std::vector<std::string> sweep_responses(const SweepSettings& settings);

// "" when every name is a metric of `s`; else what is wrong with the first
// unknown one, with the closest metric names.
std::string check_response_metrics(const Scenario& s, const std::vector<std::string>& names);

struct SweepPlan {
  SweepSettings settings;
  std::vector<SweepPoint> points;  // arms are rebuilt per point on demand (memory stays small)
  int64_t units_per_point = 0;
  // The executor's view: one variant per point, units numbered as stored.
  Plan execution(int threads) const;
  std::vector<Variant> variants() const;
  int64_t units() const { return units_per_point * static_cast<int64_t>(points.size()); }
  int64_t point_of(int64_t unit) const { return execution(1).unit(unit).variant; }
  int64_t first_of(int64_t unit) const { return execution(1).unit(unit).first; }
  int64_t count_of(int64_t unit) const { return execution(1).unit(unit).count; }
};

// Makes the design and builds every point's arms, each validated like a
// scenario: errors name the point and the rule; checks the response metrics.
// False on any error.
bool plan_sweep(const LoadedScenario& ls, const SweepSettings& settings, SweepPlan& plan,
                Diagnostics& diags);

// What the store must say for its results to belong to this plan (scenario,
// seed, design, replications, batch, version, and the extra responses when
// there are any); compared on --resume and merge.
std::map<std::string, std::string> plan_identity(const LoadedScenario& ls, const SweepPlan& plan);

// Opens or creates the results store `dir`/results.sqlite of the results that
// `identity` describes, and records the identity, the scenario's text and the
// points (any command's variants: sweep points, parameter draws). A store
// that already holds results is continued only with `resume` and only if its
// identity is this one; otherwise null with `error` set and `bad_input` true.
// Null with bad_input false: the file could not be opened or written.
std::unique_ptr<ResultStore> open_results_store(const LoadedScenario& ls,
                                                const std::map<std::string, std::string>& identity,
                                                const std::vector<SweepPoint>& points,
                                                const std::string& dir, bool resume,
                                                std::string& error, bool& bad_input);

// The points as the store keeps them: index, and {path: value} as JSON.
std::vector<std::pair<int64_t, std::string>> point_rows(const std::vector<SweepPoint>& points);

// open_results_store for this plan and shard ("k/N"): plan_identity and the
// shard.
std::unique_ptr<ResultStore> open_sweep_store(const LoadedScenario& ls, const SweepPlan& plan,
                                              const std::string& dir, const std::string& shard,
                                              bool resume, std::string& error, bool& bad_input);

// The summary of a complete store: every point's arms (as in `pkrisk run`),
// sensitivity indices and, for grids, response tables. Deterministic bytes:
// units are merged in unit order. Also fills the store's stats table. On
// failure, `io_failure` (when given) tells a store that could not be written
// from one whose units are missing or damaged.
bool sweep_summary(const LoadedScenario& ls, const SweepPlan& plan, ResultStore& store,
                   nlohmann::json& out, std::string& error, bool* io_failure = nullptr);

// A readable table of the summary (points, then sensitivity).
std::string sweep_table(const nlohmann::json& summary);

// The value of parameter `path` at every point of a sweep summary, as text: a
// number at the precision the design's spacing gives it (parameter_labels,
// stats/rounding.hpp), any other value as written.
std::vector<std::string> sweep_parameter_labels(const nlohmann::json& summary,
                                                const std::string& path);

}  // namespace pk
