// `pkrisk validate FILE`: load and check only; print what the scenario holds.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/implications.hpp"
#include "experiment/select.hpp"
#include "report/report.hpp"
#include "scenario/exposure.hpp"
#include "scenario/object_reader.hpp"
#include "scenario/threats.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

// Each contingent: what it owns and what it brings (docs/model.md §3.4).
void print_contingents(const Scenario& s) {
  if (s.contingents.empty()) return;
  std::printf("contingents %zu\n", s.contingents.size());
  for (size_t c = 0; c < s.contingents.size(); ++c) {
    const Contingent& k = s.contingents[c];
    int movements = 0;
    int64_t personnel = 0;
    for (const Movement& m : s.movements) movements += m.contingent == static_cast<int>(c);
    for (const Site& site : s.sites)
      if (site.contingent == static_cast<int>(c)) personnel += site.personnel;
    std::string brings;
    const auto add = [&](const std::string& what) {
      brings += (brings.empty() ? "" : ", ") + what;
    };
    if (k.trained_fraction) add("trained " + fmt_num(*k.trained_fraction));
    if (k.night_factor) add("night detection x" + fmt_num(*k.night_factor));
    if (!k.night_moves) add("no night moves");
    if (k.equipment_fill)
      add("equipment fill " + fmt_num(*k.equipment_fill) +
          " (missing: " + s.vehicle_types[k.shortfall_type].id + ")");
    if (k.rotation)
      add("rotation day " + fmt_num(k.rotation->first_hours / kHoursPerDay) +
          (k.rotation->every_hours > 0
               ? " every " + fmt_num(k.rotation->every_hours / kHoursPerDay) + " days"
               : "") +
          ", detection x" + fmt_num(k.rotation->initial_factor) + " rising to 1 over " +
          fmt_num(k.rotation->learning_hours / kHoursPerDay) + " days");
    std::printf("          %-20s %d movements, %lld personnel in its sites%s%s\n", k.id.c_str(),
                movements, static_cast<long long>(personnel), brings.empty() ? "" : "; ",
                brings.c_str());
  }
}

void describe(const LoadedScenario& ls) {
  const Scenario& s = ls.baseline();
  std::printf("%s: valid\n", ls.file.c_str());
  std::printf("scenario  %s — %.0f days, seed %llu, %lld replications\n", s.name.c_str(),
              s.horizon_hours / kHoursPerDay, static_cast<unsigned long long>(s.seed),
              static_cast<long long>(s.replications));
  int64_t people = 0;
  for (const auto& site : s.sites) people += site.personnel;
  std::printf("sites     %zu, %lld personnel (%.1f personnel-years)\n", s.sites.size(),
              static_cast<long long>(people), s.personnel_years());
  for (const auto& site : s.sites)
    std::printf("          %-20s %-12s %8lld\n", site.id.c_str(), s.zones[site.zone].id.c_str(),
                static_cast<long long>(site.personnel));
  std::vector<double> km(s.zones.size(), 0.0);
  for (const auto& r : s.routes)
    for (const auto& g : r.segments) km[g.zone] += g.length_km;
  std::printf("zones     %zu; km of road by zone:\n", s.zones.size());
  for (size_t z = 0; z < s.zones.size(); ++z) {
    const Zone& zone = s.zones[z];
    std::string threats;
    for (const ThreatType& t : threat_types())
      if (t.present(zone)) threats += std::string(" ") + t.name;
    std::printf("          %-20s %8.1f km  threats:%s\n", zone.id.c_str(), km[z],
                threats.empty() ? " none" : threats.c_str());
  }
  std::printf("routes    %zu\n", s.routes.size());
  std::printf("movements %zu; trips per year:\n", s.movements.size());
  const double years = s.horizon_hours / (kHoursPerDay * kDaysPerYear);
  for (const auto& m : s.movements) {
    int64_t vehicles = 0, people_m = 0;
    for (const auto& g : m.vehicles) vehicles += g.count, people_m += g.count * g.crew;
    std::printf(
        "          %-20s %-7s %-18s %7.1f trips/yr  %s%lld vehicles, %lld people, %.0f "
        "km/h%s%s%s\n",
        m.id.c_str(), m.kind == Movement::Kind::kPatrol ? "patrol" : "convoy",
        s.routes[m.route].id.c_str(), expected_departures(m, s.horizon_hours) / years,
        m.schedule.count > 1
            ? ("class of " + std::to_string(m.schedule.count) + " movements, each ").c_str()
            : "",
        static_cast<long long>(vehicles), static_cast<long long>(people_m), m.effective_speed_kmh(),
        m.round_trip ? ", round trip" : "", m.route_clearance ? ", clearance" : "",
        m.jammer ? ", jammer" : "");
  }
  print_contingents(s);
  if (s.clearance_teams)
    std::printf(
        "clearance %lld team(s) x %lld escorts a week, shared by the movements with "
        "route_clearance\n",
        static_cast<long long>(s.clearance_teams->teams),
        static_cast<long long>(s.clearance_teams->escorts_per_week));
  std::printf("uav       %s\n",
              s.uav ? (std::to_string(s.uav->aircraft) + " aircraft").c_str() : "none");
  std::printf("medevac   %s\n",
              s.medevac ? (std::to_string(s.medevac->helicopters) + " helicopters").c_str()
                        : "none (deaths of wounds not modelled)");
  if (s.medevac && s.medevac->care) {
    const CareChain& c = *s.medevac->care;
    std::printf(
        "care      T1 %.0f%% of the wounded, first responders for %.0f%%, %s, %s\n",
        100 * c.severity[0], 100 * c.responder_share,
        c.forward_role1 ? "a Role 1 with every movement" : "no forward Role 1",
        c.role2 ? (std::to_string(c.role2->operating_tables) + " operating tables at the Role 2")
                      .c_str()
                : "surgery on arrival");
  }
  if (const auto& a = s.adversary) {
    const std::string pace =
        a->half_life_hours > 0
            ? "half of it within " + fmt_num(a->half_life_hours / kHoursPerDay) + " days"
            : "at once";
    std::printf(
        "adversary answers each arm (docs/model.md §2.9): displacement elasticity %g, total "
        "elasticity %g, %g of the lethality lost regained, %s; run, sweep and decide add an "
        "adaptive twin per arm after a pilot of %lld replications\n",
        a->displacement_elasticity, a->total_elasticity, a->max_recovery, pace.c_str(),
        static_cast<long long>(a->pilot_replications));
  }
  std::printf("arms      %zu besides baseline\n", ls.arms.size() - 1);
  for (size_t i = 1; i < ls.arms.size(); ++i) {
    const Arm& a = ls.arms[i];
    std::printf("          %-20s %s\n", a.name.c_str(), cost_words(a.cost, years).c_str());
  }
  if (s.acceptance) {
    std::printf("acceptance fatalities per 1,000 personnel-years <= %g at %g confidence\n",
                s.acceptance->max_fatalities_per_1000py, s.acceptance->confidence);
    if (s.acceptance->max_exceedance_probability)
      std::printf("           P(one replication above it) <= %g\n",
                  *s.acceptance->max_exceedance_probability);
  }
  if (ls.sweep)
    std::printf("sweep     %s design, %zu parameters\n", ls.sweep->design.c_str(),
                ls.sweep->parameters.size());
  // The uncertain inputs for `pkrisk decide`, each with its distribution's
  // mean and 90% range (docs/decide.md).
  const auto& inputs = ls.uncertainty.inputs;
  if (!inputs.empty())
    std::printf("uncertain %zu inputs%s (pkrisk decide)\n", inputs.size(),
                ls.uncertainty.correlation.empty() ? "" : ", correlated");
  for (const UncertainInput& in : inputs)
    std::printf("          %-50s %-10s mean %-10.4g 90%% in [%.4g, %.4g]\n", in.path.c_str(),
                distribution_name(in.distribution.type), in.distribution.mean(),
                in.distribution.quantile(0.05), in.distribution.quantile(0.95));
}

