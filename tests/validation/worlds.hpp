// Small worlds and statistical checks for the validation tests.
//
// Each validation test builds a typed Scenario directly (units as in
// scenario/scenario.hpp: hours, km, per-hour rates, per-km ambush rate),
// plays it for many replications with fixed seeds and compares the engine's
// mean with a value derived from docs/model.md alone (a closed form or a small
// independent calculation written in the test). The tolerance is
// 4.5 standard errors of the estimate plus, where the reference value is an
// approximation, a stated bias allowance.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/simulator.hpp"
#include "sim/tally.hpp"

namespace pk::validation {

inline constexpr double kZ = 4.5;  // tolerance in standard errors

inline constexpr int kIed = static_cast<int>(Cause::kIed);
inline constexpr int kMine = static_cast<int>(Cause::kMine);
inline constexpr int kAmbush = static_cast<int>(Cause::kAmbush);
inline constexpr int kIdf = static_cast<int>(Cause::kIdf);
inline constexpr int kVbied = static_cast<int>(Cause::kVbied);
inline constexpr int kKia = static_cast<int>(Outcome::kKia);
inline constexpr int kDow = static_cast<int>(Outcome::kDow);
inline constexpr int kWia = static_cast<int>(Outcome::kWia);

// ---------------------------------------------------------------- worlds

// A zone with no threats.
inline Zone quiet_zone(std::string id) {
  Zone z;
  z.id = std::move(id);
  return z;
}

// One quiet zone (no threats), two sites in it and one route a→b of
// `route_km` km in that zone; one vehicle type "truck" that no blast hurts.
// No movements, no UAV, no MEDEVAC: tests add what they need.
inline Scenario quiet_world(double horizon_days, double route_km = 100.0) {
  Scenario s;
  s.name = "validation";
  s.horizon_hours = horizon_days * kHoursPerDay;
  s.seed = 1;
  s.vehicle_types = {VehicleType{.id = "truck", .seats = 8, .blast = {0, 0}, .ambush_exposure = 1}};
  s.zones = {quiet_zone("z0")};
  s.sites = {Site{.id = "a", .zone = 0, .personnel = 500},
             Site{.id = "b", .zone = 0, .personnel = 500}};
  s.routes = {Route{.id = "r0",
                    .from = 0,
                    .to = 1,
                    .segments = {Segment{.zone = 0, .length_km = route_km}},
                    .length_km = route_km}};
  return s;
}

// A window of the piecewise-constant intensity factor, given in days.
inline IntensityWindow window_days(double from_day, double to_day, double factor) {
  return IntensityWindow{
      .from_hours = from_day * kHoursPerDay, .to_hours = to_day * kHoursPerDay, .factor = factor};
}

// A one-way movement on `route` with Poisson departures at `per_day`.
inline Movement poisson_movement(int route, double per_day, double speed_kmh) {
  Movement m;
  m.id = "poisson";
  m.route = route;
  m.schedule.kind = Schedule::Kind::kPoisson;
  m.schedule.per_hour = per_day / kHoursPerDay;
  m.speed_kmh = speed_kmh;
  m.vehicles = {VehicleGroup{.type = 0, .count = 1, .crew = 4}};
  return m;
}

// A one-way movement on `route` departing every `every_hours` from
// `first_hour`, no jitter.
inline Movement periodic_movement(int route, double every_hours, double first_hour,
                                  double speed_kmh) {
  Movement m;
  m.id = "periodic";
  m.route = route;
  m.schedule.kind = Schedule::Kind::kPeriodic;
  m.schedule.every_hours = every_hours;
  m.schedule.first_hour = first_hour;
  m.speed_kmh = speed_kmh;
  m.vehicles = {VehicleGroup{.type = 0, .count = 1, .crew = 4}};
  return m;
}

// ---------------------------------------------------------------- running

// Plays replications 0..n-1 of `seed`.
inline std::vector<Tally> run_replications(const Scenario& s, uint64_t seed, int64_t n) {
  Simulator sim(s);
  std::vector<Tally> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) sim.run(seed, static_cast<uint64_t>(i), out[i]);
  return out;
}

// ---------------------------------------------------------------- statistics

