// Input distributions for probabilistic sensitivity analysis
// (stats/distribution.hpp): conversion from a mean and sd, quantiles against
// closed forms, quantile/cdf round trips, the mean of the quantile over a fine
// grid against mean(), and a message for every refusal.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "stats/distribution.hpp"

namespace pk {
namespace {

using T = DistributionType;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kZ975 = 1.959963984540054;  // standard normal 0.975 quantile

Distribution native(T t, const std::vector<double>& p) {
  Distribution d;
  const std::string error = make_distribution(t, p, d);
  EXPECT_EQ(error, "") << distribution_name(t);
  return d;
}

Distribution from_moments(T t, double mean, double sd) {
  Distribution d;
  const std::string error = distribution_from_moments(t, mean, sd, d);
  EXPECT_EQ(error, "") << distribution_name(t) << " mean " << mean << " sd " << sd;
  return d;
}

Distribution discrete(const std::vector<double>& values, const std::vector<double>& weights) {
  Distribution d;
  EXPECT_EQ(make_discrete(values, weights, d), "");
  return d;
}

std::string label(const Distribution& d) {
  std::string s = distribution_name(d.type);
  for (double p : d.params) {
    s += ' ';  // not " " + ...: GCC 12 warns (-Wrestrict, a false positive) on that at -O3
    s += std::to_string(p);
  }
  return s;
}

// One of each type, in the body and at awkward shapes (a mode at an end,
// shapes below 1 with an infinite density at 0).
std::vector<Distribution> sample_distributions() {
  return {
      native(T::kNormal, {10, 2}),
      native(T::kLognormal, {0.5, 0.8}),
      native(T::kGamma, {2.5, 1.5}),
      native(T::kGamma, {0.4, 2}),
      native(T::kBeta, {2, 5}),
      native(T::kBeta, {0.5, 0.5}),
      native(T::kUniform, {-1, 3}),
      native(T::kTriangular, {0, 1, 4}),
      native(T::kTriangular, {0, 0, 1}),
      native(T::kTriangular, {-2, 1, 1}),
      discrete({1, 3, 5, 10}, {0.1, 0.4, 0.3, 0.2}),
  };
}

void expect_contains(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos)
      << "\"" << message << "\" lacks \"" << part << "\"";
}

TEST(DistributionNames, EveryNameRoundTripsAndOthersAreUnknown) {
  const auto& names = distribution_names();
  ASSERT_EQ(names.size(), 7u);
  for (const auto& name : names) {
    const auto t = distribution_type(name);
    ASSERT_TRUE(t) << name;
    EXPECT_EQ(distribution_name(*t), name);
  }
  EXPECT_EQ(distribution_type("lognormal"), T::kLognormal);
  EXPECT_EQ(distribution_type("triangular"), T::kTriangular);
  EXPECT_FALSE(distribution_type("weibull"));
  EXPECT_FALSE(distribution_type("Normal"));
  EXPECT_FALSE(distribution_type(""));
}

// (a) Every type but triangular and discrete from a mean and an sd: mean() and
// sd() give them back to 1e-12 relative, over small, large and skewed cases.
TEST(DistributionMoments, FromMomentsGivesBackTheMeanAndSd) {
  struct Case {
    T type;
    double mean, sd;
  };
  const std::vector<Case> cases = {
      {T::kNormal, 10, 2},      {T::kNormal, -3, 0.01},      {T::kNormal, 0, 1e6},
      {T::kLognormal, 3, 1.5},  {T::kLognormal, 1e-3, 5e-3}, {T::kLognormal, 200, 1},
      {T::kLognormal, 1, 1e-4}, {T::kGamma, 2, 1},           {T::kGamma, 0.5, 3},
      {T::kGamma, 1e4, 10},     {T::kBeta, 0.3, 0.1},        {T::kBeta, 0.5, 0.2886},
      {T::kBeta, 0.01, 0.0994}, {T::kBeta, 0.9, 1e-4},       {T::kUniform, 0, 1},
      {T::kUniform, -5, 2},     {T::kUniform, 1e3, 0.5},
  };
  for (const auto& k : cases) {
    const Distribution d = from_moments(k.type, k.mean, k.sd);
    EXPECT_EQ(d.type, k.type);
    EXPECT_NEAR(d.mean(), k.mean, 1e-12 * std::fabs(k.mean))
        << distribution_name(k.type) << " mean " << k.mean << " sd " << k.sd;
    EXPECT_NEAR(d.sd(), k.sd, 1e-12 * k.sd)
        << distribution_name(k.type) << " mean " << k.mean << " sd " << k.sd;
  }
}

// The native parameters of the conversion, worked by hand.
TEST(DistributionMoments, FromMomentsGivesTheNativeParameters) {
  // Gamma: shape 2²/1² = 4, scale 1²/2 = 0.5.
  Distribution d = from_moments(T::kGamma, 2, 1);
  ASSERT_EQ(d.params.size(), 2u);
  EXPECT_NEAR(d.params[0], 4, 1e-14);
  EXPECT_NEAR(d.params[1], 0.5, 1e-15);
  // Lognormal: mean 1, sd² = e - 1 -> sdlog² = ln(e) = 1, meanlog = 0 - 1/2.
  d = from_moments(T::kLognormal, 1, std::sqrt(std::exp(1.0) - 1));
  ASSERT_EQ(d.params.size(), 2u);
  EXPECT_NEAR(d.params[0], -0.5, 1e-14);
  EXPECT_NEAR(d.params[1], 1, 1e-14);
  // Beta: mean 1/2, sd² = 1/12 (the uniform) -> common = 3 - 1 = 2, alpha = beta = 1.
  d = from_moments(T::kBeta, 0.5, std::sqrt(1.0 / 12));
  ASSERT_EQ(d.params.size(), 2u);
  EXPECT_NEAR(d.params[0], 1, 1e-14);
  EXPECT_NEAR(d.params[1], 1, 1e-14);
  // Uniform: mean 0, sd 1 -> [-sqrt 3, sqrt 3].
  d = from_moments(T::kUniform, 0, 1);
  ASSERT_EQ(d.params.size(), 2u);
  EXPECT_NEAR(d.params[0], -std::sqrt(3.0), 1e-15);
  EXPECT_NEAR(d.params[1], std::sqrt(3.0), 1e-15);
  d = from_moments(T::kNormal, 7, 3);
  EXPECT_EQ(d.params, (std::vector<double>{7, 3}));
}

// mean(), sd() and the support from native parameters, against the textbook formulas.
TEST(DistributionMoments, MomentsAndSupportOfNativeParameters) {
  const double e = std::exp(1.0);
  Distribution d = native(T::kLognormal, {0, 1});  // mean e^(1/2), var (e - 1) e
  EXPECT_NEAR(d.mean(), std::sqrt(e), 1e-15);
  EXPECT_NEAR(d.sd(), std::sqrt((e - 1) * e), 1e-14);
  EXPECT_EQ(d.lower(), 0);
  EXPECT_EQ(d.upper(), kInf);
  d = native(T::kGamma, {1, 2});  // the exponential of mean 2: sd 2
  EXPECT_NEAR(d.mean(), 2, 1e-15);
  EXPECT_NEAR(d.sd(), 2, 1e-15);
  d = native(T::kBeta, {2, 3});  // mean 2/5, var 6 / (25 * 6) = 0.04
  EXPECT_NEAR(d.mean(), 0.4, 1e-15);
  EXPECT_NEAR(d.sd(), 0.2, 1e-15);
  EXPECT_EQ(d.lower(), 0);
  EXPECT_EQ(d.upper(), 1);
  d = native(T::kUniform, {2, 8});  // mean 5, sd 6 / sqrt 12 = sqrt 3
  EXPECT_NEAR(d.mean(), 5, 1e-15);
  EXPECT_NEAR(d.sd(), std::sqrt(3.0), 1e-15);
  EXPECT_EQ(d.lower(), 2);
  EXPECT_EQ(d.upper(), 8);
  d = native(T::kTriangular, {0, 1, 4});  // mean 5/3, var (0 + 1 + 16 - 0 - 0 - 4) / 18
  EXPECT_NEAR(d.mean(), 5.0 / 3, 1e-15);
  EXPECT_NEAR(d.sd(), std::sqrt(13.0 / 18), 1e-15);
  EXPECT_EQ(d.lower(), 0);
  EXPECT_EQ(d.upper(), 4);
  d = native(T::kTriangular, {1e9, 1e9 + 1, 1e9 + 4});  // shifted: the same sd
  EXPECT_NEAR(d.sd(), std::sqrt(13.0 / 18), 1e-12);
  d = native(T::kNormal, {-1, 3});
  EXPECT_EQ(d.mean(), -1);
  EXPECT_EQ(d.sd(), 3);
  EXPECT_EQ(d.lower(), -kInf);
  EXPECT_EQ(d.upper(), kInf);
  d = discrete({3, 1, 2}, {1, 1, 2});  // 1, 2, 3 with 1/4, 1/2, 1/4: mean 2, var 1/2
  EXPECT_NEAR(d.mean(), 2, 1e-15);
  EXPECT_NEAR(d.sd(), std::sqrt(0.5), 1e-15);
  EXPECT_EQ(d.lower(), 1);
  EXPECT_EQ(d.upper(), 3);
}

// (b) quantile(cdf(x)) == x at x from quantiles in [0.001, 0.999] and on an
// even grid across that range, and cdf(quantile(u)) == u. Tolerances: Boost's
// cdf and quantile are each good to a few tens of ulps, and an error du in u
// moves the quantile by du Q'(u) <= du (|x| + sd) / min(u, 1 - u) for these
// laws within [0.001, 0.999]; 1e-12 (|x| + sd) leaves a wide margin yet
// catches any inconsistency between the two.
TEST(DistributionRoundTrip, QuantileOfCdfGivesBackX) {
  const std::vector<double> us = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999};
  for (const auto& d : sample_distributions()) {
    if (d.type == T::kDiscrete) continue;
    SCOPED_TRACE(label(d));
    std::vector<double> xs;
    for (double u : us) {
      const double x = d.quantile(u);
      EXPECT_NEAR(d.cdf(x), u, 1e-12) << "u " << u;
      xs.push_back(x);
    }
    const double lo = xs.front(), hi = xs.back();
    for (int k = 0; k <= 20; ++k) xs.push_back(lo + (hi - lo) * k / 20);
    for (double x : xs) {
      const double u = d.cdf(x);
      ASSERT_GT(u, 0) << "x " << x;
      ASSERT_LT(u, 1) << "x " << x;
      EXPECT_NEAR(d.quantile(u), x, 1e-12 * (std::fabs(x) + d.sd())) << "x " << x;
    }
  }
}

