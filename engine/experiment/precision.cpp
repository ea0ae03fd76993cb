#include "experiment/precision.hpp"

#include <algorithm>
#include <limits>

#include "experiment/executor.hpp"
#include "stats/summary.hpp"

namespace pk {

double worst_relative_half_width(const RunResult& r) {
  double worst = 0;
  for (const ArmResult& a : r.arms) {
    const MetricSummary s = summarize(a.metrics[0]);
    const double half = (s.ci95.hi - s.ci95.lo) / 2;
    if (half == 0) continue;
    worst = std::max(worst, s.mean > 0 ? half / s.mean : std::numeric_limits<double>::infinity());
  }
  return worst;
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
  AccumulatingSink sink;  // every batch straight into one result, as one long run adds up
  RunResult& result = *sink.accumulator(0);
  int64_t done = 0;
  while (!(target.stop && target.stop->load())) {
    const int64_t n = std::min(target.batch, target.max_replications - done);
    if (n <= 0) break;
    executor.extend(variants, {{0, done, n}}, plan, sink);
    if (!result.complete) break;
    done += n;
    const double worst = worst_relative_half_width(result);
    if (target.on_batch) target.on_batch(done, worst);
    if (worst <= target.relative_half_width) break;
  }
  if (target.stop && target.stop->load()) result.complete = false;
  return std::move(result);
}

}  // namespace pk
