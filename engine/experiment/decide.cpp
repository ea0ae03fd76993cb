#include "experiment/decide.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

#include "experiment/psa.hpp"
#include "experiment/serialize.hpp"
#include "experiment/sweep.hpp"
#include "pk_version.hpp"
#include "scenario/paths.hpp"
#include "stats/frontier.hpp"
#include "stats/rounding.hpp"
#include "stats/summary.hpp"
#include "stats/voi.hpp"
#include "util/csv.hpp"

namespace pk {

namespace {

using nlohmann::json;

// Values of a life (USD per death averted) at which the acceptability curves
// are drawn: the span of what planners and health economists use.
const std::vector<double> kWtpGrid = {0, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8};

double rounded(double v) {
  return std::isfinite(v) ? round_significant(v, 6) : v;
}

json number_or_null(double v) {
  return std::isfinite(v) ? json(rounded(v)) : json(nullptr);
}

// The p-quantile of v (sorted copy, linear between order statistics).
double quantile_of(std::vector<double> v, double p) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const double h = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::vector<double> column(const std::vector<std::vector<double>>& m, size_t c) {
  std::vector<double> out;
  out.reserve(m.size());
  for (const auto& row : m) out.push_back(row[c]);
  return out;
}

// Net benefit per mission-year of each arm at each draw, at value of life `wtp`
// (costs counted) or on fatalities alone.
std::vector<std::vector<double>> net_benefit(const std::vector<std::vector<double>>& f,
                                             const std::vector<std::vector<double>>& c,
                                             bool with_cost, double wtp) {
  std::vector<std::vector<double>> nb(f.size(), std::vector<double>(f.empty() ? 0 : f[0].size()));
  for (size_t d = 0; d < f.size(); ++d)
    for (size_t a = 0; a < f[d].size(); ++a)
      nb[d][a] = with_cost ? -wtp * f[d][a] - c[d][a] : -f[d][a];
  return nb;
}

// Share of draws at which each arm has the largest value (ties: the first).
std::vector<double> best_shares(const std::vector<std::vector<double>>& v) {
  std::vector<double> share(v.empty() ? 0 : v[0].size(), 0.0);
  for (const auto& row : v)
    share[static_cast<size_t>(std::max_element(row.begin(), row.end()) - row.begin())] += 1;
  for (double& s : share) s /= static_cast<double>(v.size());
  return share;
}

// The cost-effectiveness frontier on expected values: arms by cost, those
// strongly dominated (costlier and no more lives saved than a cheaper one)
// and extendedly dominated (a mix of two others buys their lives cheaper:
// ICERs must rise along the frontier) set aside; ICER = extra cost per extra
// life saved against the previous arm on the frontier.
json frontier(const std::vector<std::string>& arms, const std::vector<double>& cost,
              const std::vector<double>& lives) {
  const std::vector<size_t> order = cost_order(cost, lives);
  std::vector<size_t> front = pareto_front(cost, lives);
  std::vector<std::string> status(arms.size(), "dominated");
  // Extended dominance: drop a frontier arm whose ICER exceeds the next one's.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 1; k + 1 < front.size(); ++k) {
      const double in =
          (cost[front[k]] - cost[front[k - 1]]) / (lives[front[k]] - lives[front[k - 1]]);
      const double out =
          (cost[front[k + 1]] - cost[front[k]]) / (lives[front[k + 1]] - lives[front[k]]);
      if (in > out) {
        status[front[k]] = "extendedly dominated";
        front.erase(front.begin() + static_cast<std::ptrdiff_t>(k));
        changed = true;
        break;
      }
    }
  }
  json out = json::array();
  for (size_t i : order) {
    json j = {{"arm", arms[i]},
              {"cost_per_year_usd", rounded(cost[i])},
              {"lives_saved_per_year", rounded(lives[i])}};
    const auto at = std::find(front.begin(), front.end(), i);
    if (at == front.end()) {
      j["status"] = status[i];
    } else {
      j["status"] = "frontier";
      if (at != front.begin()) {
        const size_t prev = *(at - 1);
        j["icer_usd_per_life"] = rounded((cost[i] - cost[prev]) / (lives[i] - lives[prev]));
        j["against"] = arms[prev];
      }
    }
    out.push_back(j);
  }
  return out;
}

