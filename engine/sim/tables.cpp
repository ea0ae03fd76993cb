#include "sim/tables.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "scenario/attack_options.hpp"
#include "scenario/exposure.hpp"
#include "scenario/threats.hpp"
#include "sim/random.hpp"

namespace pk::sim {

void IntensityTable::build(const std::vector<IntensityWindow>& windows, double horizon_hours) {
  start.clear();
  factor.clear();
  std::vector<IntensityWindow> w = windows;
  std::sort(w.begin(), w.end(), [](const IntensityWindow& x, const IntensityWindow& y) {
    return x.from_hours < y.from_hours;
  });
  double cursor = 0;
  auto add = [&](double s, double f) {
    if (!start.empty() && factor.back() == f) return;  // merge equal neighbours
    start.push_back(s);
    factor.push_back(f);
  };
  for (const auto& win : w) {
    const double from = std::max(win.from_hours, cursor);
    if (win.to_hours <= from) continue;
    if (from > cursor) add(cursor, 1.0);
    add(from, win.factor);
    cursor = win.to_hours;
  }
  add(cursor, 1.0);
  if (start.empty() || start[0] > 0) {
    start.insert(start.begin(), 0.0);
    factor.insert(factor.begin(), 1.0);
  }
  max_factor = 0;
  for (size_t i = 0; i < start.size(); ++i) {
    if (start[i] < horizon_hours) max_factor = std::max(max_factor, factor[i]);
  }
}

void IntensityTable::split_at(double t) {
  const int i = piece(t);
  if (start[static_cast<size_t>(i)] == t) return;
  start.insert(start.begin() + i + 1, t);
  factor.insert(factor.begin() + i + 1, factor[static_cast<size_t>(i)]);
}

int segment_at(const RouteTable& r, double x) {
  const int n = static_cast<int>(r.segments.size());
  for (int i = 0; i < n; ++i) {
    if (x < r.segments[i].end_km) return i;
  }
  return n - 1;
}

namespace {

// Times per hour, on average over the horizon, that a movement passes a point
// of each route: one pass per departure, two for a round trip. Periodic
// schedules count the departures that start within the horizon.
std::vector<double> passages_per_hour(const Scenario& s) {
  std::vector<double> rate(s.routes.size(), 0.0);
  const double h = s.horizon_hours;
  for (const Movement& m : s.movements) {
    if (m.route < 0 || m.route >= static_cast<int>(rate.size()) || !(h > 0)) continue;
    rate[m.route] += expected_departures(m, h) / h * (m.round_trip ? 2 : 1);
  }
  return rate;
}

// The distance hazards of a zone: its `ambush` block, then its `ambushes`.
std::vector<const AmbushThreat*> zone_hazards(const Zone& zone) {
  std::vector<const AmbushThreat*> out;
  if (zone.ambush) out.push_back(&*zone.ambush);
  for (const AmbushThreat& a : zone.ambushes) out.push_back(&a);
  return out;
}

// Names every distance hazard of the scenario and points each zone at its
// blocks by hazard.
void build_hazards(const Scenario& s, Tables& t) {
  for (const Zone& zone : s.zones) {
    for (const AmbushThreat* a : zone_hazards(zone)) {
      bool known = false;
      for (const HazardKind& h : t.hazards) known = known || h.id == a->id;
      if (!known) t.hazards.push_back(HazardKind{a->id, name_key(a->id), a->id == "ambush"});
    }
  }
  for (size_t z = 0; z < s.zones.size(); ++z) {
    ZoneTable& zt = t.zones[z];
    zt.hazard.assign(t.hazards.size(), nullptr);
    const std::vector<const AmbushThreat*> own = zone_hazards(s.zones[z]);
    for (const AmbushThreat* a : own) {
      for (size_t h = 0; h < t.hazards.size(); ++h)
        if (t.hazards[h].id == a->id) zt.hazard[h] = a;
    }
    zt.complex_ambush = own.empty() ? nullptr : own.front();
  }
}

// Each route's hazards with a positive rate somewhere, and their whole-route
// expected ambushes per epoch.
void build_route_hazards(const Scenario& s, Tables& t) {
  for (RouteTable& rt : t.routes) {
    for (size_t h = 0; h < t.hazards.size(); ++h) {
      RouteHazard rh;
      rh.kind = static_cast<int>(h);
      bool any = false;
      for (const RouteSegment& seg : rt.segments) {
        const AmbushThreat* a = t.zones[seg.zone].hazard[h];
        // Candidates at the time-of-day peak and the adaptive adversary's
        // bound, thinned where they arrive (§2.6, §2.9).
        const double bound =
            s.adversary_path ? s.adversary_path->bound[seg.zone][static_cast<int>(Cause::kAmbush)]
                             : 1.0;
        rh.per_km.push_back(a ? a->per_km * a->time_of_day.peak * bound : 0.0);
        any = any || rh.per_km.back() > 0;
      }
      if (!any) continue;
      rh.hazard_by_epoch.assign(t.epoch_start.size(), 0.0);
      for (size_t e = 0; e < t.epoch_start.size(); ++e) {
        for (size_t i = 0; i < rt.segments.size(); ++i) {
          const RouteSegment& seg = rt.segments[i];
          if (rh.per_km[i] <= 0) continue;
          const double f = t.zones[seg.zone].intensity.at(t.epoch_start[e]);
          rh.hazard_by_epoch[e] += rh.per_km[i] * f * (seg.end_km - seg.begin_km);
        }
      }
      rt.hazards.push_back(std::move(rh));
    }
  }
}

// Stream keys are names: two ids of one kind must not share a key.
template <class Table, class Entity>
void check_names(const std::vector<Table>& tables, const std::vector<Entity>& entities,
                 const char* kind) {
  std::vector<uint64_t> names;
  for (const Table& x : tables) names.push_back(x.name);
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end()) {
    throw std::logic_error(std::string("pkrisk: two ") + kind + " ids of " +
                           std::to_string(entities.size()) + " share a random-stream key");
  }
}

}  // namespace