// Discrete: exactly each value back, and between two values the lower one.
TEST(DistributionRoundTrip, DiscreteQuantileOfCdfIsTheValueAtOrBelow) {
  const Distribution d = discrete({1, 3, 5, 10}, {0.1, 0.4, 0.3, 0.2});
  for (double v : {1.0, 3.0, 5.0, 10.0}) EXPECT_EQ(d.quantile(d.cdf(v)), v);
  EXPECT_EQ(d.quantile(d.cdf(2.5)), 1);
  EXPECT_EQ(d.quantile(d.cdf(4.999)), 3);
  EXPECT_EQ(d.quantile(d.cdf(9)), 5);
  EXPECT_EQ(d.quantile(d.cdf(1e6)), 10);
}

// (c) Quantiles and cdfs against closed forms.
TEST(DistributionQuantiles, NormalAndLognormal) {
  const Distribution z = native(T::kNormal, {0, 1});
  EXPECT_NEAR(z.quantile(0.975), kZ975, 4e-15);
  EXPECT_NEAR(z.quantile(0.025), -kZ975, 4e-15);
  EXPECT_EQ(z.quantile(0.5), 0);
  EXPECT_NEAR(z.cdf(kZ975), 0.975, 1e-15);
  EXPECT_EQ(z.cdf(0), 0.5);
  EXPECT_NEAR(standard_normal_quantile(0.975), kZ975, 4e-15);
  EXPECT_NEAR(standard_normal_cdf(-kZ975), 0.025, 1e-16);
  EXPECT_EQ(standard_normal_cdf(0), 0.5);
  const Distribution n = native(T::kNormal, {10, 2});
  EXPECT_NEAR(n.quantile(0.975), 10 + 2 * kZ975, 1e-14);
  EXPECT_NEAR(n.cdf(10 - 2 * kZ975), 0.025, 1e-15);
  // Lognormal: exp of the normal's quantile.
  const Distribution ln = native(T::kLognormal, {1, 0.5});
  EXPECT_NEAR(ln.quantile(0.975), std::exp(1 + 0.5 * kZ975), 1e-14 * std::exp(1 + 0.5 * kZ975));
  EXPECT_NEAR(ln.quantile(0.5), std::exp(1.0), 1e-15 * std::exp(1.0));
  EXPECT_NEAR(ln.cdf(std::exp(1 - 0.5 * kZ975)), 0.025, 1e-15);
  EXPECT_EQ(ln.cdf(0), 0);
  EXPECT_EQ(ln.cdf(-1), 0);
}

