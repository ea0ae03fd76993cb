// The bootstrap's binomial sampler (stats/binomial.hpp): mean and variance
// against n p and n p (1 - p), for small and large means and p near 0 and 1,
// on each of its paths (inversion, Boost's BTRD, counting failures).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "stats/binomial.hpp"

namespace pk {
namespace {

struct BinomialCase {
  int64_t n;
  double p;
  uint64_t seed;
};

// Sample mean and variance of `draws` draws against the law's. Tolerances of
// 4.5 standard errors (fixed seeds, so a pass is a pass): the mean's is
// sqrt(v / draws); the sample variance's sqrt((mu4 - v^2) / draws), with the
// binomial's fourth central moment mu4 = v (1 + 3 (n - 2) p q).
void expect_binomial_moments(const BinomialCase& k, int draws) {
  Binomial law(k.p);
  std::mt19937_64 rng(k.seed);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < draws; ++i) {
    const int64_t x = law(rng, k.n);
    ASSERT_GE(x, 0);
    ASSERT_LE(x, k.n);
    sum += static_cast<double>(x);
    sum_sq += static_cast<double>(x) * static_cast<double>(x);
  }
  const double nn = static_cast<double>(k.n), q = 1 - k.p, d = draws;
  const double mean = nn * k.p, var = nn * k.p * q;
  const double mu4 = var * (1 + 3 * (nn - 2) * k.p * q);
  const double sample_mean = sum / d;
  const double sample_var = (sum_sq - d * sample_mean * sample_mean) / (d - 1);
  EXPECT_NEAR(sample_mean, mean, 4.5 * std::sqrt(var / d)) << "n " << k.n << " p " << k.p;
  EXPECT_NEAR(sample_var, var, 4.5 * std::sqrt((mu4 - var * var) / d))
      << "n " << k.n << " p " << k.p;
}

TEST(BinomialSampler, MeanAndVarianceMatchTheLaw) {
  const std::vector<BinomialCase> cases = {
      {10, 0.01, 1},       // mean 0.1: inversion, mostly 0
      {1000, 0.003, 2},    // mean 3: inversion
      {40, 0.3, 3},        // mean 12: inversion, the longest searches
      {1000, 0.02, 4},     // mean 20: BTRD
      {100000, 0.4, 5},    // mean 40,000: BTRD (common^n underflows)
      {1000000, 1e-6, 6},  // p near 0, mean 1
      {50, 0.99, 7},       // p near 1: inversion on the failures (mean 0.5)
      {5000, 0.995, 8},    // p near 1: BTRD on the failures (mean 25)
      {2001, 0.5, 9},      // p = q
      {1, 0.7, 10},        // one trial
  };
  for (const auto& k : cases) expect_binomial_moments(k, 200000);
}

TEST(BinomialSampler, EdgeProbabilitiesAndNoTrials) {
  std::mt19937_64 rng(11);
  EXPECT_EQ(Binomial(0.0, 1.0)(rng, 50), 0);
  EXPECT_EQ(Binomial(1.0, 0.0)(rng, 50), 50);
  EXPECT_EQ(Binomial(1.0, 0.0)(rng, 50, 7), 7);
  EXPECT_EQ(Binomial(0.3)(rng, 0), 0);
}

// E min(X, cap), from the binomial probabilities.
double capped_mean(int64_t n, double p, int64_t cap) {
  long double pk = std::pow(1.0L - p, static_cast<long double>(n)), below = 0, mean = 0;
  for (int64_t k = 0; k < cap; ++k) {
    mean += k * pk;
    below += pk;
    pk *= static_cast<long double>(p) / (1 - p) * static_cast<long double>(n - k) / (k + 1);
  }
  return static_cast<double>(mean + cap * (1 - below));
}

TEST(BinomialSampler, CappedDrawIsTheMinimumOfADraw) {
  // Inversion from 0 stops at the cap, whatever the mean: E min(X, cap) and
  // P(X < cap) as the law says, where X's own mean is far above the cap.
  for (const auto& [n, p, cap] : {std::tuple<int64_t, double, int64_t>{400, 0.1, 35},
                                  {400, 0.1, 8},
                                  {2000, 0.3, 5},
                                  {30, 0.2, 3}}) {
    Binomial law(p);
    std::mt19937_64 rng(static_cast<uint64_t>(n + cap));
    const int draws = 200000;
    double sum = 0;
    for (int i = 0; i < draws; ++i) {
      const int64_t x = law(rng, n, cap);
      ASSERT_LE(x, cap);
      sum += static_cast<double>(x);
    }
    const double expected = capped_mean(n, p, cap);
    // sd of min(X, cap) is at most X's.
    const double tolerance = 4.5 * std::sqrt(static_cast<double>(n) * p * (1 - p) / draws) + 1e-12;
    EXPECT_NEAR(sum / draws, expected, tolerance) << n << " " << p << " " << cap;
  }
  // With the same uniform, the capped inversion is the uncapped one's minimum.
  Binomial law(0.05);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 a(seed), b(seed);
    EXPECT_EQ(law(a, 100, 4), std::min<int64_t>(law(b, 100), 4));
    EXPECT_EQ(a(), b());  // one uniform each
  }
}

TEST(BinomialSampler, InversionDrawsArePinned) {
  // Inversion uses nothing but std::mt19937_64's raw words and exp: these are
  // the draws under libstdc++ and libc++ alike (std::binomial_distribution's
  // differ between them).
  std::mt19937_64 rng(2024);
  Binomial rare(0.1), common(0.97, 0.03);
  std::vector<int64_t> got;
  for (int i = 0; i < 12; ++i) got.push_back(rare(rng, 40));
  for (int i = 0; i < 12; ++i) got.push_back(common(rng, 100));
  const std::vector<int64_t> want = {4,  6,  3,  3,  0,  2,  7,  4,  3,  4,  4,  4,
                                     94, 96, 99, 99, 98, 94, 96, 97, 94, 97, 98, 95};
  EXPECT_EQ(got, want);
}

TEST(BinomialSampler, UniformsAreTheTop53BitsOfTheStandardGenerator) {
  // The standard fixes std::mt19937_64's output: the 10000th of a
  // default-constructed one is 9981545732273789042.
  std::mt19937_64 rng;
  rng.discard(9999);
  EXPECT_EQ(rng(), 9981545732273789042ULL);
  std::mt19937_64 a(5), b(5);
  for (int i = 0; i < 1000; ++i) {
    const double u = uniform53(a);
    EXPECT_EQ(u, static_cast<double>(b() >> 11) / 9007199254740992.0);
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace pk
