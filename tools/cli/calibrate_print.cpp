#include "calibrate_print.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "console.hpp"
#include "pk_version.hpp"

namespace pk::cli {

namespace {

// JSON has no infinity: an unbounded value is null.
nlohmann::json num(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

nlohmann::json summary_json(const PosteriorSummary& s) {
  return {{"mean", s.mean},
          {"median", s.median},
          {"ci90", {s.lo90, s.hi90}},
          {"rhat", num(s.rhat)},
          {"ess", num(s.ess)}};
}

nlohmann::json year_json(const YearPrediction& y) {
  return {{"year", y.year},           {"observed", y.observed},
          {"predicted", y.predicted}, {"predictive90", {y.lo90, y.hi90}},
          {"p_at_most", y.p_at_most}, {"p_below", y.p_below}};
}

const char* estimate_method(const CalibrationResult& r) {
  return r.root_found ? "root of simulated mean = observed mean, common random numbers"
                      : "maximum of a quadratic surrogate of the Poisson log-likelihood";
}

}  // namespace

void print_calibration_json(const CalibrationReport& c) {
  const CalibrationPosterior& post = c.r.posterior;
  nlohmann::json j;
  j["scenario"] = {{"file", c.ls.file}, {"sha256", c.ls.sha256}};
  j["observed"] = {
      {"file", c.observed}, {"mission", c.mission}, {"column", c.column}, {"metric", c.cfg.metric}};
  for (const auto& o : c.cfg.outputs)
    j["observed"]["outputs"].push_back({{"column", o.column}, {"metric", o.metric}});
  j["seed"] = c.cfg.seed;
  j["replications_per_point"] = c.cfg.replications;
  j["version"] = kVersion;
  j["estimate_method"] = estimate_method(c.r);
  j["root_steps"] = c.r.root_steps;
  j["likelihood"] =
      c.r.pmf_grid.empty()
          ? "negative binomial with the simulated mean and variance plus a gamma year effect"
          : "simulated probability mass, with the engine's gamma year effect";
  if (!c.r.pmf_grid.empty())
    j["simulated_likelihood"] = {{"grid",
                                  {{"log_factor", {c.r.pmf_grid.u.front(), c.r.pmf_grid.u.back()}},
                                   {"points", c.r.pmf_grid.u.size()},
                                   {"year_cv", c.r.pmf_grid.cv}}},
                                 {"replications_per_point", c.r.pmf_grid.replications},
                                 {"min_hits_at_median", c.r.pmf_min_hits}};
  j["uncertainty"] = "posterior (MCMC); se and ci95 are Poisson-Wald, for comparison";
  for (size_t i = 0; i < c.r.parameters.size(); ++i) {
    const auto& p = c.r.parameters[i];
    // A parameter the data cannot separate from another gets no interval of
    // its own: only the identified combinations below are the data's.
    const bool separable = post.separable.empty() || post.separable[i];
    nlohmann::json posterior = summary_json(post.parameters[i]);
    if (!separable) posterior["ci90"] = nullptr;
    j["parameters"].push_back(
        {{"path", p.path},
         {"written", p.written},
         {"estimate", p.estimate},
         {"separable", separable},
         {"posterior", posterior},
         {"se", separable ? num(p.se) : nlohmann::json()},
         {"se_log", separable ? num(p.se_log) : nlohmann::json()},
         {"ci95", separable ? nlohmann::json{num(p.ci_lo), num(p.ci_hi)} : nlohmann::json()}});
  }
  for (const auto& comb : post.combinations)
    j["identification"]["combinations"].push_back({{"weights", comb.weights},
                                                   {"median", comb.median},
                                                   {"ci90", {comb.lo90, comb.hi90}},
                                                   {"sd", comb.sd},
                                                   {"prior_sd", comb.prior_sd},
                                                   {"identified", comb.identified}});
  if (!post.identification_note.empty()) j["identification"]["note"] = post.identification_note;
  const PosteriorSummary& cv = post.year_cv;
  j["year_effect"] = {
      {"fitted", post.year_effect_fitted},
      {"cv", summary_json(cv)},
      {"variance",
       {{"median", cv.median * cv.median}, {"ci90", {cv.lo90 * cv.lo90, cv.hi90 * cv.hi90}}}}};
  j["spread"] = {{"observed_variance", post.observed_variance},
                 {"within_year_variance", post.within_year_variance},
                 {"year_effect_variance", post.year_effect_variance},
                 {"p_value", post.spread_p}};
  j["posterior"] = {{"chains", post.chains},
                    {"draws_per_chain", post.draws_per_chain},
                    {"acceptance", post.acceptance},
                    {"converged", post.converged}};
  for (const auto& y : post.fitted) j["fit"].push_back(year_json(y));
  j["predicted_per_year"] = {{"mean", c.r.predicted_per_year},
                             {"ci95", {c.r.predicted_ci_lo, c.r.predicted_ci_hi}}};
  j["deviance"] = c.r.deviance;
  j["dof"] = c.r.dof;
  j["loglik"] = c.r.loglik;
  j["identified"] = c.r.identified;
  j["inside_design"] = c.r.inside_design;
  j["information_eigenvalues"] = c.r.information_eigenvalues;
  j["surrogate_points"] = c.r.surrogate_points;
  j["note"] = c.r.note;
  for (const auto& pt : c.r.design)
    j["design"].push_back({{"factors", pt.factors},
                           {"predicted", pt.mean_per_year},
                           {"variance", pt.variance_per_year},
                           {"loglik", num(pt.loglik)}});
  if (!c.cfg.holdout.empty()) {
    for (const auto& y : post.holdout) j["holdout"]["years"].push_back(year_json(y));
    j["holdout"]["total"] = {{"observed", post.holdout_total},
                             {"predicted", post.holdout_total_predicted}};
    j["holdout"]["predictive90"] = {post.holdout_lo90, post.holdout_hi90};
    j["holdout"]["log_score"] = num(post.log_score);
    j["holdout"]["deviance"] = c.r.holdout_deviance;
    j["holdout"]["dof"] = c.cfg.holdout.size();
  }
  if (!c.write.empty()) j["written"] = c.write;
  if (!c.posterior_out.empty()) j["posterior_out"] = c.posterior_out;
  std::cout << j.dump(2) << "\n";
}

namespace {

void print_years(const std::vector<YearPrediction>& years) {
  std::printf("%6s %9s %10s %18s %12s\n", "year", "observed", "predicted", "90% predictive",
              "P(Y <= obs)");
  for (const auto& y : years)
    std::printf("%6d %9g %10.2f %8g - %-8g %12.3f\n", y.year, y.observed, y.predicted, y.lo90,
                y.hi90, y.p_at_most);
}

}  // namespace

void print_calibration_table(const CalibrationReport& c) {
  const CalibrationPosterior& post = c.r.posterior;
  std::printf("%s — calibrated to %s %s (%s)\n", c.ls.baseline().name.c_str(), c.mission.c_str(),
              c.column.c_str(), c.observed.c_str());
  for (const auto& o : c.cfg.outputs)
    std::printf("  and %s against the metric %s\n", o.column.c_str(), o.metric.c_str());
  std::printf("%zu design points x %lld replications, seed %llu (common random numbers)\n\n",
              c.r.design.size(), static_cast<long long>(c.cfg.replications),
              static_cast<unsigned long long>(c.cfg.seed));
  std::printf("%-48s %11s %11s %11s  %-22s %6s %6s\n", "parameter", "as written", "estimate",
              "post median", "90% credible interval", "R-hat", "ESS");
  for (size_t i = 0; i < c.r.parameters.size(); ++i) {
    const auto& p = c.r.parameters[i];
    const auto& s = post.parameters[i];
    if (!post.separable.empty() && !post.separable[i])
      std::printf("%-48s %11.5g %11.5g %11.5g  %-22s %8.3f %6.0f\n", p.path.c_str(), p.written,
                  p.estimate, s.median, "not separable (below)", s.rhat, s.ess);
    else
      std::printf("%-48s %11.5g %11.5g %11.5g  [%.5g, %.5g] %8.3f %6.0f\n", p.path.c_str(),
                  p.written, p.estimate, s.median, s.lo90, s.hi90, s.rhat, s.ess);
  }
  const PosteriorSummary& cv = post.year_cv;
  if (post.year_effect_fitted)
    std::printf("%-48s %11s %11s %11.3f  [%.3f, %.3f] %8.3f %6.0f\n",
                "year effect (coefficient of variation)", "-", "-", cv.median, cv.lo90, cv.hi90,
                cv.rhat, cv.ess);
  else
    std::printf("year effect: coefficient of variation fixed at %g (--year-effect)\n", cv.median);
  std::printf(
      "\nestimate: %s%s\n"
      "posterior: %d chains x %d draws, acceptance %.2f, %s; likelihood: %s\n",
      estimate_method(c.r),
      c.r.root_found ? (" (" + std::to_string(c.r.root_steps) + " simulations)").c_str() : "",
      post.chains, post.draws_per_chain, post.acceptance,
      post.converged ? "converged (every R-hat < 1.01, ESS > 400)"
                     : "NOT CONVERGED: run longer (--draws) before using these numbers",
      c.r.pmf_grid.empty() ? "negative binomial\nwith the simulated mean and variance, plus the "
                             "year effect (docs/calibration.md)"
                           : "the simulated probability mass\nwith the engine's year effect "
                             "(docs/calibration.md)");
  if (!c.r.pmf_grid.empty())
    std::printf(
        "simulated likelihood: %zu x %zu grid points of (factor, year CV), %lld replications "
        "each;\nthe least-hit observed count near the posterior median: %.0f hits (relative "
        "error about %.0f%%)\n",
        c.r.pmf_grid.u.size(), c.r.pmf_grid.cv.size(),
        static_cast<long long>(c.r.pmf_grid.replications), c.r.pmf_min_hits,
        c.r.pmf_min_hits > 0 ? 100 / std::sqrt(c.r.pmf_min_hits) : 100.0);
  std::printf("Poisson-Wald, for comparison: ");
  for (size_t i = 0; i < c.r.parameters.size(); ++i) {
    const auto& p = c.r.parameters[i];
    if (!post.separable.empty() && !post.separable[i])
      std::printf("not separable  ");
    else
      std::printf("se %.3g, 95%% [%.5g, %.5g]  ", p.se, p.ci_lo, p.ci_hi);
  }
  std::printf("\n");
  if (!post.combinations.empty()) {
    std::printf("\ncombinations of log(value / as written), most precise first:\n");
    for (const auto& comb : post.combinations) {
      std::string terms;
      for (size_t i = 0; i < comb.weights.size(); ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%+.2f x%zu", i ? " " : "", comb.weights[i], i + 1);
        terms += buf;
      }
      std::printf("  %-32s median %+.3f, 90%% [%+.3f, %+.3f], sd %.2f (prior %.2f)%s\n",
                  terms.c_str(), comb.median, comb.lo90, comb.hi90, comb.sd, comb.prior_sd,
                  comb.identified ? "" : "  NOT IDENTIFIED");
    }
    std::printf("  (x1, x2, ... : log(value / as written) of the parameters in --fit order)\n");
  }
  if (!post.identification_note.empty())
    std::printf("warning: %s\n", post.identification_note.c_str());
  if (!c.r.note.empty()) std::printf("warning: %s\n", c.r.note.c_str());
  std::printf(
      "\nspread of the fitted years: observed variance %.1f; the model at the posterior median "
      "%.1f\n(%.1f within a year, from incidents; %.1f from the year effect); "
      "P(replicated variance >= observed) = %.2f\n",
      post.observed_variance, post.within_year_variance + post.year_effect_variance,
      post.within_year_variance, post.year_effect_variance, post.spread_p);
  std::printf(
      "\nfit: re-run at the estimate %.2f fatalities a year [%.2f, %.2f] (simulation 95%% CI)\n",
      c.r.predicted_per_year, c.r.predicted_ci_lo, c.r.predicted_ci_hi);
  std::printf("posterior-predictive check of the fitted years:\n");
  print_years(post.fitted);
  if (!c.cfg.holdout.empty()) {
    std::printf("\nout of sample (--holdout-years, not used in the fit):\n");
    print_years(post.holdout);
    const bool inside =
        post.holdout_total >= post.holdout_lo90 && post.holdout_total <= post.holdout_hi90;
    std::printf(
        "total %g observed, %.1f predicted, 90%% predictive interval %g - %g (%s); "
        "log score %.2f\n",
        post.holdout_total, post.holdout_total_predicted, post.holdout_lo90, post.holdout_hi90,
        inside ? "inside" : "OUTSIDE", post.log_score);
  }
  if (!c.write.empty()) {
    std::printf("\nwrote %s\n", c.write.c_str());
    // A catalogue is found relative to the scenario, so the written file needs
    // it beside it too.
    if (c.ls.tree.find("vehicle_catalogue"))
      std::printf("note: its vehicle_catalogue is resolved relative to %s\n", c.write.c_str());
  }
  if (!c.posterior_out.empty())
    std::printf("wrote %zu posterior draws to %s\n", post.draws.size(), c.posterior_out.c_str());
}

int write_calibrated(const std::string& file, const std::string& out, const CalibrationResult& r,
                     const std::string& provenance) {
  std::string text, error;
  if (!read_file(file, text)) {
    std::cerr << "pkrisk calibrate: cannot read " << file << "\n";
    return kExitBadInput;
  }
  const std::string text_out = write_calibrated_text(text, r, provenance, error);
  if (text_out.empty()) {
    std::cerr << "pkrisk calibrate: --write: " << error << "\n";
    return kExitInternal;
  }
  if (int rc = write_or_fail(out, text_out); rc) return rc;
  return kExitOk;
}

}  // namespace pk::cli
