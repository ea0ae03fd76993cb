// Intervals that stay honest for rare events, small runs and tails
// (docs/model.md §6, "Which interval"). The AuditFindings tests each pin a
// finding of the statistics audit and fail on the code before it: zero-width
// intervals, the t interval of rare differences, CVaR without its fractional
// atom, an RRR interval blind to the baseline's error, a cost interval that
// dropped the harmful and unbounded cases. Expected values are worked by hand
// or from tables in each test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "stats/comparison.hpp"
#include "stats/histogram.hpp"
#include "stats/summary.hpp"

namespace pk {
namespace {

IntHistogram histogram(std::initializer_list<std::pair<int64_t, int64_t>> value_counts) {
  IntHistogram h;
  for (const auto& [v, c] : value_counts) h.add(v, c);
  return h;
}

TEST(AuditFindings, AllEqualReplicationsGiveANonzeroWidthBound) {
  // 100 replications, no event: the rule of three, -ln(0.05) / n = 0.0299573.
  const MetricSummary zero = summarize(histogram({{0, 100}}));
  EXPECT_EQ(zero.ci_method, CiMethod::kRuleOfThree);
  EXPECT_EQ(zero.ci95.lo, 0);
  EXPECT_NEAR(zero.ci95.hi, 0.0299573, 1e-6);
  // A paired difference that is always 0 bounds the mean change both ways.
  const MetricSummary diff = summarize(histogram({{0, 100}}), ValueKind::kDifference);
  EXPECT_NEAR(diff.ci95.lo, -0.0299573, 1e-6);
  EXPECT_NEAR(diff.ci95.hi, 0.0299573, 1e-6);
  // Every replication 3: still an interval around 3, never [3, 3].
  const MetricSummary three = summarize(histogram({{3, 50}}));
  EXPECT_NE(three.ci_method, CiMethod::kT);
  EXPECT_LT(three.ci95.lo, 3);
  EXPECT_GT(three.ci95.hi, 3);
  // A proportion with no success: 1 - 0.05^(1/n), about 3 / n.
  const ProportionInterval p = proportion_interval(0, 100);
  EXPECT_EQ(p.method, CiMethod::kRuleOfThree);
  EXPECT_NEAR(p.ci.hi, 1 - std::pow(0.05, 0.01), 1e-12);
}

// Rare clustered events: per replication a Poisson(rate) number of events of
// `size` fatalities each (a breached camp), or of sizes 1 + Geometric with
// mean `size`. The share of 4,000 samples of n whose 95% interval of the mean
// holds the true mean; `student_t` for the interval reported before.
double coverage(double rate, int64_t size, bool geometric, int n, ValueKind kind, bool student_t) {
  std::mt19937_64 g(12345);
  std::poisson_distribution<int> events(rate);
  std::geometric_distribution<int> extra(1.0 / static_cast<double>(size));
  const double sign = kind == ValueKind::kDifference ? -1.0 : 1.0;
  const double truth = sign * rate * static_cast<double>(size);
  int covered = 0;
  const int samples = 4000;
  for (int s = 0; s < samples; ++s) {
    IntHistogram h;
    for (int i = 0; i < n; ++i) {
      int64_t x = 0;
      for (int k = events(g); k > 0; --k) x += geometric ? 1 + extra(g) : size;
      h.add(static_cast<int64_t>(sign) * x);
    }
    const MetricSummary m = summarize(h, kind);
    Interval ci = m.ci95;
    if (student_t) {
      const double half = t_half_width(m.sd, m.n);
      ci = {m.mean - half, m.mean + half};
    }
    covered += ci.lo <= truth && truth <= ci.hi;
  }
  return static_cast<double>(covered) / samples;
}

TEST(AuditFindings, RareClusteredDifferencesCoverAtTwentyReplications) {
  // A camp-protection arm that removes a breach of 9 deaths in one
  // replication of four: 20 replications see 5 on average. Student t covers
  // about 0.87; the gamma/MOVER interval at least 0.95.
  EXPECT_LT(coverage(0.25, 9, false, 20, ValueKind::kDifference, true), 0.9);
  EXPECT_GE(coverage(0.25, 9, false, 20, ValueKind::kDifference, false), 0.95);
  EXPECT_GE(coverage(0.25, 9, false, 20, ValueKind::kCount, false), 0.95);
  // Breaches of varying size (mean 9), one replication in two: t about 0.88,
  // the gamma interval about 0.92 (sizes not yet seen are its blind spot,
  // docs/coverage.md).
  EXPECT_LT(coverage(0.5, 9, true, 20, ValueKind::kCount, true), 0.89);
  EXPECT_GE(coverage(0.5, 9, true, 20, ValueKind::kCount, false), 0.915);
  // Its warning: 20 replications of which a few saw an event.
  IntHistogram h = histogram({{0, 18}, {-9, 2}});
  const MetricSummary s = summarize(h, ValueKind::kDifference);
  EXPECT_TRUE(s.few_events);
  EXPECT_NEAR(s.events, 2, 1e-12);
  // MOVER on the short side; on the long (negative) side Hall's skewness
  // correction reaches farther.
  EXPECT_EQ(s.ci_method, CiMethod::kHall);
  EXPECT_GT(s.ci95.hi, s.mean);
  EXPECT_LT(s.ci95.lo, s.mean - t_half_width(s.sd, s.n));
}

TEST(AuditFindings, CvarIncludesTheFractionalAtom) {
  // 30 replications: 27 at 0, then 10, 20, 40. The worst 5% is 1.5
  // replications: 40 and half of the atom at 20 (VaR95, the 29th value).
  // Rockafellar-Uryasev: 20 + (40 - 20) / 1.5 = 33.333...; the old "mean of
  // the worst ceil(1.5) = 2" said 30.
  const IntHistogram h = histogram({{0, 27}, {10, 1}, {20, 1}, {40, 1}});
  const MetricSummary s = summarize(h);
  EXPECT_EQ(s.p95, 20);
  EXPECT_NEAR(s.cvar95, 100.0 / 3, 1e-12);
  // A discrete law worked by hand: P(0) = 0.93, P(10) = 0.04, P(20) = 0.03.
  // VaR95 = 10 (F(10) = 0.97); CVaR = 10 + 0.03 * 10 / 0.05 = 16.
  EXPECT_NEAR(cvar(histogram({{0, 93}, {10, 4}, {20, 3}})), 16, 1e-12);
  // At level 0.9: VaR = 0 (F(0) = 0.93); 0 + (0.04 * 10 + 0.03 * 20) / 0.1 = 10.
  EXPECT_NEAR(cvar(histogram({{0, 93}, {10, 4}, {20, 3}}), 0.9), 10, 1e-12);
}

MetricSummary summary(double mean, double sd, int64_t n) {
  MetricSummary s;
  s.n = n;
  s.mean = mean;
  s.sd = sd;
  const double half = t_half_width(sd, n);
  s.ci95 = {mean - half, mean + half};
  return s;
}

TEST(AuditFindings, RrrIntervalWiderWhenTheBaselineIsNoisy) {
  // Same arm and difference, baseline sd 0.5 or 5; the arm's sd follows from
  // var(arm) = var(base) + var(D) + 2 cov(D, base), with cov(D, base) = 0.
  const MetricSummary d = summary(-2, 1, 100);
  const auto with_base_sd = [&](double sd_b) {
    const MetricSummary base = summary(10, sd_b, 100);
    const MetricSummary arm = summary(8, std::sqrt(sd_b * sd_b + 1), 100);
    return compare(arm, base, d, 1e6, 1);
  };
  const Comparison quiet = with_base_sd(0.5), noisy = with_base_sd(5);
  ASSERT_EQ(noisy.rrr_set.shape, FiellerCase::kBounded);
  EXPECT_GT(noisy.rrr_ci95.hi - noisy.rrr_ci95.lo, 1.2 * (quiet.rrr_ci95.hi - quiet.rrr_ci95.lo));
  // Against the delta method, computed here: var(R) = (v_D + R^2 v_B) / B^2
  // with R = 0.2, v_D = 1/100, v_B = 25/100, B = 10; Fieller is close to it.
  const double q = critical_value(0.95, 99);
  const double se = std::sqrt(0.01 + 0.04 * 0.25) / 10;
  EXPECT_NEAR(noisy.rrr_ci95.lo, 0.2 - q * se, 0.1 * q * se);
  EXPECT_NEAR(noisy.rrr_ci95.hi, 0.2 + q * se, 0.1 * q * se);
}

// (a - theta b)^2 = q^2 (va - 2 theta cab + theta^2 vb): Fieller's ends.
double fieller_residual(double theta, double a, double b, double va, double vb, double cab,
                        double q) {
  return (a - theta * b) * (a - theta * b) - q * q * (va - 2 * theta * cab + theta * theta * vb);
}

TEST(Fieller, EndsSolveTheDefiningQuadratic) {
  const double a = 3, b = 10, va = 0.5, vb = 2, cab = 0.3, q = 1.96;
  const FiellerSet f = fieller(a, b, va, vb, cab, q);
  ASSERT_EQ(f.shape, FiellerCase::kBounded);
  EXPECT_NEAR(fieller_residual(f.lo, a, b, va, vb, cab, q), 0, 1e-9);
  EXPECT_NEAR(fieller_residual(f.hi, a, b, va, vb, cab, q), 0, 1e-9);
  EXPECT_LT(f.lo, a / b);
  EXPECT_GT(f.hi, a / b);
}

TEST(AuditFindings, FiellerCostReportsBoundedExclusiveAndHarmful) {
  const double q = critical_value(0.95, 99);
  // Averts 2 +- q * 0.5 (se): clearly away from 0 -> cost / (2 +- q 0.5).
  const Comparison bounded =
      compare(summary(2, 1, 100), summary(4, 1, 100), summary(-2, 5, 100), 1e6, 1);
  EXPECT_EQ(bounded.cost_set.shape, FiellerCase::kBounded);
  EXPECT_NEAR(bounded.cost_set.lo, 1e6 / (2 + q * 0.5), 1e-6);
  EXPECT_NEAR(bounded.cost_set.hi, 1e6 / (2 - q * 0.5), 1e-6);
  EXPECT_EQ(bounded.effect, Effect::kAverts);
  // Averts 1 +- q * 1: the interval of lives saved holds 0 -> the cost per
  // life is at least 1e6 / (1 + q), or the arm is harmful at 1e6 / (1 - q) or
  // less per added fatality: two rays, both reported.
  const Comparison exclusive =
      compare(summary(3, 1, 100), summary(4, 1, 100), summary(-1, 10, 100), 1e6, 1);
  EXPECT_EQ(exclusive.cost_set.shape, FiellerCase::kExclusive);
  EXPECT_NEAR(exclusive.cost_set.hi, 1e6 / (1 + q), 1e-6);
  EXPECT_NEAR(exclusive.cost_set.lo, 1e6 / (1 - q), 1e-6);
  // The change's own interval holds 0: no cost per life is printed for it
  // (docs/model.md §6, "no significant effect"); the set stays in cost_set.
  EXPECT_EQ(exclusive.verdict, Verdict::kNoSignificantEffect);
  EXPECT_FALSE(exclusive.cost_per_fatality_averted_ci95);
  // More deaths with the arm: reported as harmful with its (negative) ratio,
  // not dropped.
  const Comparison harmful =
      compare(summary(6, 1, 100), summary(4, 1, 100), summary(2, 5, 100), 1e6, 1);
  EXPECT_EQ(harmful.effect, Effect::kHarmful);
  ASSERT_TRUE(harmful.cost_ratio);
  EXPECT_DOUBLE_EQ(*harmful.cost_ratio, -5e5);
  EXPECT_EQ(harmful.cost_set.shape, FiellerCase::kBounded);
  EXPECT_NEAR(harmful.cost_set.lo, 1e6 / (-2 + q * 0.5), 1e-6);
  EXPECT_NEAR(harmful.cost_set.hi, 1e6 / (-2 - q * 0.5), 1e-6);
  EXPECT_FALSE(harmful.cost_per_fatality_averted);
  EXPECT_EQ(harmful.verdict, Verdict::kDominated);
}

TEST(AuditFindings, RrrUnboundedWhenNeitherMeanIsClearlyNonzero) {
  // Baseline 0.05 +- large, change 0.01 +- large: every RRR is compatible.
  const Comparison c =
      compare(summary(0.04, 0.3, 20), summary(0.05, 0.5, 20), summary(-0.01, 0.4, 20), 1e6, 1);
  EXPECT_EQ(c.rrr_set.shape, FiellerCase::kUnbounded);
  EXPECT_TRUE(std::isinf(c.rrr_ci95.lo));
  EXPECT_TRUE(std::isinf(c.rrr_ci95.hi));
}

TEST(ExactIntervals, GammaReducesToGarwoodAndClopperPearsonMatchesTables) {
  // Five events in 10 replications of 0 or 1: the exact Poisson interval of 5,
  // (1.6235, 11.6683) (tables of the chi-square), over 10.
  const MetricSummary s = summarize(histogram({{0, 5}, {1, 5}}));
  EXPECT_EQ(s.ci_method, CiMethod::kGamma);
  EXPECT_NEAR(s.ci95.lo, 0.162354, 1e-5);
  EXPECT_NEAR(s.ci95.hi, 1.166828, 1e-5);
  // 5 of 20: (0.0866, 0.4910).
  const Interval cp = clopper_pearson(5, 20);
  EXPECT_NEAR(cp.lo, 0.0866, 1e-4);
  EXPECT_NEAR(cp.hi, 0.4910, 1e-4);
  EXPECT_EQ(proportion_interval(5, 20).method, CiMethod::kClopperPearson);
  EXPECT_EQ(proportion_interval(50, 100).method, CiMethod::kWilson);
}

TEST(Quantiles, OrderStatisticIntervalsFromTheBinomial) {
  // n = 20, p = 0.5: P(B <= 5) = 0.0207 <= 0.025 < P(B <= 6), so the ranks
  // are 6 and 15; values 1..20 give [6, 15].
  IntHistogram h;
  for (int v = 1; v <= 20; ++v) h.add(v);
  const Interval m = quantile_interval(h, 0.5);
  EXPECT_EQ(m.lo, 6);
  EXPECT_EQ(m.hi, 15);
  // p99 of 20: P(B = 20) = 0.818 > 0.025: no order statistic bounds it above.
  EXPECT_TRUE(std::isinf(quantile_interval(h, 0.99).hi));
  const MetricSummary s = summarize(h);
  EXPECT_LE(s.p50_ci95.lo, s.p50);
  EXPECT_GE(s.p50_ci95.hi, s.p50);
}

TEST(Quantiles, CvarBootstrapIsReproducibleAndBracketsTheEstimate) {
  std::mt19937_64 g(7);
  std::poisson_distribution<int> d(3);
  IntHistogram a, b, whole;
  for (int i = 0; i < 2000; ++i) {
    const int x = d(g) * (i % 17 == 0 ? 5 : 1);
    whole.add(x);
    (i % 2 ? a : b).add(x);
  }
  IntHistogram merged;
  merged.merge(b), merged.merge(a);
  const Interval i1 = cvar95_interval(whole), i2 = cvar95_interval(merged);
  EXPECT_EQ(i1.lo, i2.lo);
  EXPECT_EQ(i1.hi, i2.hi);
  const double c = cvar(whole);
  EXPECT_LE(i1.lo, c);
  EXPECT_GE(i1.hi, c);
  EXPECT_TRUE(std::isfinite(i1.hi));  // 100 tail replications
  // 20 replications: one in the tail cannot bound it above.
  IntHistogram small;
  for (int i = 0; i < 20; ++i) small.add(i);
  EXPECT_TRUE(std::isinf(cvar95_interval(small).hi));
}

// Hall's transform, worked independently: g(T) = T + a T^2 + a^2 T^3 / 3 + b.
double hall_g(double t, double skew, double n) {
  const double a = skew / (3 * std::sqrt(n)), b = skew / (6 * std::sqrt(n));
  return t + a * t * t + a * a * t * t * t / 3 + b;
}

TEST(Skewness, HallIntervalIsTWithoutSkewAndInvertsItsTransform) {
  const double mean = 4, sd = 3;
  const int64_t n = 20;
  const Interval t = hall_interval(mean, sd, n, 0);
  EXPECT_NEAR(t.lo, mean - t_half_width(sd, n), 1e-12);
  EXPECT_NEAR(t.hi, mean + t_half_width(sd, n), 1e-12);
  // Skewness 2: T = (mean - mu) / se at each end maps to -+ t(0.975, 19).
  const Interval h = hall_interval(mean, sd, n, 2.0);
  const double se = sd / std::sqrt(20.0), q = 2.093024054408263;
  EXPECT_NEAR(hall_g((mean - h.lo) / se, 2.0, 20), q, 1e-9);
  EXPECT_NEAR(hall_g((mean - h.hi) / se, 2.0, 20), -q, 1e-9);
  // Right skew: the upper end lies farther out than t's, the lower one nearer.
  EXPECT_GT(h.hi, t.hi);
  EXPECT_GT(h.lo, t.lo);
}

// Clustered events whose sizes are mostly 1 and now and then `big`: per
// replication a Poisson(rate) number of them. The share of 2,000 samples of n
// whose reported 95% interval holds the true mean; `before` recomputes the
// interval without the skewness correction (the gamma interval below 30
// effective events, Student t above), as reported before.
double skewed_coverage(double rate, int64_t big, double p_big, int n, bool before) {
  std::mt19937_64 g(2024);
  std::poisson_distribution<int> events(rate);
  std::bernoulli_distribution is_big(p_big);
  const double truth = rate * (p_big * static_cast<double>(big) + (1 - p_big));
  int covered = 0;
  const int samples = 2000;
  for (int s = 0; s < samples; ++s) {
    IntHistogram h;
    for (int i = 0; i < n; ++i) {
      int64_t x = 0;
      for (int k = events(g); k > 0; --k) x += is_big(g) ? big : 1;
      h.add(x);
    }
    const MetricSummary m = summarize(h);
    Interval ci = m.ci95;
    if (before && m.events >= kExactBelow) {
      ci = {m.mean - t_half_width(m.sd, m.n), m.mean + t_half_width(m.sd, m.n)};
    } else if (before && m.ci_method == CiMethod::kHall) {
      long double sum = 0, ss = 0;
      h.for_each([&](int64_t v, int64_t c) { sum += static_cast<long double>(v) * c; });
      const long double mu = sum / n;
      h.for_each([&](int64_t v, int64_t c) { ss += (v - mu) * (v - mu) * c; });
      const double var_sum =
          std::max(static_cast<double>(ss) * n / (n - 1), static_cast<double>(sum));
      ci = gamma_interval(static_cast<double>(sum), var_sum, var_sum / static_cast<double>(sum), n);
    }
    covered += ci.lo <= truth && truth <= ci.hi;
  }
  return static_cast<double>(covered) / samples;
}

TEST(AuditFindings, SkewedClusteredMeansCoverAtTwentyAndFiftyReplications) {
  // MINUSMA-North's IED and site fatalities at n = 20 and 50 covered
  // 0.885-0.92 (docs/coverage.md): most events kill one, a few many. With
  // 2,000 samples a coverage's standard error is 0.005; before the skewness
  // correction these cover about 0.92 and 0.91, after it 0.95 and more.
  EXPECT_LT(skewed_coverage(2.0, 10, 0.1, 20, true), 0.93);
  EXPECT_GE(skewed_coverage(2.0, 10, 0.1, 20, false), 0.94);
  EXPECT_LT(skewed_coverage(4.0, 30, 0.02, 50, true), 0.93);
  EXPECT_GE(skewed_coverage(4.0, 30, 0.02, 50, false), 0.94);
  // Never narrower: the corrected interval holds the one chosen before, and a
  // symmetric sample keeps its exact (Garwood) interval.
  const MetricSummary s = summarize(histogram({{0, 12}, {1, 5}, {2, 2}, {25, 1}}));
  EXPECT_EQ(s.ci_method, CiMethod::kHall);
  const double var_sum = std::max(s.sd * s.sd * 20, s.mean * 20);
  const Interval gamma = gamma_interval(s.mean * 20, var_sum, var_sum / (s.mean * 20), 20);
  EXPECT_NEAR(s.ci95.lo, gamma.lo, 1e-12);
  EXPECT_GT(s.ci95.hi, gamma.hi);
  EXPECT_EQ(summarize(histogram({{0, 5}, {1, 5}})).ci_method, CiMethod::kGamma);
}

// The CVaR95 of a Poisson(mean) law, from its probabilities.
double poisson_cvar95(double mean) {
  std::vector<double> pmf{std::exp(-mean)};
  for (int k = 1; k < 200; ++k) pmf.push_back(pmf.back() * mean / k);
  double below = 0;
  int var = 0;
  while (below + pmf[static_cast<size_t>(var)] < 0.95 - 1e-12)
    below += pmf[static_cast<size_t>(var++)];
  double excess = 0;
  for (int k = var + 1; k < 200; ++k) excess += pmf[static_cast<size_t>(k)] * (k - var);
  return var + excess / 0.05;
}

TEST(AuditFindings, CvarIntervalCoversAPoissonTailAtFourHundredReplications) {
  // The BCa interval covered 0.895 on Poisson(4) at n = 400 (docs/coverage.md);
  // the studentized bootstrap about 0.95. 400 samples: standard error 0.011.
  const double truth = poisson_cvar95(4.0);
  EXPECT_NEAR(truth, 8.6725, 1e-3);
  std::mt19937_64 g(99);
  std::poisson_distribution<int> d(4.0);
  int covered = 0;
  const int samples = 400;
  for (int s = 0; s < samples; ++s) {
    IntHistogram h;
    for (int i = 0; i < 400; ++i) h.add(d(g));
    const Interval ci = cvar95_interval(h);
    covered += ci.lo <= truth && truth <= ci.hi;
  }
  EXPECT_GE(static_cast<double>(covered) / samples, 0.925);
}

// A law with an atom just under its 95% point: P(0) = 0.8, P(1) = 0.1,
// P(2) = 0.064, P(10) = 0.036. VaR95 = 2 with 3.6% above it, CVaR95 =
// 2 + 0.036 x 8 / 0.05 = 7.76. A run of 400 with more than 20 tens (about one
// in twenty) has VaR 10, a plug-in CVaR of 10 and no spread above it: the
// interval at its own VaR alone missed the truth in every such run (0 of 27
// here, 0.9225 in all); with the lower end taken over the VaR's interval, 20
// of 27 (0.9725).
TEST(AuditFindings, CvarIntervalCoversALawWithAnAtomUnderItsNinetyFifthPoint) {
  const double truth = 2 + 0.036 * 8 / 0.05;
  std::mt19937_64 g(7);
  std::discrete_distribution<int> d({0.8, 0.1, 0.064, 0.036});
  const int values[] = {0, 1, 2, 10};
  int covered = 0, high_var = 0, covered_high_var = 0;
  const int samples = 400;
  for (int s = 0; s < samples; ++s) {
    IntHistogram h;
    int tens = 0;
    for (int i = 0; i < 400; ++i) {
      const int x = values[d(g)];
      tens += x == 10;
      h.add(x);
    }
    const Interval ci = cvar95_interval(h);
    const bool holds = ci.lo <= truth && truth <= ci.hi;
    covered += holds;
    high_var += tens > 20;
    covered_high_var += tens > 20 && holds;
  }
  EXPECT_GE(high_var, 8);  // the case this test is about happens
  EXPECT_GE(covered_high_var, high_var / 2);
  EXPECT_GE(static_cast<double>(covered) / samples, 0.925);
}

}  // namespace
}  // namespace pk
