#include "experiment/result_json.hpp"

#include <cmath>
#include <cstdio>

#include <boost/version.hpp>

#include "experiment/metrics.hpp"
#include "pk_version.hpp"
#include "scenario/attack_options.hpp"
#include "scenario/exposure.hpp"
#include "scenario/threats.hpp"
#include "stats/rounding.hpp"

namespace pk {

using nlohmann::json;

double horizon_years(const LoadedScenario& ls) {
  return ls.baseline().horizon_hours / (kHoursPerDay * kDaysPerYear);
}

namespace {

// Doubles as JSON numbers, rounded to 12 significant digits so that the bytes
// are stable and readable.
double r12(double v) {
  return round_significant(v, 12);
}

// An interval as [lo, hi], an end the data cannot bound as null.
json interval_json(const Interval& i) {
  auto end = [](double v) { return std::isfinite(v) ? json(r12(v)) : json(nullptr); };
  return {end(i.lo), end(i.hi)};
}

// A Fieller set: {case, lo, hi}; bounded: [lo, hi]; exclusive: (-inf, lo] and
// [hi, +inf); unbounded: every value (lo and hi null).
json fieller_json(const FiellerSet& f) {
  const bool unbounded = f.shape == FiellerCase::kUnbounded;
  return {{"case", fieller_case_name(f.shape)},
          {"lo", unbounded ? json(nullptr) : json(r12(f.lo))},
          {"hi", unbounded ? json(nullptr) : json(r12(f.hi))}};
}

// The warning of an interval that rests on few events (docs/model.md §6).
std::string few_events_warning(const MetricSummary& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "interval rests on %.3g events (fewer than %g): %s", s.events,
                kFewEvents, ci_method_name(s.ci_method));
  return buf;
}

json summary_json(const IntHistogram& h) {
  const MetricSummary s = summarize(h);
  json j = {{"mean", r12(s.mean)},
            {"sd", r12(s.sd)},
            {"ci95", interval_json(s.ci95)},
            {"ci_method", ci_method_name(s.ci_method)},
            {"events", r12(s.events)},
            {"p50", s.p50},
            {"p90", s.p90},
            {"p95", s.p95},
            {"p99", s.p99},
            {"quantile_ci95",
             {{"p50", interval_json(s.p50_ci95)},
              {"p90", interval_json(s.p90_ci95)},
              {"p95", interval_json(s.p95_ci95)},
              {"p99", interval_json(s.p99_ci95)}}},
            {"cvar95", r12(s.cvar95)},
            {"cvar95_ci95", interval_json(cvar95_interval(h))}};
  if (s.few_events && s.n > 0) j["warning"] = few_events_warning(s);
  return j;
}

}  // namespace

Comparison compare(const ArmResult& arm, const ArmResult& base, double horizon_years) {
  return compare(
      summarize(arm.metrics[kFatalitiesMetric]), summarize(base.metrics[kFatalitiesMetric]),
      summarize(arm.fatalities_diff, ValueKind::kDifference), arm.cost_usd, horizon_years);
}

AcceptanceVerdict check_acceptance(const LoadedScenario& ls, const RunResult& r) {
  const auto& acc = ls.baseline().acceptance;
  if (!acc || r.arms.empty()) return {};
  AcceptanceVerdict v = check_acceptance(
      r.arms[0].metrics[acc->all_causes ? kFatalitiesMetric : kMaliciousFatalitiesMetric],
      r.arms[0].personnel_years,
      {acc->max_fatalities_per_1000py, acc->confidence, acc->max_exceedance_probability});
  // Which deaths were counted is part of the verdict (docs/model.md §2.8).
  v.reason += acc->all_causes ? " [all causes]" : " [malicious acts]";
  return v;
}

namespace {

// A node of the scenario tree as one line of flow YAML, for the overview.
std::string flow(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kScalar:
      return n.scalar;
    case Node::Kind::kMap: {
      std::string s = "{";
      for (size_t i = 0; i < n.map.size(); ++i)
        s += (i ? ", " : "") + n.map[i].key + ": " + flow(n.map[i].value);
      return s + "}";
    }
    case Node::Kind::kSeq: {
      std::string s = "[";
      for (size_t i = 0; i < n.seq.size(); ++i) s += (i ? ", " : "") + flow(n.seq[i]);
      return s + "]";
    }
    default:
      return "null";
  }
}