Tables Tables::build(const Scenario& s) {
  Tables t;
  t.zones.resize(s.zones.size());
  for (size_t z = 0; z < s.zones.size(); ++z) {
    const Zone& zone = s.zones[z];
    ZoneTable& zt = t.zones[z];
    zt.name = name_key(zone.id);
    zt.intensity.build(zone.intensity, s.horizon_hours);
    // With a year effect no piece (and so no epoch) straddles two years: each
    // is scaled by its own year's multiplier (sim/year_effect.hpp).
    if (s.year_effect_cv > 0)
      for (double t = kYearHours; t < s.horizon_hours; t += kYearHours) zt.intensity.split_at(t);
    if (zone.ied) {
      zt.lead_share = zone.ied->lead_share;
      zt.complex_share = zone.ied->complex_share;
    }
  }
  build_hazards(s, t);

  t.routes.resize(s.routes.size());
  for (size_t r = 0; r < s.routes.size(); ++r) {
    RouteTable& rt = t.routes[r];
    double x = 0;
    for (const Segment& seg : s.routes[r].segments) {
      rt.segments.push_back(RouteSegment{x, x + seg.length_km, seg.zone});
      if (const auto& ra = s.zones[seg.zone].road_accidents; ra && seg.length_km > 0)
        rt.crash_bound =
            std::max(rt.crash_bound, ra->per_vehicle_km * std::max(1.0, ra->night_factor));
      if (seg.length_km > 0) {
        ZoneTable& zt = t.zones[seg.zone];
        zt.route_km += seg.length_km;
        zt.pieces.push_back(ZonePiece{static_cast<int>(r), x, seg.length_km, zt.route_km});
      }
      x += seg.length_km;
    }
    rt.length_km = x;
  }

  if (s.uav && s.uav->area) {
    for (int z : s.uav->area->zones) {
      if (z < 0 || z >= static_cast<int>(t.zones.size()) || t.zones[z].in_area) continue;
      t.zones[z].in_area = true;
      t.area_route_km += t.zones[z].route_km;
    }
  }

  for (size_t z = 0; z < s.zones.size(); ++z) {
    ZoneTable& zt = t.zones[z];
    if (s.zones[z].ied) {
      zt.ied_candidate_rate = s.zones[z].ied->emplacement_per_km_hour * zt.route_km *
                              zt.intensity.max_factor * s.zones[z].ied->time_of_day.peak;
    }
    if (s.zones[z].mines) {
      const MineField& m = *s.zones[z].mines;
      zt.mine_candidate_rate =
          m.laying_per_km_hour * zt.route_km * zt.intensity.max_factor * m.time_of_day.peak;
      if (m.steady_stock) {
        // A mine leaves at rate 1/lifetime + the passages of its route (every
        // mine met is found, jammed or detonated); laying at rate λ·f(0) per
        // km keeps λ·f(0) / (1/lifetime + passages) per km on the road.
        const std::vector<double> passages = passages_per_hour(s);
        for (ZonePiece& p : zt.pieces)
          p.mine_stock = m.laying_per_km_hour * zt.intensity.at(0.0) * p.length_km /
                         (1.0 / m.lifetime_hours + passages[p.route]);
      }
    }
  }

  for (const ZoneTable& zt : t.zones) {
    t.epoch_start.insert(t.epoch_start.end(), zt.intensity.start.begin(), zt.intensity.start.end());
  }
  t.epoch_start.push_back(0.0);
  std::sort(t.epoch_start.begin(), t.epoch_start.end());
  t.epoch_start.erase(std::unique(t.epoch_start.begin(), t.epoch_start.end()), t.epoch_start.end());
  build_route_hazards(s, t);

  t.movements.resize(s.movements.size());
  for (size_t m = 0; m < s.movements.size(); ++m) {
    const Movement& mv = s.movements[m];
    MovementTable& mt = t.movements[m];
    mt.name = name_key(mv.id);
    mt.speed_kmh = mv.effective_speed_kmh();
    const auto add = [](std::vector<VehicleSlot>& column, int64_t& count, int group,
                        const VehicleGroup& vg) {
      if (vg.count <= 0) return;
      count += vg.count;
      column.push_back(VehicleSlot{group, vg.type, vg.count, vg.crew, count});
    };
    for (size_t g = 0; g < mv.vehicles.size(); ++g) {
      add(mt.vehicles, mt.vehicle_count, static_cast<int>(g), mv.vehicles[g]);
      mt.pooled = mt.pooled || mv.vehicles[g].pool >= 0;
    }
    // The escorted column is the one exposure.hpp describes: the clearance
    // element's vehicles (group -1) ahead of the movement's own groups.
    const std::vector<VehicleGroup> escorted = column(mv);
    const size_t lead = escorted.size() - mv.vehicles.size();
    for (size_t i = 0; i < escorted.size(); ++i)
      add(mt.escorted, mt.escorted_count, i < lead ? -1 : static_cast<int>(i - lead), escorted[i]);
    const bool has_route = mv.route >= 0 && mv.route < static_cast<int>(s.routes.size()) &&
                           t.routes[mv.route].length_km > 0;
    const bool has_schedule = mv.schedule.kind == Schedule::Kind::kPeriodic
                                  ? mv.schedule.every_hours > 0
                                  : mv.schedule.per_hour > 0;
    mt.active = has_route && has_schedule && mt.speed_kmh > 0;
  }

  t.sites.resize(s.sites.size());
  for (size_t i = 0; i < s.sites.size(); ++i) {
    const Zone& zone = s.zones[s.sites[i].zone];
    const double fmax = t.zones[s.sites[i].zone].intensity.max_factor;
    SiteTable& st = t.sites[i];
    st.name = name_key(s.sites[i].id);
    for (const ThreatType& threat : threat_types())
      if (threat.site && threat.present(zone))
        st.candidate_rate[static_cast<int>(threat.cause)] =
            threat.site->per_site_hour(zone) * fmax * threat.site->time_of_day(zone).peak;
  }
  t.option_slot.assign(s.zones.size() * kAttackOptionCount, -1);
  const std::vector<AttackOptionRef> options = attack_options(s);
  t.option_count = options.size();
  t.months = monthly_fatality_count(s);
  for (size_t i = 0; i < options.size(); ++i)
    t.option_slot[static_cast<size_t>(options[i].zone) * kAttackOptionCount +
                  static_cast<size_t>(options[i].option)] = static_cast<int>(i);
  check_names(t.zones, s.zones, "zone");
  check_names(t.movements, s.movements, "movement");
  check_names(t.sites, s.sites, "site");
  check_names(t.hazards, t.hazards, "hazard");
  return t;
}

}  // namespace pk::sim
