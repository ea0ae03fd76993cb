// Calibration: fits chosen scenario parameters so that simulated yearly
// fatalities match observed counts (docs/calibration.md).
//
// Two analyses share one design of simulations. The posterior (the default
// report, calibrate_posterior.cpp): each year's count is negative binomial
// with the simulated mean and variance, widened by a year effect, and MCMC
// draws the parameters and the year effect's coefficient of variation; it
// gives credible intervals, a posterior-predictive check and held-out
// predictions. Poisson-Wald (kept for comparison, below): the likelihood is Poisson: each observed
// year's count k_y is a draw with mean mu(theta) = mean fatalities per replication x 365 /
// horizon_days. Candidate points are multiplicative factors on the parameters' values as written,
// all simulated with the same seed (common random numbers, so the likelihood surface is smooth in
// theta and its differences are not noise). The design is a grid of log-spaced factors; a
// least-squares quadratic in log(factor) fitted to the log-likelihood near the best point gives the
// estimate and, from its curvature (inverse of minus the Hessian), standard errors on the log
// scale: Wald intervals theta * exp(+-z se), z the normal critical value (stats/summary.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace pk {

// The scenario key of the year effect's coefficient of variation (docs/model.md §2.7).
inline const std::string kYearEffectPath = "year_effect.cv";

struct ObservedYear {
  int year = 0;
  double count = 0;
};

// Parses "2014-2016", "2014,2016", "2014-2015,2019" into a sorted list of years.
bool parse_years(const std::string& text, std::vector<int>& years, std::string& error);

// Reads the UN fatalities CSV format (data/un_fatalities.csv: '#'
// comment lines, a header row with `mission` and `year` columns). Keeps the
// rows of `mission` (case-insensitive) whose year is in `years` (all when
// empty), taking `column`. An empty cell in a kept row, a missing column or a
// requested year with no row is an error.
bool read_observed_csv(const std::string& text, const std::string& mission,
                       const std::string& column, const std::vector<int>& years,
                       std::vector<ObservedYear>& out, std::string& error);

// What the observed CSV holds for one mission: the years it covers and the
// sum of `column` over the years where that cell is filled.
struct ObservedMission {
  std::string name;
  int first_year = 0;
  int last_year = 0;
  int years = 0;             // rows of the mission
  int years_with_count = 0;  // rows whose `column` cell is a count
  double total = 0;
};

// Lists the missions of the observed CSV in name order.
bool list_observed_missions(const std::string& text, const std::string& column,
                            std::vector<ObservedMission>& out, std::string& error);

// A further observed series fitted with the first (docs/calibration.md,
// "Several outputs"): a column of the observed CSV and the metric of the
// registry (experiment/metrics.hpp) it counts, e.g. IED deaths against
// fatalities_by_cause.ied, so that rates one total cannot separate are.
// The metric a column of data/un_fatalities.csv counts, for a --column given
// without --metric: malicious columns the threat types alone
// (`fatalities_malicious`), `accident` and `illness` their causes, the `all`
// columns every cause (`fatalities`); docs/model.md §2.8.
std::string metric_of_column(const std::string& column);

struct CalibrationOutput {
  std::string column;
  std::string metric;
  std::vector<ObservedYear> observed;  // the fitted years, the same as the first output's
};

struct CalibrationConfig {
  std::vector<std::string> paths;  // each selects exactly one number of the scenario
  int64_t replications = 400;      // per candidate point
  uint64_t seed = 1;               // the same for every candidate (common random numbers)
  int threads = 1;
  double factor_lo = 0.25;  // design: factors on each parameter's value as written
  double factor_hi = 4.0;
  int levels = 0;  // factors per parameter; 0: 13 for one parameter, 9 for two, 5 beyond
  // The year effect's coefficient of variation: fitted (prior uniform on
  // [0, year_cv_max]) when year_cv_fixed < 0, else fixed at that value (0: none).
  double year_cv_fixed = -1;
  double year_cv_max = 1.0;
  int chains = 4;
  int warmup = 2000;                  // per chain
  int draws = 5000;                   // per chain, kept
  std::vector<ObservedYear> holdout;  // years predicted, not fitted
  // The metric the first observed series counts, and further outputs fitted
  // jointly (the point estimate, Poisson-Wald and the held-out check use the
  // first alone).
  std::string metric = "fatalities_malicious";
  std::vector<CalibrationOutput> outputs;
  // The likelihood: false, the negative binomial with the design's simulated
  // mean and variance; true, the simulated probability mass itself on a local
  // grid of (parameter, year CV) points, `pmf_replications` each (one
  // parameter, one output, a one-year horizon; docs/calibration.md).
  bool simulated_likelihood = false;
  int64_t pmf_replications = 2000;
};

