// Statistics of a metric over replications (docs/model.md §6), computed exactly
// from its integer histogram.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "stats/histogram.hpp"

namespace pk {

struct Interval {
  double lo = 0;
  double hi = 0;
};

struct MetricSummary {
  int64_t n = 0;
  double mean = 0;
  double sd = 0;                              // sample standard deviation (n - 1)
  Interval ci95;                              // Student-t interval of the mean
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0;  // lower quantiles: smallest x with F(x) >= p
  double cvar95 = 0;                          // mean of the worst ceil(5% of n) replications
};

MetricSummary summarize(const IntHistogram& h);

// The one critical value behind every interval pkrisk reports (docs/model.md
// §6): the `confidence` quantile of Student's t with `dof` degrees of freedom
// — n - 1 for a mean of n replications — or, when `dof` is infinite, of the
// standard normal (asymptotic intervals: Wilson, Wald). Two-sided by default;
// a one-sided bound (acceptance) takes `two_sided` false.
double critical_value(double confidence, double dof = std::numeric_limits<double>::infinity(),
                      bool two_sided = true);

// Half-width of a two-sided Student-t interval with n - 1 degrees of freedom.
double t_half_width(double sd, int64_t n, double confidence = 0.95);

// One-sided upper confidence bound of a mean.
double t_upper_bound(double mean, double sd, int64_t n, double confidence);

// Wilson score interval of a proportion k/n.
Interval wilson(int64_t k, int64_t n, double confidence = 0.95);

}  // namespace pk