// An equivalent annual cost with its parts, each per year (docs/model.md §6, "Costs").
json cost_parts_json(const ArmCost& c) {
  return {{"capital_usd", c.capital_usd},
          {"service_life_years", c.service_life_years},
          {"discount_rate", c.discount_rate},
          {"capital_per_year_usd", r12(c.capital_per_year_usd())},
          {"annual_om_usd", c.annual_om_usd},
          {"per_vehicle_km_usd", c.per_vehicle_km_usd},
          {"vehicle_type", c.vehicle_type.empty() ? json(nullptr) : json(c.vehicle_type)},
          {"added_vehicle_km_per_year", r12(c.added_vehicle_km_per_year)},
          {"running_per_year_usd", r12(c.running_per_year_usd())},
          {"payer", payer_name(c.payer)}};
}

}  // namespace

namespace {

// The care chain in a few numbers (docs/model.md §3.6), or null.
json care_overview(const std::optional<CareChain>& c) {
  if (!c) return nullptr;
  return {{"t1_share", r12(c->severity[0])},
          {"responder_share", r12(c->responder_share)},
          {"forward_role1", c->forward_role1},
          {"potentially_survivable", r12(c->survivable_share)},
          {"operating_tables", c->role2 ? json(c->role2->operating_tables) : json(nullptr)}};
}

}  // namespace

json scenario_overview(const LoadedScenario& ls) {
  const Scenario& s = ls.baseline();
  json o;
  o["description"] = s.description;
  o["horizon_days"] = r12(s.horizon_hours / kHoursPerDay);
  int64_t people = 0;
  json sites = json::array();
  for (const Site& site : s.sites) {
    people += site.personnel;
    sites.push_back({{"id", site.id},
                     {"zone", s.zones[site.zone].id},
                     {"personnel", site.personnel},
                     {"idf_exposure", r12(site.idf_exposure)},
                     {"perimeter_stop", r12(site.perimeter_stop)}});
  }
  o["personnel"] = people;
  o["personnel_years"] = r12(s.personnel_years());
  o["sites"] = sites;
  json zones = json::array();
  for (const Zone& z : s.zones) {
    json threats = json::array();
    for (const ThreatType& t : threat_types())
      if (t.present(z)) threats.push_back(t.name);
    zones.push_back({{"id", z.id}, {"threats", threats}});
  }
  o["zones"] = zones;
  json movements = json::array();
  for (const Movement& m : s.movements) {
    const Route& route = s.routes[m.route];
    // in the horizon; expected for Poisson schedules
    const double departures = expected_departures(m, s.horizon_hours);
    std::string vehicles;
    int64_t crew = 0;
    for (const VehicleGroup& g : m.vehicles) {
      vehicles += (vehicles.empty() ? "" : ", ") + std::to_string(g.count) + " " +
                  s.vehicle_types[g.type].id;
      crew += g.count * g.crew;
    }
    movements.push_back({{"id", m.id},
                         {"kind", m.kind == Movement::Kind::kConvoy ? "convoy" : "patrol"},
                         {"route", route.id},
                         {"from", s.sites[route.from].id},
                         {"to", s.sites[route.to].id},
                         {"route_km", r12(route.length_km)},
                         {"round_trip", m.round_trip},
                         {"departures", r12(departures)},
                         {"vehicles", vehicles},
                         {"people", crew}});
  }
  o["movements"] = movements;
  o["uav"] = s.uav ? json{{"aircraft", s.uav->aircraft},
                          {"overwatch", s.uav->overwatch.has_value()},
                          {"area", s.uav->area.has_value()}}
                   : json(nullptr);
  o["medevac"] = s.medevac ? json{{"helicopters", s.medevac->helicopters},
                                  {"night_flying", s.medevac->night_flying},
                                  {"max_wait_hours", r12(s.medevac->max_wait_hours)},
                                  {"care_chain", care_overview(s.medevac->care)}}
                           : json(nullptr);
  json arms = json::array();
  for (const Arm& a : ls.arms) {
    json ov = json::array();
    if (a.overrides.is_map())
      for (const auto& e : a.overrides.map) ov.push_back(e.key + ": " + flow(e.value));
    json arm = {
        {"name", a.name},
        {"cost_usd", a.cost.basis == CostBasis::kEquivalentAnnual ? r12(a.per_year_cost_usd())
                                                                  : a.cost.written_usd},
        {"cost_basis", cost_basis_name(a.cost.basis)}};
    if (a.cost.basis == CostBasis::kEquivalentAnnual) arm["cost"] = cost_parts_json(a.cost);
    arm["overrides"] = ov;
    arms.push_back(arm);
  }
  o["arms"] = arms;
  if (s.acceptance)
    o["acceptance"] = {
        {"max_fatalities_per_1000py", s.acceptance->max_fatalities_per_1000py},
        {"confidence", s.acceptance->confidence},
        {"causes", s.acceptance->all_causes ? "all" : "malicious"},
        {"max_exceedance_probability", s.acceptance->max_exceedance_probability
                                           ? json(*s.acceptance->max_exceedance_probability)
                                           : json(nullptr)}};
  return o;
}

