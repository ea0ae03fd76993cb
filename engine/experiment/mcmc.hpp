// Random-walk Metropolis in a box, several chains from dispersed starts, with
// the proposal adapted during warm-up (Haario et al. 2001: the warm-up's own
// covariance scaled by 2.38^2 / d). Used for the posterior of calibrated
// parameters (docs/calibration.md, "Posterior").
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace pk {

struct McmcConfig {
  int chains = 4;
  int warmup = 2000;  // per chain, discarded; the proposal adapts during it
  int draws = 5000;   // per chain, kept
  uint64_t seed = 1;
};

struct McmcResult {
  // chains[c][k] is the k-th kept draw of chain c (a point of the box).
  std::vector<std::vector<std::vector<double>>> chains;
  double acceptance = 0;     // share of proposals accepted after warm-up
  std::vector<double> rhat;  // per coordinate (stats/mcmc_diagnostics.hpp)
  std::vector<double> ess;   // per coordinate
  bool converged = false;    // every R-hat below 1.01 and every ESS above 400
};

// Samples the density exp(log_density(x)) on the box [lo, hi] (the prior is
// the density's business; outside the box it is 0). Each chain starts at a
// uniform point of the box where the density is positive (up to 1000 tries,
// then `fallback`). Deterministic in cfg.seed.
McmcResult metropolis(const std::function<double(const std::vector<double>&)>& log_density,
                      const std::vector<double>& lo, const std::vector<double>& hi,
                      const std::vector<double>& fallback, const McmcConfig& cfg);

// One coordinate of every chain, for the diagnostics.
std::vector<std::vector<double>> coordinate(const McmcResult& r, size_t i);

}  // namespace pk