// Each draw's outcomes, taken from its result as it arrives: 10,000 draws'
// full results (every metric's histogram for every arm) would not fit in
// memory, their fatalities and costs do.
class OutcomeSink : public Sink {
 public:
  OutcomeSink(size_t draws, double years, int64_t reps)
      : fatalities(draws),
        noise_var(draws),
        cost(draws),
        done(draws, false),
        years_(years),
        reps_(reps) {}
  void accept(const WorkUnit& unit, const RunResult& r) override {
    const auto m =
        static_cast<size_t>(std::find(r.metric_names.begin(), r.metric_names.end(), "fatalities") -
                            r.metric_names.begin());
    const size_t d = unit.variant;
    fatalities[d].clear();
    noise_var[d].clear();
    cost[d].clear();
    for (const ArmResult& a : r.arms) {
      const MetricSummary ms = summarize(a.metrics[m]);
      fatalities[d].push_back(ms.mean / years_);
      noise_var[d].push_back(ms.n > 1
                                 ? ms.sd * ms.sd / static_cast<double>(ms.n) / (years_ * years_)
                                 : std::numeric_limits<double>::quiet_NaN());
      cost[d].push_back(a.cost_usd / years_);
    }
    done[d] = r.complete && r.replications == reps_;
  }
  std::vector<std::vector<double>> fatalities, noise_var, cost;  // draws × arms
  std::vector<bool> done;

 private:
  double years_;
  int64_t reps_;
};

double horizon_years(const LoadedScenario& ls) {
  return ls.baseline().horizon_hours / (kHoursPerDay * kDaysPerYear);
}

// The sample of the draws the sink holds, in draw order; not complete from
// the first draw missing.
DecideSample sample_of(const LoadedScenario& ls, const DecidePlan& plan, OutcomeSink& sink) {
  DecideSample s;
  for (const UncertainInput& in : ls.uncertainty.inputs) {
    s.inputs.push_back(in.path);
    s.groups.push_back(in.group);
  }
  s.arms = plan.arms;
  s.years = horizon_years(ls);
  s.reps_per_draw = plan.settings.reps_per_draw;
  for (size_t d = 0; d < plan.points.size(); ++d) {
    if (!sink.done[d]) {
      s.complete = false;
      break;
    }
    s.x.push_back(plan.points[d].numeric);
    s.fatalities.push_back(std::move(sink.fatalities[d]));
    s.noise_var.push_back(std::move(sink.noise_var[d]));
    s.cost.push_back(std::move(sink.cost[d]));
  }
  return s;
}

std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

Plan DecidePlan::execution() const {
  Plan plan;
  plan.seed = settings.seed;
  plan.replications = settings.reps_per_draw;
  plan.batch = settings.reps_per_draw;
  plan.threads = settings.threads;
  plan.side_by_side = true;
  return plan;
}

std::vector<Variant> DecidePlan::variants() const {
  std::vector<Variant> variants;
  const std::vector<std::string> only = adaptive
                                            ? std::vector<std::string>(arms.begin() + 1, arms.end())
                                            : std::vector<std::string>{};
  for (const SweepPoint& pt : points)
    variants.push_back({"draw " + std::to_string(pt.index), pt.overrides, false, only});
  return variants;
}

std::vector<Executor::Extension> DecidePlan::units() const {
  std::vector<Executor::Extension> blocks;
  const int64_t m = settings.reps_per_draw;
  for (size_t d = 0; d < points.size(); ++d) blocks.push_back({d, static_cast<int64_t>(d) * m, m});
  return blocks;
}

