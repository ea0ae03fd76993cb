// Statistics of a metric over replications (docs/model.md §6), computed exactly
// from its integer histogram, with intervals chosen by what the data can
// support (docs/model.md §6, "Which interval").
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "stats/histogram.hpp"

namespace pk {

struct Interval {
  double lo = 0;
  double hi = 0;
};

// The end of an interval that no data can bound (a Fieller set that is a ray,
// the upper end of a quantile beyond the sample).
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// How an interval was computed (docs/model.md §6, "Which interval").
enum class CiMethod {
  kT,                // Student t with n - 1 degrees of freedom: the default
  kGamma,            // Fay-Feuer gamma interval of a sum of weighted Poisson counts
  kMoverGamma,       // a difference: the gamma intervals of its two signs, combined (MOVER)
  kRuleOfThree,      // no event at all: the exact one-sided bound of the rate
  kWilson,           // score interval of a proportion
  kClopperPearson,   // exact binomial interval of a proportion
  kOrderStatistics,  // distribution-free interval of a quantile
  kBootstrap,        // bootstrap-t (studentized) with a seed derived from the data
  kFieller,          // a ratio of means
  kHall,             // Hall's skewness-corrected t joined with the interval above (skewed, small n)
};

// "t", "gamma", "mover_gamma", "rule_of_three", "wilson", "clopper_pearson",
// "order_statistics", "bootstrap", "fieller", "hall".
const char* ci_method_name(CiMethod m);

// Below kExactBelow (effective) events the interval of a mean rests on the
// exact Poisson-based methods: the sample variance of so few events is too
// often small for Student t. Below kFewEvents the summary warns.
inline constexpr double kExactBelow = 30;
inline constexpr double kFewEvents = 10;

// What the values of a histogram are: counts (never negative) or paired
// differences of counts.
enum class ValueKind { kCount, kDifference };

struct MetricSummary {
  int64_t n = 0;
  double mean = 0;
  double sd = 0;  // sample standard deviation (n - 1)
  Interval ci95;  // of the mean, by ci_method
  CiMethod ci_method = CiMethod::kT;
  // Effective number of events the mean rests on: (sum |x|)^2 / sum x^2, the
  // number of nonzero replications when they are all of one size.
  double events = 0;
  bool few_events = false;                    // events < kFewEvents
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0;  // lower quantiles: smallest x with F(x) >= p
  // Distribution-free 95% intervals of the quantiles (order statistics); an end
  // the sample cannot bound is infinite.
  Interval p50_ci95, p90_ci95, p95_ci95, p99_ci95;
  // Rockafellar-Uryasev CVaR at 95%: VaR95 (= p95) plus the mean excess over it
  // divided by 0.05; on n replications, the mean of the worst 0.05 n including
  // the fraction of the atom at p95 that completes them.
  double cvar95 = 0;
};

MetricSummary summarize(const IntHistogram& h, ValueKind kind = ValueKind::kCount);

// Rockafellar-Uryasev CVaR at level `alpha` of the distribution a histogram holds.
double cvar(const IntHistogram& h, double alpha = 0.95);

// Studentized bootstrap (bootstrap-t) 95% interval of cvar(h, 0.95), the
// standard errors from CVaR's influence function, `resamples` resamples with a
// seed derived from the histogram alone (the same bits on any thread count). Upper end infinite
// when fewer than kFewEvents replications lie in the 5% tail: so few cannot say how heavy the tail
// is. The lower end is at most the Rockafellar-Uryasev objective's lower end at
// any value the p95's interval allows (docs/model.md §6).
Interval cvar95_interval(const IntHistogram& h, int resamples = 1000);

// Distribution-free interval of the lower p-quantile: order statistics whose
// ranks a Binomial(n, p) count brackets with probability >= confidence.
Interval quantile_interval(const IntHistogram& h, double p, double confidence = 0.95);

// The one critical value behind every interval pkrisk reports (docs/model.md
// §6): the `confidence` quantile of Student's t with `dof` degrees of freedom
// — n - 1 for a mean of n replications — or, when `dof` is infinite, of the
// standard normal (asymptotic intervals: Wilson, Wald). Two-sided by default;
// a one-sided bound (acceptance) takes `two_sided` false.
double critical_value(double confidence, double dof = std::numeric_limits<double>::infinity(),
                      bool two_sided = true);

// The mean of some values (0 for none), and their sample variance (n - 1;
// 0 for fewer than two).
double mean_of(const std::vector<double>& v);
double variance_of(const std::vector<double>& v);

// Half-width of a two-sided Student-t interval with n - 1 degrees of freedom.
double t_half_width(double sd, int64_t n, double confidence = 0.95);

// One-sided upper confidence bound of a mean.
double t_upper_bound(double mean, double sd, int64_t n, double confidence);

// Wilson score interval of a proportion k/n.
Interval wilson(int64_t k, int64_t n, double confidence = 0.95);

// Clopper-Pearson (exact binomial) interval of a proportion k/n.
Interval clopper_pearson(int64_t k, int64_t n, double confidence = 0.95);

// A proportion's interval chosen by the data: Wilson with at least kFewEvents
// successes and failures; otherwise Clopper-Pearson, one-sided (the rule of
// three) when k is 0 or n.
struct ProportionInterval {
  Interval ci;
  CiMethod method = CiMethod::kWilson;
};
ProportionInterval proportion_interval(int64_t k, int64_t n, double confidence = 0.95);

// Hall's (1992) skewness-corrected Student-t interval of a mean: the cubic
// transform g(T) = T + a T^2 + a^2 T^3 / 3 + b of the t statistic, with
// a = skewness / (3 sqrt n) and b = skewness / (6 sqrt n), is nearly pivotal;
// its inverse at the t quantiles gives the ends. Skewness 0 gives Student t.
Interval hall_interval(double mean, double sd, int64_t n, double skewness,
                       double confidence = 0.95);

// Fay-Feuer gamma interval of the mean of n replications whose sum is `sum`
// with variance `var_sum`, the upper end allowing one more event of
// `event_size` (at least 1). With Poisson counts (var_sum = sum, events of
// size 1) it is the exact (Garwood) Poisson interval of sum, over n.
Interval gamma_interval(double sum, double var_sum, double event_size, int64_t n,
                        double confidence = 0.95);

}  // namespace pk
