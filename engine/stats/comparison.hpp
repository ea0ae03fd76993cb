// An arm against the baseline on common random numbers (docs/model.md §6,
// "Arm versus baseline"): the paired difference of fatalities, the relative
// risk reduction, lives saved per year and the cost per fatality averted.
// Plain numbers in, plain numbers out: what a run is, is not this file's business.
#pragma once

#include <optional>

#include "stats/summary.hpp"

namespace pk {

struct Comparison {
  MetricSummary diff;           // paired fatalities(arm) - fatalities(baseline), per replication
  double rrr = 0;               // relative risk reduction, 1 - mean(arm) / mean(baseline)
  Interval rrr_ci95;            // from the paired difference's interval
  double averted_per_year = 0;  // fatalities averted per mission-year (= -diff / years)
  std::optional<double> cost_per_fatality_averted;  // cost / averted over the horizon
  // Fieller's interval with a fixed cost: the cost over each end of the
  // interval of fatalities averted; hi is +infinity (unbounded) when that
  // interval reaches zero. Present when cost_per_fatality_averted is.
  std::optional<Interval> cost_per_fatality_averted_ci95;
  double variance_reduction = 0;  // independent-arms variance / paired variance
};

// `arm` and `base`: fatalities per replication in each arm; `diff`: their
// paired difference (arm - baseline); `cost_usd`: the arm's cost over the
// horizon of `horizon_years`.
Comparison compare(const MetricSummary& arm, const MetricSummary& base, const MetricSummary& diff,
                   double cost_usd, double horizon_years);

}  // namespace pk