TEST(DistributionQuantiles, UniformAndTriangular) {
  const Distribution uni = native(T::kUniform, {2, 7});
  for (double u : {0.001, 0.2, 0.5, 0.77, 0.999}) {
    EXPECT_NEAR(uni.quantile(u), 2 + 5 * u, 1e-14) << u;
    EXPECT_NEAR(uni.cdf(2 + 5 * u), u, 1e-15) << u;
  }
  EXPECT_EQ(uni.cdf(1), 0);
  EXPECT_EQ(uni.cdf(8), 1);
  // Triangular (a, c, b): below F(c) = (c - a)/(b - a), a + sqrt(u (b - a)(c - a));
  // above, b - sqrt((1 - u)(b - a)(b - c)).
  const double a = 1, c = 2, b = 5;
  const Distribution tri = native(T::kTriangular, {a, c, b});
  const double fc = (c - a) / (b - a);
  for (double u : {0.001, 0.1, fc, 0.3, 0.5, 0.9, 0.999}) {
    const double x =
        u < fc ? a + std::sqrt(u * (b - a) * (c - a)) : b - std::sqrt((1 - u) * (b - a) * (b - c));
    EXPECT_NEAR(tri.quantile(u), x, 1e-14 * b) << u;
  }
  for (double x : {1.5, 2.0, 3.0, 4.9}) {
    const double f = x <= c ? (x - a) * (x - a) / ((b - a) * (c - a))
                            : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
    EXPECT_NEAR(tri.cdf(x), f, 1e-15) << x;
  }
}

