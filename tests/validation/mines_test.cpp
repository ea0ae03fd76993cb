// Mines: a Poisson stock at t = 0 and, optionally, laying on with a lifetime,
// met by movements with the IED encounter logic, counted apart from IEDs
// (docs/model.md §2.2, §8.2, §8.9).
#include "worlds.hpp"

namespace pk::validation {
namespace {

// Derivation. A zone with mines.per_km = m lays Poisson(m · L) mines on its
// L km of route at t = 0 (positions uniform), whatever the intensity factor
// (§8.2: mines are laid once and not scaled). So laid has mean and variance
// m L. A lead crew that always detects (untrained, p_detect_untrained 1,
// trained_fraction 0) finds every mine it meets: one departure at t = 0 at
// 1e6 km/h sweeps the whole route, so found_crew = laid and detonated = 0 in
// every replication.
TEST(Mines, PoissonFieldAllFoundByAlwaysDetectingCrew) {
  const double per_km = 0.05, length = 200;
  Scenario s = quiet_world(10, length);
  s.zones[0].mines = MineField{.per_km = per_km};
  s.zones[0].intensity = {window_days(0, 10, 3)};  // must not scale mines
  Movement m = periodic_movement(0, 1e6, 0, 1e6);
  m.c_ied = CIed{.trained_fraction = 0, .p_detect_trained = 1, .p_detect_untrained = 1};
  s.movements = {m};
  const auto reps = run_replications(s, 8080, 20000);

  const auto laid = moments_of(reps, [](const Tally& t) { return t.mine.emplaced; });
  expect_mean("mine.laid", laid, per_km * length);
  expect_variance("mine.laid", laid, per_km * length);
  for (const auto& t : reps) {
    ASSERT_EQ(t.mine.found_crew, t.mine.emplaced);
    ASSERT_EQ(t.mine.detonated, 0);
    ASSERT_EQ(t.ied.emplaced + t.ied.found_crew + t.ied.detonated, 0);
  }
}

// A single slow movement with no detection: 400 km route, 5 km/h, one
// departure at t = 0, horizon 2 days. It is cut at 48 h (§8.3) after
// 240 km (no halts: halt_hours 0, no EOD). The mines on [0, 240) km of a
// uniform Poisson field with m per km are Poisson(240 m), and every one met
// detonates (pressure, no jammer):
//   E[detonated] = Var[detonated] = m · v · H = 0.1 · 5 · 48 = 24.
// Each strike hits the only vehicle (lead share 1 without an ied block,
// §8.9), 4 crew, each killed with p_kill: E[KIA by mine] = 4 p_kill · 24.
TEST(Mines, SlowMovementDetonatesMinesMetBeforeHorizon) {
  const double per_km = 0.1, length = 400, speed = 5, horizon_hours = 48, p_kill = 0.1;
  Scenario s = quiet_world(horizon_hours / kHoursPerDay, length);
  s.vehicle_types[0].blast = {p_kill, 0.2};
  s.zones[0].mines = MineField{.per_km = per_km};
  s.movements = {periodic_movement(0, 1e6, 0, speed)};
  const auto reps = run_replications(s, 8081, 20000);

  const double met = per_km * speed * horizon_hours;
  const auto laid = moments_of(reps, [](const Tally& t) { return t.mine.emplaced; });
  expect_mean("mine.laid (400 km)", laid, per_km * length);
  const auto det = moments_of(reps, [](const Tally& t) { return t.mine.detonated; });
  expect_mean("mine.detonated", det, met);
  expect_variance("mine.detonated", det, met);
  expect_mean("mine KIA",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kMine].n[kKia]; }),
              4 * p_kill * met);
  for (const auto& t : reps) {
    ASSERT_NEAR(t.movement_km, speed * horizon_hours, 1e-6);
    ASSERT_EQ(t.mine.found_crew, 0);
    ASSERT_EQ(t.ied.detonated, 0);
    ASSERT_EQ(t.by_cause[kIed].n[kKia], 0);
  }
}

// Laying on at λ per km per hour with an exponential lifetime ℓ, no traffic,
// the stock at t = 0 at its steady state λℓ per km (per_km not given).
// Derivation: laid = Poisson(λℓL) + Poisson(λLH). A stock mine expires
// before H with probability 1 − e^{−H/ℓ}; one laid at t with 1 − e^{−(H−t)/ℓ},
// which integrates to λL(H − ℓ(1 − e^{−H/ℓ})). The two sum to
// E[expired] = λLH: as many mines expire as are laid, the stock is stationary.
TEST(Mines, LayingOnWithLifetimeIsStationaryWithoutTraffic) {
  const double lambda = 0.002, length = 150, lifetime = 30 * kHoursPerDay;
  const double horizon = 90 * kHoursPerDay;
  Scenario s = quiet_world(horizon / kHoursPerDay, length);
  s.zones[0].mines = MineField{
      .per_km = 0, .laying_per_km_hour = lambda, .lifetime_hours = lifetime, .steady_stock = true};
  const auto reps = run_replications(s, 8082, 4000);

  const double stock = lambda * lifetime * length, laid_on = lambda * length * horizon;
  const auto laid = moments_of(reps, [](const Tally& t) { return t.mine.emplaced; });
  expect_mean("mine.laid", laid, stock + laid_on);
  expect_variance("mine.laid", laid, stock + laid_on);
  expect_mean("mine.expired", moments_of(reps, [](const Tally& t) { return t.mine.expired; }),
              laid_on);
}

// The annual rate of mines met must not depend on the horizon (a 90-day and a
// 365-day run of the same mission). Poisson departures at P per hour sweep
// the route at once with a crew that finds every mine, so each passage
// removes what lies there. A mine leaves at rate 1/ℓ + P, so the steady stock
// is λL / (1/ℓ + P), and by PASTA each passage finds that many on average:
//   E[found per hour] = P λL / (1/ℓ + P),
// at either horizon, because the stock at t = 0 is that steady state.
TEST(Mines, AnnualRateMetDoesNotDependOnTheHorizon) {
  const double lambda = 0.001, length = 100, lifetime = 60 * kHoursPerDay;
  const double per_day = 0.5, passages = per_day / kHoursPerDay;
  const double per_hour = passages * lambda * length / (1.0 / lifetime + passages);
  for (const double days : {90.0, 365.0}) {
    Scenario s = quiet_world(days, length);
    s.zones[0].mines = MineField{.per_km = 0,
                                 .laying_per_km_hour = lambda,
                                 .lifetime_hours = lifetime,
                                 .steady_stock = true};
    Movement m = poisson_movement(0, per_day, 1e6);
    m.c_ied = CIed{.trained_fraction = 0, .p_detect_trained = 1, .p_detect_untrained = 1};
    s.movements = {m};
    const auto reps = run_replications(s, 8083, 4000);
    const auto found = moments_of(reps, [&](const Tally& t) {
      return static_cast<double>(t.mine.found_crew) * kDaysPerYear / days;
    });
    expect_mean("mines found per year, horizon " + std::to_string(int(days)) + " days", found,
                per_hour * kHoursPerDay * kDaysPerYear);
  }
}

}  // namespace
}  // namespace pk::validation
