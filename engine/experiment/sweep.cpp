#include "experiment/sweep.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "experiment/inert_edges.hpp"
#include "experiment/metrics.hpp"
#include "experiment/result_json.hpp"
#include "experiment/result_read.hpp"
#include "experiment/serialize.hpp"
#include "pk_version.hpp"
#include "scenario/suggest.hpp"
#include "stats/rounding.hpp"
#include "stats/sensitivity.hpp"
#include "stats/summary.hpp"
#include "util/input_file.hpp"

namespace pk {

using nlohmann::json;

namespace {

std::string point_label(const SweepPoint& pt) {
  std::string s;
  for (const auto& o : pt.overrides) s += (s.empty() ? "" : ", ") + o.path + "=" + o.value.scalar;
  return s;
}

std::string basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

const std::vector<std::string>& default_responses() {
  static const std::vector<std::string> kDefault = {"fatalities",
                                                    "kia",
                                                    "dow",
                                                    "wia",
                                                    "fatalities_by_cause.ied",
                                                    "fatalities_by_cause.ambush",
                                                    "fatalities_by_cause.idf"};
  return kDefault;
}

std::vector<std::string> sweep_responses(const SweepSettings& settings) {
  std::vector<std::string> all = default_responses();
  for (const std::string& name : settings.extra_responses)
    if (std::find(all.begin(), all.end(), name) == all.end()) all.push_back(name);
  return all;
}

std::string check_response_metrics(const Scenario& s, const std::vector<std::string>& names) {
  const std::vector<std::string> known = metric_names(s);
  for (const std::string& name : names) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string close;
    for (const std::string& c : nearest_few(name, known)) close += (close.empty() ? "" : ", ") + c;
    return "unknown response metric '" + name + "' (closest metrics: " + close +
           "; `pkrisk run --format csv` lists them all)";
  }
  return "";
}

bool plan_sweep(const LoadedScenario& ls, const SweepSettings& settings, SweepPlan& plan,
                Diagnostics& diags) {
  plan = SweepPlan{};
  plan.settings = settings;
  if (!ls.sweep) {
    diags.error({}, "sweep", "the scenario has no sweep block");
    return false;
  }
  std::string error;
  if (!make_design(*ls.sweep, settings.seed, plan.points, error)) {
    diags.error({}, "sweep", error);
    return false;
  }
  if (std::string e = check_response_metrics(ls.baseline(), settings.extra_responses); !e.empty()) {
    diags.error({}, "sweep", e);
    return false;
  }
  plan.units_per_point = (settings.replications + settings.batch - 1) / settings.batch;
  for (const SweepPoint& pt : plan.points) {
    const std::string context =
        "sweep point " + std::to_string(pt.index) + " (" + point_label(pt) + "): ";
    (void)build_point(ls, pt.overrides, diags, context);
    if (diags.error_count() > 20) {
      diags.error({}, "sweep", "too many errors; stopped checking points");
      break;
    }
  }
  return !diags.has_errors();
}

Plan SweepPlan::execution(int threads) const {
  Plan p;
  p.seed = settings.seed;  // never the point: common random numbers across points
  p.replications = settings.replications;
  p.batch = settings.batch;
  p.threads = threads;
  return p;
}

std::vector<Variant> SweepPlan::variants() const {
  std::vector<Variant> out;
  for (const SweepPoint& pt : points)
    out.push_back({"sweep point " + std::to_string(pt.index), pt.overrides, false, {}});
  return out;
}

std::map<std::string, std::string> plan_identity(const LoadedScenario& ls, const SweepPlan& plan) {
  std::map<std::string, std::string> id = {
      {"scenario_sha256", ls.sha256},
      {"seed", std::to_string(plan.settings.seed)},
      {"design", ls.sweep ? ls.sweep->design : ""},
      {"points", std::to_string(plan.points.size())},
      {"replications", std::to_string(plan.settings.replications)},
      {"batch", std::to_string(plan.settings.batch)},
      {"units", std::to_string(plan.units())},
      {"version", kVersion}};
  std::string extra;  // comma-separated: metric names hold no commas
  for (const std::string& name : plan.settings.extra_responses)
    extra += (extra.empty() ? "" : ",") + name;
  if (!extra.empty()) id["responses"] = extra;  // absent by default: older stores still resume
  return id;
}

std::vector<std::pair<int64_t, std::string>> point_rows(const std::vector<SweepPoint>& points) {
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& pt : points) {
    json j = json::object();
    for (const auto& ov : pt.overrides) j[ov.path] = ov.value.scalar;
    rows.emplace_back(pt.index, j.dump());
  }
  return rows;
}

