// `pkrisk trace FILE --replication N`: the history of one replication in time
// order — to explain a number. Its totals are that replication's tally in a
// run with the same seed (the same Simulator::run call).
#include <cstdio>
#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "experiment/metrics.hpp"
#include "scenario/threats.hpp"
#include "session.hpp"
#include "sim/simulator.hpp"

namespace pk::cli {

namespace {

std::string clock(double hours) {
  const int64_t day = static_cast<int64_t>(hours / kHoursPerDay);
  const double in_day = hours - static_cast<double>(day) * kHoursPerDay;
  const int hh = static_cast<int>(in_day);
  const int mm = static_cast<int>((in_day - hh) * 60);
  char buf[40];
  std::snprintf(buf, sizeof buf, "day %3lld %02d:%02d", static_cast<long long>(day), hh, mm);
  return buf;
}

// The tally of the replication, as the run counts it: casualties by cause,
// then every other registered metric (device outcomes, attacks, MEDEVAC), and
// casualties by movement and site.
std::string tally_text(const Scenario& sc, const Tally& t) {
  std::string o = "tally of this replication (what `pkrisk run` counts for it)\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-13s %6s %6s %6s %11s\n", "cause", "KIA", "DOW", "WIA",
                "fatalities");
  o += line;
  for (const ThreatType& c : threat_types()) {
    const Casualties& k = t.by_cause[static_cast<int>(c.cause)];
    std::snprintf(line, sizeof line, "  %-13s %6lld %6lld %6lld %11lld\n", c.name,
                  static_cast<long long>(k.n[0]), static_cast<long long>(k.n[1]),
                  static_cast<long long>(k.n[2]), static_cast<long long>(k.fatalities()));
    o += line;
  }
  const Casualties all = t.total();
  std::snprintf(line, sizeof line, "  %-13s %6lld %6lld %6lld %11lld\n", "total",
                static_cast<long long>(all.n[0]), static_cast<long long>(all.n[1]),
                static_cast<long long>(all.n[2]), static_cast<long long>(all.fatalities()));
  o += line;
  // Every other metric of the registry (the casualty counts are above).
  for (const MetricInfo& m : fixed_metrics()) {
    if (m.casualties) continue;
    std::snprintf(line, sizeof line, "  %-28s %8lld  %s\n", m.name.c_str(),
                  static_cast<long long>(m.read(t, m.index)), m.description.c_str());
    o += line;
  }
  std::snprintf(line, sizeof line, "  %.1f movement-km, %.2f h of waiting for MEDEVAC\n",
                t.movement_km, t.medevac_wait_hours);
  o += line;
  for (size_t m = 0; m < t.by_movement.size(); ++m)
    if (t.by_movement[m].fatalities() + t.by_movement[m].n[2] > 0) {
      std::snprintf(line, sizeof line, "  movement %s: KIA %lld DOW %lld WIA %lld\n",
                    sc.movements[m].id.c_str(), static_cast<long long>(t.by_movement[m].n[0]),
                    static_cast<long long>(t.by_movement[m].n[1]),
                    static_cast<long long>(t.by_movement[m].n[2]));
      o += line;
    }
  for (size_t s = 0; s < t.by_site.size(); ++s)
    if (t.by_site[s].fatalities() + t.by_site[s].n[2] > 0) {
      std::snprintf(line, sizeof line, "  site %s: KIA %lld DOW %lld WIA %lld\n",
                    sc.sites[s].id.c_str(), static_cast<long long>(t.by_site[s].n[0]),
                    static_cast<long long>(t.by_site[s].n[1]),
                    static_cast<long long>(t.by_site[s].n[2]));
      o += line;
    }
  return o;
}

struct TraceOptions {
  std::string file, arm = "baseline", format = "table";
  int64_t replication = 0;
  std::optional<uint64_t> seed;
  bool all = false;
};

}  // namespace

