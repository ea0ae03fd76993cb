// When in the day threats arrive (docs/model.md §2.6): a time_of_day profile
// moves arrivals between the hours of a day and leaves their number alone.
#include <cmath>

#include "sim/trace.hpp"
#include "worlds.hpp"

namespace pk::validation {
namespace {

// Collects the hour of the day of every event of one kind.
struct HourRecorder : TraceSink {
  explicit HourRecorder(std::string k) : kind(std::move(k)) {}
  std::string kind;
  std::vector<double> hours;
  void record(const TraceEvent& e) override {
    if (e.kind == kind) hours.push_back(std::fmod(e.time_hours, 24.0));
  }
};

DailyProfile profile(std::vector<DailyProfile::Window> windows) {
  DailyProfile p;
  p.windows = std::move(windows);
  p.settle();
  return p;
}

// Plays n replications with a trace, returning the tallies and the hours.
std::vector<Tally> traced(const Scenario& s, uint64_t seed, int n, HourRecorder& rec) {
  Simulator sim(s);
  std::vector<Tally> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) sim.run(seed, static_cast<uint64_t>(i), out[i], &rec);
  return out;
}

TEST(TimeOfDay, TheProfileIsRescaledToADailyMeanOfOne) {
  const DailyProfile dawn = profile({{4, 7, 3}});
  EXPECT_DOUBLE_EQ(dawn.mean, (3 * 3 + 21) / 24.0);
  EXPECT_DOUBLE_EQ(dawn.at(5), 3 / dawn.mean);
  EXPECT_DOUBLE_EQ(dawn.at(24 * 10 + 12), 1 / dawn.mean);
  EXPECT_DOUBLE_EQ(dawn.peak, 3 / dawn.mean);
  const DailyProfile only_dawn = profile({{0, 4, 0}, {4, 7, 1}, {7, 24, 0}});
  EXPECT_DOUBLE_EQ(only_dawn.mean, 3 / 24.0);
  EXPECT_DOUBLE_EQ(only_dawn.at(3.99), 0);
  EXPECT_DOUBLE_EQ(only_dawn.peak, 8);
  EXPECT_DOUBLE_EQ(DailyProfile{}.at(5), 1);
}

// Indirect fire at 0.3 attacks per site-day on 2 sites for 100 days.
// Weights 3 over 04:00-07:00 and 1 elsewhere: the expected number of attacks
// stays 0.3 × 2 × 100 = 60 (Poisson) and the share in 04-07 is
// 3 × 3 / (3 × 3 + 21 × 1) = 0.3. With weight only in 04-07, every attack is there.
TEST(TimeOfDay, SiteAttacksComeWhenTheProfileSaysAndAsOftenAsTheRateSays) {
  Scenario s = quiet_world(100);
  s.zones[0].idf = IdfThreat{.per_site_hour = 0.3 / kHoursPerDay,
                             .mean_rounds = 1,
                             .p_effective = 0,
                             .casualties_per_round = 0,
                             .kill_share = 0};
  s.zones[0].idf->time_of_day = profile({{4, 7, 3}});
  HourRecorder dawn("idf");
  const auto reps = traced(s, 20261211, 2000, dawn);
  const auto attacks =
      moments_of(reps, [](const Tally& t) { return t.attacks_on_sites(Cause::kIdf); });
  expect_mean("IDF attacks (dawn weight 3)", attacks, 60);
  expect_variance("IDF attacks (dawn weight 3)", attacks, 60);
  double at_dawn = 0;
  for (double h : dawn.hours) at_dawn += h >= 4 && h < 7;
  const double n = static_cast<double>(dawn.hours.size());
  expect_close("share of IDF attacks in 04-07", at_dawn / n, std::sqrt(0.3 * 0.7 / n), 0.3);

  s.zones[0].idf->time_of_day = profile({{0, 4, 0}, {4, 7, 1}, {7, 24, 0}});
  HourRecorder only("idf");
  const auto only_reps = traced(s, 20261212, 1000, only);
  expect_mean("IDF attacks (only 04-07)",
              moments_of(only_reps, [](const Tally& t) { return t.attacks_on_sites(Cause::kIdf); }),
              60);
  for (double h : only.hours) ASSERT_TRUE(h >= 4 && h < 7) << h;
}

// IEDs emplaced only 20:00-24:00: all emplacements in those hours, as many
// as the rate gives (0.02 per km-day × 100 km × 50 days = 100).
TEST(TimeOfDay, IedsAreEmplacedInTheirHours) {
  Scenario s = quiet_world(50, 100);
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = 0.02 / kHoursPerDay,
                             .lifetime_hours = 48,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = 1,
                             .complex_share = 0};
  s.zones[0].ied->time_of_day = profile({{0, 20, 0}});
  HourRecorder night("ied_emplaced");
  const auto reps = traced(s, 20261213, 1000, night);
  expect_mean("IEDs emplaced (20-24 only)",
              moments_of(reps, [](const Tally& t) { return t.ied.emplaced; }), 100);
  ASSERT_FALSE(night.hours.empty());
  for (double h : night.hours) ASSERT_GE(h, 20) << h;
}

// Mines laid only 20:00-24:00 (no stock at t = 0): all laid in those hours,
// as many as the rate gives (0.02 per km-day × 100 km × 50 days = 100).
TEST(TimeOfDay, MinesAreLaidInTheirHours) {
  Scenario s = quiet_world(50, 100);
  s.zones[0].mines = MineField{.per_km = 0,
                               .laying_per_km_hour = 0.02 / kHoursPerDay,
                               .lifetime_hours = 48,
                               .steady_stock = false};
  s.zones[0].mines->time_of_day = profile({{0, 20, 0}});
  HourRecorder night("mine_laid");
  const auto reps = traced(s, 20261202, 1000, night);
  expect_mean("mines laid (20-24 only)",
              moments_of(reps, [](const Tally& t) { return t.mine.emplaced; }), 100);
  ASSERT_FALSE(night.hours.empty());
  for (double h : night.hours) ASSERT_GE(h, 20) << h;
}

// Ambushes, a hazard in distance: a daily trip drives 200 km at 20 km/h from
// 01:00 to 11:00. Weight 0 over 00-06 and 1 after it: the mean weight is 18/24,
// so the rate is 0 until 06:00 and 4/3 of the written one after it; the trip
// drives 100 km in each part, so E[ambushes] = per_km × 100 × 4/3 a day
// (Poisson), every one of them between 06:00 and 11:00.
TEST(TimeOfDay, AmbushesComeInTheirHoursOfTheTrip) {
  const double per_km = 1.5 / 1000, days = 60;
  Scenario s = quiet_world(days, 200);
  s.zones[0].ambush = AmbushThreat{.per_km = per_km, .p_hit = 0, .p_kill_given_hit = 0};
  s.zones[0].ambush->time_of_day = profile({{0, 6, 0}});
  s.movements = {periodic_movement(0, 24, 1, 20)};
  HourRecorder rec("ambush");
  const auto reps = traced(s, 20261215, 8000, rec);
  const auto attacks = moments_of(reps, [](const Tally& t) { return t.ambush_attacks; });
  expect_mean("ambushes (none before 06:00)", attacks, per_km * 100 * 4.0 / 3 * days);
  expect_variance("ambushes (none before 06:00)", attacks, per_km * 100 * 4.0 / 3 * days);
  ASSERT_FALSE(rec.hours.empty());
  for (double h : rec.hours) ASSERT_TRUE(h >= 6 && h <= 11) << h;
}

}  // namespace
}  // namespace pk::validation