namespace {

// The share of T1 casualties meeting each 10-1-2 timeline (docs/model.md §3.6).
json ten_one_two_json(const ArmResult& arm) {
  json out;
  for (size_t k = 0; k < arm.ten_one_two.size(); ++k) {
    const ShareEstimate e = share_estimate(arm.ten_one_two[k]);
    out[kTenOneTwoNames[k]] =
        e.defined
            ? json{{"share", r12(e.value)}, {"ci95", interval_json(e.ci95)}, {"ci_method", "delta"}}
            : json(nullptr);
  }
  const RatioSums& t1 = arm.ten_one_two[0];
  out["t1_per_replication"] = r12(t1.n ? t1.b / static_cast<double>(t1.n) : 0);
  return out;
}

}  // namespace

// How an adaptive twin's adversary answered its arm (docs/model.md §2.9).
json adversary_json(const Scenario& s) {
  json options = json::array();
  if (const auto& path = s.adversary_path)
    for (const AdversaryPath::Option& o : path->options)
      options.push_back({{"zone", s.zones[o.zone].id},
                         {"option", attack_option_name(o.option)},
                         {"base_share", r12(o.base_share)},
                         {"payoff_ratio", r12(o.payoff_ratio)},
                         {"lethality_ratio", r12(o.lethality_ratio)},
                         {"rate_factor", r12(o.rate_factor)},
                         {"lethality_factor", r12(o.lethality_factor)}});
  return {{"adapts", s.adversary_path != nullptr}, {"options", options}};
}

// Lives saved in each month of the horizon (docs/model.md §2.9): the
// baseline's mean malicious fatalities of the month less the arm's, with a
// normal interval from the two means' standard errors — unpaired, so wider
// than a paired one would be.
json lives_saved_by_month(const RunResult& r, const ArmResult& arm) {
  json months = json::array();
  const std::string prefix(kMaliciousByMonthPrefix);
  for (size_t m = 0; m < r.metric_names.size(); ++m) {
    if (r.metric_names[m].compare(0, prefix.size(), prefix) != 0) continue;
    const MetricSummary b = summarize(r.arms[0].metrics[m]), a = summarize(arm.metrics[m]);
    const double saved = b.mean - a.mean;
    const double se = std::sqrt((b.n > 1 ? b.sd * b.sd / static_cast<double>(b.n) : 0) +
                                (a.n > 1 ? a.sd * a.sd / static_cast<double>(a.n) : 0));
    months.push_back({{"month", r.metric_names[m].substr(prefix.size())},
                      {"mean", r12(saved)},
                      {"ci95", interval_json({saved - 1.96 * se, saved + 1.96 * se})},
                      {"ci_method", "unpaired_normal"}});
  }
  return months;
}

bool has_care_chain(const Scenario& s) {
  return s.medevac && s.medevac->care;
}

