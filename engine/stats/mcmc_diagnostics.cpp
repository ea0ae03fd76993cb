#include "stats/mcmc_diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pk {

namespace {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double var_of(const std::vector<double>& x, double m) {
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

// Within-chain variance W and the pooled estimate var+ = (N-1)/N W + B/N.
struct Spread {
  double w = 0, var_plus = 0;
};

Spread spread_of(const std::vector<std::vector<double>>& chains) {
  const double n = static_cast<double>(chains.front().size());
  std::vector<double> means;
  double w = 0;
  for (const auto& c : chains) {
    const double m = mean_of(c);
    means.push_back(m);
    w += var_of(c, m);
  }
  w /= static_cast<double>(chains.size());
  const double b = n * var_of(means, mean_of(means));
  return {w, (n - 1) / n * w + b / n};
}

bool usable(const std::vector<std::vector<double>>& chains, size_t min_len) {
  if (chains.empty()) return false;
  for (const auto& c : chains)
    if (c.size() != chains.front().size() || c.size() < min_len) return false;
  return true;
}

// Autocovariance of x at lags 0..max_lag (divided by N, the biased estimate
// that keeps the sequence positive definite).
std::vector<double> autocovariance(const std::vector<double>& x, size_t max_lag) {
  const double m = mean_of(x);
  const size_t n = x.size();
  std::vector<double> out(max_lag + 1, 0.0);
  for (size_t t = 0; t <= max_lag; ++t) {
    double s = 0;
    for (size_t i = 0; i + t < n; ++i) s += (x[i] - m) * (x[i + t] - m);
    out[t] = s / static_cast<double>(n);
  }
  return out;
}

}  // namespace

double split_rhat(const std::vector<std::vector<double>>& chains) {
  if (!usable(chains, 4)) return kNoValue;
  std::vector<std::vector<double>> halves;
  const size_t half = chains.front().size() / 2;
  for (const auto& c : chains) {
    halves.emplace_back(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(half));
    halves.emplace_back(c.end() - static_cast<std::ptrdiff_t>(half), c.end());
  }
  const Spread s = spread_of(halves);
  if (!(s.w > 0)) return kNoValue;
  return std::sqrt(s.var_plus / s.w);
}

double effective_sample_size(const std::vector<std::vector<double>>& chains) {
  if (!usable(chains, 4)) return kNoValue;
  const size_t n = chains.front().size();
  const double m = static_cast<double>(chains.size());
  const Spread s = spread_of(chains);
  if (!(s.var_plus > 0)) return kNoValue;
  // The mean autocovariance across chains, lag by lag (computed directly: the
  // chains here are thousands of draws, not millions).
  const size_t max_lag = std::min<size_t>(n - 1, 2000);
  std::vector<double> acov(max_lag + 1, 0.0);
  for (const auto& c : chains) {
    const std::vector<double> a = autocovariance(c, max_lag);
    for (size_t t = 0; t <= max_lag; ++t) acov[t] += a[t] / m;
  }
  std::vector<double> rho(max_lag + 1);
  for (size_t t = 0; t <= max_lag; ++t) rho[t] = 1.0 - (s.w - acov[t]) / s.var_plus;
  rho[0] = 1.0;
  // Geyer: sums of adjacent pairs P_k = rho_2k + rho_2k+1 while positive,
  // each no larger than the one before.
  double sum_pairs = 0, previous = std::numeric_limits<double>::infinity();
  for (size_t k = 0; 2 * k + 1 <= max_lag; ++k) {
    double pair = rho[2 * k] + rho[2 * k + 1];
    if (!(pair > 0)) break;
    pair = std::min(pair, previous);
    previous = pair;
    sum_pairs += pair;
  }
  // tau = -1 + 2 sum P_k (the pairs start at lag 0, whose rho is 1).
  const double tau = std::max(-1.0 + 2.0 * sum_pairs, 1.0 / std::log10(m * n));
  return m * static_cast<double>(n) / tau;
}

}  // namespace pk
