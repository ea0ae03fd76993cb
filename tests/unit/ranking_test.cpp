// The procedure KN (stats/ranking.hpp): its constants against the formulas of
// Kim & Nelson (2001), its elimination on data worked by hand, and its
// probability of correct selection on normal systems with common random
// numbers (the full study: docs/select.md, tools/studies/ranking_pcs.cpp).
#include "stats/ranking.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace pk {
namespace {

TEST(Ranking, TheConstantsAreKimAndNelsons) {
  // k = 2, α = 0.05, n0 = 10: η = ½[(2·0.05/1)^(−2/9) − 1] = ½(10^(2/9) − 1).
  KimNelson two(2, {.indifference_zone = 1, .confidence = 0.95, .first_stage = 10});
  EXPECT_NEAR(two.eta(), 0.5 * (std::pow(10.0, 2.0 / 9) - 1), 1e-12);
  EXPECT_NEAR(two.h2(), 2 * two.eta() * 9, 1e-12);
  // k = 10, α = 0.05, n0 = 20: η = ½[(0.1/9)^(−2/19) − 1].
  KimNelson ten(10, {.indifference_zone = 1, .confidence = 0.95, .first_stage = 20});
  EXPECT_NEAR(ten.eta(), 0.5 * (std::pow(0.1 / 9, -2.0 / 19) - 1), 1e-12);
}

TEST(Ranking, EliminationFollowsTheTriangleWorkedByHand) {
  // Two systems, n0 = 2, δ = 1, confidence 0.95: η = ½(0.1^(−2) − 1) = 49.5,
  // h² = 99. First stage: differences 1 and 3, mean 2, S² = 2, N = ⌊99·2⌋ = 198.
  KimNelson kn(2, {.indifference_zone = 1, .confidence = 0.95, .first_stage = 2});
  EXPECT_FALSE(kn.observe({1, 0}));
  EXPECT_EQ(kn.bound(), 0);
  // At r = 2 the half-width is W = (1/4)(99·2 − 2) = 49 > 2: both stay.
  EXPECT_FALSE(kn.observe({3, 0}));
  EXPECT_EQ(kn.bound(), 199);
  EXPECT_EQ(kn.contenders(), 2u);
  // W(r) = (1/2r)(198 − r) shrinks as r grows; the sum of differences grows by
  // 2 a replication: the mean difference 2 exceeds W once 2 > (198 − r)/(2r),
  // that is r > 39.6 — system 1 goes at r = 40, not before.
  for (int r = 3; r < 40; ++r) {
    EXPECT_FALSE(kn.observe({2, 0})) << r;
    EXPECT_EQ(kn.contenders(), 2u) << r;
  }
  EXPECT_TRUE(kn.observe({2, 0}));
  EXPECT_EQ(kn.selected(), 0u);
  EXPECT_EQ(kn.replications_of(1), 40);
  EXPECT_DOUBLE_EQ(kn.mean(0), 2.0);
}

TEST(Ranking, IdenticalSystemsEndAtTheFirstStage) {
  // Zero variance of every difference: the region is empty, the first stage
  // decides (ties to the first).
  KimNelson kn(3, {.indifference_zone = 0.5, .confidence = 0.9, .first_stage = 5});
  for (int r = 0; r < 4; ++r) EXPECT_FALSE(kn.observe({1, 1, 1}));
  EXPECT_TRUE(kn.observe({1, 1, 1}));
  EXPECT_EQ(kn.selected(), 0u);
  KimNelson one(1, {});
  EXPECT_TRUE(one.done());
  EXPECT_EQ(one.selected(), 0u);
}

TEST(Ranking, BadSettingsAreRefused) {
  EXPECT_THROW(KimNelson(3, {.indifference_zone = 0}), std::invalid_argument);
  EXPECT_THROW(KimNelson(3, {.indifference_zone = 1, .confidence = 1}), std::invalid_argument);
  EXPECT_THROW(KimNelson(3, {.indifference_zone = 1, .confidence = 0.9, .first_stage = 1}),
               std::invalid_argument);
  EXPECT_STREQ(ranking_settings_error({}), "");
}

TEST(Ranking, CorrectSelectionHoldsInTheSlippageConfiguration) {
  // Five normal systems, correlation 0.5, the best δ = 0.25 σ ahead of four
  // equal ones: P(correct selection) must be at least 0.95. With 400
  // macroreplications the count correct falls below 365 with probability
  // 0.0006 if it holds (P(Binomial(400, 0.95) <= 364)).
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  constexpr int kMacro = 400;
  int correct = 0;
  std::vector<double> x(5);
  for (int m = 0; m < kMacro; ++m) {
    KimNelson kn(5, {.indifference_zone = 0.25, .confidence = 0.95, .first_stage = 20});
    while (!kn.done()) {
      const double z = normal(rng);
      for (size_t i = 0; i < 5; ++i)
        x[i] = (i == 0 ? 0.25 : 0.0) + std::sqrt(0.5) * z + std::sqrt(0.5) * normal(rng);
      kn.observe(x);
    }
    correct += kn.selected() == 0;
  }
  EXPECT_GE(correct, 365) << correct << " of " << kMacro;
}

// Screening keeps the best with probability at least 1 - α in the slippage
// configuration (200 systems, correlation 0.5, the best δ = 0.25 σ ahead):
// with 400 macroreplications at α = 0.05, fewer than 365 kept would happen
// with probability 0.0006 if the guarantee holds. It must also screen:
// far-behind systems (4 σ below) are all dropped.
TEST(Ranking, ScreeningKeepsTheBestAndDropsTheHopeless) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  constexpr int kMacro = 400;
  constexpr size_t kSystems = 200;
  int kept_best = 0;
  size_t kept_hopeless = 0;
  for (int m = 0; m < kMacro; ++m) {
    std::vector<std::vector<double>> x(kSystems, std::vector<double>(20));
    for (size_t j = 0; j < 20; ++j) {
      const double z = normal(rng);
      for (size_t i = 0; i < kSystems; ++i) {
        const double mu = i == 0 ? 0.25 : i < 100 ? 0.0 : -4.0;
        x[i][j] = mu + std::sqrt(0.5) * z + std::sqrt(0.5) * normal(rng);
      }
    }
    const std::vector<size_t> kept = screen_to_the_best(x, 0.25, 0.05);
    kept_best += !kept.empty() && kept.front() == 0;
    for (size_t i : kept) kept_hopeless += i >= 100;
  }
  EXPECT_GE(kept_best, 365) << kept_best << " of " << kMacro;
  EXPECT_EQ(kept_hopeless, 0u);
}

}  // namespace
}  // namespace pk