// What the rates imply per year (experiment/implications.hpp), then the
// values no UN mission resembles as warnings on stderr (the exit code stays 0).
void print_implications(const LoadedScenario& ls) {
  const ScenarioImplications im = scenario_implications(ls.baseline());
  std::printf(
      "implied   per year, first order, before detection, jamming, UAV deterrence and "
      "warning\n          (arrivals: IEDs emplaced, mines laid, ambushes, attacks on sites; "
      "met: devices a movement meets):\n");
  std::printf("          %-20s %-16s %10s %10s %13s\n", "zone", "threat", "arrivals", "met",
              "fatalities");
  for (const ImpliedThreat& t : im.threats) {
    char met[32] = "";
    if (t.devices) std::snprintf(met, sizeof met, "%.3g", t.met);
    std::printf("          %-20s %-16s %10.3g %10s %13.3g", t.zone.c_str(), t.threat.c_str(),
                t.arrivals, met, t.fatalities);
    if (t.stock > 0) std::printf("  (stock at t = 0: %.3g)", t.stock);
    std::printf("\n");
  }
  std::printf("          %-59s %13.3g = %.3g per 1,000 personnel-years\n", "all",
              im.fatalities_per_year, im.fatalities_per_1000py);
  std::printf(
      "          (UN missions, malicious-act deaths 2014-2019: %.2g to %.2g per 1,000 "
      "personnel-years)\n",
      im.band.lo, im.band.hi);
  if (!im.other.empty()) {
    std::printf("          road accidents and illness (crashes, cases; outside the band):\n");
    for (const ImpliedOtherCause& c : im.other)
      std::printf("          %-20s %-16s %10.3g %10s %13.3g\n", c.zone.c_str(), c.cause.c_str(),
                  c.events, "", c.fatalities);
  }
  std::fflush(stdout);
  for (const ImplausibleValue& w : im.warnings)
    std::cerr << Diagnostic{Diagnostic::Severity::kWarning, ls.file, {}, w.path, w.message}.format()
              << "\n";
}

}  // namespace

Action add_validate(CLI::App& app) {
  auto* cmd = app.add_subcommand("validate",
                                 "Load and check a scenario; print what it holds or every error");
  add_include_flag(cmd);
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "scenario file (YAML)")->required();
  return [file] {
    auto loaded = load_or_report(*file);
    if (!loaded) return kExitBadInput;
    // A select: block is checked as `select` plans it (options that clash,
    // packages that do not build), so that validate passes what select runs.
    if (loaded->select) {
      Diagnostics diags(*file);
      SelectSettings settings;
      settings.threads = default_threads();
      SelectPlan plan;
      const bool planned = plan_select(*loaded, settings, plan, diags);
      print_diagnostics(diags);
      if (!planned) return kExitBadInput;
    }
    describe(*loaded);
    print_implications(*loaded);
    return kExitOk;
  };
}

}  // namespace pk::cli