TEST(DistributionQuantiles, GammaAndBeta) {
  // Exponential: gamma of shape 1 and scale 3, Q(u) = -3 ln(1 - u).
  const Distribution ex = native(T::kGamma, {1, 3});
  for (double u : {1e-6, 0.01, 0.5, 0.9, 0.999999}) {
    const double x = -3 * std::log1p(-u);
    EXPECT_NEAR(ex.quantile(u), x, 1e-13 * x) << u;
    EXPECT_NEAR(ex.cdf(x), u, 1e-15) << u;
  }
  // Shape 2 tells scale from rate and shape: F(x) = 1 - e^(-x/s) (1 + x/s).
  const Distribution g2 = native(T::kGamma, {2, 0.5});
  for (double x : {0.1, 1.0, 3.0}) {
    EXPECT_NEAR(g2.cdf(x), 1 - std::exp(-x / 0.5) * (1 + x / 0.5), 1e-15) << x;
  }
  EXPECT_EQ(g2.cdf(-1), 0);
  // Beta(1, 1) is the uniform; beta(2, 1) has F = x², Q = sqrt u; beta(1, 2) Q = 1 - sqrt(1 - u).
  const Distribution b11 = native(T::kBeta, {1, 1}), b21 = native(T::kBeta, {2, 1});
  const Distribution b12 = native(T::kBeta, {1, 2});
  for (double u : {0.001, 0.1, 0.25, 0.5, 0.8, 0.999}) {
    EXPECT_NEAR(b11.quantile(u), u, 1e-15) << u;
    EXPECT_NEAR(b21.quantile(u), std::sqrt(u), 1e-15) << u;
    EXPECT_NEAR(b12.quantile(u), 1 - std::sqrt(1 - u), 1e-15) << u;
    EXPECT_NEAR(b21.cdf(u), u * u, 1e-15) << u;
  }
  EXPECT_EQ(b21.cdf(-0.5), 0);
  EXPECT_EQ(b21.cdf(1.5), 1);
}

