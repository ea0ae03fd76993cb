// UAV area coverage: deterrence thins IED emplacement and a share of the rest
// is seen as it is laid (docs/model.md §2.1, §3.2, §8.4, §8.5, §8.15).
#include <cmath>

#include "worlds.hpp"

namespace pk::validation {
namespace {

// The world: zone 0 (under area surveillance) and zone 1 (not). Route r0 is
// 120 km in zone 0; route r1 is 80 km in zone 0 then 50 km in zone 1. So
// L0 = 200 km of route in zone 0 and L1 = 50 km in zone 1 (every route
// counts, used or not: §8.4). No movements (so no overwatch demand, and no
// encounters: IEDs only expire). IEDs: λ0 = 0.05 and λ1 = 0.04 per km·day,
// lifetime 2 days. Fleet: n = 3 aircraft, availability a = 0.7, grounding
// g = 0.2, area over zone 0 with km_per_aircraft 80, p_observe 0.6,
// deterrence 0.5. Horizon 100 days.
//
// Derivation. Each day is grounded with g (c = 0); otherwise K ~ Binomial(n, a)
// aircraft are capable and all fly area (no overwatch block, §8.15), so in
// zone 0 c = min(1, K · 80 / L0), constant through the day. Over the daily
// draw,
//   E[c]  = (1 − g) Σ_k Binom(k; n, a) min(1, 80k/L0),   E[c²] likewise.
// Given the day's c, zone 0's IEDs are emplaced at λ0 L0 (1 − 0.5 c) per
// day (emplaced counts the ones seen, §8.5), each seen with 0.6 c; zone 1
// has c = 0. The days are exchangeable, so with H = 100 days
//   E[emplaced]       = λ0 L0 H (1 − 0.5 E[c]) + λ1 L1 H,
//   E[found_uav_area] = λ0 L0 H · 0.6 (E[c] − 0.5 E[c²]).
// Unseen IEDs are laid at an expected rate that is the same every day,
//   ρ = λ0 L0 (1 − 0.5 E[c] − 0.6 E[c] + 0.3 E[c²]) + λ1 L1 per day,
// and each expires before the horizon with 1 − e^{−μ(H − s)}, μ = 1/2 per day:
//   E[expired] = ρ (H − (1 − e^{−μH})/μ).
// (The denominator matters: counting all 250 km of the routes that touch
// zone 0 would lower E[c] from 0.617 to 0.538, and E[emplaced] by 40.)
TEST(UavArea, CoverageDetersAndObservesEmplacement) {
  const double l0 = 200, l1 = 50, lambda0 = 0.05, lambda1 = 0.04, tau = 2, horizon = 100;
  const int n = 3;
  const double a = 0.7, g = 0.2, kpa = 80, p_observe = 0.6, deterrence = 0.5;

  Scenario s = quiet_world(horizon, 120);
  s.zones.push_back(quiet_zone("z1"));
  s.routes.push_back(
      Route{.id = "r1",
            .from = 1,
            .to = 0,
            .segments = {Segment{.zone = 0, .length_km = 80}, Segment{.zone = 1, .length_km = l1}},
            .length_km = 80 + l1});
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = lambda0 / kHoursPerDay,
                             .lifetime_hours = tau * kHoursPerDay};
  s.zones[1].ied = IedThreat{.emplacement_per_km_hour = lambda1 / kHoursPerDay,
                             .lifetime_hours = tau * kHoursPerDay};
  s.uav = Uav{
      .aircraft = n,
      .availability = a,
      .weather_grounding = g,
      .overwatch = std::nullopt,
      .area = UavArea{
          .zones = {0}, .km_per_aircraft = kpa, .p_observe = p_observe, .deterrence = deterrence}};
  const auto reps = run_replications(s, 4242, 2000);

  double ec = 0, ec2 = 0;
  for (int k = 0; k <= n; ++k) {
    const double binom = std::tgamma(n + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(n - k + 1.0)) *
                         std::pow(a, k) * std::pow(1 - a, n - k);
    const double c = std::min(1.0, k * kpa / l0);
    ec += (1 - g) * binom * c;
    ec2 += (1 - g) * binom * c * c;
  }
  std::printf("[validation] E[c] = %.6f, E[c^2] = %.6f\n", ec, ec2);
  const double r0 = lambda0 * l0, r1 = lambda1 * l1;
  const double mu = 1 / tau;

  expect_mean("ied.emplaced", moments_of(reps, [](const Tally& t) { return t.ied.emplaced; }),
              r0 * horizon * (1 - deterrence * ec) + r1 * horizon);
  expect_mean("ied.found_uav_area",
              moments_of(reps, [](const Tally& t) { return t.ied.found_uav_area; }),
              r0 * horizon * p_observe * (ec - deterrence * ec2));
  const double unseen =
      r0 * (1 - deterrence * ec - p_observe * ec + deterrence * p_observe * ec2) + r1;
  expect_mean("ied.expired", moments_of(reps, [](const Tally& t) { return t.ied.expired; }),
              unseen * (horizon - (1 - std::exp(-mu * horizon)) / mu));
  for (const auto& t : reps) {
    ASSERT_EQ(t.ied.detonated + t.ied.found_crew + t.ied.found_uav, 0);
  }
}

}  // namespace
}  // namespace pk::validation
