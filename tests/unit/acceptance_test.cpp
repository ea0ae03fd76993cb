// The acceptance gate's statistics (stats/acceptance.hpp) against closed
// forms: the exact exceedance bound, the refusal below the minimum count, the
// exceedance counted per replication beside the mean's bound.
#include <gtest/gtest.h>

#include <cmath>

#include "stats/acceptance.hpp"

namespace pk {
namespace {

// With no exceedance the bound solves (1 − p)^n = 1 − c; with all n it is 1.
TEST(AcceptanceStats, ClopperPearsonUpperBoundClosedForms) {
  for (const int64_t n : {30, 50, 1000})
    for (const double c : {0.5, 0.95, 0.9999})
      EXPECT_NEAR(clopper_pearson_upper(0, n, c), 1 - std::pow(1 - c, 1.0 / n), 1e-12)
          << n << " " << c;
  EXPECT_EQ(clopper_pearson_upper(7, 7, 0.95), 1.0);
  // k = n − 1: P(X <= n − 1) = 1 − p^n = 1 − c, so p = c^(1/n).
  EXPECT_NEAR(clopper_pearson_upper(9, 10, 0.95), std::pow(0.95, 0.1), 1e-12);
}

IntHistogram histogram(std::initializer_list<std::pair<int64_t, int64_t>> values) {
  IntHistogram h;
  for (const auto& [v, c] : values) h.add(v, c);
  return h;
}

TEST(AcceptanceStats, FewerThanTheMinimumIsNotDecided) {
  const IntHistogram one = histogram({{0, 1}});  // the mean bound used to be the mean: 0
  const AcceptanceVerdict v = check_acceptance(one, 1000, {1.0, 0.95, 0.5});
  EXPECT_TRUE(v.checked);
  EXPECT_FALSE(v.decided);
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.reason.find("NOT DECIDED"), std::string::npos) << v.reason;
  const IntHistogram enough = histogram({{0, kAcceptanceMinReplications}});
  EXPECT_TRUE(check_acceptance(enough, 1000, {1.0, 0.95, 0.5}).decided);
}

// 100 years at 1,000 personnel-years: 70 with no death, 30 with 2 (rate 2 per
// 1,000). The mean (0.6) and its bound are under the limit of 1.5; 30% of the
// years are above it.
TEST(AcceptanceStats, ExceedanceFailsWhereTheMeanPasses) {
  const IntHistogram h = histogram({{0, 70}, {2, 30}});
  const AcceptanceVerdict v = check_acceptance(h, 1000, {1.5, 0.95, 0.2});
  EXPECT_TRUE(v.decided);
  EXPECT_TRUE(v.mean_passed);
  EXPECT_LT(v.upper, 1.5);
  EXPECT_EQ(v.exceedances, 30);
  EXPECT_DOUBLE_EQ(v.exceedance, 0.3);
  EXPECT_NEAR(v.exceedance_upper, clopper_pearson_upper(30, 100, 0.95), 0);
  EXPECT_GT(v.exceedance_upper, 0.3);
  EXPECT_FALSE(v.exceedance_passed);
  EXPECT_FALSE(v.passed);
  // Ungated, the same share is still reported, and the gate passes on the mean.
  const AcceptanceVerdict ungated = check_acceptance(h, 1000, {1.5, 0.95, std::nullopt});
  EXPECT_TRUE(ungated.passed);
  EXPECT_DOUBLE_EQ(ungated.exceedance, 0.3);
  EXPECT_NE(ungated.reason.find("share of replications above the limit 0.3000"), std::string::npos)
      << ungated.reason;
  // A year exactly at the limit does not exceed it.
  EXPECT_EQ(check_acceptance(h, 1000, {2.0, 0.95, std::nullopt}).exceedances, 0);
}

}  // namespace
}  // namespace pk
