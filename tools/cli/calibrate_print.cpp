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

}  // namespace

void print_calibration_json(const CalibrationReport& c) {
  nlohmann::json j;
  j["scenario"] = {{"file", c.ls.file}, {"sha256", c.ls.sha256}};
  j["observed"] = {{"file", c.observed}, {"mission", c.mission}, {"column", c.column}};
  j["seed"] = c.cfg.seed;
  j["replications_per_point"] = c.cfg.replications;
  j["version"] = kVersion;
  j["uncertainty"] = "Wald, from the curvature of a quadratic surrogate of the log-likelihood";
  for (const auto& p : c.r.parameters)
    j["parameters"].push_back({{"path", p.path},
                               {"written", p.written},
                               {"estimate", p.estimate},
                               {"se", num(p.se)},
                               {"se_log", num(p.se_log)},
                               {"ci95", {num(p.ci_lo), num(p.ci_hi)}}});
  for (const auto& y : c.r.observed)
    j["fit"].push_back(
        {{"year", y.year}, {"observed", y.count}, {"predicted", c.r.predicted_per_year}});
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
    j["design"].push_back(
        {{"factors", pt.factors}, {"predicted", pt.mean_per_year}, {"loglik", num(pt.loglik)}});
  if (c.holdout) {
    for (const auto& y : c.holdout->observed)
      j["holdout"]["years"].push_back(
          {{"year", y.year}, {"observed", y.count}, {"predicted", c.r.predicted_per_year}});
    j["holdout"]["deviance"] = c.holdout->deviance;
    j["holdout"]["dof"] = c.holdout->observed.size();
  }
  if (!c.write.empty()) j["written"] = c.write;
  std::cout << j.dump(2) << "\n";
}

void print_calibration_table(const CalibrationReport& c) {
  std::printf("%s — calibrated to %s %s (%s)\n", c.ls.baseline().name.c_str(), c.mission.c_str(),
              c.column.c_str(), c.observed.c_str());
  std::printf("%zu design points x %lld replications, seed %llu (common random numbers)\n\n",
              c.r.design.size(), static_cast<long long>(c.cfg.replications),
              static_cast<unsigned long long>(c.cfg.seed));
  std::printf("%-52s %12s %12s %12s  %s\n", "parameter", "as written", "estimate", "std error",
              "95% interval (Wald, log scale)");
  for (const auto& p : c.r.parameters) {
    std::printf("%-52s %12.6g %12.6g %12.3g  [%.6g, %.6g]\n", p.path.c_str(), p.written, p.estimate,
                p.se, p.ci_lo, p.ci_hi);
  }
  std::printf(
      "\nuncertainty: standard errors from the inverse of minus the Hessian of a quadratic\n"
      "surrogate of the Poisson log-likelihood in log(parameter), fitted on %d points\n",
      c.r.surrogate_points);
  if (!c.r.note.empty()) std::printf("warning: %s\n", c.r.note.c_str());
  std::printf("\nfit: predicted %.2f fatalities a year [%.2f, %.2f] (simulation 95%% CI)\n",
              c.r.predicted_per_year, c.r.predicted_ci_lo, c.r.predicted_ci_hi);
  std::printf("%6s %10s %10s\n", "year", "observed", "predicted");
  for (const auto& y : c.r.observed)
    std::printf("%6d %10g %10.2f\n", y.year, y.count, c.r.predicted_per_year);
  std::printf("Poisson deviance %.2f on %d degrees of freedom\n", c.r.deviance, c.r.dof);
  if (c.holdout) {
    std::printf("\nout of sample (--holdout-years, not used in the fit):\n");
    std::printf("%6s %10s %10s\n", "year", "observed", "predicted");
    double total = 0;
    for (const auto& y : c.holdout->observed) {
      std::printf("%6d %10g %10.2f\n", y.year, y.count, c.r.predicted_per_year);
      total += y.count;
    }
    std::printf("total %g observed, %.1f predicted; Poisson deviance %.2f on %zu years\n", total,
                c.r.predicted_per_year * static_cast<double>(c.holdout->observed.size()),
                c.holdout->deviance, c.holdout->observed.size());
  }
  if (!c.write.empty()) {
    std::printf("\nwrote %s\n", c.write.c_str());
    // A catalogue is found relative to the scenario, so the written file needs
    // it beside it too.
    if (c.ls.tree.find("vehicle_catalogue"))
      std::printf("note: its vehicle_catalogue is resolved relative to %s\n", c.write.c_str());
  }
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
