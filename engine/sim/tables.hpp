// Per-scenario tables the processes read in their hot paths.
//
// Built once per Simulator from the Scenario, so a replication never searches
// by id, walks optional<> blocks or sums lengths: everything it needs per
// zone, route and movement is a flat number here.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace pk::sim {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kYearHours = kHoursPerDay * kDaysPerYear;  // one simulated year

// The index of the last of the increasing `start`s at or before t (0 when
// none after the first is). Every motion and candidate asks: a scan for the
// few pieces of most scenarios, a binary search for a long horizon in weekly
// pieces (hundreds).
inline int last_start_at_or_before(const std::vector<double>& start, double t) {
  const int n = static_cast<int>(start.size());
  if (n > 8) {
    return static_cast<int>(std::upper_bound(start.begin() + 1, start.end(), t) - start.begin()) -
           1;
  }
  int i = 0;
  while (i + 1 < n && start[i + 1] <= t) ++i;
  return i;
}

// A zone's piecewise-constant intensity factor as a partition of [0, ∞):
// piece i covers [start[i], start[i+1]) with factor[i] (docs/model.md §8.2: 1
// outside every window, a window covers [from, to)).
struct IntensityTable {
  std::vector<double> start;   // hours; start[0] = 0, increasing
  std::vector<double> factor;  // >= 0
  double max_factor = 1;       // the largest factor on [0, horizon): the thinning bound

  void build(const std::vector<IntensityWindow>& windows, double horizon_hours);
  // Starts a new piece at t (same factor) unless one starts there already.
  void split_at(double t);
  // Index of the piece containing t >= 0.
  int piece(double t) const { return last_start_at_or_before(start, t); }
  double at(double t) const { return factor[piece(t)]; }
  // End of piece i (hours); infinity for the last.
  double end(int i) const { return i + 1 < static_cast<int>(start.size()) ? start[i + 1] : kInf; }
};

// One route segment in route coordinates (km from the route's `from` end).
struct RouteSegment {
  double begin_km = 0;
  double end_km = 0;
  int zone = 0;
};

// A distance hazard (an ambush kind, by name) of the scenario.
struct HazardKind {
  std::string id;
  uint64_t name = 0;  // name_key(id): part of its stream keys
  // The hazard named `ambush` (the zones' `ambush` blocks): its first budget
  // of a departure is a word of the departure's own block (§4).
  bool leads = false;
};

// One distance hazard along one route.
struct RouteHazard {
  int kind = 0;                // index into Tables::hazards
  std::vector<double> per_km;  // by segment: the zone's rate before intensity; 0 if none
  // Expected ambushes of the whole route, one value per epoch of
  // Tables::epoch_start: every zone's intensity is constant within an epoch.
  std::vector<double> hazard_by_epoch;
};

struct RouteTable {
  double length_km = 0;
  std::vector<RouteSegment> segments;  // in route order
  std::vector<RouteHazard> hazards;    // those with a positive rate on some segment
  // The largest road-accident rate per vehicle-km on the route at any hour
  // (per_vehicle_km × max(1, night_factor) of its zones): the thinning bound
  // of crash candidates (§2.8); 0: no road accidents on the route.
  double crash_bound = 0;
};

// A route segment that lies in a zone, for placing devices by length (§8.4).
struct ZonePiece {
  int route = 0;
  double begin_km = 0;    // route coordinate of the segment's start
  double length_km = 0;   //
  double cum_end_km = 0;  // cumulative length of this and earlier pieces of the zone
  double mine_stock = 0;  // steady-state stock: expected mines on the piece at t = 0 (§2.2)
};

struct ZoneTable {
  uint64_t name = 0;  // name_key(id): part of its stream keys
  IntensityTable intensity;
  double route_km = 0;             // km of every route in the zone (§8.4)
  std::vector<ZonePiece> pieces;   // every route segment in the zone
  bool in_area = false;            // listed in uav.area.zones
  double ied_candidate_rate = 0;   // per hour: emplacement rate × route_km × max intensity
                                   // × time-of-day peak
  double mine_candidate_rate = 0;  // per hour: mine laying rate × route_km × max intensity
  double lead_share = 1;           // from the ied block; 1 without one (§8.9)
  double complex_share = 0;        // from the ied block; 0 without one (§8.9)
  // By Tables::hazards: the zone's block of that hazard, null when it has none.
  std::vector<const AmbushThreat*> hazard;
  // The ambush a strike opens (§8.8): the `ambush` block, else the first of
  // `ambushes`; null when the zone has neither.
  const AmbushThreat* complex_ambush = nullptr;
};

struct VehicleSlot {
  int group = 0;        // index into Movement::vehicles; -1: a clearance vehicle
  int type = 0;         // index into Scenario::vehicle_types
  int64_t count = 0;    // > 0
  int crew = 0;         // occupants per vehicle
  int64_t cum_end = 0;  // vehicles in this and earlier slots
};

struct MovementTable {
  uint64_t name = 0;     // name_key(id): part of its stream keys
  bool active = false;   // has a route, a speed and departures
  double speed_kmh = 0;  // min(speed, clearance speed) — §8.14
  std::vector<VehicleSlot>
      vehicles;               // groups with count > 0, in list order; [0] is the lead (§8.7)
  int64_t vehicle_count = 0;  // Σ count
  // The column of a departure a clearance team escorts: the team's vehicles,
  // then the movement's (§2.1); the same as `vehicles` when the team has none.
  std::vector<VehicleSlot> escorted;
  int64_t escorted_count = 0;
  bool pooled = false;  // a group draws on a vehicle pool: each departure builds its column

  const std::vector<VehicleSlot>& column(bool cleared) const {
    return cleared ? escorted : vehicles;
  }
  int64_t column_count(bool cleared) const { return cleared ? escorted_count : vehicle_count; }
};

struct SiteTable {
  uint64_t name = 0;  // name_key(id): part of its stream keys
  // Per hour, by Cause, for the threats on sites (§2.4, §2.5): per_site_hour ×
  // max intensity; 0 without the block and for threats on movements.
  std::array<double, kCauseCount> candidate_rate{};
};

struct Tables {
  std::vector<ZoneTable> zones;
  std::vector<RouteTable> routes;
  std::vector<MovementTable> movements;
  std::vector<SiteTable> sites;
  std::vector<HazardKind> hazards;  // every distance hazard by name, in order of first mention
  double area_route_km = 0;         // denominator of the area coverage c(t) (§8.15)
  // Union of every zone's intensity breakpoints (hours, from 0, increasing):
  // within [epoch_start[e], epoch_start[e+1]) no zone's factor changes.
  std::vector<double> epoch_start;
  // [zone * kAttackOptionCount + option]: the index of the option's counts in
  // Tally::by_option (its place in attack_options()), or -1 (§2.9).
  std::vector<int> option_slot;
  size_t option_count = 0;
  // Months of Tally::malicious_by_month (monthly_fatality_count()); 0: not counted.
  size_t months = 0;

  // The epoch containing t >= 0.
  int epoch(double t) const { return last_start_at_or_before(epoch_start, t); }
  double epoch_end(int e) const {
    return e + 1 < static_cast<int>(epoch_start.size()) ? epoch_start[e + 1] : kInf;
  }

  // Throws std::logic_error when two ids of one kind share a stream key
  // (about 2^-64 per pair: then streams would be shared).
  static Tables build(const Scenario& s);
};

// The index of the route segment containing route coordinate x.
int segment_at(const RouteTable& r, double x);

}  // namespace pk::sim
