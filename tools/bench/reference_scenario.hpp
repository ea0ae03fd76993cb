// The baseline of scenarios/reference.yaml as a typed Scenario,
// for benchmarks and profiling until they load the file itself.
#pragma once

#include "scenario/scenario.hpp"

namespace pk::bench {

// The baseline of scenarios/reference.yaml, units converted as the
// loader does (hours, per-hour rates, per-km ambush rate).
inline pk::Scenario reference_scenario() {
  using namespace pk;
  Scenario s;
  s.name = "Northern sector, one year";
  s.horizon_hours = 365 * kHoursPerDay;
  s.seed = 2016;
  s.replications = 2000;
  s.vehicle_types = {
      VehicleType{"soft_skin", 4, {0.25, 0.45}, 1.0, 60000},
      VehicleType{"apc", 10, {0.10, 0.40}, 0.3, 400000},
      VehicleType{"mrap", 6, {0.03, 0.25}, 0.2, 700000},
      VehicleType{"foot", 1, {0.45, 0.45}, 1.5, 0},
  };
  Zone central;
  central.id = "central";
  central.ied = IedThreat{0.00008 / kHoursPerDay, 10 * kHoursPerDay, {0.6, 0.25, 0.15}, 0.7, 0.05};
  central.ambush = AmbushThreat{0.08 / 1000, 0.04, 0.3, 2.0};
  central.idf = IdfThreat{0.005 / kHoursPerDay, 3, 0.3, 1.0, 0.2};
  central.vbied = VbiedThreat{0.1 / (365 * kHoursPerDay), 1, 12, 0.3};
  Zone north;
  north.id = "north";
  north.ied = IedThreat{0.0003 / kHoursPerDay, 14 * kHoursPerDay, {0.5, 0.3, 0.2}, 0.7, 0.15};
  north.mines = MineField{0.002};
  north.ambush = AmbushThreat{0.15 / 1000, 0.05, 0.3, 2.0};
  north.idf = IdfThreat{0.012 / kHoursPerDay, 5, 0.3, 1.5, 0.2};
  north.vbied = VbiedThreat{0.25 / (365 * kHoursPerDay), 1, 15, 0.3};
  north.intensity = {IntensityWindow{0, 120 * kHoursPerDay, 1.4},
                     IntensityWindow{120 * kHoursPerDay, 365 * kHoursPerDay, 0.9}};
  s.zones = {central, north};
  s.sites = {Site{"gao", 0, 4000, 0.3, 0.9}, Site{"kidal", 1, 1500, 0.5, 0.8},
             Site{"tessalit", 1, 800, 0.6, 0.7}};
  s.routes = {Route{"gao-kidal", 0, 1, {{0, 120}, {1, 230}}, 350},
              Route{"kidal-tessalit", 1, 2, {{1, 200}}, 200},
              Route{"kidal-loop", 1, 1, {{1, 40}}, 40}};

  Movement gk;
  gk.id = "gao-kidal-log";
  gk.kind = Movement::Kind::kConvoy;
  gk.route = 0;
  gk.schedule = Schedule{Schedule::Kind::kPeriodic, 84, 6, 6, 0};
  gk.speed_kmh = 25;
  gk.round_trip = true;
  gk.vehicles = {VehicleGroup{2, 2, 4}, VehicleGroup{0, 12, 2}};
  gk.c_ied = CIed{0.3, 0.35, 0.10};
  gk.route_clearance = RouteClearance{0.5, 10};
  gk.jammer = Jammer{0.8};
  gk.eod_delay_hours = 3;
  gk.halt_hours = 2;

  Movement kt;
  kt.id = "kidal-tessalit-log";
  kt.route = 1;
  kt.schedule = Schedule{Schedule::Kind::kPeriodic, 168, 8, 12, 0};
  kt.speed_kmh = 20;
  kt.round_trip = true;
  kt.vehicles = {VehicleGroup{1, 2, 6}, VehicleGroup{0, 8, 2}};
  kt.c_ied = CIed{0.3, 0.35, 0.10};
  kt.eod_delay_hours = 3;
  kt.halt_hours = 2;

  Movement kp;
  kp.id = "kidal-patrol";
  kp.kind = Movement::Kind::kPatrol;
  kp.route = 2;
  kp.schedule = Schedule{Schedule::Kind::kPoisson, 0, 0, 0, 1.5 / kHoursPerDay};
  kp.speed_kmh = 8;
  kp.round_trip = false;
  kp.vehicles = {VehicleGroup{3, 12, 1}};
  kp.c_ied = CIed{0.5, 0.45, 0.15};
  kp.eod_delay_hours = 2;
  kp.halt_hours = 1;
  s.movements = {gk, kt, kp};

  s.uav = Uav{2, 0.8, 0.1, UavOverwatch{0.3, 0.5}, UavArea{{1}, 300, 0.2, 0.25}};
  s.medevac = Medevac{2,     0.5, 1.0, 0.3,
                      false, 2,   6,   {{0, 0.02}, {1, 0.04}, {2, 0.07}, {4, 0.12}, {8, 0.20}}};
  return s;
}

}  // namespace pk::bench
