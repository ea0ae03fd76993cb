#include "experiment/implications.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "scenario/exposure.hpp"
#include "scenario/threats.hpp"

namespace pk {

namespace {

constexpr double kHoursPerYear = kHoursPerDay * kDaysPerYear;

// Three significant digits; whole numbers (days, km) as they are.
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v == std::floor(v) && std::fabs(v) < 1e9 ? "%.0f" : "%.3g", v);
  return buf;
}

// The zone's intensity factor averaged over [0, horizon) (§8.2: 1 outside
// every window).
double mean_intensity(const Zone& z, double horizon) {
  double covered = 0, weighted = 0;
  for (const IntensityWindow& w : z.intensity) {
    const double len = std::max(0.0, std::min(w.to_hours, horizon) - w.from_hours);
    covered += len;
    weighted += len * w.factor;
  }
  return horizon > 0 ? (weighted + std::max(0.0, horizon - covered)) / horizon : 1;
}

// The zone's intensity factor at time t (hours).
double factor_at(const Zone& z, double t) {
  for (const IntensityWindow& w : z.intensity)
    if (w.from_hours <= t && t < w.to_hours) return w.factor;
  return 1;
}

// dow_curve(T): piecewise linear through the points, flat beyond both ends (§3.3).
double curve_at(const std::vector<std::pair<double, double>>& curve, double t) {
  if (curve.empty()) return 0;
  size_t i = 0;
  while (i < curve.size() && curve[i].first < t) ++i;
  if (i == 0) return curve.front().second;
  if (i == curve.size()) return curve.back().second;
  const auto& [x0, y0] = curve[i - 1];
  const auto& [x1, y1] = curve[i];
  return y0 + (y1 - y0) * (t - x0) / (x1 - x0);
}

// Expected deaths per person hit: killed, or wounded and dead of wounds.
double deaths(double p_kill, double p_wound, double dow) {
  return p_kill + p_wound * dow;
}

// Expected deaths of one device strike on movement `m` (§2.1 step 3, §8.7):
// pressure devices hit the lead with `lead_share`, the rest a vehicle drawn
// uniformly.
double strike_deaths(const Scenario& s, const Movement& m, double pressure, double lead_share,
                     double dow) {
  struct Group {
    double count, deaths, adjacent;  // deaths if struck; deaths of wounds if a neighbour is
  };
  std::vector<Group> groups;
  double vehicles = 0, sum = 0, adjacent = 0;
  for (const VehicleGroup& g : column(m)) {
    if (g.count <= 0) continue;
    const Blast& b = s.vehicle_types[g.type].blast;
    groups.push_back({static_cast<double>(g.count), g.crew * deaths(b.p_kill, b.p_wound, dow),
                      g.crew * b.p_wound_adjacent * dow});
    vehicles += groups.back().count;
    sum += groups.back().count * groups.back().deaths;
    adjacent += 2 * groups.back().count * groups.back().adjacent;
  }
  if (vehicles == 0) return 0;
  double lead = groups.front().deaths;
  if (vehicles >= 2) {
    // Blast beyond the struck vehicle: over a uniform choice each vehicle is
    // next to the struck one once per neighbour it has (the two ends have
    // one); the lead's neighbour is the column's second vehicle.
    adjacent -= groups.front().adjacent + groups.back().adjacent;
    lead += groups.front().count >= 2 ? groups.front().adjacent : groups[1].adjacent;
  } else {
    adjacent = 0;
  }
  const double uniform = (sum + adjacent) / vehicles;
  return pressure * (lead_share * lead + (1 - lead_share) * uniform) + (1 - pressure) * uniform;
}

// Expected deaths of one ambush of hazard `a` on movement `m` (§2.3, not halted).
double ambush_deaths(const Scenario& s, const Movement& m, const AmbushThreat& a, double dow) {
  double sum = 0;
  for (const VehicleGroup& g : column(m)) {
    const double p_hit = std::min(1.0, a.p_hit * s.vehicle_types[g.type].ambush_exposure);
    sum += static_cast<double>(g.count) * g.crew * p_hit *
           deaths(a.p_kill_given_hit, 1 - a.p_kill_given_hit, dow);
  }
  return sum * kill_zone_share(a, m);
}

// What a zone's devices (IEDs or mines) meet on its routes, per year.
struct DeviceFlow {
  double arrivals = 0, stock = 0, met = 0, fatalities = 0;
};

