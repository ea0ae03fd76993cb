// The acceptance gate (docs/model.md §6 "Acceptance", §8.20): the one-sided
// upper confidence bound of the baseline's fatalities per 1,000
// personnel-years against a limit and, when asked for, the one-sided upper
// bound of the probability that one replication (a mission-year) exceeds that
// limit against a largest accepted probability.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stats/histogram.hpp"
#include "stats/summary.hpp"

namespace pk {

// Fewer replications than this and the gate refuses to decide: the Student-t
// bound leans on the mean being near normal, and the exceedance bound with no
// exceedance at all is 1 − (1 − c)^(1/n), above 0.095 at n = 30 and c = 0.95.
inline constexpr int64_t kAcceptanceMinReplications = 30;

struct AcceptanceCriteria {
  double max_rate = 0;       // largest accepted fatalities per 1,000 personnel-years
  double confidence = 0.95;  // one-sided, in [0.5, 0.9999] (the loader checks)
  std::optional<double> max_exceedance_probability;  // of one replication's rate above max_rate
};

struct AcceptanceVerdict {
  bool checked = false;
  bool decided = true;  // false: too few replications; `passed` is then false
  bool passed = true;   // every gate asked for passed
  int64_t replications = 0;
  double mean = 0;   // fatalities per 1,000 personnel-years
  double upper = 0;  // its upper confidence bound
  double limit = 0;
  double confidence = 0;
  bool mean_passed = true;
  // Replications whose own rate exceeds `limit`, their share and its exact
  // (Clopper–Pearson) one-sided upper bound at `confidence`.
  int64_t exceedances = 0;
  double exceedance = 0;
  double exceedance_upper = 0;
  std::optional<double> max_exceedance;
  bool exceedance_passed = true;
  std::string reason;  // one line
};

// One-sided exact (Clopper–Pearson) upper confidence bound of a proportion
// k/n: the p at which P(X <= k) = 1 − confidence for X ~ Binomial(n, p);
// 1 when k = n (and when n = 0).
double clopper_pearson_upper(int64_t k, int64_t n, double confidence);

// The mean gate alone, from the summary of the baseline's fatalities per
// replication over the horizon, which `personnel_years` of exposure produce.
AcceptanceVerdict check_acceptance(const MetricSummary& fatalities, double personnel_years,
                                   double limit, double confidence);

// Both gates, from the histogram of the baseline's fatalities per replication.
AcceptanceVerdict check_acceptance(const IntHistogram& fatalities, double personnel_years,
                                   const AcceptanceCriteria& criteria);

}  // namespace pk
