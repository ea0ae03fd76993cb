// Statistics against independently known values: tabulated Student-t and
// Wilson intervals, and quantiles/moments recomputed from a sorted dump.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "stats/histogram.hpp"
#include "stats/summary.hpp"

namespace pk {
namespace {

TEST(Intervals, StudentTMatchesTables) {
  // Two-sided 95% t quantiles (any statistics table): df 9 -> 2.262157, df 29 -> 2.045230,
  // df 1 -> 12.706205. half-width = t * sd / sqrt(n).
  EXPECT_NEAR(t_half_width(1.0, 10, 0.95) * std::sqrt(10.0), 2.262157, 1e-6);
  EXPECT_NEAR(t_half_width(1.0, 30, 0.95) * std::sqrt(30.0), 2.045230, 1e-6);
  EXPECT_NEAR(t_half_width(1.0, 2, 0.95) * std::sqrt(2.0), 12.706205, 1e-5);
  // One-sided 95%, df 9 -> 1.833113.
  EXPECT_NEAR(t_upper_bound(0.0, 1.0, 10, 0.95) * std::sqrt(10.0), 1.833113, 1e-6);
}

TEST(Intervals, OneCriticalValueForEveryInterval) {
  // Normal (infinite degrees of freedom): 95% -> 1.959964, 90% -> 1.644854.
  EXPECT_NEAR(critical_value(0.95), 1.959964, 1e-6);
  EXPECT_NEAR(critical_value(0.90), 1.644854, 1e-6);
  // Student t: 95%, df 9 -> 2.262157; it tends to the normal value as df grows.
  EXPECT_NEAR(critical_value(0.95, 9), 2.262157, 1e-6);
  EXPECT_NEAR(critical_value(0.95, 1e7), critical_value(0.95), 1e-6);
  EXPECT_GT(critical_value(0.95, 399), critical_value(0.95));
  // The interval of a mean of n replications uses df = n - 1.
  EXPECT_DOUBLE_EQ(t_half_width(3.0, 400) * std::sqrt(400.0) / 3.0, critical_value(0.95, 399));
}

TEST(Intervals, WilsonMatchesTextbookValues) {
  // 5 of 20: (0.1119, 0.4687); 0 of 50: (0, 0.0713); 50 of 50: (0.9287, 1).
  Interval a = wilson(5, 20);
  EXPECT_NEAR(a.lo, 0.1119, 1e-4);
  EXPECT_NEAR(a.hi, 0.4687, 1e-4);
  Interval b = wilson(0, 50);
  EXPECT_NEAR(b.lo, 0.0, 1e-12);
  EXPECT_NEAR(b.hi, 0.0713, 1e-4);
  Interval c = wilson(50, 50);
  EXPECT_NEAR(c.lo, 0.9287, 1e-4);
  EXPECT_NEAR(c.hi, 1.0, 1e-12);
}

std::vector<int64_t> sample(int n, unsigned seed) {
  std::mt19937_64 g(seed);
  std::vector<int64_t> v(n);
  for (auto& x : v)
    x = static_cast<int64_t>(g() % 40) + static_cast<int64_t>(g() % 7 == 0 ? g() % 300 : 0);
  return v;
}

TEST(Histogram, SummaryEqualsSortedDump) {
  for (int n : {1, 2, 19, 20, 21, 997, 5000}) {
    const auto v = sample(n, 17 + n);
    IntHistogram h;
    for (auto x : v) h.add(x);
    const MetricSummary s = summarize(h);
    auto sorted = v;
    std::sort(sorted.begin(), sorted.end());
    auto lower_q = [&](double p) {
      const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(p * n - 1e-9)));
      return static_cast<double>(sorted[rank - 1]);
    };
    EXPECT_EQ(s.n, n);
    EXPECT_EQ(s.p50, lower_q(0.5)) << n;
    EXPECT_EQ(s.p90, lower_q(0.9)) << n;
    EXPECT_EQ(s.p95, lower_q(0.95)) << n;
    EXPECT_EQ(s.p99, lower_q(0.99)) << n;
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double ss = 0;
    for (auto x : v) ss += (x - mean) * (x - mean);
    EXPECT_NEAR(s.mean, mean, 1e-9 * (1 + std::fabs(mean)));
    if (n > 1) {
      EXPECT_NEAR(s.sd, std::sqrt(ss / (n - 1)), 1e-9 * (1 + s.sd));
    }
    // Rockafellar-Uryasev: VaR95 plus the mean excess over it per 0.05 n.
    const double var95 = lower_q(0.95);
    double excess = 0;
    for (auto x : v) excess += std::max(0.0, x - var95);
    const double tail = var95 + excess / (0.05 * n);
    EXPECT_NEAR(s.cvar95, tail, 1e-9 * (1 + tail)) << n;
  }
}

// Values as (value, count) pairs in ascending order: what a histogram holds.
std::vector<std::pair<int64_t, int64_t>> contents(const IntHistogram& h) {
  std::vector<std::pair<int64_t, int64_t>> out;
  h.for_each([&](int64_t v, int64_t c) { out.emplace_back(v, c); });
  return out;
}

TEST(Histogram, MergeOrderDoesNotMatterAndEqualsTheWhole) {
  const auto v = sample(3000, 5);
  IntHistogram whole, a, b, c;
  for (size_t i = 0; i < v.size(); ++i) {
    // Far negative values too, so that merging meets ranges that do not overlap.
    const int64_t x = v[i] - (i % 2 ? 100000 : 0);
    whole.add(x);
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(x);
  }
  IntHistogram x, y;
  x.merge(a), x.merge(b), x.merge(c);
  y.merge(c), y.merge(a), y.merge(b);
  EXPECT_EQ(contents(x), contents(whole));
  EXPECT_EQ(contents(y), contents(whole));
  const MetricSummary sx = summarize(x), sy = summarize(y), sw = summarize(whole);
  for (const MetricSummary* s : {&sx, &sy}) {
    EXPECT_EQ(s->n, sw.n);
    EXPECT_EQ(s->mean, sw.mean);
    EXPECT_EQ(s->sd, sw.sd);
    EXPECT_EQ(s->p50, sw.p50);
    EXPECT_EQ(s->p95, sw.p95);
    EXPECT_EQ(s->cvar95, sw.cvar95);
  }
}

TEST(Histogram, NegativeValuesForPairedDifferences) {
  IntHistogram h;
  for (int64_t x : {-3, -1, 0, 2, -1}) h.add(x);
  const MetricSummary s = summarize(h);
  EXPECT_DOUBLE_EQ(s.mean, -0.6);
  EXPECT_EQ(s.p50, -1);
}

// Constant values have no spread, but the interval of their mean is not a
// point: 100 replications without an event allow a rate up to 3 / 100.
TEST(Histogram, ConstantValuesStillGiveAnIntervalOfTheMean) {
  IntHistogram h;
  for (int i = 0; i < 100; ++i) h.add(0);
  const MetricSummary s = summarize(h);
  EXPECT_EQ(s.sd, 0);
  EXPECT_EQ(s.ci95.lo, 0);
  EXPECT_GT(s.ci95.hi, 0);
}

}  // namespace
}  // namespace pk
