// The year effect (docs/model.md §2.7): a gamma multiplier G_y with mean 1
// and variance c^2, drawn once per simulated year and shared by every zone
// and threat, on the threat's intensity. For a count N = sum_y N_y with
// N_y | G_y ~ Poisson(G_y mu_y):
//   E N = sum_y mu_y,   Var N = sum_y mu_y + c^2 sum_y mu_y^2
// (the law of total variance, the years independent). Each threat's path is
// checked: thinned arrivals on sites, thinned emplacement on roads, and a
// distance hazard through the precomputed leg hazards and the walk.
#include "worlds.hpp"

namespace pk::validation {
namespace {

constexpr double kCv = 0.4;

// Indirect fire on both sites of the zone for two years, with the intensity
// doubled over days [400, 500) of year 2: per site, year 1 has lambda 365
// attacks expected, year 2 lambda 465; the two sites share each year's G.
TEST(YearEffect, SiteAttacksAcrossTwoYearsShareEachYearsMultiplier) {
  Scenario s = quiet_world(730);
  const double per_day = 0.05;
  s.zones[0].idf = IdfThreat{.per_site_hour = per_day / kHoursPerDay,
                             .mean_rounds = 1,
                             .p_effective = 1,
                             .casualties_per_round = 1,
                             .kill_share = 0.5};
  s.zones[0].intensity = {window_days(400, 500, 2)};
  s.year_effect_cv = kCv;
  const auto reps = run_replications(s, 8101, 20000);
  const double mu1 = 2 * per_day * 365, mu2 = 2 * per_day * 465;
  const auto a = moments_of(reps, [](const Tally& t) { return t.attacks_on_sites(Cause::kIdf); });
  expect_mean("idf attacks", a, mu1 + mu2);
  expect_variance("idf attacks", a, mu1 + mu2 + kCv * kCv * (mu1 * mu1 + mu2 * mu2));
}

// IEDs emplaced on the 100 km route for two years, with no traffic: a
// thinned Poisson process per year.
TEST(YearEffect, IedEmplacementFollowsEachYearsMultiplier) {
  Scenario s = quiet_world(730);
  const double per_km_day = 0.002;
  s.zones[0].ied =
      IedThreat{.emplacement_per_km_hour = per_km_day / kHoursPerDay, .lifetime_hours = 240};
  s.year_effect_cv = kCv;
  const auto reps = run_replications(s, 8102, 20000);
  const double mu = per_km_day * 100 * 365;
  const auto e = moments_of(reps, [](const Tally& t) { return t.ied.emplaced; });
  expect_mean("ied emplaced", e, 2 * mu);
  expect_variance("ied emplaced", e, 2 * mu + kCv * kCv * 2 * mu * mu);
}

// Ambushes on a daily 200 km trip over 100 days (one year, one G): the
// whole legs lie in one epoch, so they take the precomputed leg hazard.
TEST(YearEffect, AmbushesInDistanceFollowTheYearsMultiplier) {
  Scenario s = quiet_world(100, 200);
  const double per_km = 1.0 / 1000;
  s.zones[0].ambush =
      AmbushThreat{.per_km = per_km, .p_hit = 0.1, .p_kill_given_hit = 0.5, .halted_factor = 1};
  Movement m = periodic_movement(0, 24, 1, 20);
  m.halt_hours = 0.1;
  s.movements = {m};
  s.year_effect_cv = kCv;
  const auto reps = run_replications(s, 8103, 20000);
  const double mu = per_km * 200 * 100;
  const auto a = moments_of(reps, [](const Tally& t) { return t.ambush_attacks; });
  expect_mean("ambushes", a, mu);
  expect_variance("ambushes", a, mu + kCv * kCv * mu * mu);
  // Without the year effect the count is Poisson: the same check with c = 0
  // would fail here by far (c^2 mu^2 = 0.64 against mu = 20).
  EXPECT_GT(a.var, 1.2 * mu);
}

}  // namespace
}  // namespace pk::validation
