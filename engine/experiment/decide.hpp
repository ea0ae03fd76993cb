// `pkrisk decide`: the scenario's arms under uncertain inputs (a probabilistic
// sensitivity analysis). Draws of the `uncertainty:` block (design.hpp) run
// through the executor with common random numbers across the arms of a draw;
// each arm's fatalities and cost per mission-year give the probability each
// arm is best, the efficiency frontier, acceptability curves, and the value
// of information (stats/voi.hpp). docs/decide.md explains every number.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/design.hpp"
#include "experiment/executor.hpp"
#include "experiment/store.hpp"

namespace pk {

struct DecideSettings {
  int64_t draws = 1000;
  int64_t reps_per_draw = 1;
  uint64_t seed = 1;  // of the draws and of the replications
  // Net benefit per mission-year = −wtp·fatalities − cost; with
  // net_benefit false, −fatalities (costs only in the frontier and curves).
  bool net_benefit = false;
  double wtp_usd = 0;        // value put on one death averted, USD
  double mission_years = 0;  // the value of information for the mission: × this (0: the horizon)
  // ... and for every mission (contingent, sector) the same decision applies to: × this too.
  double population = 1;
  int threads = 1;
};

// One row per draw: the inputs drawn, and each arm's outcome there.
struct DecideSample {
  std::vector<std::string> inputs, groups;  // the uncertain inputs' paths and groups ("" none)
  std::vector<std::string> arms;            // baseline first
  double years = 1;                         // the horizon simulated, in years
  int64_t reps_per_draw = 1;
  std::vector<std::vector<double>> x;           // draws × inputs
  std::vector<std::vector<double>> fatalities;  // draws × arms, mean per mission-year
  std::vector<std::vector<double>> noise_var;   // of that mean (NaN with one replication)
  std::vector<std::vector<double>> cost;        // draws × arms, incremental USD per mission-year
  bool complete = true;                         // false when a stop request ended the run
};

// The draws and how the executor runs them: draw d is variant d and work unit
// d, the replications [d·M, (d + 1)·M) of every arm. The arms of one draw
// share their random numbers; every draw has its own, so that the
// simulation noise averages out over the draws as the inputs do.
struct DecidePlan {
  DecideSettings settings;
  std::vector<SweepPoint> points;  // the draws
  // The options decided between, baseline first: the file's arms or, when the
  // scenario's adversary answers them (docs/model.md §2.9), their adaptive
  // twins — an arm bought meets the adversary who answers it.
  std::vector<std::string> arms;
  bool adaptive = false;
  Plan execution() const;
  std::vector<Variant> variants() const;
  std::vector<Executor::Extension> units() const;
};

// Makes the draws and checks that each builds (errors name the draw and the
// input).
bool plan_decide(const LoadedScenario& ls, const DecideSettings& settings, DecidePlan& plan,
                 Diagnostics& diags);

// What a results store must say for its draws to belong to this plan
// (scenario, seed, draws, replications per draw, objective, value of a life,
// mission years, version); compared on --resume and merge.
std::map<std::string, std::string> decide_identity(const LoadedScenario& ls,
                                                   const DecidePlan& plan);

// The settings a store's identity records (the inverse of decide_identity);
// false with `error` when it is damaged. Threads are left as they are.
bool decide_settings_from_identity(const std::map<std::string, std::string>& identity,
                                   DecideSettings& settings, std::string& error);

// open_results_store (sweep.hpp) for this plan and shard ("k/N").
std::unique_ptr<ResultStore> open_decide_store(const LoadedScenario& ls, const DecidePlan& plan,
                                               const std::string& dir, const std::string& shard,
                                               bool resume, std::string& error, bool& bad_input);

// Runs every draw's arms in this process, in memory; `policy` as for any
// executor run (threads, a stop request: then the sample is not complete).
DecideSample run_decide(const LoadedScenario& ls, const DecidePlan& plan,
                        const ExecutionPolicy& policy);

// The sample of a store that holds every draw (false with `error` naming
// the first draw missing or damaged). The same sample as run_decide's.
bool decide_sample(const LoadedScenario& ls, const DecidePlan& plan, const ResultStore& store,
                   DecideSample& sample, std::string& error);

// {"decide": {voi object}, "arms": [...], "p_best": {...}, "frontier": [...],
//  "ceac": [...], "settings": {...}}.
nlohmann::json decide_json(const DecideSample& sample, const DecideSettings& settings);

// One CSV row per arm of decide_json: its fatalities, uncertainty interval,
// lives saved, cost, P(best), variance split and place on the frontier.
std::string decide_csv(const nlohmann::json& result);

// A terminal table of decide_json.
std::string decide_table(const nlohmann::json& result);

// Every draw: its inputs, then each arm's fatalities and cost per
// mission-year and net benefit (at the settings' objective).
std::string decide_samples_csv(const DecideSample& sample, const DecideSettings& settings);

}  // namespace pk
