// Arm comparisons and the acceptance gate (stats/comparison.hpp,
// stats/acceptance.hpp) against closed forms, from plain numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "stats/acceptance.hpp"
#include "stats/comparison.hpp"

namespace pk {
namespace {

// A summary of 100 replications; its interval is Student t unless given.
MetricSummary summary(double mean, double sd, std::optional<Interval> ci95 = std::nullopt) {
  MetricSummary s;
  s.n = 100;
  s.mean = mean;
  s.sd = sd;
  const double half = t_half_width(sd, s.n);
  s.ci95 = ci95 ? *ci95 : Interval{mean - half, mean + half};
  return s;
}

TEST(Comparison, PairedDifferenceGivesRrrLivesSavedAndFiellerCost) {
  const Comparison c =
      // var(arm) = var(base) + var(D): the change is uncorrelated with the baseline.
      compare(summary(2, std::sqrt(4.25)), summary(4, 2), summary(-2, 0.5, Interval{-3, -1}), 1e6,
              /*years=*/0.5);
  EXPECT_DOUBLE_EQ(c.rrr, 0.5);
  // The change's interval over the baseline mean alone, [0.25, 0.75], ignored
  // the baseline's own error; Fieller's interval holds it and is wider.
  EXPECT_LT(c.rrr_ci95.lo, 0.25);
  EXPECT_GT(c.rrr_ci95.hi, 0.75);
  EXPECT_DOUBLE_EQ(c.averted_per_year, 4);
  ASSERT_TRUE(c.cost_per_fatality_averted);
  EXPECT_DOUBLE_EQ(*c.cost_per_fatality_averted, 5e5);
  ASSERT_TRUE(c.cost_per_fatality_averted_ci95);
  EXPECT_DOUBLE_EQ(c.cost_per_fatality_averted_ci95->lo, 1e6 / 3);
  EXPECT_DOUBLE_EQ(c.cost_per_fatality_averted_ci95->hi, 1e6);
  EXPECT_DOUBLE_EQ(c.variance_reduction, (4.25 + 4.0) / 0.25);
}

TEST(Comparison, AnExclusiveFiellerSetLeavesTheCostUnboundedAbove) {
  // A reduction (the interval lies below 0) whose longer half, 2, is the
  // standard error Fieller uses: -1 is not clearly away from 0 for it.
  const Comparison c =
      compare(summary(3, 1), summary(4, 1), summary(-1, 1, Interval{-3, -0.2}), 1e6, 1);
  EXPECT_EQ(c.cost_set.shape, FiellerCase::kExclusive);
  EXPECT_EQ(c.verdict, Verdict::kCostPerLife);
  ASSERT_TRUE(c.cost_per_fatality_averted_ci95);
  EXPECT_DOUBLE_EQ(c.cost_per_fatality_averted_ci95->lo, 1e6 / 3);
  EXPECT_TRUE(std::isinf(c.cost_per_fatality_averted_ci95->hi));
}

TEST(Comparison, NoFatalityAvertedHasNoCostAndAZeroBaselineNoRrr) {
  const Comparison worse =
      compare(summary(5, 1), summary(4, 1), summary(1, 1, Interval{0.5, 1.5}), 1e6, 1);
  EXPECT_FALSE(worse.cost_per_fatality_averted);
  EXPECT_FALSE(worse.cost_per_fatality_averted_ci95);
  EXPECT_DOUBLE_EQ(worse.rrr, -0.25);
  const Comparison none = compare(summary(0, 0), summary(0, 0), summary(0, 0), 1e6, 1);
  EXPECT_EQ(none.rrr, 0);
  // A difference that never varies: nothing for pairing to reduce, no factor.
  EXPECT_TRUE(std::isnan(none.variance_reduction));
}

// The words of docs/model.md §6, decided once from the change's interval and the cost.
TEST(Comparison, VerdictsFollowTheIntervalOfTheChangeAndTheCost) {
  EXPECT_EQ(classify({-3, -1}, 0), Verdict::kDominant);       // saves lives, free
  EXPECT_EQ(classify({-3, -1}, 1e6), Verdict::kCostPerLife);  // saves lives, costs
  EXPECT_EQ(classify({-3, 0.5}, 0), Verdict::kNoSignificantEffect);
  EXPECT_EQ(classify({-3, 0.5}, 1e6), Verdict::kNoSignificantEffect);
  EXPECT_EQ(classify({-3, 0}, 1e6), Verdict::kNoSignificantEffect);  // 0 is in [-3, 0]
  EXPECT_EQ(classify({0.5, 2}, 1e6), Verdict::kDominated);           // costs lives and money
  EXPECT_EQ(classify({0.5, 2}, 0), Verdict::kDominated);             // costs lives, saves nothing
  EXPECT_EQ(classify({std::nan(""), std::nan("")}, 1e6), Verdict::kNoSignificantEffect);
  for (Verdict v : {Verdict::kDominant, Verdict::kCostPerLife, Verdict::kNoSignificantEffect,
                    Verdict::kDominated})
    EXPECT_EQ(verdict_from_name(verdict_name(v)), v);
  EXPECT_FALSE(verdict_from_name("cheapest"));
  EXPECT_STREQ(verdict_words(Verdict::kNoSignificantEffect), "no significant effect");
}

TEST(Comparison, AFreeArmThatSavesLivesHasNoCostPerLife) {
  // Never "USD 0 per life": a free arm is dominant, and has no cost per life.
  const Comparison free =
      compare(summary(2, 1), summary(4, 1), summary(-2, 0.5, Interval{-3, -1}), 0, 1);
  EXPECT_EQ(free.verdict, Verdict::kDominant);
  EXPECT_FALSE(free.cost_per_fatality_averted);
  EXPECT_FALSE(free.cost_per_fatality_averted_ci95);
  // An estimate below 0 whose interval holds 0: no cost per life of a non-effect.
  const Comparison unclear =
      compare(summary(3.5, 1), summary(4, 1), summary(-0.5, 3, Interval{-1.1, 0.1}), 1e6, 1);
  EXPECT_EQ(unclear.effect, Effect::kAverts);
  EXPECT_EQ(unclear.verdict, Verdict::kNoSignificantEffect);
  EXPECT_FALSE(unclear.cost_per_fatality_averted);
  ASSERT_TRUE(unclear.cost_ratio);  // the Fieller set is still reported (JSON)
}

// Upper one-sided bound: (mean + t(0.95, 99) sd / sqrt(100)) * 1000 / personnel-years,
// t(0.95, 99) = 1.6603911560 (tables of Student's t).
TEST(Acceptance, UpperBoundIsTheOneSidedStudentBoundPerThousandPersonnelYears) {
  const double expected = (3.0 + 1.6603911560 * 2.0 / 10.0) * 1000.0 / 2000.0;
  const AcceptanceVerdict pass = check_acceptance(summary(3, 2), 2000, 1.7, 0.95);
  EXPECT_TRUE(pass.checked);
  EXPECT_NEAR(pass.upper, expected, 1e-6);
  EXPECT_TRUE(pass.passed);
  EXPECT_NE(pass.reason.find("acceptance passed"), std::string::npos) << pass.reason;
  const AcceptanceVerdict fail = check_acceptance(summary(3, 2), 2000, 1.6, 0.95);
  EXPECT_FALSE(fail.passed);  // the mean (1.5) is below the limit, its upper bound is not
  EXPECT_NE(fail.reason.find("FAILED"), std::string::npos) << fail.reason;
}

}  // namespace
}  // namespace pk