bool plan_decide(const LoadedScenario& ls, const DecideSettings& settings, DecidePlan& plan,
                 Diagnostics& diags) {
  plan.settings = settings;
  plan.adaptive = std::any_of(ls.arms.begin(), ls.arms.end(),
                              [](const Arm& a) { return !a.adaptive_of.empty(); });
  plan.arms.clear();
  for (const Arm& a : ls.arms)
    if (&a == &ls.arms.front() || !a.adaptive_of.empty() == plan.adaptive)
      plan.arms.push_back(a.name);
  std::vector<SweepPoint>& points = plan.points;
  std::string error;
  if (!make_uncertainty_design(ls.uncertainty, settings.seed, settings.draws, points, error)) {
    diags.error({}, "uncertainty", error);
    return false;
  }
  // Every draw must build, every arm of it, before anything runs.
  return check_variants(ls, plan.variants(), settings.threads, diags);
}

std::map<std::string, std::string> decide_identity(const LoadedScenario& ls,
                                                   const DecidePlan& plan) {
  const DecideSettings& s = plan.settings;
  return {{"command", "decide"},
          {"scenario_sha256", ls.sha256},
          {"seed", std::to_string(s.seed)},
          {"draws", std::to_string(s.draws)},
          {"reps_per_draw", std::to_string(s.reps_per_draw)},
          {"units", std::to_string(plan.points.size())},
          {"objective", s.net_benefit ? "net-benefit" : "fatalities"},
          {"wtp_usd", exact(s.wtp_usd)},
          {"mission_years", exact(s.mission_years)},
          {"population", exact(s.population)},
          {"version", kVersion}};
}

bool decide_settings_from_identity(const std::map<std::string, std::string>& identity,
                                   DecideSettings& settings, std::string& error) {
  const auto get = [&](const char* key) {
    auto it = identity.find(key);
    return it == identity.end() ? std::string() : it->second;
  };
  try {
    settings.seed = std::stoull(get("seed"));
    settings.draws = std::stoll(get("draws"));
    settings.reps_per_draw = std::stoll(get("reps_per_draw"));
    settings.net_benefit = get("objective") == "net-benefit";
    settings.wtp_usd = std::stod(get("wtp_usd"));
    settings.mission_years = std::stod(get("mission_years"));
    settings.population = std::stod(get("population"));
  } catch (const std::logic_error&) {  // a store edited by hand
    error = "is damaged (seed, draws, replications or objective)";
    return false;
  }
  return true;
}

std::unique_ptr<ResultStore> open_decide_store(const LoadedScenario& ls, const DecidePlan& plan,
                                               const std::string& dir, const std::string& shard,
                                               bool resume, std::string& error, bool& bad_input) {
  auto identity = decide_identity(ls, plan);
  identity["shard"] = shard;
  return open_results_store(ls, identity, plan.points, dir, resume, error, bad_input);
}

DecideSample run_decide(const LoadedScenario& ls, const DecidePlan& plan,
                        const ExecutionPolicy& policy) {
  OutcomeSink sink(plan.points.size(), horizon_years(ls), plan.settings.reps_per_draw);
  Executor(ls, policy).extend(plan.variants(), plan.units(), plan.execution(), sink);
  return sample_of(ls, plan, sink);
}

bool decide_sample(const LoadedScenario& ls, const DecidePlan& plan, const ResultStore& store,
                   DecideSample& sample, std::string& error) {
  OutcomeSink sink(plan.points.size(), horizon_years(ls), plan.settings.reps_per_draw);
  const std::vector<WorkUnit> units = Executor::units_of(plan.units(), plan.execution());
  for (const WorkUnit& u : units) {
    RunResult r;
    const std::string data = store.unit_data(u.id);
    json j = json::parse(data, nullptr, false);
    if (data.empty() || j.is_discarded() || !result_from_json(j, r))
      return error = "draw " + std::to_string(u.id) +
                     (data.empty() ? " is missing from the results store"
                                   : " is damaged in the results store"),
             false;
    sink.accept(u, r);
    if (!sink.done[u.variant])
      return error = "draw " + std::to_string(u.id) + " is damaged in the results store", false;
  }
  sample = sample_of(ls, plan, sink);
  return true;
}

