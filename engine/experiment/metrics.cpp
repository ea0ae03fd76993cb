#include "experiment/metrics.hpp"

namespace pk {

namespace {
const char* kDeviceFields[] = {
    "found_uav_area", "found_route_clearance", "found_crew", "found_uav", "jammed", "detonated"};
}

std::vector<std::string> metric_names(const Scenario& s) {
  std::vector<std::string> n = {"fatalities", "kia", "dow", "wia"};
  for (const char* c : kCauseNames) n.push_back(std::string("fatalities_by_cause.") + c);
  for (const char* c : kCauseNames) n.push_back(std::string("kia_by_cause.") + c);
  for (const char* c : kCauseNames) n.push_back(std::string("dow_by_cause.") + c);
  for (const char* c : kCauseNames) n.push_back(std::string("wia_by_cause.") + c);
  n.push_back("ied.emplaced");
  for (const char* f : kDeviceFields) n.push_back(std::string("ied.") + f);
  n.push_back("ied.expired");
  n.push_back("mine.laid");
  for (const char* f : kDeviceFields)
    if (std::string(f) != "found_uav_area") n.push_back(std::string("mine.") + f);
  for (const char* f : {"ambush.attacks", "ambush.preempted", "idf.attacks", "vbied.attacks",
                        "departures", "medevac.requests", "medevac.waited", "medevac.ground"})
    n.push_back(f);
  for (const auto& m : s.movements) n.push_back("fatalities_by_movement." + m.id);
  for (const auto& site : s.sites) n.push_back("fatalities_by_site." + site.id);
  return n;
}

void extract_metrics(const Tally& t, std::vector<int64_t>& out) {
  out.clear();
  const Casualties all = t.total();
  out.push_back(all.fatalities());
  out.push_back(all.n[0]);
  out.push_back(all.n[1]);
  out.push_back(all.n[2]);
  for (const auto& c : t.by_cause) out.push_back(c.fatalities());
  for (int o = 0; o < kOutcomeCount; ++o)
    for (const auto& c : t.by_cause) out.push_back(c.n[o]);
  const DeviceCounts& i = t.ied;
  for (int64_t v : {i.emplaced, i.found_uav_area, i.found_route_clearance, i.found_crew,
                    i.found_uav, i.jammed, i.detonated, i.expired})
    out.push_back(v);
  const DeviceCounts& m = t.mine;
  for (int64_t v :
       {m.emplaced, m.found_route_clearance, m.found_crew, m.found_uav, m.jammed, m.detonated})
    out.push_back(v);
  for (int64_t v : {t.ambush_attacks, t.ambush_preempted, t.idf_attacks, t.vbied_attacks,
                    t.departures, t.medevac_requests, t.medevac_waited, t.medevac_ground})
    out.push_back(v);
  for (const auto& c : t.by_movement) out.push_back(c.fatalities());
  for (const auto& c : t.by_site) out.push_back(c.fatalities());
}

}  // namespace pk