struct CalibratedParameter {
  std::string path;
  Mark mark;            // of the value in the scenario file
  double written = 0;   // the value as written
  double estimate = 0;  // the fitted value
  double se = 0;        // standard error (delta method: estimate x se of log)
  double se_log = 0;    // standard error of log(estimate)
  double ci_lo = 0;     // 95% Wald interval on the log scale
  double ci_hi = 0;
};

struct CalibrationPoint {
  std::vector<double> factors;   // one per parameter
  double mean_per_year = 0;      // simulated fatalities per year
  double variance_per_year = 0;  // their variance within a simulated year
  // The further outputs' simulated means and variances per year, in cfg.outputs order.
  std::vector<double> output_mean, output_variance;
  double loglik = 0;  // Poisson log-likelihood of the observed counts
};

// One quantity's posterior: from the pooled draws of every chain.
struct PosteriorSummary {
  std::string name;
  double mean = 0, median = 0, lo90 = 0, hi90 = 0;  // 5% and 95% points
  double rhat = 0, ess = 0;                         // split R-hat and effective sample size
};

// A year's count against its posterior-predictive law.
struct YearPrediction {
  int year = 0;
  double observed = 0;
  double predicted = 0;       // posterior-predictive mean
  double lo90 = 0, hi90 = 0;  // 5% and 95% points of the predictive law
  double p_at_most = 0;       // P(Y <= observed) under it
  double p_below = 0;         // P(Y < observed): with p_at_most, the randomised PIT's range
};

// A combination sum_i weight_i log(theta_i / written_i) of the fitted
// parameters: a principal direction of their posterior in log(factor).
struct ParameterCombination {
  std::vector<double> weights;  // unit length
  double median = 0, lo90 = 0, hi90 = 0;
  double sd = 0;           // posterior standard deviation along it
  double prior_sd = 0;     // the flat prior's along it (the box's width / sqrt(12))
  bool identified = true;  // the data cut its variance below half the prior's
};

struct CalibrationPosterior {
  std::vector<PosteriorSummary> parameters;  // natural scale, in --fit order
  // Several parameters: the principal directions of their posterior, most
  // precise first. A parameter with weight above 0.3 on a direction the data
  // do not identify has no separate interval (`separable` false).
  std::vector<ParameterCombination> combinations;
  std::vector<bool> separable;
  std::string identification_note;
  PosteriorSummary year_cv;  // the year effect's coefficient of variation
  bool year_effect_fitted = true;
  int chains = 0, draws_per_chain = 0;
  double acceptance = 0;
  bool converged = false;
  // Pooled draws of the parameters (natural scale) and the year CV, one row a draw.
  std::vector<std::vector<double>> draws;
  std::vector<int> draw_chain;  // the chain of each row
  // The spread of the fitted years: their sample variance, and at the
  // posterior median the model's within-year variance and the year effect's part.
  double observed_variance = 0;
  double within_year_variance = 0;
  double year_effect_variance = 0;
  double spread_p = 0;  // P(replicated years' variance >= observed): the check of the spread
  std::vector<YearPrediction> fitted;  // posterior-predictive check of the fitted years
  std::vector<YearPrediction> holdout;
  double holdout_total = 0;            // observed
  double holdout_total_predicted = 0;  // posterior-predictive mean
  double holdout_lo90 = 0, holdout_hi90 = 0;
  double log_score = 0;  // log of the posterior-predictive probability of the held-out years
};

// The simulated probability mass of a year's count on a local grid around the
// negative binomial's posterior (docs/calibration.md, "The simulated
// likelihood"): u = log(factor) of the one parameter by the year effect's CV,
// both evenly spaced, each point `replications` replications of one year with
// the engine's own year effect at that CV.
struct PmfGrid {
  std::vector<double> u;   // ascending, evenly spaced
  std::vector<double> cv;  // ascending, evenly spaced; one value when fixed
  int64_t replications = 0;
  // [iu * cv.size() + ic][k]: the share of replications whose count was k.
  std::vector<std::vector<double>> pmf;
  bool empty() const { return pmf.empty(); }
};

