// Died of wounds at a known time to care: the dow_curve is read as a
// piecewise-linear table, flat beyond its ends (docs/model.md §3.3, §8.16–§8.18).
#include <cmath>

#include "worlds.hpp"

namespace pk::validation {
namespace {

// Casualties come from IDF on site a only (site b sits in a quiet zone):
// 2 attacks per day for 100 days, one round each (mean_rounds 1), always
// effective, Poisson(3) casualties per round, killed with 0.2, else wounded.
//
// Derivation. Every wounded person dies of wounds with dow_curve(T) where T is
// the time to care of their casualty event, independently given T (§3.3).
// When T is the same fixed number t for every event,
//   DOW / (DOW + WIA) = dow_curve(t)  in expectation,
// estimated as a ratio of totals over replications (delta-method SE).
// One IDF attack with at least one wounded is one request (§8.16); the
// wounded of an attack are Poisson(3 · 0.8), so
//   E[requests] = Λ (1 − e^{−2.4}),  Λ = 2 · 100.
//
// Times to care used here:
// - helicopters: 0 → "sends everyone by ground at once" (§8.18). We read "at
//   once" as no wait at all: T = ground_evac_hours, whatever max_wait_hours
//   says (the max wait of §8.17 is the wait for a helicopter, and there is
//   none to wait for); every request counts as ground, with zero wait.
// - night flying, 50 helicopters, flight sd 0: a helicopter is always free
//   (200 requests in 100 days, each holding one for ≤ 1 h), so
//   T = dispatch_hours + flight_hours exactly (§8.17), no wait, no ground.
const std::vector<std::pair<double, double>> kCurve = {{0.5, 0.1}, {1.5, 0.3}, {4.0, 0.5}};

// The curve as docs/model.md §3.3 defines it, written independently of the engine.
double dow_curve(double t) {
  if (t <= kCurve.front().first) return kCurve.front().second;
  if (t >= kCurve.back().first) return kCurve.back().second;
  for (size_t i = 1; i < kCurve.size(); ++i) {
    if (t <= kCurve[i].first) {
      const auto [t0, p0] = kCurve[i - 1];
      const auto [t1, p1] = kCurve[i];
      return p0 + (p1 - p0) * (t - t0) / (t1 - t0);
    }
  }
  return kCurve.back().second;
}

Scenario dow_world(const Medevac& medevac) {
  Scenario s = quiet_world(100);
  s.zones.push_back(quiet_zone("quiet"));
  s.sites[1].zone = 1;
  s.zones[0].idf = IdfThreat{.per_site_hour = 2 / kHoursPerDay,
                             .mean_rounds = 1,
                             .p_effective = 1,
                             .casualties_per_round = 3,
                             .kill_share = 0.2};
  s.medevac = medevac;
  return s;
}

std::vector<Tally> check_dow(const std::string& name, const Medevac& medevac, double t,
                             uint64_t seed) {
  const Scenario s = dow_world(medevac);
  auto reps = run_replications(s, seed, 1000);
  expect_ratio(
      name + ": DOW/(DOW+WIA) at T=" + std::to_string(t),
      ratio_of(
          reps, [](const Tally& x) { return x.by_cause[kIdf].n[kDow]; },
          [](const Tally& x) { return x.by_cause[kIdf].n[kDow] + x.by_cause[kIdf].n[kWia]; }),
      dow_curve(t));
  expect_mean(name + ": medevac requests",
              moments_of(reps, [](const Tally& x) { return x.medevac_requests; }),
              200 * (1 - std::exp(-2.4)));
  expect_mean(name + ": IDF KIA",
              moments_of(reps, [](const Tally& x) { return x.by_cause[kIdf].n[kKia]; }),
              200 * 3 * 0.2);
  return reps;
}

TEST(MedevacDow, NoHelicoptersGroundAtOnceInterpolatesCurve) {
  // T = ground 3 h: between (1.5, 0.3) and (4, 0.5) → 0.42. max_wait 1.5 h
  // must not be added (§8.18 "at once").
  const Medevac m{.helicopters = 0,
                  .dispatch_hours = 0.25,
                  .flight_hours = 0.75,
                  .night_flying = true,
                  .max_wait_hours = 1.5,
                  .ground_evac_hours = 3.0,
                  .dow_curve = kCurve};
  const auto reps = check_dow("no helicopters, ground 3 h", m, 3.0, 31001);
  for (const auto& x : reps) {
    ASSERT_EQ(x.medevac_ground, x.medevac_requests);
    ASSERT_EQ(x.medevac_wait_hours, 0.0);
  }
}

TEST(MedevacDow, NoHelicoptersBeyondLastPointIsFlat) {
  const Medevac m{
      .helicopters = 0, .max_wait_hours = 0, .ground_evac_hours = 10.0, .dow_curve = kCurve};
  check_dow("no helicopters, ground 10 h", m, 10.0, 31002);
}

TEST(MedevacDow, FreeHelicopterGivesDispatchPlusFlight) {
  // T = 0.25 + 0.75 = 1 h: between (0.5, 0.1) and (1.5, 0.3) → 0.2.
  const Medevac m{.helicopters = 50,
                  .dispatch_hours = 0.25,
                  .flight_hours = 0.75,
                  .flight_sd_hours = 0,
                  .night_flying = true,
                  .max_wait_hours = 2,
                  .ground_evac_hours = 10,
                  .dow_curve = kCurve};
  const auto reps = check_dow("50 helicopters, T 1 h", m, 1.0, 31003);
  for (const auto& x : reps) {
    ASSERT_EQ(x.medevac_ground, 0);
    ASSERT_EQ(x.medevac_waited, 0);
    ASSERT_EQ(x.medevac_wait_hours, 0.0);
  }
}

TEST(MedevacDow, BeforeFirstPointIsFlat) {
  // T = 0.1 + 0.2 = 0.3 h < 0.5 h → 0.1.
  const Medevac m{.helicopters = 50,
                  .dispatch_hours = 0.1,
                  .flight_hours = 0.2,
                  .flight_sd_hours = 0,
                  .night_flying = true,
                  .max_wait_hours = 2,
                  .ground_evac_hours = 10,
                  .dow_curve = kCurve};
  check_dow("50 helicopters, T 0.3 h", m, 0.3, 31004);
}

}  // namespace
}  // namespace pk::validation