// Per route r, with P_r passages per hour and devices leaving at `loss` per
// hour besides: a device laid on r is met with probability P_r / (P_r + loss)
// (the steady state of §7); a stock of N at t = 0 meets
// N P_r / (P_r + loss) (1 − e^{−(P_r + loss) H}) within the horizon. Each
// movement takes its share P_m / P_r of the encounters.
struct Traffic {
  std::vector<double> route_passages;           // per hour, by route
  std::vector<double> passages;                 // per hour, by movement
  std::vector<std::vector<double>> km_in_zone;  // by route, by zone
};

Traffic traffic(const Scenario& s) {
  Traffic t;
  const double h = s.horizon_hours;
  t.route_passages.assign(s.routes.size(), 0.0);
  for (const Movement& m : s.movements) {
    const double p = h > 0 ? expected_departures(m, h) / h * (m.round_trip ? 2 : 1) : 0;
    t.passages.push_back(p);
    t.route_passages[m.route] += p;
  }
  t.km_in_zone.assign(s.routes.size(), std::vector<double>(s.zones.size(), 0.0));
  for (size_t r = 0; r < s.routes.size(); ++r)
    for (const Segment& g : s.routes[r].segments) t.km_in_zone[r][g.zone] += g.length_km;
  return t;
}

DeviceFlow device_flow(const Scenario& s, const Traffic& t, size_t z, double laying_per_km_hour,
                       double stock_per_km, double lifetime_hours, bool stationary, double pressure,
                       double lead_share, double dow) {
  DeviceFlow f;
  const double h = s.horizon_hours, years = h / kHoursPerYear;
  const double loss = lifetime_hours > 0 ? 1 / lifetime_hours : 0;
  const double laying = laying_per_km_hour * mean_intensity(s.zones[z], h);
  for (size_t r = 0; r < s.routes.size(); ++r) {
    const double km = t.km_in_zone[r][z];
    const double p = t.route_passages[r];
    if (km <= 0) continue;
    f.arrivals += laying * km * kHoursPerYear;
    // The steady stock of §2.2: laying at t = 0 over the rate at which a mine leaves.
    if (stationary && p + loss > 0)
      f.stock += laying_per_km_hour * factor_at(s.zones[z], 0) * km / (p + loss);
    else if (!stationary)
      f.stock += stock_per_km * km;
    if (p <= 0) continue;
    double met = laying * km * p / (p + loss) * kHoursPerYear;
    if (!stationary && years > 0)
      met += stock_per_km * km * p / (p + loss) * (1 - std::exp(-(p + loss) * h)) / years;
    f.met += met;
    for (size_t m = 0; m < s.movements.size(); ++m)
      if (s.movements[m].route == static_cast<int>(r))
        f.fatalities +=
            met * t.passages[m] / p * strike_deaths(s, s.movements[m], pressure, lead_share, dow);
  }
  return f;
}

void add_device_threats(const Scenario& s, const Traffic& t, size_t z, double dow,
                        std::vector<ImpliedThreat>& out) {
  const Zone& zone = s.zones[z];
  const double lead_share = zone.ied ? zone.ied->lead_share : 1;
  if (zone.ied) {
    const IedThreat& ied = *zone.ied;
    const DeviceFlow f = device_flow(s, t, z, ied.emplacement_per_km_hour, 0, ied.lifetime_hours,
                                     false, ied.trigger_mix[0], lead_share, dow);
    out.push_back({zone.id, "ied", f.arrivals, 0, true, f.met, f.fatalities});
  }
  if (zone.mines) {
    const MineField& mf = *zone.mines;
    // The steady stock of laying is what keeps the encounters stationary: the
    // laying term alone gives them (§2.2).
    const DeviceFlow f = device_flow(s, t, z, mf.laying_per_km_hour, mf.per_km, mf.lifetime_hours,
                                     mf.steady_stock, 1, lead_share, dow);
    out.push_back({zone.id, "mines", f.arrivals, f.stock, true, f.met, f.fatalities});
  }
}

void add_ambushes(const Scenario& s, const Traffic& t, size_t z, double dow,
                  std::vector<ImpliedThreat>& out) {
  const Zone& zone = s.zones[z];
  std::vector<std::pair<std::string, const AmbushThreat*>> hazards;
  if (zone.ambush) hazards.emplace_back("ambush", &*zone.ambush);
  for (const AmbushThreat& a : zone.ambushes) hazards.emplace_back("ambushes[" + a.id + "]", &a);
  const double factor = mean_intensity(zone, s.horizon_hours);
  for (const auto& [name, a] : hazards) {
    ImpliedThreat it;
    it.zone = zone.id;
    it.threat = name;
    for (size_t m = 0; m < s.movements.size(); ++m) {
      const Movement& mv = s.movements[m];
      const double km_per_year = t.passages[m] * kHoursPerYear * t.km_in_zone[mv.route][z];
      const double attacks = a->per_km * factor * km_per_year;
      it.arrivals += attacks;
      it.fatalities += attacks * ambush_deaths(s, mv, *a, dow);
    }
    out.push_back(it);
  }
}

