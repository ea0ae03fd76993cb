// Probability distributions of uncertain model inputs, for probabilistic
// sensitivity analysis: each input is drawn by (quasi-)Monte Carlo through its
// inverse CDF, so quantile() is the sampler and must be exact and total.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pk {

enum class DistributionType {
  kNormal,
  kLognormal,
  kGamma,
  kBeta,
  kUniform,
  kTriangular,
  kDiscrete
};

// "normal", "lognormal", "gamma", "beta", "uniform", "triangular", "discrete"
// (exactly, lower case); nullopt for any other name.
std::optional<DistributionType> distribution_type(const std::string& name);
const char* distribution_name(DistributionType t);
// Every name, in the order of DistributionType (for error messages).
const std::vector<std::string>& distribution_names();

// A distribution by its native parameters. make_distribution, make_discrete
// and distribution_from_moments check them; the members never throw, and give
// NaN for parameters those would have refused (a hand-built Distribution).
struct Distribution {
  DistributionType type = DistributionType::kNormal;
  // Native parameters: normal {mean, sd}; lognormal {meanlog, sdlog} (of the log);
  // gamma {shape, scale}; beta {alpha, beta}; uniform {min, max};
  // triangular {min, mode, max}; empty for discrete.
  std::vector<double> params;
  // Discrete only: distinct values in increasing order, and their weights
  // (each > 0, normalised to sum 1).
  std::vector<double> values, weights;

  // Inverse CDF. u is first clamped into [1e-15, 1 - 1e-15], so that a
  // quasi-random point at 0 or 1 still gives a finite draw; NaN for a NaN u.
  // Discrete: the smallest value whose cumulative weight is >= u.
  double quantile(double u) const;
  // P(X <= x).
  double cdf(double x) const;
  double mean() const;
  double sd() const;
  // Support bounds (may be -inf or +inf).
  double lower() const;
  double upper() const;
};

// From native parameters (in the order above). Empty string on success, else a
// one-sentence message naming the distribution and the offending parameter;
// `out` is written only on success.
std::string make_distribution(DistributionType t, const std::vector<double>& params,
                              Distribution& out);
// Values in any order; equal values are merged (their weights added) and
// values of weight 0 dropped. Weights need not sum to 1.
std::string make_discrete(const std::vector<double>& values, const std::vector<double>& weights,
                          Distribution& out);
// From a mean and a standard deviation (sd > 0), by the method of moments in
// closed form, so that mean() and sd() give them back:
//   normal: {mean, sd};
//   lognormal (mean > 0): sdlog^2 = ln(1 + sd^2/mean^2), meanlog = ln(mean) - sdlog^2/2;
//   gamma (mean > 0): shape = mean^2/sd^2, scale = sd^2/mean;
//   beta (0 < mean < 1, sd^2 < mean (1 - mean)): with c = mean (1 - mean)/sd^2 - 1,
//     alpha = mean c, beta = (1 - mean) c;
//   uniform: min = mean - sqrt(3) sd, max = mean + sqrt(3) sd.
// Triangular (three parameters) and discrete (a list) are refused: give their
// native parameters. `out` is written only on success.
std::string distribution_from_moments(DistributionType t, double mean, double sd,
                                      Distribution& out);

// The standard normal CDF and its inverse (for a Gaussian copula). The
// quantile clamps u as Distribution::quantile does, so that it is finite.
double standard_normal_cdf(double z);
double standard_normal_quantile(double u);

}  // namespace pk