json decide_json(const DecideSample& s, const DecideSettings& settings) {
  const size_t arms = s.arms.size();
  const double mission_years = settings.mission_years > 0 ? settings.mission_years : s.years;
  std::vector<int> all(s.inputs.size());
  for (size_t j = 0; j < all.size(); ++j) all[j] = static_cast<int>(j);

  // The value of information at the chosen objective, per mission-year.
  NamedPsa psa;
  psa.inputs = s.inputs;
  psa.decisions = s.arms;
  psa.sample.inputs = s.x;
  psa.sample.net_benefit =
      net_benefit(s.fatalities, s.cost, settings.net_benefit, settings.wtp_usd);
  VoiRequest request;
  request.regression_evpi = true;  // every draw's outcome carries simulation noise
  request.seed = settings.seed;
  for (size_t j = 0; j < s.inputs.size(); ++j) request.sets.push_back({"", {static_cast<int>(j)}});
  std::vector<std::string> group_names;
  for (size_t j = 0; j < s.groups.size(); ++j) {
    if (s.groups[j].empty()) continue;
    auto it = std::find_if(request.sets.begin(), request.sets.end(),
                           [&](const InputGroup& g) { return g.name == s.groups[j]; });
    if (it == request.sets.end()) it = request.sets.insert(request.sets.end(), {s.groups[j], {}});
    it->inputs.push_back(static_cast<int>(j));
  }
  json out;
  out["decide"] = voi_json(psa, request);
  out["decide"]["units"] = settings.net_benefit ? "USD per mission-year" : "lives per mission-year";
  out["decide"]["evpi_mission"] = rounded(out["decide"]["evpi"].get<double>() * mission_years);
  out["decide"]["mission_years"] = rounded(mission_years);
  out["decide"]["population"] = rounded(settings.population);
  out["decide"]["evpi_population"] =
      rounded(out["decide"]["evpi"].get<double>() * mission_years * settings.population);

  // Conditional means on every input: what each arm would give if the
  // inputs were known, with the simulation noise of single draws removed.
  std::string note;
  std::vector<std::vector<double>> f_hat = conditional_means(s.x, s.fatalities, all, note);
  std::vector<std::vector<double>> c_hat = conditional_means(s.x, s.cost, all, note);
  const bool smoothed = !f_hat.empty() && !c_hat.empty();
  if (!smoothed) {
    f_hat = s.fatalities;
    c_hat = s.cost;
  }
  const std::vector<double> p_best =
      best_shares(net_benefit(f_hat, c_hat, settings.net_benefit, settings.wtp_usd));
  json pb = json::object();
  for (size_t a = 0; a < arms; ++a) pb[s.arms[a]] = rounded(p_best[a]);
  out["p_best"] = pb;
  out["p_best_method"] = smoothed ? "regression on every input (noise removed)"
                                  : "single draws, noise included (" + note + ")";

  // Each arm: fatalities per mission-year, their spread, and its cost.
  std::vector<double> mean_cost(arms), lives(arms);
  const double base_f = mean_of(column(s.fatalities, 0));
  json list = json::array();
  for (size_t a = 0; a < arms; ++a) {
    const std::vector<double> f = column(s.fatalities, a);
    const double total = variance_of(f);
    const double noise = mean_of(column(s.noise_var, a));
    mean_cost[a] = mean_of(column(s.cost, a));
    lives[a] = base_f - mean_of(f);
    json j = {{"name", s.arms[a]},
              {"fatalities_per_year", rounded(mean_of(f))},
              {"ui90", {rounded(quantile_of(f, 0.05)), rounded(quantile_of(f, 0.95))}},
              {"lives_saved_per_year", rounded(lives[a])},
              {"cost_per_year_usd", rounded(mean_cost[a])},
              {"p_best", rounded(p_best[a])}};
    j["variance"] = {
        {"total", rounded(total)},
        {"stochastic", number_or_null(noise)},
        // Unknown when the noise is (one replication per draw).
        {"parameter", number_or_null(std::isnan(noise) ? noise : std::max(0.0, total - noise))}};
    if (settings.net_benefit)
      j["net_benefit_per_year_usd"] = rounded(-settings.wtp_usd * mean_of(f) - mean_cost[a]);
    list.push_back(j);
  }
  out["arms"] = list;
  out["frontier"] = frontier(s.arms, mean_cost, lives);

  // Acceptability: at each value of a life, the share of draws at which each
  // arm is best (CEAC), and the arm best on expected net benefit (CEAF).
  std::vector<double> grid = kWtpGrid;
  if (settings.net_benefit && std::find(grid.begin(), grid.end(), settings.wtp_usd) == grid.end()) {
    grid.push_back(settings.wtp_usd);
    std::sort(grid.begin(), grid.end());
  }
  json ceac = json::array();
  for (double wtp : grid) {
    const auto nb = net_benefit(f_hat, c_hat, true, wtp);
    const std::vector<double> share = best_shares(nb);
    size_t best = 0;
    for (size_t a = 1; a < arms; ++a)
      if (mean_of(column(nb, a)) > mean_of(column(nb, best))) best = a;
    json j = {{"wtp", wtp}, {"optimal", s.arms[best]}, {"p_optimal", rounded(share[best])}};
    for (size_t a = 0; a < arms; ++a) j[s.arms[a]] = rounded(share[a]);
    ceac.push_back(j);
  }
  out["ceac"] = ceac;
  out["settings"] = {{"draws", s.x.size()},
                     {"reps_per_draw", s.reps_per_draw},
                     {"seed", settings.seed},
                     {"objective", settings.net_benefit ? "net-benefit" : "fatalities"},
                     {"wtp_usd", settings.wtp_usd},
                     {"horizon_years", rounded(s.years)}};
  return out;
}

