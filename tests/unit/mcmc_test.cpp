// The posterior machinery of calibration: the count law against its defining
// moments, R-hat and ESS against chains of known behaviour, and Metropolis
// against a density whose moments are known in closed form.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "experiment/mcmc.hpp"
#include "sim/random.hpp"
#include "stats/count_law.hpp"
#include "stats/mcmc_diagnostics.hpp"

namespace pk {
namespace {

using Chains = std::vector<std::vector<double>>;

TEST(CountLaw, SumsToOneWithItsMeanAndVariance) {
  for (const auto& [m, v] : std::vector<std::pair<double, double>>{
           {3.0, 3.0}, {3.0, 7.5}, {21.7, 60.0}, {21.7, 250.0}, {0.4, 2.0}}) {
    const CountLaw law{m, v};
    double total = 0, mean = 0, second = 0;
    for (int k = 0; k < 20000; ++k) {
      const double p = std::exp(law.log_pmf(k));
      total += p;
      mean += k * p;
      second += static_cast<double>(k) * k * p;
    }
    EXPECT_NEAR(total, 1.0, 1e-9) << m << " " << v;
    EXPECT_NEAR(mean, m, 1e-7 * m) << m << " " << v;
    EXPECT_NEAR(second - mean * mean, v, 1e-6 * v) << m << " " << v;
  }
  // Not over-dispersed: a Poisson, whatever the variance says.
  const CountLaw under{4.0, 2.0};
  EXPECT_FALSE(under.over_dispersed());
  EXPECT_NEAR(under.log_pmf(2), 2 * std::log(4.0) - 4.0 - std::log(2.0), 1e-12);
  const CountLaw none{0, 0};
  EXPECT_EQ(none.log_pmf(0), 0.0);
  EXPECT_EQ(none.log_pmf(1), -std::numeric_limits<double>::infinity());
}

// M chains of N draws of an AR(1) series x_t = phi x_{t-1} + e_t, shifted by
// `offsets` per chain.
Chains ar1_chains(int m, int n, double phi, uint64_t seed, std::vector<double> offsets = {}) {
  Chains out;
  for (int c = 0; c < m; ++c) {
    sim::Stream s(sim::ReplicationKey::make(seed, static_cast<uint64_t>(c)),
                  sim::StreamId{1, 0, 0, 0});
    boost::random::normal_distribution<double> normal;
    std::vector<double> x;
    double v = normal(s) / std::sqrt(1 - phi * phi);  // stationary from the start
    for (int t = 0; t < n; ++t) {
      v = phi * v + normal(s);
      x.push_back(v + (offsets.empty() ? 0.0 : offsets[static_cast<size_t>(c)]));
    }
    out.push_back(x);
  }
  return out;
}

TEST(McmcDiagnostics, RhatIsOneForAgreeingChainsAndAboveForDisagreeingOnes) {
  EXPECT_LT(split_rhat(ar1_chains(4, 4000, 0.0, 11)), 1.01);
  EXPECT_LT(split_rhat(ar1_chains(4, 4000, 0.5, 12)), 1.01);
  // One chain two standard deviations away: of the 8 half-chains, 2 have
  // mean 2 and 6 mean 0, whose sample variance is 4 x 1.5 / 7, so
  // R-hat -> sqrt(1 + 6/7) = 1.363 (W = 1, N large).
  EXPECT_NEAR(split_rhat(ar1_chains(4, 4000, 0.0, 13, {0, 0, 0, 2.0})), std::sqrt(1 + 6.0 / 7),
              0.03);
  EXPECT_TRUE(std::isnan(split_rhat({{1, 2}})));
}

TEST(McmcDiagnostics, EssMatchesTheAutocorrelationTimeOfAnAr1Series) {
  // Independent draws: ESS = M N; AR(1): M N (1 - phi) / (1 + phi). The
  // estimate's own error is a few percent at these lengths (each checked to 15%).
  const double mn = 4 * 5000;
  EXPECT_NEAR(effective_sample_size(ar1_chains(4, 5000, 0.0, 21)) / mn, 1.0, 0.15);
  for (double phi : {0.5, 0.9}) {
    const double truth = mn * (1 - phi) / (1 + phi);
    EXPECT_NEAR(effective_sample_size(ar1_chains(4, 5000, phi, 22)) / truth, 1.0, 0.15) << phi;
  }
}

TEST(Metropolis, DrawsACorrelatedNormalWithItsMomentsAndIsDeterministic) {
  // N((1, -2), [[1, 0.8], [0.8, 1]]) in a box far wider than its mass.
  const double rho = 0.8;
  const auto log_density = [&](const std::vector<double>& x) {
    const double a = x[0] - 1, b = x[1] + 2;
    return -(a * a - 2 * rho * a * b + b * b) / (2 * (1 - rho * rho));
  };
  McmcConfig cfg;
  cfg.seed = 5;
  const McmcResult r = metropolis(log_density, {-10, -10}, {10, 10}, {0, 0}, cfg);
  ASSERT_EQ(r.chains.size(), 4u);
  ASSERT_EQ(r.chains[0].size(), 5000u);
  EXPECT_TRUE(r.converged);
  EXPECT_GT(r.acceptance, 0.15);
  EXPECT_LT(r.acceptance, 0.6);
  double m0 = 0, m1 = 0, n = 0;
  for (const auto& c : r.chains)
    for (const auto& x : c) m0 += x[0], m1 += x[1], n += 1;
  m0 /= n;
  m1 /= n;
  double v0 = 0, v1 = 0, c01 = 0;
  for (const auto& c : r.chains)
    for (const auto& x : c) {
      v0 += (x[0] - m0) * (x[0] - m0) / n;
      v1 += (x[1] - m1) * (x[1] - m1) / n;
      c01 += (x[0] - m0) * (x[1] - m1) / n;
    }
  // Means within 4 Monte Carlo standard errors (sd 1 over the ESS).
  EXPECT_NEAR(m0, 1.0, 4 / std::sqrt(r.ess[0]));
  EXPECT_NEAR(m1, -2.0, 4 / std::sqrt(r.ess[1]));
  // Variances and the correlation: their Monte Carlo error is about
  // sqrt(2 / ESS) relative; 5 of those.
  const double rel = 5 * std::sqrt(2 / std::min(r.ess[0], r.ess[1]));
  EXPECT_NEAR(v0, 1.0, rel);
  EXPECT_NEAR(v1, 1.0, rel);
  EXPECT_NEAR(c01 / std::sqrt(v0 * v1), rho, rel);
  // The same seed gives the same draws.
  const McmcResult again = metropolis(log_density, {-10, -10}, {10, 10}, {0, 0}, cfg);
  EXPECT_EQ(again.chains[3][4999], r.chains[3][4999]);
}

TEST(Metropolis, StaysInsideItsBoxAndFindsATruncatedUniform) {
  // A flat density on [0, 1]: the mean 1/2 and P(x < 0.1) = 0.1.
  McmcConfig cfg;
  cfg.seed = 9;
  const McmcResult r =
      metropolis([](const std::vector<double>&) { return 0.0; }, {0}, {1}, {0.5}, cfg);
  double mean = 0, low = 0, n = 0;
  for (const auto& c : r.chains)
    for (const auto& x : c) {
      ASSERT_GE(x[0], 0.0);
      ASSERT_LE(x[0], 1.0);
      mean += x[0], low += x[0] < 0.1 ? 1 : 0, n += 1;
    }
  const double se = std::sqrt(1.0 / 12 / r.ess[0]);
  EXPECT_NEAR(mean / n, 0.5, 4 * se);
  EXPECT_NEAR(low / n, 0.1, 4 * std::sqrt(0.09 / r.ess[0]));
}

}  // namespace
}  // namespace pk