std::unique_ptr<ResultStore> open_results_store(const LoadedScenario& ls,
                                                const std::map<std::string, std::string>& identity,
                                                const std::vector<SweepPoint>& points,
                                                const std::string& dir, bool resume,
                                                std::string& error, bool& bad_input) {
  bad_input = false;
  const std::string db_path = dir + "/results.sqlite";
  const bool existed = ::access(db_path.c_str(), F_OK) == 0;
  auto store = ResultStore::open(db_path, error, &bad_input);
  if (!store) return nullptr;
  const auto meta = store->meta();
  if (existed && !meta.empty()) {
    bad_input = true;
    if (!resume)
      return error = dir +
                     " already holds results: add --resume to continue, or choose "
                     "another --out",
             nullptr;
    for (const auto& [k, v] : identity) {
      auto it = meta.find(k);
      if (it == meta.end() || it->second != v)
        return error = "cannot resume: " + k + " of " + dir + " is '" +
                       (it == meta.end() ? "" : it->second) + "', this run's is '" + v + "'",
               nullptr;
    }
    bad_input = false;
  }
  std::string text;
  if (!read_input_file(ls.file, text))
    return error = "cannot read " + ls.file + " again to store it with the results", nullptr;
  auto recorded = identity;
  recorded["scenario_text"] = text;
  recorded["scenario_file"] = ls.file;
  if (std::string e = store->set_meta(recorded); !e.empty())
    return error = "results store: " + e, nullptr;
  if (std::string e = store->put_points(point_rows(points)); !e.empty())
    return error = "results store: " + e, nullptr;
  return store;
}

std::unique_ptr<ResultStore> open_sweep_store(const LoadedScenario& ls, const SweepPlan& plan,
                                              const std::string& dir, const std::string& shard,
                                              bool resume, std::string& error, bool& bad_input) {
  auto identity = plan_identity(ls, plan);
  identity["shard"] = shard;
  return open_results_store(ls, identity, plan.points, dir, resume, error, bad_input);
}

