#include "experiment/result_read.hpp"

#include <cmath>

#include "experiment/result_json.hpp"

namespace pk {

using nlohmann::json;

std::string check_result_schema_version(const json& summary) {
  if (!summary.is_object() || !summary.contains("schema_version")) return "";  // version 1
  const json& v = summary["schema_version"];
  if (v.is_number_integer() && v.get<int64_t>() >= 1 && v.get<int64_t>() <= kResultSchemaVersion)
    return "";
  return "its schema_version is " + v.dump() + "; this pkrisk reads versions 1 to " +
         std::to_string(kResultSchemaVersion) + " (a newer pkrisk wrote it: use that one)";
}

Interval interval_of(const json& ci) {
  const auto end = [&](size_t i, double open) {
    return ci.is_array() && ci.size() > i && ci[i].is_number() ? ci[i].get<double>() : open;
  };
  return {end(0, -HUGE_VAL), end(1, HUGE_VAL)};
}

RoundedEstimate rounded(const json& o, double scale, const char* key) {
  const double v =
      o.is_object() && o.contains(key) && o[key].is_number() ? o[key].get<double>() : std::nan("");
  const Interval ci = interval_of(o.is_object() ? o.value("ci95", json()) : json());
  return round_estimate(v * scale, ci.lo * scale, ci.hi * scale);
}

Verdict verdict_of(const json& vs, double cost_usd) {
  if (vs.is_object() && vs.contains("verdict") && vs["verdict"].is_string())
    if (auto v = verdict_from_name(vs["verdict"].get<std::string>())) return *v;
  const json& diff = vs.is_object() ? vs.value("fatalities_diff", json()) : json();
  return classify(interval_of(diff.is_object() ? diff.value("ci95", json()) : json()), cost_usd);
}

}  // namespace pk