struct CalibrationResult {
  std::vector<CalibratedParameter> parameters;
  std::vector<CalibrationPoint> design;
  std::vector<ObservedYear> observed;
  int64_t replications = 0;
  uint64_t seed = 0;
  double years_per_replication = 1;  // horizon_days / 365
  // Surrogate: fitted on `surrogate_points` points; the eigenvalues of minus
  // its Hessian in log(factor) (all > 0 when the estimate is a maximum).
  int surrogate_points = 0;
  std::vector<double> information_eigenvalues;
  bool identified = true;     // minus the Hessian is well conditioned and positive definite
  bool inside_design = true;  // the estimate lies inside the design's box
  std::string note;           // why not identified / at the edge, for reports
  // The scenario re-run at the estimate.
  double predicted_per_year = 0;
  double predicted_ci_lo = 0;  // 95% CI of the simulated mean (simulation error only)
  double predicted_ci_hi = 0;
  double loglik = 0;
  double deviance = 0;  // Poisson deviance of the observed years at the estimate
  int dof = 0;          // years - parameters
  // One parameter: the estimate is the root of simulated mean = observed mean
  // on the common-random-number response (exact, no surrogate); `root_steps`
  // simulations found it. Several: the surrogate's maximum.
  bool root_found = false;
  int root_steps = 0;
  int levels = 0;  // of the design, per parameter
  CalibrationPosterior posterior;
  // The scenario's own year_effect.cv, when it has one: where it is written
  // (for --write) and its value. Simulations run with it at 0.
  bool scenario_year_effect = false;
  Mark year_effect_mark;
  double year_effect_written = 0;
  double holdout_deviance = 0;  // Poisson deviance of cfg.holdout at the estimate
  // With the simulated likelihood: its grid (the posterior uses it when not
  // empty), and at the grid point nearest the posterior median the fewest
  // replications that hit an observed count (its relative standard error is
  // about 1/sqrt(hits)).
  PmfGrid pmf_grid;
  double pmf_min_hits = 0;
};

// Poisson deviance 2 * sum(k log(k / mu) - (k - mu)) of counts against one mean.
double poisson_deviance(const std::vector<ObservedYear>& observed, double mu);
// Poisson log-likelihood sum(k log mu - mu - lgamma(k + 1)).
double poisson_loglik(const std::vector<ObservedYear>& observed, double mu);

// Simulated fatalities per year of `ls`'s baseline with `overrides` applied;
// nullopt (errors in diags) when the overridden scenario is invalid. `ci`, if
// given, receives the 95% CI of the mean (simulation error).
std::optional<double> simulate_per_year(const LoadedScenario& ls,
                                        const std::vector<PointOverride>& overrides,
                                        const CalibrationConfig& cfg, Diagnostics& diags,
                                        double* ci_lo = nullptr, double* ci_hi = nullptr);

// A candidate's simulated fatalities per year: their mean and their variance
// within a year. A horizon of h days is scaled to a year by 365/h, the
// variance too (counts over disjoint stretches of time add up).
struct SimulatedYear {
  double mean = 0;
  double variance = 0;
};

// Simulated outputs per year of the baseline of each candidate (`ls` with
// its overrides), all in one executor run: [candidate][output], output 0
// cfg.metric, then cfg.outputs' metrics. nullopt (errors in diags) when a
// candidate is invalid or a metric unknown: every one is checked before any
// is simulated.
std::optional<std::vector<std::vector<SimulatedYear>>> simulate_candidates(
    const LoadedScenario& ls, const std::vector<std::vector<PointOverride>>& candidates,
    const CalibrationConfig& cfg, Diagnostics& diags);

// Each candidate's simulated probability mass of cfg.metric's count in one
// replication (`cfg.pmf_replications` of them), with the candidate's
// overrides as given (the year effect is not switched off): [candidate][k].
std::optional<std::vector<std::vector<double>>> simulate_pmfs(
    const LoadedScenario& ls, const std::vector<std::vector<PointOverride>>& candidates,
    const CalibrationConfig& cfg, Diagnostics& diags);

// Fits cfg.paths to `observed`. nullopt with diagnostics on bad paths or an
// invalid candidate scenario.
std::optional<CalibrationResult> calibrate(const LoadedScenario& ls,
                                           const std::vector<ObservedYear>& observed,
                                           const CalibrationConfig& cfg, Diagnostics& diags);

// The posterior of `r`'s parameters and the year effect from its design
// (calibrate_posterior.cpp), or from r.pmf_grid when it is not empty; fills
// r.posterior.
void fit_posterior(CalibrationResult& r, const CalibrationConfig& cfg);

// The posterior draws as CSV for `pkrisk decide`'s `from_samples:` (a header
// of the fitted paths, one row per draw).
std::string posterior_csv(const CalibrationResult& r);

// The overrides that set each parameter to its estimate.
std::vector<PointOverride> calibrated_overrides(const CalibrationResult& r);

// The scenario file's text with each fitted value written over the original
// scalar (at its mark) and a comment saying so after the first line(s) of
// comments. Empty with `error` set when a value cannot be located.
std::string write_calibrated_text(const std::string& original, const CalibrationResult& r,
                                  const std::string& provenance, std::string& error);

}  // namespace pk
