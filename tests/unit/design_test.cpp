// Sweep designs and sensitivity indices against what they must be.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "experiment/design.hpp"
#include "stats/sensitivity.hpp"

namespace pk {
namespace {

Node num(const std::string& s) {
  Node n;
  n.kind = Node::Kind::kScalar;
  n.scalar = s;
  return n;
}

SweepSpec two_parameters(const std::string& design) {
  SweepSpec s;
  s.design = design;
  SweepParameter a;
  a.path = "uav.aircraft";
  if (design == "grid")
    a.values = {num("0"), num("2"), num("4")};
  else
    a.range = SweepRange{0, 8, std::nullopt};
  SweepParameter b;
  b.path = "movements[*].c_ied.trained_fraction";
  b.range = SweepRange{0.0, 1.0, design == "grid" ? std::optional<int64_t>(5) : std::nullopt};
  s.parameters = {a, b};
  return s;
}

TEST(Design, GridIsTheFullProductLastParameterFastest) {
  std::vector<SweepPoint> pts;
  std::string err;
  ASSERT_TRUE(make_design(two_parameters("grid"), 1, pts, err)) << err;
  ASSERT_EQ(pts.size(), 15u);
  EXPECT_EQ(pts[0].overrides[0].value.scalar, "0");
  EXPECT_EQ(pts[1].overrides[1].value.scalar, "0.25");
  EXPECT_EQ(pts[5].overrides[0].value.scalar, "2");
  EXPECT_EQ(pts[14].overrides[1].value.scalar, "1");
  EXPECT_DOUBLE_EQ(pts[7].numeric[1], 0.5);
}

TEST(Design, LatinHypercubePutsOneSampleInEachStratum) {
  SweepSpec s = two_parameters("latin_hypercube");
  s.parameters[0].path = "zones[north].ied.lifetime_days";  // a real number: no rounding
  s.parameters[0].range = SweepRange{0.5, 1.0, std::nullopt};
  s.samples = 40;
  std::vector<SweepPoint> pts;
  std::string err;
  ASSERT_TRUE(make_design(s, 3, pts, err)) << err;
  ASSERT_EQ(pts.size(), 40u);
  for (size_t p = 0; p < 2; ++p) {
    const double lo = p == 0 ? 0.5 : 0.0, hi = 1.0;
    std::set<int> strata;
    for (const auto& pt : pts) {
      const double u = (pt.numeric[p] - lo) / (hi - lo);
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<int>(u * 40));
    }
    EXPECT_EQ(strata.size(), 40u) << "parameter " << p;
  }
  // The same seed gives the same design; another seed another.
  std::vector<SweepPoint> again, other;
  ASSERT_TRUE(make_design(s, 3, again, err));
  ASSERT_TRUE(make_design(s, 4, other, err));
  EXPECT_EQ(again[7].numeric, pts[7].numeric);
  EXPECT_NE(other[7].numeric, pts[7].numeric);
}

TEST(Design, WholeNumberRangesGiveWholeNumbers) {
  SweepSpec s = two_parameters("sobol");
  s.samples = 16;
  std::vector<SweepPoint> pts;
  std::string err;
  ASSERT_TRUE(make_design(s, 1, pts, err)) << err;
  std::set<double> seen;
  for (const auto& pt : pts) {
    EXPECT_EQ(pt.numeric[0], std::round(pt.numeric[0]));
    EXPECT_GE(pt.numeric[0], 0);
    EXPECT_LE(pt.numeric[0], 8);
    EXPECT_GE(pt.numeric[1], 0);
    EXPECT_LT(pt.numeric[1], 1);
    seen.insert(pt.numeric[1]);
  }
  EXPECT_EQ(seen.size(), 16u);
}

TEST(Design, MoreThanAMillionPointsIsRefusedUpFront) {
  SweepSpec s = two_parameters("grid");
  s.parameters[1].range->steps = 400000;  // 3 × 400,000
  std::vector<SweepPoint> pts;
  std::string err;
  EXPECT_FALSE(make_design(s, 1, pts, err));
  EXPECT_NE(err.find("1200000 points"), std::string::npos) << err;
}

TEST(Sensitivity, RecoversAKnownLinearResponse) {
  // y = 3 x1 - x2 exactly, x3 irrelevant: SRC_i = b_i sd(x_i) / sd(y), PRCC = ±1, 0.
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (int i = 0; i < 50; ++i) {
    const double x1 = i % 7, x2 = (i * 13) % 11, x3 = (i * 5) % 3;
    x.push_back({x1, x2, x3});
    y.push_back(3 * x1 - x2);
  }
  auto s = sensitivity(x, y);
  ASSERT_TRUE(s);
  auto sd = [](const std::vector<double>& v) {
    double m = 0;
    for (double a : v) m += a;
    m /= v.size();
    double ss = 0;
    for (double a : v) ss += (a - m) * (a - m);
    return std::sqrt(ss / (v.size() - 1));
  };
  std::vector<double> c1, c2;
  for (const auto& r : x) c1.push_back(r[0]), c2.push_back(r[1]);
  EXPECT_NEAR(s->src[0], 3 * sd(c1) / sd(y), 1e-9);
  EXPECT_NEAR(s->src[1], -1 * sd(c2) / sd(y), 1e-9);
  EXPECT_NEAR(s->src[2], 0, 1e-9);
  EXPECT_NEAR(s->r2, 1, 1e-12);
  EXPECT_GT(s->prcc[0], 0.9);
  EXPECT_LT(s->prcc[1], -0.9);
  EXPECT_LT(std::fabs(s->prcc[2]), 0.3);
  EXPECT_FALSE(sensitivity({{1, 2, 3}}, {1.0}));  // too few points
}

}  // namespace
}  // namespace pk