struct Moments {
  int64_t n = 0;
  double mean = 0;
  double var = 0;     // sample variance (n − 1)
  double se = 0;      // standard error of the mean: sd / sqrt(n)
  double var_se = 0;  // standard error of the sample variance, from the data:
                      // sd of (x − mean)² / sqrt(n)
};

inline Moments moments(const std::vector<double>& x) {
  Moments m;
  m.n = static_cast<int64_t>(x.size());
  const double n = static_cast<double>(m.n);
  for (double v : x) m.mean += v;
  m.mean /= n;
  double ss = 0;
  for (double v : x) ss += (v - m.mean) * (v - m.mean);
  m.var = ss / (n - 1);
  m.se = std::sqrt(m.var / n);
  const double d_mean = ss / n;
  double dd = 0;
  for (double v : x) {
    const double d = (v - m.mean) * (v - m.mean) - d_mean;
    dd += d * d;
  }
  m.var_se = std::sqrt(dd / (n - 1) / n);
  return m;
}

template <class F>
Moments moments_of(const std::vector<Tally>& reps, F f) {
  std::vector<double> x;
  x.reserve(reps.size());
  for (const auto& t : reps) x.push_back(static_cast<double>(f(t)));
  return moments(x);
}

// Σ num / Σ den over replications, with its delta-method standard error
// sqrt(Σ (num_i − R den_i)² / (n (n − 1))) / mean(den).
struct Ratio {
  double value = 0;
  double se = 0;
  double den_total = 0;
};

template <class Num, class Den>
Ratio ratio_of(const std::vector<Tally>& reps, Num num, Den den) {
  double sn = 0, sd = 0;
  for (const auto& t : reps) {
    sn += static_cast<double>(num(t));
    sd += static_cast<double>(den(t));
  }
  Ratio r;
  r.den_total = sd;
  r.value = sn / sd;
  const double n = static_cast<double>(reps.size());
  double ss = 0;
  for (const auto& t : reps) {
    const double e = static_cast<double>(num(t)) - r.value * static_cast<double>(den(t));
    ss += e * e;
  }
  r.se = std::sqrt(ss / (n * (n - 1))) / (sd / n);
  return r;
}

// A world for detection by time of day (§2.1): quiet_world(365, 100) with
// pressure IEDs (0.02 per km-day, 4-day lifetimes) and movement `m` alone,
// its lead crew finding with p_c by day and never at night.
inline Scenario night_blind_crew_world(Movement m, double p_c) {
  Scenario s = quiet_world(365, 100);
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = 0.02 / kHoursPerDay,
                             .lifetime_hours = 4 * kHoursPerDay,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = 1,
                             .complex_share = 0};
  m.c_ied = CIed{
      .trained_fraction = 0, .p_detect_trained = 0, .p_detect_untrained = p_c, .night_factor = 0};
  s.movements = {m};
  return s;
}

// Among the devices met, the share the lead crew found (no other detector).
inline Ratio crew_found_share(const std::vector<Tally>& reps) {
  return ratio_of(
      reps, [](const Tally& t) { return t.ied.found_crew; },
      [](const Tally& t) { return t.ied.found_crew + t.ied.detonated; });
}

// |observed − expected| ≤ kZ · se + bias. Prints the figures either way, so
// the test log is the validation record.
inline void expect_close(const std::string& what, double observed, double se, double expected,
                         double bias = 0.0) {
  const double tol = kZ * se + bias + 1e-9 * std::abs(expected);
  const double z = se > 0 ? (observed - expected) / se : 0.0;
  std::printf(
      "[validation] %-44s observed %12.6g  se %9.3g  expected %12.6g  z %+6.2f  tol %9.3g\n",
      what.c_str(), observed, se, expected, z, tol);
  EXPECT_LE(std::abs(observed - expected), tol)
      << what << ": observed " << observed << " (se " << se << "), expected " << expected
      << ", bias allowance " << bias;
}

inline void expect_mean(const std::string& what, const Moments& m, double expected,
                        double bias = 0.0) {
  expect_close(what + " (mean)", m.mean, m.se, expected, bias);
}

inline void expect_variance(const std::string& what, const Moments& m, double expected) {
  expect_close(what + " (variance)", m.var, m.var_se, expected);
}

inline void expect_ratio(const std::string& what, const Ratio& r, double expected,
                         double bias = 0.0) {
  expect_close(what + " (ratio)", r.value, r.se, expected, bias);
}

}  // namespace pk::validation
