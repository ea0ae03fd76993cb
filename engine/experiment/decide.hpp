// `pkrisk decide`: the scenario's arms under uncertain inputs (a probabilistic
// sensitivity analysis). Draws of the `uncertainty:` block (design.hpp) run
// through the executor with common random numbers across arms and draws;
// each arm's fatalities and cost per mission-year give the probability each
// arm is best, the efficiency frontier, acceptability curves, and the value
// of information (stats/voi.hpp). docs/decide.md explains every number.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/design.hpp"
#include "experiment/executor.hpp"

namespace pk {

struct DecideSettings {
  int64_t draws = 1000;
  int64_t reps_per_draw = 1;
  uint64_t seed = 1;  // of the draws and of the replications (common to every draw)
  // Net benefit per mission-year = −wtp·fatalities − cost; with
  // net_benefit false, −fatalities (costs only in the frontier and curves).
  bool net_benefit = false;
  double wtp_usd = 0;        // value put on one death averted, USD
  double mission_years = 0;  // the value of information for the mission: × this (0: the horizon)
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

// The draws, each checked to build (errors name the draw and the input).
bool plan_decide(const LoadedScenario& ls, const DecideSettings& settings,
                 std::vector<SweepPoint>& points, Diagnostics& diags);

// Runs every draw's arms; `policy` as for any executor run (threads within a
// draw's replications, a stop request).
DecideSample run_decide(const LoadedScenario& ls, const DecideSettings& settings,
                        const std::vector<SweepPoint>& points, const ExecutionPolicy& policy);

// {"decide": {voi object}, "arms": [...], "p_best": {...}, "frontier": [...],
//  "ceac": [...], "settings": {...}}.
nlohmann::json decide_json(const DecideSample& sample, const DecideSettings& settings);

// A terminal table of decide_json.
std::string decide_table(const nlohmann::json& result);

// Every draw: its inputs, then each arm's fatalities and cost per
// mission-year and net benefit (at the settings' objective).
std::string decide_samples_csv(const DecideSample& sample, const DecideSettings& settings);

}  // namespace pk
