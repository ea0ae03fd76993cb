#include "experiment/serialize.hpp"

namespace pk {

using nlohmann::json;

namespace {

json hist_to_json(const IntHistogram& h) {
  json a = json::array();
  h.for_each([&](int64_t v, int64_t c) { a.push_back({v, c}); });
  return a;
}

void hist_from_json(const json& a, IntHistogram& h) {
  for (const auto& p : a) h.add(p.at(0).get<int64_t>(), p.at(1).get<int64_t>());
}

}  // namespace

json result_to_json(const RunResult& r) {
  json j;
  j["seed"] = r.seed;
  j["replications"] = r.replications;
  j["events"] = r.events;
  j["metrics"] = r.metric_names;
  json arms = json::array();
  for (const ArmResult& a : r.arms) {
    json ja;
    ja["name"] = a.name;
    ja["any_fatality"] = a.any_fatality;
    ja["movement_km"] = a.movement_km;
    ja["medevac_wait_hours"] = a.medevac_wait_hours;
    ja["diff"] = hist_to_json(a.fatalities_diff);
    json hs = json::array();
    for (const auto& h : a.metrics) hs.push_back(hist_to_json(h));
    ja["hist"] = hs;
    arms.push_back(ja);
  }
  j["arms"] = arms;
  return j;
}

bool merge_result_json(const json& j, RunResult& into) {
  try {
    if (j.at("metrics").get<std::vector<std::string>>() != into.metric_names) return false;
    const auto& arms = j.at("arms");
    if (arms.size() != into.arms.size()) return false;
    for (size_t a = 0; a < arms.size(); ++a) {
      ArmResult& ar = into.arms[a];
      if (arms[a].at("name").get<std::string>() != ar.name) return false;
      const auto& hs = arms[a].at("hist");
      if (hs.size() != ar.metrics.size()) return false;
      for (size_t m = 0; m < hs.size(); ++m) hist_from_json(hs[m], ar.metrics[m]);
      hist_from_json(arms[a].at("diff"), ar.fatalities_diff);
      ar.any_fatality += arms[a].at("any_fatality").get<int64_t>();
      ar.movement_km += arms[a].at("movement_km").get<double>();
      ar.medevac_wait_hours += arms[a].at("medevac_wait_hours").get<double>();
    }
    into.replications += j.at("replications").get<int64_t>();
    into.events += j.at("events").get<int64_t>();
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

}  // namespace pk
