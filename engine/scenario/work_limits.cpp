#include "scenario/work_limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "scenario/exposure.hpp"
#include "scenario/threats.hpp"

namespace pk {

namespace {

// Bytes of the state the simulator keeps per live thing (engine/sim): a queue
// entry, a device with its place in the route's list and its pending expiry, a
// trip with its hazard budgets, a MEDEVAC request kept to the end of the
// replication.
constexpr double kEventBytes = 40;
constexpr double kDeviceBytes = 96;
constexpr double kTripBytes = 256;
constexpr double kHazardBytes = 64;
constexpr double kRequestBytes = 128;

// One process of a replication and what it is expected to cost.
struct Process {
  std::string what;  // for the message, e.g. "IED emplacement in zone north"
  std::string key;   // the key path that sets its size (the error points there)
  // The key blamed for too many events when it is not `key` (an intensity
  // factor that multiplies the rate).
  std::string events_key = {};
  double events = 0;
  double work = 0;
  double bytes = 0;
  // Follows from the others (MEDEVAC requests come from their casualty
  // events): counted in the sums, not held to the limit of one process.
  bool derived = false;
};

// A NaN (0 × infinity after an overflow) counts as infinite, so it is refused.
double fin(double x) {
  return std::isnan(x) ? INFINITY : x;
}

struct ZoneCost {
  double km = 0;
  double peak = 1;
  std::string peak_key;   // the window factor that sets the peak, if above 1
  double candidates = 0;  // IED candidates (a time-of-day peak thins more)
  double live_ieds = 0;   // IEDs alive at once
  double mines = 0;       // mines alive at once: the stock at t = 0, or at most stock + laid on
  double mine_candidates = 0;  // mines laid on: candidates
  double trips = 0;            // trips on its routes at once
  double max_crew = 0;         // largest crew of a struck vehicle of a movement here
  double max_occupants = 0;    // most occupants of a movement driving here
  bool driven = false;         // a movement drives a route through it
};

std::vector<Process> processes(const Scenario& sc) {
  std::vector<Process> out;
  const double h = sc.horizon_hours;
  const size_t nz = sc.zones.size();
  std::vector<ZoneCost> zc(nz);
  for (const auto& r : sc.routes)
    for (const auto& g : r.segments)
      if (g.zone >= 0 && static_cast<size_t>(g.zone) < nz) zc[g.zone].km += g.length_km;
  for (size_t z = 0; z < nz; ++z) {
    const Zone& zone = sc.zones[z];
    ZoneCost& c = zc[z];
    for (size_t i = 0; i < zone.intensity.size(); ++i)
      if (zone.intensity[i].factor > c.peak) {
        c.peak = zone.intensity[i].factor;
        c.peak_key = "zones[" + zone.id + "].intensity[" + std::to_string(i) + "].factor";
      }
    if (zone.ied) {
      const double rate = zone.ied->emplacement_per_km_hour * c.km * c.peak;
      c.candidates = fin(rate * h * zone.ied->time_of_day.peak);
      c.live_ieds = fin(rate * std::min(zone.ied->lifetime_hours, h));
    }
    if (zone.mines) {
      const MineField& m = *zone.mines;
      const double laying = m.laying_per_km_hour * c.km * c.peak;
      const double stock = m.steady_stock ? laying * m.lifetime_hours : m.per_km * c.km;
      const double laid_live = laying * (m.lifetime_hours > 0 ? std::min(m.lifetime_hours, h) : h);
      c.mines = fin(stock + laid_live);
      c.mine_candidates = fin(laying * h * m.time_of_day.peak);
    }
  }

  // Devices that lie on each route at once (every zone it passes, whole).
  std::vector<double> route_devices(sc.routes.size(), 0.0);
  std::vector<std::set<int>> route_zones(sc.routes.size());
  for (size_t r = 0; r < sc.routes.size(); ++r) {
    for (const auto& g : sc.routes[r].segments)
      if (g.zone >= 0 && static_cast<size_t>(g.zone) < nz) route_zones[r].insert(g.zone);
    for (int z : route_zones[r]) route_devices[r] += zc[z].live_ieds + zc[z].mines;
  }

  // Movements: departures, trips in flight, ambushes and their occupants.
  double casualty_events = 0;
  for (const auto& m : sc.movements) {
    if (m.route < 0 || static_cast<size_t>(m.route) >= sc.routes.size()) continue;
    const Route& route = sc.routes[m.route];
    const std::string p = "movements[" + m.id + "]";
    const Schedule& s = m.schedule;
    double departures = 0;    // departures drawn (those before the horizon)
    double pushed_early = 0;  // pushed ahead of their turn (jitter wider than the interval)
    double queued = 0;        // of those, in the queue at once
    std::string schedule_key = p + ".schedule.poisson_per_day";
    if (s.kind == Schedule::Kind::kPoisson) {
      departures = fin(s.per_hour * h);
    } else if (s.every_hours > 0) {
      schedule_key = p + (s.count > 1 ? ".count" : ".schedule.every_hours");
      departures = fin(expected_departures(m, h)) + static_cast<double>(s.count);
      if (s.jitter_hours > s.shortest_gap()) {
        // Every departure whose window starts before the horizon is drawn ahead
        // of its turn, and those within five jitters of the earliest not yet
        // left are in the queue at once (MovementProcess::feed).
        const auto count = static_cast<double>(s.count);
        pushed_early = fin(expected_departures(m, h + s.jitter_hours / 2)) + count;
        queued = std::min(pushed_early, fin(5 * s.jitter_hours / s.every_hours * count) + count);
        if (pushed_early > 2 * departures) schedule_key = p + ".schedule.jitter_hours";
      }
    }
    const double legs = m.round_trip ? 2 : 1;
    const double speed = m.effective_speed_kmh();
    const double trip_hours = fin(legs * route.length_km / speed);
    const double in_flight =
        std::min(departures, fin(1 + departures * std::min(1.0, trip_hours / h)));
    double occupants = 0, max_crew = 0;
    for (const auto& g : m.vehicles) {
      occupants += static_cast<double>(g.count) * g.crew;
      if (g.count > 0) max_crew = std::max<double>(max_crew, g.crew);
    }
    // Distance hazards: the highest total rate along the route, and how many.
    double per_km = 0;
    std::string hazard_key = p;
    std::set<std::string> hazard_ids;
    for (const auto& g : route.segments) {
      if (g.zone < 0 || static_cast<size_t>(g.zone) >= nz) continue;
      const Zone& zone = sc.zones[g.zone];
      double zone_per_km = 0;
      std::string top_key;
      double top = -1;
      // Candidates arrive at a time-of-day profile's peak (§2.6).
      if (zone.ambush && zone.ambush->per_km > 0) {
        zone_per_km += zone.ambush->per_km * zone.ambush->time_of_day.peak;
        hazard_ids.insert(zone.ambush->id);
        top = zone.ambush->per_km;
        top_key = "zones[" + zone.id + "].ambush.per_1000km";
      }
      for (const AmbushThreat& a : zone.ambushes) {
        if (!(a.per_km > 0)) continue;
        zone_per_km += a.per_km * a.time_of_day.peak;
        hazard_ids.insert(a.id);
        if (a.per_km > top) {
          top = a.per_km;
          top_key = "zones[" + zone.id + "].ambushes[" + a.id + "].per_1000km";
        }
      }
      zone_per_km *= zc[g.zone].peak;
      if (zone_per_km > per_km) {
        per_km = zone_per_km;
        hazard_key = top_key;
      }
    }
    const double hazards = static_cast<double>(hazard_ids.size());
    const double walk = static_cast<double>(route.segments.size()) * (1 + hazards);
    const double devices = route_devices[m.route];
    const double ambushes = fin(per_km * departures * route.length_km * legs);
    casualty_events += ambushes;
    for (int z : route_zones[m.route]) {
      zc[z].driven = true;
      zc[z].trips += in_flight;
      zc[z].max_crew = std::max(zc[z].max_crew, max_crew);
      zc[z].max_occupants = std::max(zc[z].max_occupants, occupants);
    }

    Process sched{"the schedule of movement " + m.id, schedule_key};
    sched.events = fin(departures * (1 + 2 * legs));
    sched.work = fin(pushed_early + departures * (2 + legs * (walk + devices + 1)));
    sched.bytes = fin(queued * kEventBytes + in_flight * (kTripBytes + hazards * kHazardBytes));
    if (trip_hours > h / 2 && in_flight * kTripBytes > kMaxReplicationBytes / 2)
      sched.key = p + ".speed_kmh";  // slow trips that outlast the horizon pile up
    out.push_back(sched);
    // Crash candidates (§2.8): at the route's highest rate, on every vehicle
    // weighted by its accident_factor; each crash draws one vehicle's crew.
    double crash_bound = 0;
    std::string crash_key = p;
    for (const auto& g : route.segments) {
      if (g.zone < 0 || static_cast<size_t>(g.zone) >= nz) continue;
      if (const auto& ra = sc.zones[g.zone].road_accidents) {
        const double b = ra->per_vehicle_km * std::max(1.0, ra->night_factor);
        if (b > crash_bound) {
          crash_bound = b;
          crash_key = "zones[" + sc.zones[g.zone].id + "].road_accidents.per_million_vehicle_km";
        }
      }
    }
    double crash_weight = 0;
    for (const auto& g : m.vehicles)
      if (g.type >= 0 && static_cast<size_t>(g.type) < sc.vehicle_types.size())
        crash_weight += static_cast<double>(g.count) * sc.vehicle_types[g.type].accident_factor;
    const double crashes = fin(crash_bound * crash_weight * departures * route.length_km * legs);
    if (crashes > 0) {
      Process cr{"road accidents of movement " + m.id, crash_key};
      cr.events = crashes;
      cr.work = fin(crashes * (max_crew + static_cast<double>(m.vehicles.size()) + 4));
      casualty_events += crashes;
      out.push_back(cr);
    }
    if (ambushes > 0) {
      Process amb{"ambushes on movement " + m.id, hazard_key};
      amb.events = fin(2 * ambushes);
      amb.work = fin(ambushes * (occupants + walk + devices + 2));
      if (occupants > walk + devices + 2 && occupants > 1000) amb.key = p + ".vehicles";
      out.push_back(amb);
    }
  }

  for (size_t z = 0; z < nz; ++z) {
    const Zone& zone = sc.zones[z];
    const ZoneCost& c = zc[z];
    const std::string p = "zones[" + zone.id + "]";
    const double complex_share = zone.ied ? zone.ied->complex_share : 0.0;
    // A device is met at most once; each meeting draws one crew and may open
    // a complex attack on every occupant.
    const double per_meeting =
        c.driven ? 4 + c.max_crew + complex_share * c.max_occupants + c.live_ieds + c.mines : 0;
    // A device arrival process (IED emplacement, mine laying): two events per
    // candidate, each kept one scanning the route's devices and trips.
    auto arrivals = [&](const std::string& what, const std::string& key, double candidates,
                        double live_bytes, double time_of_day_peak,
                        const std::string& time_of_day_key) {
      if (!(candidates > 0)) return;
      Process pr{what + " in zone " + zone.id, p + key};
      pr.events = fin(2 * candidates);
      pr.work = fin(candidates * (4 + c.live_ieds + c.mines + c.trips + per_meeting));
      pr.bytes = fin(live_bytes);
      if (!c.peak_key.empty() && pr.events / c.peak <= kMaxProcessEvents)
        pr.events_key = c.peak_key;
      if (time_of_day_peak > 1 && pr.events / time_of_day_peak <= kMaxProcessEvents)
        pr.events_key = p + time_of_day_key;
      if (c.driven) casualty_events += 2 * candidates;
      out.push_back(pr);
    };
    arrivals("IED emplacement", ".ied.emplacement_per_km_day", c.candidates,
             c.live_ieds * kDeviceBytes, zone.ied ? zone.ied->time_of_day.peak : 1,
             ".ied.time_of_day");
    arrivals("mine laying", ".mines.laying_per_km_day", c.mine_candidates, 0, 1, "");
    if (c.mines > 0) {
      // Mines go into the route's sorted list one by one.
      Process mines{"the mine field of zone " + zone.id, p + ".mines.per_km"};
      mines.work = fin(c.mines * (3 + c.mines / 2 + per_meeting));
      mines.bytes = fin(c.mines * kDeviceBytes);
      if (c.driven) casualty_events += 2 * c.mines;
      out.push_back(mines);
    }
    for (const Site& site : sc.sites) {
      if (site.zone != static_cast<int>(z)) continue;
      for (const ThreatType& t : threat_types()) {
        if (!t.site || !t.present(zone) || !(t.site->per_site_hour(zone) > 0)) continue;
        const double peak_of_day = t.site->time_of_day(zone).peak;
        const double attacks = fin(t.site->per_site_hour(zone) * h * c.peak * peak_of_day);
        const SiteLoad load = t.site->load(zone, site);
        Process pr{std::string(t.site->process_name) + " on site " + site.id,
                   p + "." + t.name + "." + t.site->rate_key};
        pr.events = attacks;
        pr.work = fin(attacks * load.work_per_attack);
        if (!load.heavy_key.empty()) pr.key = p + "." + load.heavy_key;
        if (!c.peak_key.empty() && attacks / c.peak <= kMaxProcessEvents)
          pr.events_key = c.peak_key;
        if (peak_of_day > 1 && attacks / peak_of_day <= kMaxProcessEvents)
          pr.events_key = p + "." + t.name + ".time_of_day";
        casualty_events += attacks;
        out.push_back(pr);
      }
    }
  }

  if (sc.medevac) {
    // Evacuated cases of illness (§2.8): one event and one request each.
    for (const Site& site : sc.sites) {
      const auto& ill = sc.zones[static_cast<size_t>(site.zone)].illness;
      if (!ill || !(ill->evacuated_share > 0)) continue;
      const double cases = fin(ill->per_person_hour * static_cast<double>(site.personnel) * h *
                               ill->evacuated_share);
      Process pr{
          "evacuated illness at site " + site.id,
          "zones[" + sc.zones[static_cast<size_t>(site.zone)].id + "].illness.evacuated_share"};
      pr.events = cases;
      pr.work = cases;
      casualty_events += cases;
      out.push_back(pr);
    }
  }
  if (sc.uav && sc.uav->aircraft > 0) {
    // One availability draw per aircraft per day.
    Process uav{"the UAV fleet's days", "uav.aircraft"};
    const double days = std::ceil(h / kHoursPerDay);
    uav.events = days;
    uav.work = fin(days * (1 + static_cast<double>(sc.uav->aircraft)));
    out.push_back(uav);
  }
  if (sc.medevac && casualty_events > 0) {
    // Every request is kept to the end of the replication.
    Process md{"MEDEVAC requests", "medevac"};
    md.derived = true;
    md.events = fin(3 * casualty_events);
    md.work = fin(4 * casualty_events);
    md.bytes = fin(casualty_events * kRequestBytes);
    out.push_back(md);
  }
  return out;
}

std::string num3(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// The mark of `path`, or of its nearest written ancestor, or nothing.
Mark mark_of(const std::map<std::string, Mark>& marks, std::string path, Mark fallback) {
  for (;;) {
    if (auto it = marks.find(path); it != marks.end()) return it->second;
    const size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos || cut == 0) return fallback;
    path.resize(cut);
  }
}

// The adversary's pilot (docs/model.md §2.9) runs pilot_replications of the
// baseline and of every arm before the run's own replications, whatever -n
// says: the file, not the command line, asks for them. Only the scenario
// being checked is known here, so every scenario of the pilot is counted at
// its `work`; the baseline and each arm are checked so, which errs on the
// side of refusing when one arm costs more than the others. The pilot runs
// once, on the file as written: a sweep point or a draw, whose context is
// neither empty nor an arm's, never runs one.
void check_pilot_work(const Scenario& sc, double work, const Node& root, const Ctx& ctx,
                      const std::map<std::string, Mark>& marks) {
  if (!sc.adversary) return;
  const bool as_written = ctx.prefix.empty() || ctx.prefix.rfind("arms[", 0) == 0;
  const Node* arms = root.is_map() ? root.find("arms") : nullptr;
  // Without arms there is no pilot (nothing to answer).
  if (!as_written || !arms || !arms->is_seq() || arms->seq.empty()) return;
  const double reps = static_cast<double>(sc.adversary->pilot_replications);
  const double scenarios = 1 + static_cast<double>(arms->seq.size());
  const double pilot = fin(reps * scenarios * work);
  if (pilot <= kMaxPilotWork) return;
  const std::string key = "adversary.pilot_replications";
  ctx.error(mark_of(marks, key, root.mark), key,
            "the adversary's pilot would take about " + num3(pilot) +
                " units of work: " + fmt_num(reps) + " replications of the baseline and of " +
                (scenarios == 2 ? std::string("its arm")
                                : "each of its " + fmt_num(scenarios - 1) + " arms") +
                ", at about " + num3(work) + " a replication of " +
                (ctx.prefix.empty() ? "the baseline" : "this arm") + " (limit " +
                fmt_num(kMaxPilotWork) + " for the pilot; the default is " +
                fmt_num(static_cast<double>(Adversary{}.pilot_replications)) + " replications)");
}

}  // namespace

WorkEstimate estimate_work(const Scenario& sc) {
  WorkEstimate e;
  for (const Process& p : processes(sc)) {
    e.events += p.events;
    e.work += p.work;
    e.bytes += p.bytes;
  }
  return e;
}

void check_bounded_work(const Scenario& sc, const Node& root, const Ctx& ctx,
                        const std::map<std::string, Mark>& marks) {
  int64_t people = 0;
  for (const auto& s : sc.sites) people += s.personnel;
  if (!sc.sites.empty() && people == 0)
    ctx.error(mark_of(marks, "sites", root.mark), "sites",
              "total personnel is 0: rates per 1,000 personnel-years need people");

  const std::vector<Process> all = processes(sc);
  bool refused = false;
  for (const Process& p : all) {
    if (!p.derived && p.events > kMaxProcessEvents) {
      const std::string& key = p.events_key.empty() ? p.key : p.events_key;
      ctx.error(mark_of(marks, key, root.mark), key,
                p.what + " would make about " + num3(p.events) +
                    " events in each replication (limit " + fmt_num(kMaxProcessEvents) +
                    "): check the units of its rate");
      refused = true;
    }
  }
  if (refused) return;
  // The whole replication: work and memory summed over its processes; the
  // error names the process that costs the most.
  WorkEstimate total;
  const Process* top_work = nullptr;
  const Process* top_bytes = nullptr;
  for (const Process& p : all) {
    total.work += p.work;
    total.bytes += p.bytes;
    if (p.derived) continue;  // blame a cause, not MEDEVAC's share of it
    if (!top_work || p.work > top_work->work) top_work = &p;
    if (!top_bytes || p.bytes > top_bytes->bytes) top_bytes = &p;
  }
  if (top_work && total.work > kMaxReplicationWork) {
    ctx.error(mark_of(marks, top_work->key, root.mark), top_work->key,
              "one replication would take about " + num3(total.work) +
                  " units of work (events, draws per casualty and occupant, scans; limit " +
                  fmt_num(kMaxReplicationWork) + "), " + num3(top_work->work) + " of them for " +
                  top_work->what);
    return;
  }
  if (top_bytes && total.bytes > kMaxReplicationBytes) {
    ctx.error(mark_of(marks, top_bytes->key, root.mark), top_bytes->key,
              "one replication would hold about " + num3(total.bytes / 1e6) +
                  " MB at once (limit " + fmt_num(kMaxReplicationBytes / 1e6) + " MB), " +
                  num3(top_bytes->bytes / 1e6) + " MB of it for " + top_bytes->what);
    return;
  }
  check_pilot_work(sc, total.work, root, ctx, marks);
}

}  // namespace pk
