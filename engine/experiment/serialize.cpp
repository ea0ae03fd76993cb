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
    ja["cost_usd"] = a.cost_usd;
    ja["personnel_years"] = a.personnel_years;
    ja["any_fatality"] = a.any_fatality;
    ja["movement_km"] = a.movement_km;
    ja["medevac_wait_hours"] = a.medevac_wait_hours;
    json t = json::array();
    for (const RatioSums& r : a.ten_one_two) t.push_back({r.n, r.a, r.b, r.aa, r.bb, r.ab});
    ja["ten_one_two"] = t;
    ja["diff"] = hist_to_json(a.fatalities_diff);
    json hs = json::array();
    for (const auto& h : a.metrics) hs.push_back(hist_to_json(h));
    ja["hist"] = hs;
    arms.push_back(ja);
  }
  j["arms"] = arms;
  if (!r.rows.empty()) j["rows"] = r.rows;  // kept by callers that need the order (select)
  return j;
}

bool result_from_json(const json& j, RunResult& out) {
  try {
    out = RunResult{};
    out.seed = j.at("seed").get<uint64_t>();
    out.replications = j.at("replications").get<int64_t>();
    out.events = j.at("events").get<int64_t>();
    out.metric_names = j.at("metrics").get<std::vector<std::string>>();
    for (const auto& ja : j.at("arms")) {
      ArmResult& ar = out.arms.emplace_back();
      ar.name = ja.at("name").get<std::string>();
      // Absent from the stores of earlier versions (which never resume).
      ar.cost_usd = ja.value("cost_usd", 0.0);
      ar.personnel_years = ja.value("personnel_years", 0.0);
      const auto& hs = ja.at("hist");
      if (hs.size() != out.metric_names.size()) return false;
      ar.metrics.resize(hs.size());
      for (size_t m = 0; m < hs.size(); ++m) hist_from_json(hs[m], ar.metrics[m]);
      hist_from_json(ja.at("diff"), ar.fatalities_diff);
      ar.any_fatality = ja.at("any_fatality").get<int64_t>();
      ar.movement_km = ja.at("movement_km").get<double>();
      ar.medevac_wait_hours = ja.at("medevac_wait_hours").get<double>();
      if (ja.contains("ten_one_two")) {  // absent from the stores of earlier versions
        const auto& t = ja.at("ten_one_two");
        if (t.size() != ar.ten_one_two.size()) return false;
        for (size_t k = 0; k < t.size(); ++k) {
          RatioSums& r = ar.ten_one_two[k];
          r.n = t[k].at(0).get<int64_t>();
          r.a = t[k].at(1).get<double>();
          r.b = t[k].at(2).get<double>();
          r.aa = t[k].at(3).get<double>();
          r.bb = t[k].at(4).get<double>();
          r.ab = t[k].at(5).get<double>();
        }
      }
    }
    if (j.contains("rows")) {
      out.rows = j.at("rows").get<std::vector<int64_t>>();
      const size_t per = out.arms.size() * out.metric_names.size();
      if (out.rows.size() != static_cast<size_t>(out.replications) * per) return false;
    }
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

bool merge_result_json(const json& j, RunResult& into) {
  RunResult part;
  if (!result_from_json(j, part) || part.metric_names != into.metric_names ||
      part.arms.size() != into.arms.size())
    return false;
  for (size_t a = 0; a < part.arms.size(); ++a)
    if (part.arms[a].name != into.arms[a].name) return false;
  merge_results(into, part);
  return true;
}

}  // namespace pk
