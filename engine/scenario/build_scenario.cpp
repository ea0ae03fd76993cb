// The tree of one scenario (or one arm, or one sweep point) -> a Scenario:
// every block read against the spec table, references resolved, the checks
// that span blocks (docs/model.md §1-§5).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "scenario/contingents.hpp"
#include "scenario/loader.hpp"
#include "scenario/object_reader.hpp"
#include "scenario/paths.hpp"
#include "scenario/threats.hpp"
#include "scenario/work_limits.hpp"

namespace pk {

namespace {

void check_windows(const Obj& zone, std::vector<IntensityWindow>& windows, double horizon_hours,
                   const std::vector<Obj>& items) {
  for (size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    if (w.to_hours <= w.from_hours)
      items[i].error_here("to_day", "must be after from_day (" + fmt_num(w.from_hours / 24) +
                                        "), got " + fmt_num(w.to_hours / 24));
    else if (horizon_hours > 0 && w.to_hours > horizon_hours + 1e-9)
      items[i].error_here("to_day", "window ends after the horizon (" +
                                        fmt_num(horizon_hours / 24) + " days), got " +
                                        fmt_num(w.to_hours / 24));
    if (i > 0 && w.from_hours < windows[i - 1].to_hours)
      items[i].error_here("from_day", "windows must be in order and not overlap: starts at day " +
                                          fmt_num(w.from_hours / 24) +
                                          ", before the previous window ends (day " +
                                          fmt_num(windows[i - 1].to_hours / 24) + ")");
  }
  (void)zone;
}

// Casualties of one event cannot exceed the people present: the mean of a
// site attack's casualties is checked against every site of its zone, and a
// movement's occupants against the personnel of the mission (crews live in
// the sites, docs/model.md §1).
void check_people(const Scenario& sc, const Ctx& ctx, const std::map<std::string, Mark>& marks,
                  Mark fallback) {
  auto at = [&](const std::string& path) {
    auto it = marks.find(path);
    return it != marks.end() ? it->second : fallback;
  };
  for (const Site& s : sc.sites) {
    if (s.zone < 0 || static_cast<size_t>(s.zone) >= sc.zones.size()) continue;
    const Zone& zone = sc.zones[s.zone];
    const std::string p = "zones[" + zone.id + "]";
    for (const ThreatType& t : threat_types()) {
      if (!t.site || !t.present(zone)) continue;
      for (const SiteFinding& f : t.site->check(zone, s))
        ctx.error(at(p + "." + f.key), p + "." + f.key, f.message);
    }
  }
  double personnel = 0;
  for (const Site& s : sc.sites) personnel += static_cast<double>(s.personnel);
  for (const Movement& m : sc.movements) {
    double occupants = 0;
    for (const VehicleGroup& g : m.vehicles) occupants += static_cast<double>(g.count) * g.crew;
    const std::string p = "movements[" + m.id + "].vehicles";
    if (!sc.sites.empty() && occupants > personnel)
      ctx.error(at(p), p,
                "the movement's crews (" + fmt_num(occupants) +
                    " people) exceed the personnel of the mission (" + fmt_num(personnel) +
                    "): crews are people who live in the sites");
  }
}

// A group of vehicles of one type: its crew must fit the type's seats; a
// pooled group has the pool's type and its crew fits the fallback's seats too.
// The three categories of a triage object (absent: the keys' defaults).
PerTriage per_triage(const Obj& o) {
  return {o.num("t1"), o.num("t2"), o.num("t3")};
}

// A movement's or site's `care` (docs/model.md §3.6): what it sets.
LocalCare read_local_care(const Obj& c) {
  LocalCare lc;
  if (c.has("responder_share")) lc.responder_share = c.num("responder_share");
  if (c.has("role1")) lc.role1 = c.flag("role1");
  if (c.has("flight_hours")) lc.flight_hours = c.num("flight_hours");
  if (c.has("ground_evac_hours")) lc.ground_evac_hours = c.num("ground_evac_hours");
  return lc;
}

// medevac.care_chain (docs/model.md §3.6).
CareChain read_care_chain(const Obj& c) {
  CareChain cc;
  const Obj sev = c.object("severity");
  cc.severity = per_triage(sev);
  const double total = cc.severity[0] + cc.severity[1] + cc.severity[2];
  if (sev.present() && std::fabs(total - 1) > 1e-9)
    sev.error_here("t1", "the severity shares must sum to 1, got " + fmt_num(total));
  const Obj fa = c.object("first_aid");
  cc.responder_share = fa.num("responder_share");
  cc.responder_hours = fa.num("responder_minutes");
  cc.first_aid_hours = fa.num("minutes");
  const Obj ac = c.object("advanced_care");
  cc.forward_role1 = ac.flag("forward_role1");
  cc.camp_role1 = ac.flag("camp_role1");
  cc.role1_hours = ac.num("role1_minutes");
  const Obj hz = c.object("hazard_per_hour");
  cc.before_first_aid_hazard = per_triage(hz.object("before_first_aid"));
  cc.before_advanced_hazard = per_triage(hz.object("before_advanced_care"));
  cc.dow_relative_risk = per_triage(c.object("dow_relative_risk"));
  if (const Obj ps = c.object("potentially_survivable"); ps.present()) {
    cc.survivable_share = ps.num("share_of_killed");
    cc.survivable_first_aid_hazard = ps.num("hazard_before_first_aid");
    cc.survivable_advanced_hazard = ps.num("hazard_before_advanced_care");
  }
  if (const Obj r2 = c.object("role2"); r2.present()) {
    Role2 role2;
    role2.operating_tables = r2.integer("operating_tables");
    role2.surgery_hours = r2.num("surgery_hours");
    if (r2.has("beds")) role2.beds = r2.integer("beds");
    const Obj stay = r2.object("stay_days");
    role2.stay_days = {stay.integer("t1"), stay.integer("t2"), stay.integer("t3")};
    cc.role2 = role2;
  }
  return cc;
}

VehicleGroup vehicle_group(const Obj& g, const IdTable& vt_ids, const Scenario& sc,
                           const IdTable* pool_ids) {
  const std::vector<VehicleType>& types = sc.vehicle_types;
  VehicleGroup vg;
  vg.type = vt_ids.resolve(g, "type");
  vg.count = g.integer("count");
  vg.crew = static_cast<int>(g.integer("crew"));
  const auto seats_for = [&](int type, const char* key, const std::string& what) {
    if (type >= 0 && type < static_cast<int>(types.size()) && vg.crew > types[type].seats)
      g.error_here(key, "crew " + std::to_string(vg.crew) + " is more than the " +
                            std::to_string(types[type].seats) + " seats of " + what + " '" +
                            types[type].id + "'");
  };
  seats_for(vg.type, "crew", "vehicle type");
  if (pool_ids && g.has("pool")) {
    vg.pool = pool_ids->resolve(g, "pool");
    if (vg.pool >= 0) {
      const VehiclePool& p = sc.vehicle_pools[vg.pool];
      if (vg.type >= 0 && p.type >= 0 && vg.type != p.type)
        g.error_here("pool", "pool '" + p.id + "' holds vehicles of type '" + types[p.type].id +
                                 "', not '" + types[vg.type].id + "'");
      seats_for(p.fallback_type, "pool", "the pool's fallback type");
    }
  } else if (g.has("pool")) {
    g.error_here("pool", "a clearance team's vehicles are its own; pools lend to movements");
  }
  vg.priority = g.integer("priority");
  if (g.has("priority") && !g.has("pool"))
    g.error_here("priority", "priority orders the groups that draw on a pool; this group has none");
  return vg;
}

}  // namespace

namespace {

// Reads and checks the scenario. With `marks`, records where each key read was
// written, so that the checks made on the typed scenario can point at it.
std::optional<Scenario> read_scenario(const Node& root, Diagnostics& diags,
                                      const std::string& context,
                                      std::map<std::string, Mark>* marks) {
  const int errors_before = diags.error_count();
  static const std::map<std::string, Mark> kNoMarks;
  Ctx ctx{diags, context, marks};
  if (!root.is_map()) {
    ctx.error(
        root.mark, "",
        std::string("the top level of a scenario must be a mapping, got ") + root.kind_name());
    return std::nullopt;
  }
  Obj top(&root, scenario_spec(), "", ctx, root.mark);
  Scenario sc;
  (void)top.integer("pkrisk");

  const Obj head = top.object("scenario");
  sc.name = head.str("name");
  sc.description = head.str("description");
  sc.horizon_hours = head.num("horizon_days");
  sc.seed = static_cast<uint64_t>(head.integer("seed"));
  sc.replications = head.integer("replications");

  IdTable vt_ids("vehicle type");
  for (const Obj& v : top.list("vehicle_types")) {
    vt_ids.add(v);
    VehicleType t;
    t.id = v.str("id");
    t.seats = static_cast<int>(v.integer("seats"));
    const Obj b = v.object("blast");
    t.blast.p_kill = b.num("p_kill");
    t.blast.p_wound = b.num("p_wound");
    t.blast.p_wound_adjacent = b.num("p_wound_adjacent");
    if (t.blast.p_kill + t.blast.p_wound > 1 + 1e-12)
      b.error_here("p_wound", "p_kill + p_wound must be <= 1, got " + fmt_num(t.blast.p_kill) +
                                  " + " + fmt_num(t.blast.p_wound) + " = " +
                                  fmt_num(t.blast.p_kill + t.blast.p_wound));
    t.ambush_exposure = v.num("ambush_exposure");
    t.accident_factor = v.num("accident_factor");
    t.cost_usd = v.num("cost_usd");
    sc.vehicle_types.push_back(std::move(t));
  }

  IdTable zone_ids("zone");
  for (const Obj& z : top.list("zones")) {
    zone_ids.add(z);
    Zone zone;
    zone.id = z.str("id");
    for (const ThreatType& t : threat_types()) t.read(z, zone);
    const std::vector<Obj> windows = z.list("intensity");
    for (const Obj& w : windows)
      zone.intensity.push_back({w.num("from_day"), w.num("to_day"), w.num("factor")});
    if (zone.intensity.size() == windows.size())
      check_windows(z, zone.intensity, sc.horizon_hours, windows);
    sc.zones.push_back(std::move(zone));
  }

  IdTable contingent_ids("contingent");
  sc.contingents = read_contingents(top, vt_ids, contingent_ids);

  IdTable site_ids("site");
  for (const Obj& s : top.list("sites")) {
    site_ids.add(s);
    Site site;
    site.id = s.str("id");
    if (s.has("contingent")) site.contingent = contingent_ids.resolve(s, "contingent");
    site.care = read_local_care(s.object("care"));
    site.zone = zone_ids.resolve(s, "zone");
    site.personnel = s.integer("personnel");
    const Obj p = s.object("protection");
    site.idf_exposure = p.num("idf_exposure");
    site.perimeter_stop = p.num("perimeter_stop");
    sc.sites.push_back(std::move(site));
  }

  IdTable route_ids("route");
  for (const Obj& r : top.list("routes")) {
    route_ids.add(r);
    Route route;
    route.id = r.str("id");
    route.from = site_ids.resolve(r, "from");
    route.to = site_ids.resolve(r, "to");
    const auto segs = r.list("segments");
    if (r.has("segments") && segs.empty() && r.raw("segments")->is_seq())
      r.error_here("segments", "a route needs at least one segment");
    for (const Obj& g : segs) {
      Segment seg{zone_ids.resolve(g, "zone"), g.num("length_km")};
      route.length_km += seg.length_km;
      route.segments.push_back(seg);
    }
    sc.routes.push_back(std::move(route));
  }

  IdTable pool_ids("vehicle pool");
  for (const Obj& p : top.list("vehicle_pools")) {
    pool_ids.add(p);
    VehiclePool pool;
    pool.id = p.str("id");
    pool.type = vt_ids.resolve(p, "type");
    pool.vehicles = p.integer("vehicles");
    pool.fallback_type = vt_ids.resolve(p, "fallback_type");
    sc.vehicle_pools.push_back(std::move(pool));
  }

  IdTable movement_ids("movement");
  for (const Obj& m : top.list("movements")) {
    movement_ids.add(m);
    Movement mv;
    mv.id = m.str("id");
    mv.kind = m.str("kind") == "patrol" ? Movement::Kind::kPatrol : Movement::Kind::kConvoy;
    mv.route = route_ids.resolve(m, "route");
    if (m.has("contingent")) mv.contingent = contingent_ids.resolve(m, "contingent");
    mv.care = read_local_care(m.object("care"));
    const Obj s = m.object("schedule");
    if (s.present()) {
      const bool periodic = s.has("every_hours");
      const bool poisson = s.has("poisson_per_day");
      if (periodic == poisson)
        ctx.error(s.mark(), s.path(),
                  periodic ? "give either every_hours or poisson_per_day, not both"
                           : "needs every_hours (periodic) or poisson_per_day (Poisson)");
      if (poisson && (s.has("first_hour") || s.has("jitter_hours")))
        s.error_here(s.has("first_hour") ? "first_hour" : "jitter_hours",
                     "applies to periodic schedules only (every_hours)");
      mv.schedule.kind = poisson ? Schedule::Kind::kPoisson : Schedule::Kind::kPeriodic;
      mv.schedule.every_hours = s.num("every_hours");
      mv.schedule.first_hour = s.num("first_hour");
      mv.schedule.jitter_hours = s.num("jitter_hours");
      // A jitter wider than the horizon pulls departures due long after the
      // horizon into it and clamps many to hour 0: a weekly convoy with a
      // jitter of a century made about 680 trips in a year, where the schedule
      // (and validate's count) says 53.
      if (periodic && sc.horizon_hours > 0 && mv.schedule.jitter_hours > sc.horizon_hours)
        s.error_here("jitter_hours",
                     "must be at most the horizon, " + fmt_num(sc.horizon_hours) + " hours (" +
                         fmt_num(sc.horizon_hours / kHoursPerDay) + " days), got " +
                         fmt_num(mv.schedule.jitter_hours) +
                         ": a wider jitter would move departures due after the horizon into it "
                         "(and clamp many to hour 0), so the runs would make more trips than the "
                         "schedule");
      mv.schedule.per_hour = s.num("poisson_per_day");
      if (s.has("spread_hours")) {
        if (poisson)
          s.error_here("spread_hours", "applies to periodic schedules only (every_hours)");
        mv.schedule.spread_hours = s.num("spread_hours");
        if (periodic && mv.schedule.spread_hours > mv.schedule.every_hours)
          s.error_here("spread_hours",
                       "must be at most every_hours (" + fmt_num(mv.schedule.every_hours) +
                           "): the departures of one time leave before the next time's");
      } else {
        mv.schedule.spread_hours = mv.schedule.every_hours;
      }
      if (const Obj w = s.object("window"); w.present()) {
        mv.schedule.window_from = w.num("from_hour");
        mv.schedule.window_to = w.num("to_hour");
        if (mv.schedule.window_to <= mv.schedule.window_from)
          w.error_here("to_hour", "must be after from_hour (" + fmt_num(mv.schedule.window_from) +
                                      "); a window does not run past midnight");
      }
    }
    if (m.has("count")) {
      // A class of identical movements (§8.12): `count` departures per time.
      mv.schedule.count = m.integer("count");
      if (mv.schedule.kind == Schedule::Kind::kPoisson)
        mv.schedule.per_hour *= static_cast<double>(mv.schedule.count);
    }
    mv.speed_kmh = m.num("speed_kmh");
    mv.round_trip = m.flag("round_trip");
    const auto groups = m.list("vehicles");
    if (m.has("vehicles") && groups.empty() && m.raw("vehicles")->is_seq())
      m.error_here("vehicles", "a movement needs at least one vehicle group");
    for (const Obj& g : groups) mv.vehicles.push_back(vehicle_group(g, vt_ids, sc, &pool_ids));
    const Obj c = m.object("c_ied");
    mv.c_ied = CIed{c.num("trained_fraction"), c.num("p_detect_trained"),
                    c.num("p_detect_untrained"), c.num("night_factor")};
    if (const Obj o = m.object("route_clearance"); o.present()) {
      mv.route_clearance =
          RouteClearance{o.num("p_find"), o.num("speed_kmh"), o.num("night_factor"), {}};
      for (const Obj& g : o.list("vehicles"))
        mv.route_clearance->vehicles.push_back(vehicle_group(g, vt_ids, sc, nullptr));
      mv.route_clearance->priority = o.integer("priority");
    }
    if (const Obj o = m.object("jammer"); o.present()) mv.jammer = Jammer{o.num("p_defeat")};
    if (const Obj o = m.object("eod_disposal"); o.present()) {
      mv.eod_disposal =
          EodDisposal{o.num("p_incident"), o.integer("team"), o.num("p_kill"), o.num("p_wound")};
      if (mv.eod_disposal->p_kill + mv.eod_disposal->p_wound > 1 + 1e-12)
        o.error_here("p_wound", "p_kill + p_wound must be <= 1, got " +
                                    fmt_num(mv.eod_disposal->p_kill) + " + " +
                                    fmt_num(mv.eod_disposal->p_wound));
    }
    mv.eod_delay_hours = m.num("eod_delay_hours");
    mv.halt_hours = m.num("halt_hours");
    mv.spacing_m = m.num("spacing_m");  // 0 when absent
    if (mv.contingent >= 0)
      apply_contingent(sc.contingents[mv.contingent], m, sc.vehicle_types, mv);
    sc.movements.push_back(std::move(mv));
  }

  if (const Obj c = top.object("clearance_teams"); c.present())
    sc.clearance_teams = ClearanceTeams{c.integer("teams"), c.integer("escorts_per_week")};

  if (const Obj u = top.object("uav"); u.present()) {
    Uav uav;
    uav.aircraft = u.integer("aircraft");
    uav.availability = u.num("availability");
    uav.weather_grounding = u.num("weather_grounding");
    if (const Obj o = u.object("overwatch"); o.present())
      uav.overwatch = UavOverwatch{o.num("p_detect_ied"), o.num("p_warn"), o.num("night_factor")};
    if (const Obj a = u.object("area"); a.present()) {
      UavArea area;
      if (const Node* zl = a.raw("zones")) {
        if (!zl->is_seq()) {
          a.error(*zl, "zones", std::string("expected a list of zone ids, got ") + zl->kind_name());
        } else {
          std::set<int> seen;
          for (const Node& zn : zl->seq) {
            if (!zn.is_scalar()) {
              a.error(zn, "zones", std::string("expected a zone id, got ") + zn.kind_name());
              continue;
            }
            const int z = zone_ids.resolve_node(a, "zones", zn);
            if (z >= 0 && !seen.insert(z).second)
              a.error(zn, "zones", "zone " + quote(zn.scalar) + " listed twice");
            else if (z >= 0)
              area.zones.push_back(z);
          }
        }
      }
      area.km_per_aircraft = a.num("km_per_aircraft");
      area.p_observe = a.num("p_observe");
      area.deterrence = a.num("deterrence");
      uav.area = area;
    }
    sc.uav = uav;
  }

  if (const Obj m = top.object("medevac"); m.present()) {
    Medevac md;
    md.helicopters = m.integer("helicopters");
    md.dispatch_hours = m.num("dispatch_hours");
    md.flight_hours = m.num("flight_hours");
    md.flight_sd_hours = m.num("flight_sd_hours");
    md.night_flying = m.flag("night_flying");
    md.max_wait_hours = m.num("max_wait_hours");
    md.ground_evac_hours = m.num("ground_evac_hours");
    if (const Obj c = m.object("care_chain"); c.present()) md.care = read_care_chain(c);
    if (const Obj a = m.object("accidents"); a.present())
      md.accidents = AirAccidents{a.num("per_100k_flight_hours"), a.num("night_factor"),
                                  a.integer("crew"), a.num("p_kill")};
    if (const Node* curve = m.raw("dow_curve")) {
      if (!curve->is_seq() || curve->seq.empty()) {
        m.error(*curve, "dow_curve", "expected a non-empty list of [hours, probability] pairs");
      } else {
        for (size_t i = 0; i < curve->seq.size(); ++i) {
          const Node& pt = curve->seq[i];
          const std::string p = "dow_curve[" + std::to_string(i) + "]";
          if (!pt.is_seq() || pt.seq.size() != 2) {
            ctx.error(pt.mark, m.child(p), "expected a pair [hours, probability]");
            continue;
          }
          double h = 0, pr = 0;
          std::string why;
          if (!to_number(pt.seq[0], h, why)) {
            ctx.error(pt.seq[0].mark, m.child(p), why);
            continue;
          }
          if (!to_number(pt.seq[1], pr, why)) {
            ctx.error(pt.seq[1].mark, m.child(p), why);
            continue;
          }
          if (h < 0)
            ctx.error(pt.seq[0].mark, m.child(p), "hours must be >= 0, got " + pt.seq[0].scalar);
          if (pr < 0 || pr > 1)
            ctx.error(pt.seq[1].mark, m.child(p),
                      "probability must be in [0, 1], got " + pt.seq[1].scalar);
          if (!md.dow_curve.empty() && h <= md.dow_curve.back().first)
            ctx.error(pt.seq[0].mark, m.child(p),
                      "hours must be strictly increasing: " + pt.seq[0].scalar + " after " +
                          fmt_num(md.dow_curve.back().first));
          md.dow_curve.emplace_back(h, pr);
        }
      }
    }
    sc.medevac = md;
  }

  if (const Obj a = top.object("acceptance"); a.present()) {
    const Obj f = a.object("fatalities_per_1000py");
    sc.acceptance = Acceptance{f.num("max"), f.num("confidence"), std::nullopt};
    if (f.has("max_exceedance_probability"))
      sc.acceptance->max_exceedance_probability = f.num("max_exceedance_probability");
    sc.acceptance->all_causes = a.has("causes") && a.str("causes") == "all";
  }

  if (const Obj y = top.object("year_effect"); y.present()) sc.year_effect_cv = y.num("cv");

  if (const Obj a = top.object("adversary"); a.present()) {
    Adversary adv;
    adv.displacement_elasticity = a.num("displacement_elasticity");
    adv.total_elasticity = a.num("total_elasticity");
    if (a.has("half_life_days")) adv.half_life_hours = a.num("half_life_days");
    adv.max_recovery = a.num("max_recovery");
    adv.elapsed_hours = a.num("elapsed_days");
    adv.step_hours = a.num("step_days");
    adv.pilot_replications = a.integer("pilot_replications");
    sc.adversary = adv;
  }

  // arms and sweep are read by load_scenario; here they only have to be known keys.
  (void)top.raw("arms");
  (void)top.raw("sweep");

  if (diags.error_count() > errors_before) return std::nullopt;
  check_people(sc, ctx, marks ? *marks : kNoMarks, root.mark);
  check_bounded_work(sc, root, ctx, marks ? *marks : kNoMarks);
  if (diags.error_count() > errors_before) return std::nullopt;
  return sc;
}

}  // namespace

std::optional<Scenario> build_scenario(const Node& root, Diagnostics& diags,
                                       const std::string& context) {
  // Recording where every key was written costs more than reading it, and is
  // needed only to place an error: a scenario is read without the marks
  // first, and read again with them (the same messages, placed) when it has
  // an error. `decide` and `select` build thousands of variants.
  Diagnostics first(diags.file());
  if (std::optional<Scenario> sc = read_scenario(root, first, context, nullptr)) {
    diags.append(first);
    return sc;
  }
  std::map<std::string, Mark> marks;
  return read_scenario(root, diags, context, &marks);
}

}  // namespace pk
