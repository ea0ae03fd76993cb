// Movement classes: `count` identical movements on one schedule (docs/model.md
// §8.12) — the departures, their times and the exposure they carry.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "scenario/exposure.hpp"
#include "sim/random.hpp"
#include "worlds.hpp"

namespace pk::validation {
namespace {

Movement periodic_class(int64_t count, double every_hours, double first_hour, double spread) {
  Movement m = periodic_movement(0, every_hours, first_hour, 1e6);
  m.schedule.count = count;
  m.schedule.spread_hours = spread;
  return m;
}

// A class's departures are counted exactly: whole times before the horizon,
// then those of the last time that leave before it.
TEST(MovementClass, DeparturesOfTheLastTimeStopAtTheHorizon) {
  // Times at 20 h and 44 h; the second time's four departures would leave at
  // 44, 46, 48, 50 h: two are before the 48 h horizon.
  Scenario s = quiet_world(2);
  s.movements = {periodic_class(4, 24, 20, 8)};
  EXPECT_DOUBLE_EQ(expected_departures(s.movements[0], s.horizon_hours), 6);
  for (const Tally& t : run_replications(s, 7, 20)) EXPECT_EQ(t.departures, 6);
  s.movements[0].schedule.count = 1;  // one movement: the times themselves
  EXPECT_DOUBLE_EQ(expected_departures(s.movements[0], s.horizon_hours), 2);
}

// Six patrols a day spread over 06:00-16:00 are all in daylight: a crew
// blind at night finds every IED it meets with its daylight probability. The
// same six spread over the whole day leave at 06, 10, 14, 18, 22, 02 h, so
// half of them are blind from the start.
TEST(MovementClass, SpreadPlacesEveryDepartureOfADay) {
  const double p_c = 0.6;
  const auto world = [&](const Movement& m) { return night_blind_crew_world(m, p_c); };
  const auto found_share = crew_found_share;
  const auto daylight = run_replications(world(periodic_class(6, 24, 6, 12)), 20261202, 300);
  for (const Tally& t : daylight) ASSERT_EQ(t.departures, 6 * 365);
  expect_ratio("found_crew / met (six a day, 06:00-16:00)", found_share(daylight), p_c);

  const Scenario all_day = world(periodic_class(6, 24, 6, 24));
  // The last day's 02:00 departure falls on day 366: past the horizon.
  ASSERT_DOUBLE_EQ(expected_departures(all_day.movements[0], all_day.horizon_hours), 6 * 365 - 1);
  const auto round_the_clock = run_replications(all_day, 20261202, 300);
  for (const Tally& t : round_the_clock) ASSERT_EQ(t.departures, 6 * 365 - 1);
  // Instantaneous trips (1e6 km/h): a departure finds with p_c by day, never by night.
  expect_ratio("found_crew / met (six a day round the clock)", found_share(round_the_clock),
               p_c * 0.5);
}

// Exposure scales with the count: ambushes arrive per km driven, so a class
// of k drives k times the km and meets k times the ambushes (Poisson), for a
// periodic class and for a Poisson class alike.
TEST(MovementClass, AmbushesScaleWithTheCount) {
  const double per_km = 0.5 / 1000, route_km = 100, days = 200;
  Scenario s = quiet_world(days, route_km);
  s.zones[0].ambush = AmbushThreat{.per_km = per_km, .p_hit = 0, .p_kill_given_hit = 0};
  s.movements = {periodic_class(5, 24, 1, 10)};
  const auto periodic = run_replications(s, 20261203, 1000);
  const double expected = per_km * route_km * 5 * days;
  expect_mean("ambushes (class of 5, daily)",
              moments_of(periodic, [](const Tally& t) { return t.ambush_attacks; }), expected);
  for (const Tally& t : periodic) ASSERT_DOUBLE_EQ(t.movement_km, 5 * days * route_km);

  Movement poisson = poisson_movement(0, 0.8, 1e6);
  poisson.schedule.count = 3;
  poisson.schedule.per_hour *= 3;  // as the loader sets it: the class's rate
  s.movements = {poisson};
  const auto random = run_replications(s, 20261204, 2000);
  const auto departures = moments_of(random, [](const Tally& t) { return t.departures; });
  expect_mean("departures (Poisson class of 3 at 0.8 a day)", departures, 3 * 0.8 * days);
  expect_variance("departures (Poisson class of 3 at 0.8 a day)", departures, 3 * 0.8 * days);
  expect_mean("ambushes (Poisson class of 3)",
              moments_of(random, [](const Tally& t) { return t.ambush_attacks; }),
              per_km * route_km * 3 * 0.8 * days);
}

// Jitter wider than a class's gaps lets departures overtake each other: every
// departure is still made, at its own jittered time.
TEST(MovementClass, JitterWiderThanTheGapsKeepsEveryDeparture) {
  Scenario s = quiet_world(30);
  Movement m = periodic_class(8, 24, 3, 16);  // 2 h apart
  m.schedule.jitter_hours = 5;
  s.movements = {m};
  // The last time (day 29, 3 h) ends at 3 + 14 h + 2.5 h < 24 h: all inside the horizon.
  for (const Tally& t : run_replications(s, 20261205, 50)) EXPECT_EQ(t.departures, 8 * 30);
}

// Departures and the times they leave at, in the order they are played, from the trace.
struct DepartureRecorder : TraceSink {
  std::vector<std::pair<int32_t, double>> departures;  // (departure number, time)
  void record(const TraceEvent& e) override {
    if (e.kind != "departure") return;
    const size_t at = e.detail.find(" departure ");
    departures.emplace_back(std::stoi(e.detail.substr(at + 11)), e.time_hours);
  }
};

// An overtaking schedule is queued a few jitters ahead, not all at t = 0
// (§9.1): every departure still leaves at exactly its own jittered time
// (nominal + (u − ½) × J, u the first uniform of its own stream, §4), in the
// order of time, and the departures due before the horizon are all there. 24 a day 1 h apart with a
// jitter of 7 h, over 20 days, each departure a trip of 5 h on a quiet road.
TEST(MovementClass, OvertakingDeparturesLeaveAtTheirOwnJitteredTimes) {
  Scenario s = quiet_world(20);
  Movement m = periodic_class(24, 24, 0.5, 24);
  m.speed_kmh = 20;
  m.schedule.jitter_hours = 7;
  s.movements = {m};
  Simulator sim(s);
  for (uint64_t rep = 0; rep < 3; ++rep) {
    DepartureRecorder rec;
    Tally t;
    sim.run(20261240, rep, t, &rec);
    for (size_t i = 1; i < rec.departures.size(); ++i)
      ASSERT_LE(rec.departures[i - 1].second, rec.departures[i].second) << i;
    const sim::ReplicationKey key = sim::ReplicationKey::make(20261240, rep);
    // Departure d's jitter is word d of the movement's jitter stream (§4).
    std::vector<double> expected;
    sim::Stream u(key, sim::Proc::kJitter, sim::name_key(m.id));
    for (int32_t d = 0; s.movements[0].schedule.nominal_time(d) - 3.5 < s.horizon_hours; ++d)
      expected.push_back(
          std::max(0.0, s.movements[0].schedule.nominal_time(d) + (u.uniform() - 0.5) * 7));
    const auto due = std::count_if(expected.begin(), expected.end(),
                                   [&](double time) { return time < s.horizon_hours; });
    ASSERT_EQ(rec.departures.size(), static_cast<size_t>(due));
    ASSERT_EQ(t.departures, static_cast<int64_t>(due));
    for (const auto& [d, time] : rec.departures) {
      ASSERT_LT(static_cast<size_t>(d), expected.size());
      ASSERT_NEAR(time, expected[static_cast<size_t>(d)], 1e-9) << "departure " << d;
    }
  }
}

}  // namespace
}  // namespace pk::validation