// Discrete: values sorted, weights normalised; the quantile steps up just
// after each cumulative weight (1/2, 3/4: exact in binary).
TEST(DistributionQuantiles, DiscreteStepsAtTheCumulativeWeights) {
  const Distribution d = discrete({5, 1, 3}, {1, 2, 1});
  EXPECT_EQ(d.values, (std::vector<double>{1, 3, 5}));
  EXPECT_EQ(d.weights, (std::vector<double>{0.5, 0.25, 0.25}));
  EXPECT_EQ(d.quantile(1e-9), 1);
  EXPECT_EQ(d.quantile(0.5), 1);
  EXPECT_EQ(d.quantile(std::nextafter(0.5, 1.0)), 3);
  EXPECT_EQ(d.quantile(0.75), 3);
  EXPECT_EQ(d.quantile(std::nextafter(0.75, 1.0)), 5);
  EXPECT_EQ(d.quantile(1), 5);
  EXPECT_EQ(d.cdf(0.99), 0);
  EXPECT_EQ(d.cdf(1), 0.5);
  EXPECT_EQ(d.cdf(4), 0.75);
  EXPECT_EQ(d.cdf(5), 1);
  // Equal values merge; a value of weight 0 is never drawn and is not in the support.
  const Distribution merged = discrete({2, 7, 2}, {1, 2, 1});
  EXPECT_EQ(merged.values, (std::vector<double>{2, 7}));
  EXPECT_EQ(merged.weights, (std::vector<double>{0.5, 0.5}));
  const Distribution dropped = discrete({1, 9, 4}, {1, 0, 3});
  EXPECT_EQ(dropped.values, (std::vector<double>{1, 4}));
  EXPECT_EQ(dropped.upper(), 4);
  EXPECT_EQ(dropped.quantile(1), 4);
  // Huge weights do not overflow the normalisation.
  const Distribution huge = discrete({0, 1}, {1e308, 1e308});
  EXPECT_EQ(huge.weights, (std::vector<double>{0.5, 0.5}));
}

// ∫ of the quantile over the end cells [0, h] and [1 - h, 1]: E[X; X <= Q(h)]
// and E[X; X > Q(1 - h)], in closed form, for the unbounded types.
std::pair<double, double> end_cell_integrals(const Distribution& d, double h) {
  const boost::math::normal z01;
  const double zh = boost::math::quantile(z01, h);  // and z_(1-h) = -zh
  const double m = d.params[0], s = d.params[1];
  switch (d.type) {
    case T::kNormal: {
      const double phi = boost::math::pdf(z01, zh);
      return {m * h - s * phi, m * h + s * phi};
    }
    case T::kLognormal: {
      // E[e^(m + sZ); Z <= zh] = e^(m + s²/2) Φ(zh - s); above -zh: e^(m + s²/2) Φ(zh + s).
      const double mean = std::exp(m + s * s / 2);
      return {mean * boost::math::cdf(z01, zh - s), mean * boost::math::cdf(z01, zh + s)};
    }
    case T::kGamma:
      // E[X; X <= q] = k s P(k + 1, q/s).
      return {m * s * boost::math::gamma_p(m + 1, d.quantile(h) / s),
              m * s * boost::math::gamma_q(m + 1, d.quantile(1 - h) / s)};
    default:
      return {kNaN, kNaN};
  }
}