// A threat that attacks every site of zone z at `per_site_hour`, killing
// `per_attack(site)` an attack.
template <class PerAttack>
ImpliedThreat site_threat(const Scenario& s, size_t z, const char* name, double per_site_hour,
                          PerAttack per_attack) {
  const Zone& zone = s.zones[z];
  const double attacks = per_site_hour * mean_intensity(zone, s.horizon_hours) * kHoursPerYear;
  ImpliedThreat it;
  it.zone = zone.id;
  it.threat = name;
  for (const Site& site : s.sites)
    if (site.zone == static_cast<int>(z)) {
      it.arrivals += attacks;
      it.fatalities += attacks * per_attack(site);
    }
  return it;
}

void add_site_attacks(const Scenario& s, size_t z, double dow, std::vector<ImpliedThreat>& out) {
  const Zone& zone = s.zones[z];
  for (const ThreatType& t : threat_types()) {
    if (!t.site || !t.present(zone)) continue;
    out.push_back(site_threat(s, z, t.name, t.site->per_site_hour(zone), [&](const Site& site) {
      const MeanCasualties c = t.site->per_attack(zone, site);
      return deaths(c.killed, c.wounded, dow);
    }));
  }
}

// Road accidents and illness in zone z (ImpliedOtherCause).
void add_other_causes(const Scenario& s, const Traffic& t, size_t z, double dow,
                      std::vector<ImpliedOtherCause>& out) {
  const Zone& zone = s.zones[z];
  if (const auto& ra = zone.road_accidents) {
    ImpliedOtherCause c{zone.id, "road_accidents", 0, 0};
    // Half of each day is night (06:00-18:00 is day, §2.8).
    const double rate = ra->per_vehicle_km * (1 + ra->night_factor) / 2;
    for (size_t m = 0; m < s.movements.size(); ++m) {
      const double km = t.passages[m] * kHoursPerYear * t.km_in_zone[s.movements[m].route][z];
      for (const VehicleGroup& g : column(s.movements[m])) {
        const double crashes =
            rate * s.vehicle_types[g.type].accident_factor * static_cast<double>(g.count) * km;
        c.events += crashes;
        c.fatalities +=
            crashes * deaths(ra->p_kill, ra->p_wound, dow) * static_cast<double>(g.crew);
      }
    }
    out.push_back(c);
  }
  if (const auto& il = zone.illness) {
    ImpliedOtherCause c{zone.id, "illness", 0, 0};
    for (const Site& site : s.sites)
      if (site.zone == static_cast<int>(z))
        c.events += il->per_person_hour * kHoursPerYear * static_cast<double>(site.personnel);
    c.fatalities = c.events * il->case_fatality;
    out.push_back(c);
  }
}

// Deaths are not capped by the people present (a casualty figure per event is
// a mean): rates that kill more than the whole personnel in a year are a unit
// typed wrong, whatever the cause.
void check_personnel(ScenarioImplications& im) {
  const double deaths = im.fatalities_per_year + im.other_fatalities_per_year;
  if (im.personnel_years_per_year > 0 && deaths > im.personnel_years_per_year)
    im.warnings.push_back(
        {"", "the rates imply about " + number(deaths) + " deaths a year, more than the " +
                 number(im.personnel_years_per_year) +
                 " personnel of the sites: check the units of the rates (per day, per km, per "
                 "1,000 person-years)"});
}

void check_rate(ScenarioImplications& im) {
  const double rate = im.fatalities_per_1000py;
  const std::string band = number(im.band.lo) + "–" + number(im.band.hi);
  if (rate > im.band.hi * kFarOutsideBand)
    im.warnings.push_back(
        {"", "the rates imply about " + number(rate) +
                 " fatalities per 1,000 personnel-years before detection and warning, more than " +
                 number(kFarOutsideBand) + " times the highest UN mission rate (" + band +
                 " in data/un_fatalities.csv, docs/plausibility.md): check the units of the "
                 "rates (per day, per km, per 1,000 km)"});
  else if (rate < im.band.lo / kFarOutsideBand)
    im.warnings.push_back(
        {"", "the rates imply about " + number(rate) +
                 " fatalities per 1,000 personnel-years even before detection and warning, less "
                 "than 1/" +
                 number(kFarOutsideBand) + " of the lowest UN mission rate (" + band +
                 " in data/un_fatalities.csv, docs/plausibility.md): are threats or exposure "
                 "missing?"});
}