Action add_trace(CLI::App& app) {
  auto* cmd = app.add_subcommand("trace", "The event log of one replication, to explain a number");
  auto o = std::make_shared<TraceOptions>();
  add_include_flag(cmd);
  cmd->add_option("FILE", o->file, "scenario file (YAML)")->required();
  cmd->add_option("-r,--replication", o->replication,
                  "replication number (from 0), as in run --per-replication")
      ->required()
      ->check(whole_number(int64_t{1} << 53));
  cmd->add_option("--arm", o->arm,
                  "arm to trace (default: baseline); with an adversary block, ARM/adaptive is "
                  "the arm's adaptive twin");
  cmd->add_option("--seed", o->seed, "master seed (default: the scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("--format", o->format, "table or jsonl")
      ->check(CLI::IsMember({"table", "jsonl"}));
  cmd->add_flag("--all", o->all,
                "table: include the daily UAV availability lines (JSON lines always have them)");
  return [o] {
    auto loaded = load_or_report(o->file);
    if (!loaded) return kExitBadInput;
    const uint64_t seed = o->seed.value_or(loaded->baseline().seed);
    // An adaptive twin is made by the adversary's pilot (docs/model.md §2.9),
    // on the run's seed, as `pkrisk run` makes it.
    const std::string suffix = "/adaptive";
    if (o->arm.size() > suffix.size() &&
        o->arm.compare(o->arm.size() - suffix.size(), suffix.size(), suffix) == 0)
      add_adaptive_twins(*loaded, seed, default_threads(), false);
    const Arm* arm = nullptr;
    std::string names;
    for (const Arm& a : loaded->arms) {
      if (a.name == o->arm) arm = &a;
      names += (names.empty() ? "" : ", ") + a.name;
    }
    if (!arm) {
      std::fprintf(stderr, "pkrisk trace: no arm '%s' (arms: %s)\n", o->arm.c_str(), names.c_str());
      return kExitBadInput;
    }
    // Each event is written as soon as it is known to be in time order
    // (TimeOrderedTrace): a long history is never held whole, so the memory
    // stays that of the simulation. The tally follows the events.
    const bool jsonl = o->format == "jsonl";
    size_t shown = 0;
    TimeOrderedTrace sink([&](const TraceEvent& e) {
      if (jsonl) {
        std::cout << nlohmann::json{{"hours", e.time_hours}, {"kind", e.kind}, {"detail", e.detail}}
                         .dump()
                  << "\n";
        return;
      }
      if (!o->all && e.kind == "uav_day") return;
      ++shown;
      std::printf("%s  %-18s %s\n", clock(e.time_hours).c_str(), e.kind.c_str(), e.detail.c_str());
    });
    if (!jsonl) {
      std::printf("%s — arm %s, seed %llu, replication %lld (day 0 00:00 is the start)\n\n",
                  loaded->baseline().name.c_str(), arm->name.c_str(),
                  static_cast<unsigned long long>(seed), static_cast<long long>(o->replication));
      std::printf("%-13s  %-18s %s\n", "time", "event", "detail");
    }
    Simulator sim(arm->scenario);
    Tally tally;
    sim.run(seed, static_cast<uint64_t>(o->replication), tally, &sink);
    sink.finish();
    std::vector<int64_t> values;
    extract_metrics(tally, values);
    const std::vector<std::string> names_m = metric_names(arm->scenario);
    if (jsonl) {
      nlohmann::json totals = nlohmann::json::object();
      for (size_t m = 0; m < names_m.size(); ++m) totals[names_m[m]] = values[m];
      std::cout << nlohmann::json{{"kind", "tally"},
                                  {"arm", arm->name},
                                  {"seed", seed},
                                  {"replication", o->replication},
                                  {"totals", totals}}
                       .dump()
                << "\n";
      return kExitOk;
    }
    if (shown == 0) std::printf("(no events)\n");
    std::printf("\n%s", tally_text(arm->scenario, tally).c_str());
    return kExitOk;
  };
}

}  // namespace pk::cli
