// IED emplacement, lifetime and encounter against the closed form of
// docs/model.md §7, with the start-up transient computed exactly.
#include <cmath>

#include "worlds.hpp"

namespace pk::validation {
namespace {

// One route of L km in one zone; IEDs emplaced at λ per km·day, each alive
// Exponential(mean τ days); departures Poisson at c per day, travelling so
// fast (1e6 km/h: 1e-4 h for the route) that each departure sweeps the whole
// route at its departure instant. No halts, no EOD delay, no ambush, no UAV.
//
// Derivation (docs/model.md §2.1, §8.3). IEDs arrive as a Poisson process of rate
// Λ = λL per day on [0, H). Take one emplaced at s; write μ = 1/τ and
// k = c + μ. It is met by the first departure after s unless it expires first
// or the horizon comes first: the first departure is at s + Exp(c), the expiry
// at s + Exp(μ), independent, so
//   P(met before H)     = (c/k) (1 − e^{−k(H−s)}),
//   P(expired before H) = (μ/k) (1 − e^{−k(H−s)}).
// A met IED is detected with p_d (then removed: found_crew) or else
// detonates (pressure trigger, no jammer) — one encounter settles it, so
// detection and strike share that single event. The lead crew is trained
// with f, hence p_d = f·p_trained + (1 − f)·p_untrained per encounter.
// Integrating over s ∈ [0, H):
//   ∫₀^H (1 − e^{−k(H−s)}) ds = H − (1 − e^{−kH})/k =: H_eff,
//   E[emplaced]   = Λ H,
//   E[detonated]  = Λ (1 − p_d) (c/k) H_eff,
//   E[found_crew] = Λ p_d (c/k) H_eff,
//   E[expired]    = Λ (μ/k) H_eff.
// As H → ∞ the strike rate per day tends to λL (1 − p_d) c / (c + 1/τ), the
// steady state of docs/model.md §7; H_eff carries the exact transient, so no bias
// allowance is needed. The travel time (1e-4 h) is ignored: it shifts each
// encounter by under a second of simulated time.
// Each strike hits the only vehicle (crew 4) and kills each occupant with
// p_kill: E[KIA by IED] = 4 p_kill E[detonated].
TEST(IedSteadyState, DetonationsFindsAndExpiriesMatchClosedForm) {
  const double lambda = 0.02;  // per km·day
  const double length = 100;   // km
  const double tau = 4;        // days
  const double c = 1.5;        // departures per day
  const double horizon = 120;  // days
  const double f = 0.3, p_trained = 0.8, p_untrained = 0.2;
  const double p_kill = 0.1;

  Scenario s = quiet_world(horizon, length);
  s.vehicle_types[0].blast = {p_kill, 0.2};
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = lambda / kHoursPerDay,
                             .lifetime_hours = tau * kHoursPerDay,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = 1,
                             .complex_share = 0};
  Movement m = poisson_movement(0, c, 1e6);
  m.c_ied =
      CIed{.trained_fraction = f, .p_detect_trained = p_trained, .p_detect_untrained = p_untrained};
  s.movements = {m};

  const auto reps = run_replications(s, 20240601, 3000);

  const double big_lambda = lambda * length;
  const double mu = 1 / tau;
  const double k = c + mu;
  const double h_eff = horizon - (1 - std::exp(-k * horizon)) / k;
  const double p_d = f * p_trained + (1 - f) * p_untrained;
  const double met = big_lambda * (c / k) * h_eff;

  std::printf("[validation] steady-state strikes/day %.6g; exact mean over horizon %.6g/day\n",
              big_lambda * (1 - p_d) * c / (c + 1 / tau), (1 - p_d) * met / horizon);

  expect_mean("ied.emplaced", moments_of(reps, [](const Tally& t) { return t.ied.emplaced; }),
              big_lambda * horizon);
  expect_mean("ied.detonated", moments_of(reps, [](const Tally& t) { return t.ied.detonated; }),
              (1 - p_d) * met);
  expect_mean("ied.found_crew", moments_of(reps, [](const Tally& t) { return t.ied.found_crew; }),
              p_d * met);
  expect_mean("ied.expired", moments_of(reps, [](const Tally& t) { return t.ied.expired; }),
              big_lambda * (mu / k) * h_eff);
  expect_mean("departures", moments_of(reps, [](const Tally& t) { return t.departures; }),
              c * horizon);
  expect_mean("KIA by IED",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kIed].n[kKia]; }),
              4 * p_kill * (1 - p_d) * met);
  // Detection share among met IEDs, as a ratio of totals.
  expect_ratio("found_crew / (found_crew + detonated)",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.found_crew; },
                   [](const Tally& t) { return t.ied.found_crew + t.ied.detonated; }),
               p_d);
  for (const auto& t : reps) {
    ASSERT_EQ(t.ied.found_uav_area + t.ied.found_uav + t.ied.found_route_clearance + t.ied.jammed,
              0);
  }
}

}  // namespace
}  // namespace pk::validation