json result_json(const LoadedScenario& ls, const RunResult& r) {
  const double years = horizon_years(ls);
  json out;
  out["schema_version"] = kResultSchemaVersion;
  out["scenario"] = {{"name", ls.baseline().name}, {"file", ls.file}, {"sha256", ls.sha256}};
  out["seed"] = r.seed;
  out["replications"] = r.replications;
  out["complete"] = r.complete;
  out["version"] = kVersion;
  out["git"] = kGitHash;
  out["boost"] = BOOST_LIB_VERSION;
  out["horizon_days"] = r12(ls.baseline().horizon_hours / kHoursPerDay);
  json arms = json::array();
  for (size_t a = 0; a < r.arms.size(); ++a) {
    const ArmResult& arm = r.arms[a];
    json j;
    j["name"] = arm.name;
    j["cost_usd"] = arm.cost_usd;  // over the horizon (docs/model.md §6, "Costs")
    j["cost_per_mission_year_usd"] = r12(arm.cost_usd / years);
    if (a < ls.arms.size() && ls.arms[a].name == arm.name)
      j["cost_basis"] = cost_basis_name(ls.arms[a].cost.basis);
    j["personnel_years"] = r12(arm.personnel_years);
    if (a < ls.arms.size() && !ls.arms[a].adaptive_of.empty()) {
      j["adaptive_of"] = ls.arms[a].adaptive_of;
      j["adversary"] = adversary_json(ls.arms[a].scenario);
    }
    for (size_t m = 0; m < r.metric_names.size(); ++m) {
      const std::string& name = r.metric_names[m];
      j[name] = summary_json(arm.metrics[m]);  // once, by its full name: "ied.emplaced"
    }
    const MetricSummary f = summarize(arm.metrics[0]);
    const ProportionInterval w = proportion_interval(arm.any_fatality, f.n);
    j["p_any_fatality"] = {{"p", r12(f.n ? static_cast<double>(arm.any_fatality) / f.n : 0)},
                           {"ci95", interval_json(w.ci)},
                           {"ci_method", ci_method_name(w.method)}};
    const double scale = 1000.0 / arm.personnel_years;
    j["fatalities_per_1000py"] = {{"mean", r12(f.mean * scale)},
                                  {"ci95", interval_json({f.ci95.lo * scale, f.ci95.hi * scale})},
                                  {"ci_method", ci_method_name(f.ci_method)}};
    const MetricSummary fm = summarize(arm.metrics[kMaliciousFatalitiesMetric]);
    j["fatalities_malicious_per_1000py"] = {
        {"mean", r12(fm.mean * scale)},
        {"ci95", interval_json({fm.ci95.lo * scale, fm.ci95.hi * scale})},
        {"ci_method", ci_method_name(fm.ci_method)}};
    j["fatalities_per_year"] = {{"mean", r12(f.mean / years)},
                                {"ci95", interval_json({f.ci95.lo / years, f.ci95.hi / years})},
                                {"ci_method", ci_method_name(f.ci_method)}};
    j["movement_km"] = {{"mean", r12(f.n ? arm.movement_km / f.n : 0)}};
    if (a < ls.arms.size() && has_care_chain(ls.arms[a].scenario))
      j["care_10_1_2"] = ten_one_two_json(arm);
    json hist = json::array();
    arm.metrics[0].for_each([&](int64_t v, int64_t c) { hist.push_back({v, c}); });
    j["fatalities_histogram"] = hist;  // [[value, count], ...], values increasing
    if (a > 0) {
      const Comparison c = compare(arm, r.arms[0], years);
      json vs;
      vs["fatalities_diff"] = {{"mean", r12(c.diff.mean)},
                               {"ci95", interval_json(c.diff.ci95)},
                               {"ci_method", ci_method_name(c.diff.ci_method)},
                               {"events", r12(c.diff.events)}};
      if (c.diff.few_events) vs["fatalities_diff"]["warning"] = few_events_warning(c.diff);
      vs["rrr"] = r12(c.rrr);
      vs["rrr_ci95"] = interval_json(c.rrr_ci95);
      vs["rrr_fieller"] = fieller_json(c.rrr_set);
      vs["lives_saved_per_year"] = r12(c.averted_per_year);
      vs["effect"] = effect_name(c.effect);
      vs["verdict"] = verdict_name(c.verdict);
      vs["cost_per_fatality_averted"] =
          c.cost_per_fatality_averted ? json(r12(*c.cost_per_fatality_averted)) : json(nullptr);
      if (const auto& ci = c.cost_per_fatality_averted_ci95)  // unbounded above: null
        vs["cost_per_fatality_averted_ci95"] = interval_json(*ci);
      json cost = fieller_json(c.cost_set);
      cost["estimate"] = c.cost_ratio ? json(r12(*c.cost_ratio)) : json(nullptr);
      vs["cost_per_fatality_averted_fieller"] = cost;
      vs["variance_reduction"] =  // null: the paired difference never varied
          std::isfinite(c.variance_reduction) ? json(r12(c.variance_reduction)) : json(nullptr);
      if (json months = lives_saved_by_month(r, arm); !months.empty())
        vs["lives_saved_by_month"] = std::move(months);
      j["vs_baseline"] = vs;
    }
    arms.push_back(j);
  }
  // Each static arm shows its adaptive twin's comparison beside its own.
  for (const json& twin : arms) {
    if (!twin.contains("adaptive_of") || !twin.contains("vs_baseline")) continue;
    for (json& arm : arms)
      if (arm["name"] == twin["adaptive_of"] && arm.contains("vs_baseline"))
        arm["vs_baseline"]["adaptive"] = twin["vs_baseline"];
  }
  out["arms"] = arms;
  out["overview"] = scenario_overview(ls);
  const AcceptanceVerdict v = check_acceptance(ls, r);
  if (v.checked)
    out["acceptance"] = {{"passed", v.passed},
                         {"decided", v.decided},
                         {"min_replications", kAcceptanceMinReplications},
                         {"mean", r12(v.mean)},
                         {"upper_bound", r12(v.upper)},
                         {"max", v.limit},
                         {"confidence", v.confidence},
                         {"causes", ls.baseline().acceptance->all_causes ? "all" : "malicious"},
                         // Shown whether or not it is gated: a mean far below the limit can
                         // hide mission-years far above it.
                         {"exceedance_probability",
                          {{"p", r12(v.exceedance)},
                           {"exceedances", v.exceedances},
                           {"upper_bound", r12(v.exceedance_upper)},
                           {"max", v.max_exceedance ? json(*v.max_exceedance) : json(nullptr)},
                           {"passed", v.exceedance_passed}}}};
  return out;
}

}  // namespace pk
