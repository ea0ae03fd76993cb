#include "stats/comparison.hpp"

#include <limits>

namespace pk {

Comparison compare(const MetricSummary& arm, const MetricSummary& base, const MetricSummary& diff,
                   double cost_usd, double years) {
  Comparison c;
  c.diff = diff;
  if (base.mean > 0) {
    c.rrr = -diff.mean / base.mean;
    c.rrr_ci95 = {-diff.ci95.hi / base.mean, -diff.ci95.lo / base.mean};
  }
  c.averted_per_year = years > 0 ? -diff.mean / years : 0;
  if (-diff.mean > 0) {
    c.cost_per_fatality_averted = cost_usd / (-diff.mean);
    const double lo_averted = -diff.ci95.hi, hi_averted = -diff.ci95.lo;
    c.cost_per_fatality_averted_ci95 =
        Interval{cost_usd / hi_averted,
                 lo_averted > 0 ? cost_usd / lo_averted : std::numeric_limits<double>::infinity()};
  }
  const double paired_var = diff.sd * diff.sd;
  const double indep_var = arm.sd * arm.sd + base.sd * base.sd;
  c.variance_reduction = paired_var > 0 ? indep_var / paired_var : 0;
  return c;
}

}  // namespace pk
