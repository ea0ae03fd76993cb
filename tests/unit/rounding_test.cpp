// The one rounding rule of the outputs (stats/rounding.hpp, docs/model.md §6
// "Numbers as printed"), worked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "stats/rounding.hpp"

namespace pk {
namespace {

TEST(Rounding, TheSecondSignificantDigitOfTheHalfWidthSetsTheDecimals) {
  EXPECT_EQ(deserved_decimals(0.56), 2);    // 0.56
  EXPECT_EQ(deserved_decimals(5.3), 1);     // 5.3
  EXPECT_EQ(deserved_decimals(530), -1);    // 530: tens
  EXPECT_EQ(deserved_decimals(0.0996), 3);  // 0.0996 -> 0.100
  EXPECT_EQ(deserved_decimals(1), 1);       // 1.0
  EXPECT_FALSE(deserved_decimals(0));
  EXPECT_FALSE(deserved_decimals(HUGE_VAL));
  EXPECT_FALSE(deserved_decimals(std::nan("")));
}

TEST(Rounding, AnEstimateIsPrintedToWhatItsIntervalSupports) {
  // 20.2345 [19.6713, 20.7887]: half-width 0.5587 -> 2 decimals.
  EXPECT_EQ(round_estimate(20.2345, 19.6713, 20.7887).with_interval(), "20.23 [19.67, 20.79]");
  // 15.84 [10.5, 21.2]: half-width 5.35 -> 1 decimal.
  EXPECT_EQ(round_estimate(15.84, 10.5, 21.2).with_interval(), "15.8 [10.5, 21.2]");
  // A cost per life: half-width 494,092 -> to the ten thousand, with separators.
  EXPECT_EQ(round_estimate(2648648.6, 2243725.3, 3231908.7, true).with_interval(),
            "2,650,000 [2,240,000, 3,230,000]");
  // Unbounded above: the distance to the finite end, 1,648,648, sets the decimals.
  EXPECT_EQ(round_estimate(2648648.6, 1000000, HUGE_VAL, true).with_interval(),
            "2,600,000 [1,000,000, unbounded]");
  // No finite end: 3 significant digits of the estimate.
  EXPECT_EQ(round_estimate(0.123456, -HUGE_VAL, HUGE_VAL).value, "0.123");
  // A zero-width interval says nothing either.
  EXPECT_EQ(round_estimate(1234.5678, 1234.5678, 1234.5678).value, "1235");
}

TEST(Rounding, NeverPrintsMinusZeroOrAnExponent) {
  EXPECT_EQ(fixed(-0.001, 1), "0.0");
  EXPECT_EQ(fixed(-0.0, 0), "0");
  EXPECT_EQ(fixed(0.0, 4), "0");  // exact: every replication 0
  EXPECT_EQ(round_estimate(0, 0, 0.0075).with_interval(), "0 [0, 0.0075]");
  EXPECT_EQ(fixed(-1234567.0, 0, true), "-1,234,567");
  EXPECT_EQ(fixed(123.0, 0, true), "123");
  EXPECT_EQ(fixed(1e-7, 9), "0.000000100");
  EXPECT_EQ(fixed(HUGE_VAL, 2), "n/a");
  EXPECT_EQ(fixed(2648648.6, -4), "2650000");
}

TEST(Rounding, ParameterLabelsAreTheDesignsValuesNotTheArithmetics) {
  // A grid of 0, 0.1, ..., computed by adding 0.1: 0.1 + 0.2 = 0.30000000000000004.
  const std::vector<std::string> l = parameter_labels({0.0, 0.1, 0.1 + 0.2, 0.4, 1.0});
  EXPECT_EQ(l[2], "0.3");
  EXPECT_EQ(l[0], "0");
  EXPECT_EQ(l[4], "1");
  // Sampled values: to the second significant digit of the smallest gap
  // (0.0123: the third decimal).
  const std::vector<std::string> s = parameter_labels({0.734912837, 0.1234567, 0.722612});
  EXPECT_EQ(s[0], "0.735");
  EXPECT_EQ(s[1], "0.123");
  EXPECT_EQ(s[2], "0.723");
  // Whole numbers stay whole; a single value keeps 6 significant digits.
  EXPECT_EQ(parameter_labels({0, 2, 4})[1], "2");
  EXPECT_EQ(parameter_labels({0.123456789})[0], "0.123457");
  EXPECT_EQ(parameter_labels({std::nan("")})[0], "n/a");
}

TEST(Rounding, JsonNumbersKeepTwelveSignificantDigits) {
  EXPECT_EQ(round_significant(0.1 + 0.2), 0.3);
  EXPECT_EQ(round_significant(1.0 / 3.0), 0.333333333333);
  EXPECT_EQ(round_significant(0), 0);
}

}  // namespace
}  // namespace pk
