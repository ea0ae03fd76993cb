#include "experiment/inert_edges.hpp"

#include <cmath>
#include <cstdio>

#include "experiment/sweep.hpp"

namespace pk {

namespace {

struct Inert {
  const char* key;  // the path without selectors
  double value;
  const char* mitigation;
};

// Mitigations (docs/model.md §3) and the value of each key at which it does nothing.
constexpr Inert kInert[] = {
    {"uav.aircraft", 0, "UAV surveillance (no aircraft)"},
    {"uav.availability", 0, "UAV surveillance (no aircraft ever capable)"},
    {"uav.weather_grounding", 1, "UAV surveillance (grounded every day)"},
    {"uav.overwatch.p_detect_ied", 0, "IED detection by UAV overwatch"},
    {"uav.overwatch.p_warn", 0, "ambush warning by UAV overwatch"},
    {"uav.area.km_per_aircraft", 0, "UAV area surveillance (no coverage)"},
    {"uav.area.p_observe", 0, "emplacements seen by UAV area surveillance"},
    {"uav.area.deterrence", 0, "deterrence by UAV area surveillance"},
    {"movements.c_ied.trained_fraction", 0, "C-IED training (no lead crew trained)"},
    {"movements.c_ied.p_detect_trained", 0, "IED detection by trained crews"},
    {"movements.route_clearance.p_find", 0, "route clearance"},
    {"movements.jammer.p_defeat", 0, "jammers"},
    {"sites.protection.idf_exposure", 1, "camp protection against indirect fire"},
    {"sites.protection.perimeter_stop", 0, "perimeter protection against VBIEDs"},
    {"vehicle_types.ambush_exposure", 1, "vehicle armour against ambushes"},
    {"medevac.helicopters", 0, "MEDEVAC by helicopter (everyone goes by ground)"},
};

std::string without_selectors(const std::string& path) {
  std::string out;
  int depth = 0;
  for (char c : path) {
    if (c == '[') ++depth;
    if (depth == 0) out += c;
    if (c == ']' && depth > 0) --depth;
  }
  return out;
}

}  // namespace

bool inert_value(const std::string& path, double& value, std::string& mitigation) {
  const std::string key = without_selectors(path);
  for (const Inert& i : kInert)
    if (key == i.key) {
      value = i.value;
      mitigation = i.mitigation;
      return true;
    }
  return false;
}

nlohmann::json inert_edges(const SweepSpec& sweep, const SweepPlan& plan) {
  nlohmann::json edges = nlohmann::json::array();
  if (sweep.parameters.size() < 2) return edges;  // one parameter: the edge is just a reference
  for (size_t j = 0; j < sweep.parameters.size(); ++j) {
    double value = 0;
    std::string mitigation;
    if (!inert_value(sweep.parameters[j].path, value, mitigation)) continue;
    nlohmann::json points = nlohmann::json::array();
    for (const SweepPoint& pt : plan.points)
      if (j < pt.numeric.size() && pt.numeric[j] == value) points.push_back(pt.index);
    if (points.empty()) continue;
    edges.push_back({{"parameter", sweep.parameters[j].path},
                     {"value", value},
                     {"mitigation", mitigation},
                     {"points", points}});
  }
  return edges;
}

std::string inert_edges_warning(const nlohmann::json& edges, size_t points) {
  if (!edges.is_array() || edges.empty()) return "";
  std::string out =
      "pkrisk: warning: some sweep points sit where a mitigation does nothing; there the other "
      "parameters that act through it have no effect, which dilutes their sensitivity indices "
      "(summary.json: inert_edges):\n";
  char line[512];
  for (const auto& e : edges) {
    std::snprintf(line, sizeof line,
                  "pkrisk: warning:   %s = %g at %zu of %zu points: %s is inert\n",
                  e["parameter"].get<std::string>().c_str(), e["value"].get<double>(),
                  e["points"].size(), points, e["mitigation"].get<std::string>().c_str());
    out += line;
  }
  return out;
}

}  // namespace pk