std::string decide_csv(const json& r) {
  std::string out =
      "arm,fatalities_per_year,ui90_low,ui90_high,lives_saved_per_year,cost_per_year_usd,p_best,"
      "variance_parameter,variance_stochastic,frontier,icer_usd_per_life\n";
  const auto num = [](const json& v) { return v.is_number() ? yaml_number(v.get<double>()) : ""; };
  for (const auto& a : r["arms"]) {
    const std::string name = a["name"].get<std::string>();
    json place = json::object();
    for (const auto& f : r["frontier"])
      if (f["arm"] == name) place = f;
    out += csv_cell(name) + "," + num(a["fatalities_per_year"]) + "," + num(a["ui90"][0]) + "," +
           num(a["ui90"][1]) + "," + num(a["lives_saved_per_year"]) + "," +
           num(a["cost_per_year_usd"]) + "," + num(a["p_best"]) + "," +
           num(a["variance"]["parameter"]) + "," + num(a["variance"]["stochastic"]) + "," +
           place.value("status", std::string()) + "," +
           num(place.value("icer_usd_per_life", json())) + "\n";
  }
  return out;
}

std::string decide_table(const json& r) {
  std::string out;
  char line[512];
  const json& v = r["decide"];
  std::snprintf(line, sizeof line, "%lld draws x %lld replications, objective %s\n\n",
                static_cast<long long>(r["settings"]["draws"].get<int64_t>()),
                static_cast<long long>(r["settings"]["reps_per_draw"].get<int64_t>()),
                r["settings"]["objective"].get<std::string>().c_str());
  out += line;
  std::snprintf(line, sizeof line, "%-18s %12s %21s %11s %12s %7s\n", "arm", "deaths/yr",
                "90% uncertainty", "saved/yr", "cost/yr USD", "P(best)");
  out += line;
  for (const auto& a : r["arms"]) {
    std::snprintf(line, sizeof line, "%-18s %12.3f   [%7.3f, %7.3f] %11.3f %12.4g %7.3f\n",
                  a["name"].get<std::string>().c_str(), a["fatalities_per_year"].get<double>(),
                  a["ui90"][0].get<double>(), a["ui90"][1].get<double>(),
                  a["lives_saved_per_year"].get<double>(), a["cost_per_year_usd"].get<double>(),
                  a["p_best"].get<double>());
    out += line;
  }
  out += "(P(best): " + r["p_best_method"].get<std::string>() + ")\n\nefficiency frontier\n";
  for (const auto& f : r["frontier"]) {
    std::string icer;
    if (f.contains("icer_usd_per_life")) {
      char b[96];
      std::snprintf(b, sizeof b, "  ICER %.4g USD per life vs %s",
                    f["icer_usd_per_life"].get<double>(), f["against"].get<std::string>().c_str());
      icer = b;
    }
    std::snprintf(line, sizeof line, "  %-18s %-22s%s\n", f["arm"].get<std::string>().c_str(),
                  f["status"].get<std::string>().c_str(), icer.c_str());
    out += line;
  }
  char se[32] = "";
  if (v["evpi_se"].is_number()) std::snprintf(se, sizeof se, " ± %.2g", v["evpi_se"].get<double>());
  std::snprintf(line, sizeof line, "\nEVPI %.4g%s %s (%.4g for the mission's %.4g years)\n  %s\n",
                v["evpi"].get<double>(), se, v["units"].get<std::string>().c_str(),
                v["evpi_mission"].get<double>(), v["mission_years"].get<double>(),
                v["evpi_method"].get<std::string>().c_str());
  out += line;
  if (v["population"].get<double>() != 1) {
    std::snprintf(line, sizeof line, "  %.4g for %.4g missions of %.4g years\n",
                  v["evpi_population"].get<double>(), v["population"].get<double>(),
                  v["mission_years"].get<double>());
    out += line;
  }
  out += "EVPPI, ranked\n";
  for (const auto& e : v["evppi"]) {
    std::string names = e.contains("group") ? e["group"].get<std::string>() + ": " : "";
    for (size_t i = 0; i < e["parameters"].size(); ++i) {
      if (i) names += ", ";
      names += e["parameters"][i].get<std::string>();
    }
    std::snprintf(line, sizeof line, "  %-56s %10.4g ± %-9.2g %s\n", names.c_str(),
                  e["value"].get<double>(), e["se"].get<double>(),
                  e.contains("note") ? e["note"].get<std::string>().c_str() : "");
    out += line;
  }
  return out;
}

std::string decide_samples_csv(const DecideSample& s, const DecideSettings& settings) {
  std::string out;
  std::vector<std::string> header = {"draw"};
  header.insert(header.end(), s.inputs.begin(), s.inputs.end());
  for (const std::string& a : s.arms) {
    header.push_back("fatalities_per_year." + a);
    header.push_back("cost_per_year_usd." + a);
    header.push_back("net_benefit." + a);
  }
  csv_row(out, header);
  const auto nb = net_benefit(s.fatalities, s.cost, settings.net_benefit, settings.wtp_usd);
  for (size_t d = 0; d < s.x.size(); ++d) {
    std::vector<std::string> row = {std::to_string(d)};
    for (double x : s.x[d]) row.push_back(yaml_number(x));
    for (size_t a = 0; a < s.arms.size(); ++a) {
      row.push_back(yaml_number(s.fatalities[d][a]));
      row.push_back(yaml_number(s.cost[d][a]));
      row.push_back(yaml_number(nb[d][a]));
    }
    csv_row(out, row);
  }
  return out;
}

}  // namespace pk
