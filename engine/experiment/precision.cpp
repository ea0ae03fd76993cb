#include "experiment/precision.hpp"

#include <algorithm>
#include <limits>

#include "experiment/executor.hpp"
#include "experiment/metrics.hpp"
#include "experiment/result_json.hpp"
#include "stats/summary.hpp"

namespace pk {

double worst_relative_half_width(const RunResult& r) {
  double worst = 0;
  for (const ArmResult& a : r.arms) {
    const MetricSummary s = summarize(a.metrics[kFatalitiesMetric]);
    const double half = (s.ci95.hi - s.ci95.lo) / 2;
    if (half == 0) continue;
    worst = std::max(worst, s.mean > 0 ? half / s.mean : std::numeric_limits<double>::infinity());
  }
  return worst;
}

double worst_diff_half_width(const RunResult& r, double horizon_years) {
  double worst = 0;
  for (size_t a = 1; a < r.arms.size(); ++a) {
    const MetricSummary d = summarize(r.arms[a].fatalities_diff);
    worst = std::max(worst, (d.ci95.hi - d.ci95.lo) / 2 / horizon_years);
  }
  return worst;
}

bool precise_enough(const RunResult& r, const PrecisionTarget& t, double horizon_years) {
  // Two batches at least: the batch that made the interval never judges it alone.
  const int64_t minimum = std::max(t.min_replications, 2 * t.batch);
  if (r.replications < minimum) return false;
  if (t.relative_half_width && worst_relative_half_width(r) > *t.relative_half_width) return false;
  if (t.diff_half_width && worst_diff_half_width(r, horizon_years) > *t.diff_half_width)
    return false;
  return true;
}

RunResult run_until_precision(const LoadedScenario& ls, const PrecisionTarget& target) {
  ExecutionPolicy policy;
  policy.stop = target.stop;
  policy.keep_rows = target.keep_rows;
  Executor executor(ls, policy);
  Plan plan;
  plan.seed = target.seed;
  plan.threads = target.threads;
  plan.batch = target.batch;
  const std::vector<Variant> variants = {Variant{}};
  const double years = horizon_years(ls);
  AccumulatingSink sink;  // every batch straight into one result, as one long run adds up
  RunResult& result = *sink.accumulator(0);
  int64_t done = 0;
  while (!(target.stop && target.stop->load())) {
    const int64_t n = std::min(target.batch, target.max_replications - done);
    if (n <= 0) break;
    executor.extend(variants, {{0, done, n}}, plan, sink);
    if (!result.complete) break;
    done += n;
    if (target.on_batch)
      target.on_batch(done, worst_relative_half_width(result),
                      worst_diff_half_width(result, years));
    if (precise_enough(result, target, years)) break;
  }
  if (target.stop && target.stop->load()) result.complete = false;
  return std::move(result);
}

}  // namespace pk