// (d) The mean of the quantile over the midpoint grid u_i = (i + 1/2)/N,
// N = 200,000, against mean(). Tolerance: Q is nondecreasing, so over a cell
// [l, r] both ∫ Q and h Q(midpoint) lie in [h Q(l), h Q(r)] (h = 1/N) and
// differ by at most h (Q(r) - Q(l)); summed over cells this telescopes to
// h (upper - lower) for a bounded support. For an unbounded one the interior
// cells give h (Q(1 - h) - Q(h)), and the two end cells' errors are computed
// exactly from the closed-form tail integrals above. Plus 1e-13 (|mean| + sd)
// for the rounding of the quantiles (the sum is in long double).
TEST(DistributionGridMean, MidpointMeanOfTheQuantileMatchesTheMean) {
  constexpr int kN = 200000;
  const double h = 1.0 / kN;
  std::vector<Distribution> ds = sample_distributions();
  ds.push_back(from_moments(T::kLognormal, 3, 1.5));
  ds.push_back(from_moments(T::kGamma, 0.5, 0.2));
  for (const auto& d : ds) {
    SCOPED_TRACE(label(d));
    long double sum = 0;
    for (int i = 0; i < kN; ++i) sum += d.quantile((i + 0.5) / kN);
    const double grid = static_cast<double>(sum / kN);
    double tol = 1e-13 * (std::fabs(d.mean()) + d.sd());
    if (std::isfinite(d.lower()) && std::isfinite(d.upper())) {
      tol += h * (d.upper() - d.lower());
    } else {
      const auto [lo, hi] = end_cell_integrals(d, h);
      tol += h * (d.quantile(1 - h) - d.quantile(h)) + std::fabs(lo - h * d.quantile(h / 2)) +
             std::fabs(hi - h * d.quantile(1 - h / 2));
    }
    ASSERT_TRUE(std::isfinite(tol));
    // The bound is tight enough to mean something.
    EXPECT_LT(tol, 1e-3 * d.sd());
    EXPECT_NEAR(grid, d.mean(), tol);
  }
}

// Quantiles at and beyond 0 and 1 are those at 1e-15 and 1 - 1e-15: finite;
// NaN in, NaN out; nothing throws, not even for parameters never checked.
TEST(DistributionClamping, QuantileIsFiniteAtTheEndsAndNothingThrows) {
  for (const auto& d : sample_distributions()) {
    SCOPED_TRACE(label(d));
    EXPECT_EQ(d.quantile(0), d.quantile(1e-15));
    EXPECT_EQ(d.quantile(-3), d.quantile(1e-15));
    EXPECT_EQ(d.quantile(1), d.quantile(1 - 1e-15));
    EXPECT_EQ(d.quantile(2), d.quantile(1 - 1e-15));
    EXPECT_TRUE(std::isfinite(d.quantile(0)));
    EXPECT_TRUE(std::isfinite(d.quantile(1)));
    EXPECT_GE(d.quantile(0), d.lower());
    EXPECT_LE(d.quantile(1), d.upper());
    EXPECT_TRUE(std::isnan(d.quantile(kNaN)));
    EXPECT_TRUE(std::isnan(d.cdf(kNaN)));
    EXPECT_EQ(d.cdf(-kInf), 0);
    EXPECT_EQ(d.cdf(kInf), 1);
  }
  // Φ⁻¹(1e-15) = -7.9413; the upper end, 1 - 1e-15, is 9.992e-16 below 1
  // (doubles are coarser there): Φ⁻¹ = 7.9414.
  EXPECT_NEAR(standard_normal_quantile(0), -7.9413, 1e-4);
  EXPECT_EQ(standard_normal_quantile(-1), standard_normal_quantile(0));
  EXPECT_NEAR(standard_normal_quantile(1), 7.9414, 1e-4);
  EXPECT_EQ(standard_normal_quantile(2), standard_normal_quantile(1));
  EXPECT_TRUE(std::isnan(standard_normal_quantile(kNaN)));
  EXPECT_EQ(standard_normal_cdf(-kInf), 0);
  EXPECT_EQ(standard_normal_cdf(kInf), 1);

  // Built by hand, past the checks: NaN, never an exception.
  auto by_hand = [](T t, std::vector<double> p, std::vector<double> v = {},
                    std::vector<double> w = {}) {
    Distribution d;
    d.type = t;
    d.params = std::move(p);
    d.values = std::move(v);
    d.weights = std::move(w);
    return d;
  };
  const std::vector<Distribution> bad = {
      by_hand(T::kGamma, {-1, 2}),
      by_hand(T::kBeta, {0.5}),
      by_hand(T::kUniform, {3, 1}),
      by_hand(T::kNormal, {0, kNaN}),
      by_hand(T::kTriangular, {0, 5, 1}),
      by_hand(T::kDiscrete, {}, {1, 2}, {1}),
      by_hand(T::kDiscrete, {}, {2, 1}, {1, 1}),
      by_hand(T::kDiscrete, {}, {1, 2}, {0, 0}),
  };
  for (const auto& d : bad) {
    SCOPED_TRACE(label(d));
    EXPECT_NO_THROW({
      for (double x : {-5.0, 0.5, 5.0}) {
        EXPECT_TRUE(std::isnan(d.quantile(x)));
        EXPECT_TRUE(std::isnan(d.cdf(x)));
      }
      EXPECT_TRUE(std::isnan(d.mean()));
      EXPECT_TRUE(std::isnan(d.sd()));
    });
  }
}