void check_routes(const Scenario& s, const Traffic& t, ScenarioImplications& im) {
  for (size_t r = 0; r < s.routes.size(); ++r)
    for (size_t z = 0; z < s.zones.size(); ++z)
      if (t.km_in_zone[r][z] > kMaxRouteKmInZone)
        im.warnings.push_back(
            {"routes[" + s.routes[r].id + "].segments",
             number(t.km_in_zone[r][z]) + " km of this route lie in zone " + s.zones[z].id +
                 ", more than any road across the largest mission areas (" +
                 number(kMaxRouteKmInZone) + " km): is it a length in metres or a total?"});
}

void check_lifetimes(const Scenario& s, ScenarioImplications& im) {
  const double days = s.horizon_hours / kHoursPerDay;
  const std::string horizon = "the horizon (" + number(days) + " days)";
  for (const Zone& z : s.zones) {
    const std::string p = "zones[" + z.id + "].";
    if (z.ied && z.ied->lifetime_hours > s.horizon_hours)
      im.warnings.push_back(
          {p + "ied.lifetime_days",
           "the mean IED lifetime (" + number(z.ied->lifetime_hours / kHoursPerDay) +
               " days) is longer than " + horizon +
               ": IEDs build up on the roads for about a lifetime, so this run's yearly rates are "
               "below the steady state; run a longer horizon"});
    // A steady stock is stationary whatever the lifetime (§2.2).
    if (z.mines && !z.mines->steady_stock && z.mines->lifetime_hours > s.horizon_hours)
      im.warnings.push_back(
          {p + "mines.lifetime_days",
           "the mean mine lifetime (" + number(z.mines->lifetime_hours / kHoursPerDay) +
               " days) is longer than " + horizon +
               ": the stock as written has not reached the balance of laying and loss, so this "
               "run's yearly rates depend on the horizon"});
  }
}

}  // namespace

const std::vector<UnMissionRate>& un_mission_rates() {
  // data/un_fatalities.csv, column uniformed_malicious; strengths and years as
  // in docs/plausibility.md (tests/unit/implications_test.cpp re-counts them).
  static const std::vector<UnMissionRate> kRates = {{"MINUSMA", 2014, 2019, 121, 11800},
                                                    {"MINUSCA", 2015, 2019, 35, 12000},
                                                    {"MONUSCO", 2014, 2019, 32, 18300},
                                                    {"UNMISS", 2014, 2019, 4, 13060},
                                                    {"UNIFIL", 2014, 2019, 1, 10500}};
  return kRates;
}

RateBand un_fatality_band() {
  RateBand b{INFINITY, 0};
  for (const UnMissionRate& m : un_mission_rates()) {
    b.lo = std::min(b.lo, m.per_1000py());
    b.hi = std::max(b.hi, m.per_1000py());
  }
  return b;
}

double first_order_dow(const Scenario& s) {
  if (!s.medevac) return 0;
  const Medevac& m = *s.medevac;
  const double hours = m.helicopters > 0 ? m.dispatch_hours + m.flight_hours : m.ground_evac_hours;
  // With a care chain (§3.6), the average wounded person's relative risk;
  // deaths before advanced care are left out, as the other waits are.
  double risk = 1;
  if (m.care) {
    risk = 0;
    for (int k = 0; k < kTriageCount; ++k)
      risk += m.care->severity[k] * m.care->dow_relative_risk[k];
  }
  return std::min(1.0, risk * curve_at(m.dow_curve, hours));
}

ScenarioImplications scenario_implications(const Scenario& s) {
  ScenarioImplications im;
  const Traffic t = traffic(s);
  const double dow = first_order_dow(s);
  for (size_t z = 0; z < s.zones.size(); ++z) {
    add_device_threats(s, t, z, dow, im.threats);
    add_ambushes(s, t, z, dow, im.threats);
    add_site_attacks(s, z, dow, im.threats);
    add_other_causes(s, t, z, dow, im.other);
  }
  for (const ImpliedThreat& it : im.threats) im.fatalities_per_year += it.fatalities;
  for (const ImpliedOtherCause& c : im.other) im.other_fatalities_per_year += c.fatalities;
  for (const Site& site : s.sites)
    im.personnel_years_per_year += static_cast<double>(site.personnel);
  im.fatalities_per_1000py = im.personnel_years_per_year > 0
                                 ? im.fatalities_per_year * 1000 / im.personnel_years_per_year
                                 : 0;
  im.band = un_fatality_band();
  check_rate(im);
  check_personnel(im);
  check_routes(s, t, im);
  check_lifetimes(s, im);
  return im;
}

}  // namespace pk
