// A trace in time order without holding the whole history (`pkrisk trace`):
// the simulator's promise that no record still to come is earlier than what
// it has settled, and TimeOrderedTrace, whose output must be exactly a stable
// sort by time of everything recorded while it holds only a little of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "experiment/adversary.hpp"
#include "scenario/loader.hpp"
#include "sim/simulator.hpp"
#include "sim/tally.hpp"
#include "sim/trace.hpp"
#include "support.hpp"

namespace pk {
namespace {

// Three movements of 300 round trips a day on one road and MEDEVAC: a
// history of about 130,000 records, with arrivals logged when the next event
// retires them. The UAV fleet watches only the quiet zone y, where it is
// asked for its coverage at each of a few IEDs a day: its day is logged at
// 00:00 hours after the busy road has gone on.
const std::string kBusy = R"(pkrisk: 1
scenario: {name: busy, horizon_days: 60, seed: 1}
vehicle_types:
  - {id: truck, seats: 3, blast: {p_kill: 0.25, p_wound: 0.45}}
zones:
  - id: z
    ied: {emplacement_per_km_day: 0.002, lifetime_days: 10, trigger_mix: {pressure: 1.0}}
  - id: y
    ied: {emplacement_per_km_day: 0.02, lifetime_days: 10, trigger_mix: {pressure: 1.0}}
sites:
  - {id: a, zone: z, personnel: 1200}
  - {id: b, zone: z, personnel: 300}
  - {id: c, zone: y, personnel: 300}
routes:
  - {id: r, from: a, to: b, segments: [{zone: z, length_km: 150}]}
  - {id: q, from: b, to: c, segments: [{zone: y, length_km: 100}]}
movements:
  - {id: m1, route: r, schedule: {poisson_per_day: 300}, speed_kmh: 25, round_trip: true, vehicles: [{type: truck, count: 1, crew: 1}]}
  - {id: m2, route: r, schedule: {poisson_per_day: 300}, speed_kmh: 25, round_trip: true, vehicles: [{type: truck, count: 1, crew: 1}]}
  - {id: m3, route: r, schedule: {every_hours: 0.1}, speed_kmh: 25, vehicles: [{type: truck, count: 1, crew: 1}]}
uav:
  aircraft: 3
  availability: 0.8
  weather_grounding: 0.1
  area: {zones: [y], km_per_aircraft: 300, p_observe: 0.2, deterrence: 0.25}
medevac: {helicopters: 1, dispatch_hours: 0.5, flight_hours: 1.0, ground_evac_hours: 6, dow_curve: [[0, 0.02], [8, 0.2]]}
)";

// Passes every record and settlement on to both sinks.
struct Tee final : TraceSink {
  TraceSink& a;
  TraceSink& b;
  Tee(TraceSink& x, TraceSink& y) : a(x), b(y) {}
  void record(const TraceEvent& e) override {
    a.record(e);
    b.record(e);
  }
  void settled(double hours) override {
    a.settled(hours);
    b.settled(hours);
  }
};

// Keeps every record, and counts those earlier than what was settled before.
struct Checker final : TraceSink {
  std::vector<TraceEvent> all;
  double settled_at = -INFINITY;
  int settlements = 0;
  int early = 0;
  std::string first_early;
  void record(const TraceEvent& e) override {
    if (e.time_hours < settled_at && early++ == 0)
      first_early = e.kind + " at " + std::to_string(e.time_hours) + " h after " +
                    std::to_string(settled_at) + " h was settled";
    all.push_back(e);
  }
  void settled(double hours) override {
    settled_at = hours;
    ++settlements;
  }
};

// Plays `sc` with both sinks and checks the ordered output against a stable
// sort of all the records. Returns the settlements made.
int expect_in_order(const Scenario& sc, uint64_t replication, size_t* most_held = nullptr,
                    size_t* records = nullptr) {
  Checker checker;
  std::vector<TraceEvent> out;
  TimeOrderedTrace ordered([&](const TraceEvent& e) { out.push_back(e); });
  Tee tee(checker, ordered);
  Simulator sim(sc);
  Tally tally;
  EXPECT_TRUE(sim.run(sc.seed, replication, tally, &tee));
  ordered.finish();
  EXPECT_EQ(checker.early, 0) << sc.name << ": " << checker.first_early;
  std::vector<TraceEvent> sorted = checker.all;
  std::stable_sort(sorted.begin(), sorted.end(), [](const TraceEvent& a, const TraceEvent& b) {
    return a.time_hours < b.time_hours;
  });
  EXPECT_EQ(out.size(), sorted.size()) << sc.name;
  for (size_t i = 0; i < std::min(out.size(), sorted.size()); ++i) {
    const bool same = out[i].time_hours == sorted[i].time_hours && out[i].kind == sorted[i].kind &&
                      out[i].detail == sorted[i].detail;
    EXPECT_TRUE(same) << sc.name << " record " << i << ": " << out[i].kind << " " << out[i].detail
                      << " instead of " << sorted[i].kind << " " << sorted[i].detail;
    if (!same) break;
  }
  if (most_held) *most_held = ordered.most_held();
  if (records) *records = checker.all.size();
  return checker.settlements;
}

Scenario load(const std::string& text) {
  Diagnostics d("busy.yaml");
  const auto ls = load_scenario_text(text, d);
  EXPECT_TRUE(ls) << test::first_load_error(text);
  return ls ? ls->baseline() : Scenario{};
}

TEST(TraceOrder, TiesKeepTheOrderOfRecordingAndSettledPassesOnNoMore) {
  std::vector<std::string> out;
  TimeOrderedTrace t([&](const TraceEvent& e) { out.push_back(e.kind); });
  t.record({5, "late", ""});
  t.record({2, "first", ""});
  t.record({2, "second", ""});
  t.record({3, "third", ""});
  t.settled(2);
  EXPECT_EQ(out, (std::vector<std::string>{"first", "second"}));
  t.record({2, "tied", ""});  // at the settled time: after those already out
  t.record({4, "fourth", ""});
  t.settled(4.5);
  t.finish();
  EXPECT_EQ(out, (std::vector<std::string>{"first", "second", "tied", "third", "fourth", "late"}));
  EXPECT_EQ(t.most_held(), 4u);
}

TEST(TraceOrder, BusyHistoryComesOutSortedWhileLittleOfItIsHeld) {
  const Scenario sc = load(kBusy);
  size_t most_held = 0, records = 0;
  for (uint64_t r = 0; r < 2; ++r) EXPECT_GT(expect_in_order(sc, r, &most_held, &records), 10);
  EXPECT_GT(records, 100000u);
  // Without settlements the whole history would be held until the end.
  EXPECT_LT(most_held, records / 10) << records << " records";
}

TEST(TraceOrder, ShippedScenariosComeOutSorted) {
  int settlements = 0;
  for (const char* file : {"scenarios/reference.yaml", "scenarios/minusma-north.yaml",
                           "scenarios/monusco-beni.yaml", "scenarios/templates/full.yaml"}) {
    const std::string path = test::source_path(file);
    Diagnostics d(path);  // its folder is where the vehicle catalogue is
    const auto ls = load_scenario(path, d);
    ASSERT_TRUE(ls) << (d.all().empty() ? path : d.all().front().format());
    for (const Arm& arm : ls->arms)
      for (uint64_t r = 0; r < 2; ++r) settlements += expect_in_order(arm.scenario, r);
  }
  EXPECT_GT(settlements, 0);
}

TEST(TraceOrder, AdversaryPathLoggedUpFrontComesOutInItsPlace) {
  // An adaptive twin, as `pkrisk trace --arm ARM/adaptive` makes it: its
  // path's pieces are all logged before the first event, dated over the
  // whole horizon. The patrols leave often enough for the history to be
  // settled piece by piece; a small pilot is enough for an answer.
  std::string text =
      test::with_replaced(test::read_file(test::source_path("scenarios/templates/full.yaml")),
                          "poisson_per_day: 1.5", "poisson_per_day: 40");
  text = test::with_replaced(text, "pilot_replications: 2000", "pilot_replications: 100");
  Diagnostics d("full.yaml");
  auto ls = load_scenario_text(text, d);
  ASSERT_TRUE(ls) << test::first_load_error(text);
  add_adaptive_arms(*ls, 1, 2);
  const Scenario& twin = ls->arms.back().scenario;
  ASSERT_NE(twin.adversary_path, nullptr);
  for (uint64_t r = 0; r < 2; ++r) EXPECT_GT(expect_in_order(twin, r), 0);
}

}  // namespace
}  // namespace pk
