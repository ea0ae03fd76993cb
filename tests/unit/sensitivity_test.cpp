// Sensitivity indices that say when they cannot tell (docs/model.md §6,
// "Sweeps"): under common random numbers a response can be an exact function
// of the parameters, and a partial rank correlation is then ±1 whatever the
// effect. Such PRCCs are not estimated; with any residual variation they are.
#include <gtest/gtest.h>

#include <cmath>

#include "stats/sensitivity.hpp"

namespace pk {
namespace {

// The 2 × 3 grid of tests/data/run/sweep.yaml: uav.aircraft {0, 2} ×
// trained_fraction {0, 0.5, 1}, last parameter fastest.
std::vector<std::vector<double>> grid_2x3() {
  std::vector<std::vector<double>> x;
  for (double a : {0.0, 2.0})
    for (double t : {0.0, 0.5, 1.0}) x.push_back({a, t});
  return x;
}

TEST(Sensitivity, ADeterministicMonotoneResponseHasNoPrcc) {
  // One parameter, a response that rises with it and has no noise: its ranks
  // are the parameter's, and the PRCC used to be exactly 1.
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (int i = 0; i < 5; ++i) {
    x.push_back({static_cast<double>(i)});
    y.push_back(0.1 * i * i + 3);
  }
  auto s = sensitivity(x, y);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->prcc_not_estimable, kNoResidualVariation);
  EXPECT_TRUE(std::isnan(s->prcc[0]));
  EXPECT_TRUE(std::isfinite(s->src[0]));  // the linear index is still given
  EXPECT_GT(s->src[0], 0.9);
}

TEST(Sensitivity, AnAdditiveGridResponseWithoutNoiseHasNoPrcc) {
  // A tiny effect of the second parameter (0.01 against 3) gets PRCC −1 as
  // surely as the large one: the artefact, on the grid of a real sweep.
  std::vector<double> y;
  for (const auto& p : grid_2x3()) y.push_back(10 - 3 * p[0] - 0.01 * p[1]);
  auto s = sensitivity(grid_2x3(), y);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->prcc_not_estimable, kNoResidualVariation);
  for (double v : s->prcc) EXPECT_TRUE(std::isnan(v));
}

TEST(Sensitivity, ResidualVariationKeepsThePrcc) {
  // The same grid, once with replicate noise: the PRCCs are estimated, inside (−1, 1).
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  const double noise[] = {0.3, -0.2, 0.1, -0.4, 0.25, 0.05, -0.1, 0.35, -0.3, 0.15, -0.05, 0.2};
  for (int rep = 0; rep < 2; ++rep)
    for (const auto& p : grid_2x3()) {
      x.push_back(p);
      y.push_back(10 - 3 * p[0] - p[1] + noise[x.size() - 1]);
    }
  auto s = sensitivity(x, y);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->prcc_not_estimable, "");
  EXPECT_LT(s->prcc[0], -0.5);
  EXPECT_GT(s->prcc[0], -1 + 1e-6);
  EXPECT_LT(s->prcc[1], 0);
  EXPECT_GT(s->prcc[1], -1 + 1e-6);
}

TEST(Sensitivity, AConstantResponseSaysSo) {
  auto s = sensitivity(grid_2x3(), std::vector<double>(6, 4.0));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->prcc_not_estimable, kConstantResponse);
  for (double v : s->prcc) EXPECT_TRUE(std::isnan(v));
}

}  // namespace
}  // namespace pk
