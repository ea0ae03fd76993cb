// An arm's cost on one basis (docs/model.md §6, "Costs"): the equivalent
// annual cost of a purchase against the present value it must equal, and the
// vehicle-km a schedule drives against the arithmetic of the schedule.
#include <gtest/gtest.h>

#include <cmath>

#include "scenario/arm_cost.hpp"
#include "scenario/exposure.hpp"
#include "scenario/loader.hpp"
#include "support.hpp"

namespace pk {
namespace {

// The present value of 1 paid at the start of each of L years (the first now).
double present_value_of_level_payments(double rate, int life_years) {
  double pv = 0;
  for (int k = 0; k < life_years; ++k) pv += std::pow(1 + rate, -k);
  return pv;
}

TEST(ArmCost, AnnuityRepaysTheCapitalInPresentValue) {
  for (double rate : {0.0, 0.001, 0.03, 0.07, 0.2})
    for (int life : {1, 2, 8, 15, 40}) {
      const double payment = annuity_due_factor(rate, life);
      EXPECT_NEAR(payment * present_value_of_level_payments(rate, life), 1.0, 1e-12)
          << "rate " << rate << " life " << life;
    }
}

TEST(ArmCost, OneYearLifeIsTheCapitalAndNoDiscountIsStraightLine) {
  for (double rate : {0.0, 0.03, 0.5}) EXPECT_DOUBLE_EQ(annuity_due_factor(rate, 1), 1.0);
  EXPECT_DOUBLE_EQ(annuity_due_factor(0, 8), 0.125);
  // Continuous in the rate at 0 (the expm1/log1p form has no cancellation).
  EXPECT_NEAR(annuity_due_factor(1e-12, 8), 0.125, 1e-12);
}

TEST(ArmCost, EquivalentAnnualCostAddsItsParts) {
  ArmCost c;
  c.basis = CostBasis::kEquivalentAnnual;
  c.capital_usd = 8e6;
  c.service_life_years = 8;
  c.discount_rate = 0;
  c.annual_om_usd = 250000;
  c.per_vehicle_km_usd = 2;
  c.added_vehicle_km_per_year = 50000;
  EXPECT_DOUBLE_EQ(c.per_year_usd(0.5), 1e6 + 250000 + 100000);
  EXPECT_DOUBLE_EQ(c.horizon_usd(0.5), 0.5 * (1e6 + 250000 + 100000));
}

TEST(ArmCost, WrittenCostsKeepTheirMeaning) {
  ArmCost horizon;
  horizon.written_usd = 100000;
  EXPECT_DOUBLE_EQ(horizon.horizon_usd(0.2), 100000);
  EXPECT_DOUBLE_EQ(horizon.per_year_usd(0.2), 500000);
  ArmCost per_year = horizon;
  per_year.basis = CostBasis::kPerYear;
  EXPECT_DOUBLE_EQ(per_year.horizon_usd(0.2), 20000);
  EXPECT_DOUBLE_EQ(per_year.per_year_usd(0.2), 100000);
}

// small.yaml: 5 trucks leave every 48 h from hour 6 on a 60 km route and come
// back: floor((8760 - 6) / 48) + 1 = 183 departures x 5 x 120 km in a year.
TEST(Exposure, VehicleKmFollowTheSchedule) {
  Diagnostics d("small.yaml");
  const auto ls = load_scenario(test::source_path("tests/data/run/small.yaml"), d);
  ASSERT_TRUE(ls) << d.error_count() << " errors";
  const Scenario& s = ls->baseline();
  EXPECT_DOUBLE_EQ(expected_departures(s.movements[0], s.horizon_hours), 183);
  EXPECT_DOUBLE_EQ(vehicle_km_per_year(s, 0), 183.0 * 5 * 120);
  EXPECT_DOUBLE_EQ(vehicle_km_per_year(s, 1), 0);  // no such type on any movement
}

}  // namespace
}  // namespace pk
