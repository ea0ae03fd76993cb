// Contingents in the engine (docs/model.md §3.4): the learning curve after a
// rotation acts on the lead crews' detection, and results add up by contingent.
#include <cmath>

#include "worlds.hpp"

namespace pk::validation {
namespace {

// Derivation. One movement departs daily at 12:00 and drives its 100 km in no
// time, so it meets devices at t_d = 12 + 24 d h. Pressure IEDs live 6 h on
// average, so a departure meets those laid since the one before and still
// there: in expectation λ L τ (1 − e^(−24/τ)) each, except the first, which
// meets λ L τ (1 − e^(−12/τ)); its weight is w_0 = (1 − e^−2) / (1 − e^−4),
// every other w_d = 1. The untrained crew finds a device with p × L(t_d), L
// the contingent's learning factor, so
//   found_crew / met = p Σ w_d L(t_d) / Σ w_d.
// With no detector but the crew every device met is found or detonated.
TEST(Contingents, NewCrewsFindLessUntilTheyHaveLearnt) {
  const double p = 0.5, tau = 6;
  Scenario s = quiet_world(365, 100);
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = 0.05 / kHoursPerDay,
                             .lifetime_hours = tau,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = 1,
                             .complex_share = 0};
  Contingent c;
  c.id = "rotating";
  c.rotation = Contingent::Rotation{.first_hours = 30 * kHoursPerDay,
                                    .every_hours = 120 * kHoursPerDay,
                                    .learning_hours = 40 * kHoursPerDay,
                                    .initial_factor = 0.25};
  s.contingents = {c};
  Movement m = periodic_movement(0, 24, 12, 1e6);
  m.c_ied = CIed{.trained_fraction = 0, .p_detect_trained = 0, .p_detect_untrained = p};
  m.contingent = 0;
  s.movements = {m};

  double weighted = 0, weights = 0;
  for (int d = 0; d < 365; ++d) {
    const double w = d == 0 ? (1 - std::exp(-12 / tau)) / (1 - std::exp(-24 / tau)) : 1.0;
    weighted += w * c.learning(12 + 24.0 * d);
    weights += w;
  }
  const auto reps = run_replications(s, 20261209, 2000);
  expect_ratio("found_crew / met (learning after rotations)", crew_found_share(reps),
               p * weighted / weights);
  // The same crews without rotations find with p.
  s.contingents[0].rotation.reset();
  expect_ratio("found_crew / met (no rotation)",
               crew_found_share(run_replications(s, 20261209, 500)), p);
}

// fatalities_by_contingent is the sum over the contingent's movements and
// sites, replication by replication; a movement or site without one adds to none.
TEST(Contingents, ResultsAddUpByContingent) {
  Scenario s = quiet_world(200, 100);
  s.vehicle_types[0].blast = {0.3, 0.3};
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = 0.05 / kHoursPerDay,
                             .lifetime_hours = 48,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = 1,
                             .complex_share = 0};
  s.zones[0].idf = IdfThreat{.per_site_hour = 0.05 / kHoursPerDay,
                             .mean_rounds = 1,
                             .p_effective = 1,
                             .casualties_per_round = 1,
                             .kill_share = 0.5};
  Contingent north, south;
  north.id = "north";
  south.id = "south";
  s.contingents = {north, south};
  s.sites[0].contingent = 0;
  Movement a = periodic_movement(0, 24, 6, 40), b = poisson_movement(0, 0.5, 40), c = a;
  a.contingent = 0;
  b.contingent = 1;
  b.id = "b";
  c.id = "c";  // no contingent
  s.movements = {a, b, c};
  int64_t north_total = 0, south_total = 0;
  for (const Tally& t : run_replications(s, 20261210, 300)) {
    ASSERT_EQ(t.by_contingent.size(), 2u);
    ASSERT_EQ(t.by_contingent[0].fatalities(),
              t.by_movement[0].fatalities() + t.by_site[0].fatalities());
    ASSERT_EQ(t.by_contingent[1].fatalities(), t.by_movement[1].fatalities());
    north_total += t.by_contingent[0].fatalities();
    south_total += t.by_contingent[1].fatalities();
  }
  EXPECT_GT(north_total, 0);
  EXPECT_GT(south_total, 0);
}

}  // namespace
}  // namespace pk::validation
