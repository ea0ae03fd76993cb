// The law of a yearly count given its mean and variance (docs/calibration.md,
// "Likelihood"): a negative binomial with that mean and variance when the
// variance exceeds the mean (deaths come in incidents, so simulated counts are
// over-dispersed), a Poisson when it does not.
#pragma once

#include <cmath>
#include <limits>

namespace pk {

struct CountLaw {
  double mean = 0;
  double variance = 0;

  // True when the law is a negative binomial (variance above the mean).
  bool over_dispersed() const { return variance > mean * (1 + 1e-9) && mean > 0; }
  // The negative binomial's size r = mean^2 / (variance - mean).
  double size() const { return mean * mean / (variance - mean); }

  double log_pmf(double k) const {
    if (!(mean > 0)) return k == 0 ? 0.0 : -std::numeric_limits<double>::infinity();
    if (!over_dispersed()) return k * std::log(mean) - mean - std::lgamma(k + 1);
    const double r = size();
    return std::lgamma(k + r) - std::lgamma(r) - std::lgamma(k + 1) + r * std::log(r / (r + mean)) +
           k * std::log(mean / (r + mean));
  }
};

}  // namespace pk
