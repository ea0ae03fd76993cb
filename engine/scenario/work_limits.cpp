#include "scenario/work_limits.hpp"

#include <algorithm>
#include <cstdio>

namespace pk {

void check_bounded_work(const Scenario& sc, const Node& root, const Ctx& ctx) {
  constexpr double kMaxEvents = 2e7;  // expected arrivals of one process in one replication
  const double h = sc.horizon_hours;
  auto refuse = [&](const std::string& path, const std::string& what, double expected) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", expected);
    ctx.error(root.mark, path,
              what + " would make about " + buf + " events in each replication (limit " +
                  fmt_num(kMaxEvents) + "): check the units of its rate");
  };
  int64_t people = 0;
  for (const auto& s : sc.sites) people += s.personnel;
  if (!sc.sites.empty() && people == 0)
    ctx.error(root.mark, "sites",
              "total personnel is 0: rates per 1,000 personnel-years need people");
  std::vector<double> km(sc.zones.size(), 0.0);
  for (const auto& r : sc.routes)
    for (const auto& g : r.segments)
      if (g.zone >= 0) km[g.zone] += g.length_km;
  for (size_t z = 0; z < sc.zones.size(); ++z) {
    const Zone& zone = sc.zones[z];
    double peak = 1;
    for (const auto& w : zone.intensity) peak = std::max(peak, w.factor);
    const std::string p = "zones[" + zone.id + "]";
    if (zone.ied && zone.ied->emplacement_per_km_hour * km[z] * h * peak > kMaxEvents)
      refuse(p + ".ied.emplacement_per_km_day", "IED emplacement",
             zone.ied->emplacement_per_km_hour * km[z] * h * peak);
    if (zone.mines && zone.mines->per_km * km[z] > kMaxEvents)
      refuse(p + ".mines.per_km", "the mine field", zone.mines->per_km * km[z]);
    if (zone.mines && zone.mines->laying_per_km_hour * km[z] * h * peak > kMaxEvents)
      refuse(p + ".mines.laying_per_km_day", "mine laying",
             zone.mines->laying_per_km_hour * km[z] * h * peak);
    if (zone.idf && zone.idf->per_site_hour * h * peak > kMaxEvents)
      refuse(p + ".idf.per_site_day", "indirect fire", zone.idf->per_site_hour * h * peak);
    if (zone.idf && zone.idf->mean_rounds > 1e5)
      refuse(p + ".idf.mean_rounds", "IDF rounds", zone.idf->mean_rounds);
    if (zone.vbied && zone.vbied->per_site_hour * h * peak > kMaxEvents)
      refuse(p + ".vbied.per_site_year", "VBIED attacks", zone.vbied->per_site_hour * h * peak);
  }
  for (const auto& m : sc.movements) {
    const double departures = m.schedule.kind == Schedule::Kind::kPoisson
                                  ? m.schedule.per_hour * h
                                  : (m.schedule.every_hours > 0 ? h / m.schedule.every_hours : 0);
    if (departures > kMaxEvents)
      refuse("movements[" + m.id + "].schedule", "the schedule", departures);
    if (m.route >= 0 && m.route < static_cast<int>(sc.routes.size())) {
      double per_km = 0;  // the highest total rate of distance hazards along the route
      for (const auto& g : sc.routes[m.route].segments) {
        if (g.zone < 0) continue;
        const Zone& zone = sc.zones[g.zone];
        double zone_per_km = zone.ambush ? zone.ambush->per_km : 0.0;
        for (const AmbushThreat& a : zone.ambushes) zone_per_km += a.per_km;
        per_km = std::max(per_km, zone_per_km);
      }
      const double km_driven = departures * sc.routes[m.route].length_km * (m.round_trip ? 2 : 1);
      if (per_km * km_driven > kMaxEvents)
        refuse("movements[" + m.id + "]", "ambushes on this movement", per_km * km_driven);
    }
  }
}

}  // namespace pk