// (e) Every refusal has a message that says what is wrong, and leaves `out` alone.
TEST(DistributionErrors, FromMomentsRefusalsSayWhy) {
  Distribution out = native(T::kNormal, {1, 2});
  auto refused = [&](T t, double mean, double sd) {
    const std::string m = distribution_from_moments(t, mean, sd, out);
    EXPECT_FALSE(m.empty()) << distribution_name(t) << " mean " << mean << " sd " << sd;
    return m;
  };
  // A beta's sd is below sqrt(mean (1 - mean)): the message gives that bound.
  std::string m = refused(T::kBeta, 0.3, 0.5);
  expect_contains(m, "0.458");  // sqrt(0.21) = 0.4583
  expect_contains(m, "0.5");
  expect_contains(refused(T::kBeta, 0.5, 0.5), "sd < 0.5");    // at the bound: alpha = beta = 0
  expect_contains(refused(T::kBeta, 0.9, 0.31), "sd < 0.3 ");  // sqrt(0.09) = 0.3
  Distribution ok;
  EXPECT_EQ(distribution_from_moments(T::kBeta, 0.3, 0.458, ok), "");  // just below
  for (double mean : {0.0, 1.0, 1.5, -0.2}) expect_contains(refused(T::kBeta, mean, 0.1), "mean");
  // sd must be > 0, for every type that takes one.
  for (T t : {T::kNormal, T::kLognormal, T::kGamma, T::kBeta, T::kUniform}) {
    for (double sd : {-1.0, 0.0}) {
      m = refused(t, 0.5, sd);
      expect_contains(m, "sd");
      expect_contains(m, distribution_name(t));
    }
  }
  // Gamma and lognormal need a positive mean.
  for (T t : {T::kGamma, T::kLognormal}) {
    for (double mean : {0.0, -2.0}) {
      m = refused(t, mean, 1);
      expect_contains(m, "mean");
      expect_contains(m, distribution_name(t));
    }
  }
  // Not from a mean and sd at all.
  expect_contains(refused(T::kTriangular, 1, 0.5), "min, mode and max");
  expect_contains(refused(T::kDiscrete, 1, 0.5), "values and weights");
  // Not numbers.
  for (T t : {T::kNormal, T::kLognormal, T::kGamma, T::kBeta, T::kUniform}) {
    expect_contains(refused(t, kNaN, 0.1), "nan");
    expect_contains(refused(t, 0.5, kNaN), "nan");
    expect_contains(refused(t, 0.5, kInf), "inf");
  }
  // A uniform whose ends round together at this magnitude.
  refused(T::kUniform, 1e20, 1e-10);
  EXPECT_EQ(out.type, T::kNormal);
  EXPECT_EQ(out.params, (std::vector<double>{1, 2}));
}