bool sweep_summary(const LoadedScenario& ls, const SweepPlan& plan, ResultStore& store, json& out,
                   std::string& error, bool* io_failure) {
  if (io_failure) *io_failure = false;
  out = json::object();
  out["schema_version"] = kResultSchemaVersion;
  out["scenario"] = {
      {"name", ls.baseline().name}, {"file", basename(ls.file)}, {"sha256", ls.sha256}};
  out["seed"] = plan.settings.seed;
  out["version"] = kVersion;
  out["design"] = ls.sweep->design;
  out["replications"] = plan.settings.replications;
  out["batch"] = plan.settings.batch;
  json params = json::array();
  for (const auto& p : ls.sweep->parameters) params.push_back(p.path);
  out["parameters"] = params;
  if (json edges = inert_edges(*ls.sweep, plan); !edges.empty()) out["inert_edges"] = edges;

  json points = json::array();
  std::vector<std::vector<double>> x;
  std::map<std::string, std::vector<double>> responses;  // baseline metric means per point
  const std::vector<std::string> key_metrics = sweep_responses(plan.settings);
  std::vector<ResultStore::StatRow> rows;
  const std::vector<Variant> variants = plan.variants();
  for (size_t p = 0; p < plan.points.size(); ++p) {
    Diagnostics ignored(ls.file);
    LoadedScenario point;
    point.file = ls.file;
    point.sha256 = ls.sha256;
    auto arms = variant_arms(ls, variants[p], ignored);
    if (!arms) return error = variants[p].label + " no longer builds", false;
    point.arms = std::move(*arms);
    RunResult r = empty_result(point.arms, plan.settings.seed);
    for (int64_t u = static_cast<int64_t>(p) * plan.units_per_point;
         u < static_cast<int64_t>(p + 1) * plan.units_per_point; ++u) {
      const std::string data = store.unit_data(u);
      if (data.empty())
        return error = "work unit " + std::to_string(u) + " is missing from the store", false;
      // The store is a file like any other: a unit edited by hand must not crash pkrisk.
      const json stored = json::parse(data, nullptr, false);
      if (stored.is_discarded() || !merge_result_json(stored, r))
        return error = "work unit " + std::to_string(u) +
                       " of the results store is damaged or does not match this scenario",
               false;
    }
    json jp;
    jp["index"] = plan.points[p].index;
    json values = json::object();
    for (const auto& o : plan.points[p].overrides) {
      const double v = plan.points[p].numeric[&o - &plan.points[p].overrides[0]];
      if (!std::isfinite(v))
        values[o.path] = o.value.scalar;
      else if (std::floor(v) == v && std::fabs(v) < 9e15)
        values[o.path] = static_cast<int64_t>(v);
      else
        values[o.path] = round_significant(v, 12);  // 0.3, not 0.30000000000000004
    }
    jp["parameters"] = values;
    jp["arms"] = result_json(point, r)["arms"];
    points.push_back(jp);
    x.push_back(plan.points[p].numeric);
    for (size_t m = 0; m < r.metric_names.size(); ++m) {
      const MetricSummary s = summarize(r.arms[0].metrics[m]);
      for (const auto& k : key_metrics)
        if (k == r.metric_names[m]) responses[k].push_back(s.mean);
      for (const ArmResult& a : r.arms) {
        const MetricSummary sa = summarize(a.metrics[m]);
        rows.push_back({static_cast<int64_t>(p), a.name, r.metric_names[m], sa.mean, sa.sd,
                        sa.ci95.lo, sa.ci95.hi, sa.p50, sa.p90, sa.p95, sa.p99, sa.cvar95});
      }
    }
  }
  out["points"] = points;

  json sens = json::object();
  for (const auto& k : key_metrics) {
    auto s = sensitivity(x, responses[k]);
    if (!s) continue;
    json js;
    auto clean = [](const std::vector<double>& v) {
      json a = json::array();
      for (double d : v)
        a.push_back(std::isfinite(d) ? json(std::round(d * 1e9) / 1e9) : json(nullptr));
      return a;
    };
    js["src"] = clean(s->src);
    js["prcc"] = clean(s->prcc);
    js["r2"] = std::isfinite(s->r2) ? json(std::round(s->r2 * 1e9) / 1e9) : json(nullptr);
    // Why every PRCC is null (absent when they are estimated).
    if (!s->prcc_not_estimable.empty()) js["prcc_not_estimable"] = s->prcc_not_estimable;
    sens[k] = js;
  }
  out["sensitivity"] = sens;

  // Grid response tables: baseline fatalities averaged over the other parameters.
  if (ls.sweep->design == "grid") {
    json resp = json::object();
    for (size_t j = 0; j < params.size(); ++j) {
      std::map<std::string, std::pair<double, int>> by_value;
      std::vector<std::string> order;
      for (size_t p = 0; p < plan.points.size(); ++p) {
        const std::string v = plan.points[p].overrides[j].value.scalar;
        if (!by_value.count(v)) order.push_back(v);
        by_value[v].first += responses["fatalities"][p];
        by_value[v].second += 1;
      }
      json table = json::array();
      for (const auto& v : order)
        table.push_back(
            {{"value", v},
             {"fatalities_mean", std::round(by_value[v].first / by_value[v].second * 1e9) / 1e9}});
      resp[params[j].get<std::string>()] = table;
    }
    out["response"] = resp;
  }
  if (std::string e = store.put_stats(rows); !e.empty()) {
    if (io_failure) *io_failure = true;
    return error = "results store: " + e, false;
  }
  return true;
}

