// The simulation side of calibration: candidates run through the executor
// as baseline-only variants (experiment/calibrate.hpp).
#include <algorithm>
#include <cmath>

#include "experiment/calibrate.hpp"
#include "experiment/executor.hpp"
#include "experiment/metrics.hpp"
#include "scenario/suggest.hpp"
#include "stats/summary.hpp"

namespace pk {

namespace {

// One metric of the baseline per year, from a result of `replications`
// replications: its mean and variance within a year; the 95% CI of the mean
// (simulation error) when asked.
SimulatedYear per_year_of(const RunResult& rr, size_t metric, double horizon_hours, double* ci_lo,
                          double* ci_hi) {
  const IntHistogram& h = rr.arms.front().metrics[metric];
  double sum = 0, sum2 = 0;
  h.for_each([&](int64_t v, int64_t c) {
    sum += static_cast<double>(v) * static_cast<double>(c);
    sum2 += static_cast<double>(v) * static_cast<double>(v) * static_cast<double>(c);
  });
  const double n = static_cast<double>(h.count());
  const double per_year = 365.0 * 24.0 / horizon_hours;
  const double mean = sum / n;
  const double var = n > 1 ? std::max(0.0, (sum2 - n * mean * mean) / (n - 1)) : 0.0;
  if (ci_lo && ci_hi) {
    const double half = t_half_width(std::sqrt(var), h.count());
    *ci_lo = (mean - half) * per_year;
    *ci_hi = (mean + half) * per_year;
  }
  return {mean * per_year, var * per_year};
}

// A candidate's overrides, with the scenario's own year effect switched off:
// calibration fits the year effect from the counts (calibrate_posterior.cpp),
// so the simulated variance must be the within-year one alone.
std::vector<PointOverride> without_year_effect(const LoadedScenario& ls,
                                               std::vector<PointOverride> overrides) {
  if (ls.tree.find("year_effect"))
    overrides.push_back({kYearEffectPath, number_node(0, false, Mark{})});
  return overrides;
}

// Candidates are baseline-only variants (the arms would multiply the cost),
// each one unit of all its replications: the same bits as one run of it.
Plan candidate_plan(const CalibrationConfig& cfg) {
  return {cfg.seed, cfg.replications, cfg.replications, std::max(1, cfg.threads)};
}

}  // namespace

// The registry index of each output's metric (cfg.metric, then cfg.outputs);
// nullopt with an error naming the closest metric when one is unknown.
std::optional<std::vector<size_t>> output_metrics(const Scenario& s, const CalibrationConfig& cfg,
                                                  Diagnostics& diags) {
  const std::vector<std::string> names = metric_names(s);
  std::vector<std::string> wanted = {cfg.metric};
  for (const auto& o : cfg.outputs) wanted.push_back(o.metric);
  std::vector<size_t> out;
  for (const std::string& m : wanted) {
    const auto at = std::find(names.begin(), names.end(), m);
    if (at == names.end()) {
      const std::string near = closest_match(m, names);
      diags.error({}, "",
                  "no metric '" + m + "' in the registry" +
                      (near.empty() ? "" : " (did you mean '" + near + "'?)"));
      return std::nullopt;
    }
    out.push_back(static_cast<size_t>(at - names.begin()));
  }
  return out;
}

std::optional<std::vector<std::vector<SimulatedYear>>> simulate_candidates(
    const LoadedScenario& ls, const std::vector<std::vector<PointOverride>>& candidates,
    const CalibrationConfig& cfg, Diagnostics& diags) {
  std::vector<Variant> variants;
  std::vector<double> horizons;  // of each candidate: a fitted path may change it
  for (const auto& overrides : candidates) {
    Variant v{"calibration", without_year_effect(ls, overrides), true, {}};
    const auto arms = variant_arms(ls, v, diags);  // all checked before any is simulated
    if (!arms) return std::nullopt;
    horizons.push_back(arms->front().scenario.horizon_hours);
    variants.push_back(std::move(v));
  }
  const auto metrics = output_metrics(ls.baseline(), cfg, diags);
  if (!metrics) return std::nullopt;
  const std::vector<RunResult> results = run_variants(ls, variants, candidate_plan(cfg));
  std::vector<std::vector<SimulatedYear>> out;
  for (size_t k = 0; k < results.size(); ++k) {
    out.emplace_back();
    for (size_t m : *metrics)
      out.back().push_back(per_year_of(results[k], m, horizons[k], nullptr, nullptr));
  }
  return out;
}

std::optional<std::vector<std::vector<double>>> simulate_pmfs(
    const LoadedScenario& ls, const std::vector<std::vector<PointOverride>>& candidates,
    const CalibrationConfig& cfg, Diagnostics& diags) {
  std::vector<Variant> variants;
  for (const auto& overrides : candidates) {
    Variant v{"calibration", overrides, true, {}};
    if (!variant_arms(ls, v, diags)) return std::nullopt;
    variants.push_back(std::move(v));
  }
  const auto metrics = output_metrics(ls.baseline(), cfg, diags);
  if (!metrics) return std::nullopt;
  const Plan plan{cfg.seed, cfg.pmf_replications, cfg.pmf_replications, std::max(1, cfg.threads)};
  std::vector<std::vector<double>> out;
  for (const RunResult& rr : run_variants(ls, variants, plan)) {
    const IntHistogram& h = rr.arms.front().metrics[metrics->front()];
    const double n = static_cast<double>(h.count());
    std::vector<double> pmf;
    h.for_each([&](int64_t v, int64_t c) {
      if (v < 0) return;
      if (pmf.size() <= static_cast<size_t>(v)) pmf.resize(static_cast<size_t>(v) + 1, 0.0);
      pmf[static_cast<size_t>(v)] += static_cast<double>(c) / n;
    });
    out.push_back(std::move(pmf));
  }
  return out;
}

std::optional<double> simulate_per_year(const LoadedScenario& ls,
                                        const std::vector<PointOverride>& overrides,
                                        const CalibrationConfig& cfg, Diagnostics& diags,
                                        double* ci_lo, double* ci_hi) {
  const Variant v{"calibration", without_year_effect(ls, overrides), true, {}};
  const auto arms = variant_arms(ls, v, diags);
  if (!arms) return std::nullopt;
  const auto metrics = output_metrics(ls.baseline(), cfg, diags);
  if (!metrics) return std::nullopt;
  const RunResult rr = run_variants(ls, {v}, candidate_plan(cfg)).front();
  return per_year_of(rr, metrics->front(), arms->front().scenario.horizon_hours, ci_lo, ci_hi).mean;
}

}  // namespace pk