TEST(DistributionErrors, NativeParameterRefusalsNameTheParameter) {
  Distribution out = native(T::kNormal, {1, 2});
  auto refused = [&](T t, const std::vector<double>& p) {
    const std::string m = make_distribution(t, p, out);
    EXPECT_FALSE(m.empty()) << distribution_name(t);
    if (t != T::kDiscrete) expect_contains(m, distribution_name(t));
    return m;
  };
  expect_contains(refused(T::kNormal, {0, 0}), "sd");
  expect_contains(refused(T::kNormal, {0, -1}), "sd -1");
  expect_contains(refused(T::kLognormal, {0, 0}), "sdlog");
  expect_contains(refused(T::kGamma, {-1, 2}), "shape -1");
  expect_contains(refused(T::kGamma, {2, 0}), "scale 0");
  expect_contains(refused(T::kBeta, {0, 2}), "alpha 0");
  expect_contains(refused(T::kBeta, {2, -3}), "beta -3");
  expect_contains(refused(T::kUniform, {3, 1}), "min < max");
  expect_contains(refused(T::kUniform, {2, 2}), "min < max");
  expect_contains(refused(T::kUniform, {-1e308, 1e308}), "finite");
  expect_contains(refused(T::kTriangular, {0, 5, 3}), "mode 5");
  expect_contains(refused(T::kTriangular, {0, -1, 3}), "mode -1");
  expect_contains(refused(T::kTriangular, {3, 3, 3}), "min < max");
  // The wrong number of parameters: the message lists them.
  expect_contains(refused(T::kNormal, {1}), "mean, sd");
  expect_contains(refused(T::kTriangular, {0, 1}), "min, mode, max");
  expect_contains(refused(T::kDiscrete, {1, 2}), "values and weights");
  // Not numbers: the offending parameter by name.
  expect_contains(refused(T::kNormal, {kNaN, 1}), "mean nan");
  expect_contains(refused(T::kLognormal, {0, kInf}), "sdlog inf");
  expect_contains(refused(T::kGamma, {1, kNaN}), "scale nan");
  expect_contains(refused(T::kBeta, {kNaN, 1}), "alpha nan");
  expect_contains(refused(T::kUniform, {0, kNaN}), "max nan");
  expect_contains(refused(T::kTriangular, {0, kNaN, 1}), "mode nan");
  EXPECT_EQ(out.params, (std::vector<double>{1, 2}));
  // The edges of the valid: a mode at either end.
  EXPECT_EQ(make_distribution(T::kTriangular, {0, 0, 1}, out), "");
  EXPECT_EQ(make_distribution(T::kTriangular, {0, 1, 1}, out), "");
}

TEST(DistributionErrors, DiscreteRefusalsSayWhy) {
  Distribution out = native(T::kNormal, {1, 2});
  auto refused = [&](const std::vector<double>& v, const std::vector<double>& w) {
    const std::string m = make_discrete(v, w, out);
    EXPECT_FALSE(m.empty());
    return m;
  };
  expect_contains(refused({1, 2}, {1, -0.5}), "-0.5");
  expect_contains(refused({1, 2}, {0, 0}), "weight > 0");
  expect_contains(refused({1, 2, 3}, {1, 1}), "3 values and 2 weights");
  expect_contains(refused({}, {}), "value");
  expect_contains(refused({1, kNaN}, {1, 1}), "nan");
  expect_contains(refused({1, 2}, {kNaN, 1}), "nan");
  expect_contains(refused({1, 2}, {kInf, 1}), "inf");
  expect_contains(refused({kInf, 2}, {1, 1}), "inf");
  EXPECT_EQ(out.type, T::kNormal);
}

}  // namespace
}  // namespace pk