namespace {

// One line per parameter: the SRC and PRCC of `metric` (none when not
// summarised); PRCCs that cannot be estimated say so, once, with the reason.
std::string sensitivity_lines(const json& s, const std::string& metric) {
  const auto& f = s["sensitivity"].value(metric, json::object());
  if (f.empty()) return "";
  const std::string why = f.value("prcc_not_estimable", "");
  std::string o;
  char line[512];
  for (size_t j = 0; j < s["parameters"].size(); ++j) {
    auto num = [](const json& v) {
      return v.is_null() ? std::string("   n/a") : std::to_string(v.get<double>()).substr(0, 7);
    };
    std::snprintf(line, sizeof line, "  %-50s SRC %8s  PRCC %8s\n",
                  s["parameters"][j].get<std::string>().c_str(), num(f["src"][j]).c_str(),
                  why.empty() ? num(f["prcc"][j]).c_str() : "not estimable");
    o += line;
  }
  if (why == kNoResidualVariation)
    o += "  PRCC not estimable (no residual variation): the ranks of the response are an exact\n"
         "  linear function of the parameters' ranks (the points share random numbers), so every\n"
         "  PRCC would be +1 or -1 whatever the size of the effect; read the SRC.\n";
  else if (!why.empty())
    o += "  PRCC not estimable (" + why + ")\n";
  return o;
}

}  // namespace

std::vector<std::string> sweep_parameter_labels(const json& s, const std::string& path) {
  std::vector<double> numbers;
  std::vector<std::string> out;
  for (const auto& p : s.value("points", json::array())) {
    const json v = p.value("parameters", json::object()).value(path, json());
    numbers.push_back(v.is_number() ? v.get<double>() : std::nan(""));
    out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  const std::vector<std::string> labels = parameter_labels(numbers);
  for (size_t i = 0; i < out.size(); ++i)
    if (std::isfinite(numbers[i])) out[i] = labels[i];
  return out;
}

std::string sweep_table(const json& s) {
  std::ostringstream o;
  char line[512];
  std::snprintf(line, sizeof line,
                "%s — %s sweep, %zu points × %zu arms, %lld replications each, seed %llu\n\n",
                s["scenario"]["name"].get<std::string>().c_str(),
                s["design"].get<std::string>().c_str(), s["points"].size(),
                s["points"].empty() ? size_t{0} : s["points"][0]["arms"].size(),
                static_cast<long long>(s["replications"].get<int64_t>()),
                static_cast<unsigned long long>(s["seed"].get<uint64_t>()));
  o << line;
  o << "point  parameters" << std::string(41, ' ') << "baseline fatalities (95% CI)";
  if (!s["points"].empty())
    for (size_t a = 1; a < s["points"][0]["arms"].size(); ++a) {
      std::snprintf(line, sizeof line, " %14s",
                    s["points"][0]["arms"][a]["name"].get<std::string>().c_str());
      o << line;
    }
  o << "\n";
  std::vector<std::pair<std::string, std::vector<std::string>>> labels;
  if (!s["points"].empty())
    for (auto it = s["points"][0]["parameters"].begin(); it != s["points"][0]["parameters"].end();
         ++it)
      labels.emplace_back(it.key(), sweep_parameter_labels(s, it.key()));
  for (size_t i = 0; i < s["points"].size(); ++i) {
    const json& p = s["points"][i];
    std::string params;
    for (const auto& [path, values] : labels)
      params += (params.empty() ? "" : ", ") + path + "=" + values[i];
    std::snprintf(line, sizeof line, "%5lld  %-50s %-28s",
                  static_cast<long long>(p["index"].get<int64_t>()), params.c_str(),
                  rounded(p["arms"][0]["fatalities"]).with_interval().c_str());
    o << line;
    for (size_t a = 1; a < p["arms"].size(); ++a) {
      std::snprintf(line, sizeof line, " %14s", rounded(p["arms"][a]["fatalities"]).value.c_str());
      o << line;
    }
    o << "\n";
  }
  if (s.contains("sensitivity") && !s["sensitivity"].empty()) {
    o << "\nsensitivity of baseline fatalities (SRC: standardized regression coefficient; PRCC: "
         "partial rank "
         "correlation)\n";
    o << sensitivity_lines(s, "fatalities");
    const auto& defaults = default_responses();
    for (auto it = s["sensitivity"].begin(); it != s["sensitivity"].end(); ++it)
      if (std::find(defaults.begin(), defaults.end(), it.key()) == defaults.end())
        o << "\nsensitivity of baseline " << it.key() << "\n" << sensitivity_lines(s, it.key());
  }
  return o.str();
}

}  // namespace pk
