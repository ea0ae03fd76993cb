// What `pkrisk validate` says a scenario implies (experiment/implications.hpp,
// docs/model.md §10): first-order events per year from the formulas of the
// model, the UN band re-counted from the shipped data, and the suggester that
// lists the closest names.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "experiment/calibrate.hpp"
#include "experiment/implications.hpp"
#include "scenario/exposure.hpp"
#include "scenario/loader.hpp"
#include "scenario/suggest.hpp"

namespace pk {
namespace {

const ImpliedThreat* find(const ScenarioImplications& im, const std::string& threat) {
  for (const auto& t : im.threats)
    if (t.threat == threat) return &t;
  return nullptr;
}

TEST(Implications, FollowTheFormulasOfTheModel) {
  Diagnostics d;
  auto ls = load_scenario(std::string(PK_SOURCE_DIR) + "/tests/data/run/small.yaml", d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  const Scenario& s = ls->baseline();
  const ScenarioImplications im = scenario_implications(s);
  // One convoy every 48 h from hour 6, round trip, on one 60 km route: 183
  // departures in 8,760 hours, two passes each.
  EXPECT_DOUBLE_EQ(expected_departures(s.movements[0], s.horizon_hours), 183);
  const double passes = 183.0 * 2 / 8760;  // per hour
  // IEDs: 0.002 per km·day × 60 km × 365 days emplaced; met with P / (P + 1/lifetime).
  const ImpliedThreat* ied = find(im, "ied");
  ASSERT_TRUE(ied);
  EXPECT_NEAR(ied->arrivals, 0.002 * 60 * 365, 1e-9);
  const double met = ied->arrivals * passes / (passes + 1.0 / (5 * 24));
  EXPECT_NEAR(ied->met, met, 1e-9);
  // A strike kills 2 crew × (p_kill 0.3 + p_wound 0.5 × dow(1 h) = 0.1).
  EXPECT_NEAR(first_order_dow(s), 0.1, 1e-12);
  EXPECT_NEAR(ied->fatalities, met * 2 * (0.3 + 0.5 * 0.1), 1e-9);
  // Ambushes: 1 per 1,000 km driven, 183 × 2 × 60 km a year; 10 occupants hit
  // with 0.1, killed with 0.3 or dying of wounds with 0.7 × 0.1.
  const ImpliedThreat* ambush = find(im, "ambush");
  ASSERT_TRUE(ambush);
  EXPECT_NEAR(ambush->arrivals, 183 * 2 * 60 / 1000.0, 1e-9);
  EXPECT_NEAR(ambush->fatalities, ambush->arrivals * 10 * 0.1 * (0.3 + 0.7 * 0.1), 1e-9);
  // A 120 m kill zone on the 5 trucks 60 m apart (300 m) exposes 0.4 of them (§2.3).
  Scenario spaced = s;
  spaced.zones[0].ambush->kill_zone_m = 120;
  spaced.movements[0].spacing_m = 60;
  EXPECT_DOUBLE_EQ(kill_zone_share(*spaced.zones[0].ambush, spaced.movements[0]), 0.4);
  const ScenarioImplications spaced_im = scenario_implications(spaced);
  const ImpliedThreat* spaced_ambush = find(spaced_im, "ambush");
  ASSERT_TRUE(spaced_ambush);
  EXPECT_NEAR(spaced_ambush->fatalities, 0.4 * ambush->fatalities, 1e-9);
  // Indirect fire: 0.02 per site·day on two sites; 2 rounds, half effective,
  // one casualty each, killed with 0.2 or dying of wounds with 0.8 × 0.1.
  const ImpliedThreat* idf = find(im, "idf");
  ASSERT_TRUE(idf);
  EXPECT_NEAR(idf->arrivals, 0.02 * 365 * 2, 1e-9);
  EXPECT_NEAR(idf->fatalities, idf->arrivals * 2 * 0.5 * 1 * (0.2 + 0.8 * 0.1), 1e-9);
  EXPECT_NEAR(im.fatalities_per_year, ied->fatalities + ambush->fatalities + idf->fatalities, 1e-9);
  EXPECT_NEAR(im.fatalities_per_1000py, im.fatalities_per_year * 1000 / 500, 1e-9);
  // A violent test world: 75 per 1,000 personnel-years, far above every UN mission.
  ASSERT_EQ(im.warnings.size(), 1u);
  EXPECT_NE(im.warnings[0].message.find("times the highest UN mission rate"), std::string::npos)
      << im.warnings[0].message;
}

// Road accidents and illness are counted beside the malicious acts, outside
// the UN band; rates that kill more than the whole personnel in a year are a
// unit typed wrong, whatever the cause (1,000,000 cases per 1,000
// person-years once passed validate without a word).
TEST(Implications, AccidentsAndIllnessAreCountedAndDeathsBeyondThePersonnelWarned) {
  Diagnostics d;
  auto ls = load_scenario(std::string(PK_SOURCE_DIR) + "/tests/data/run/small.yaml", d);
  ASSERT_TRUE(ls);
  Scenario s = ls->baseline();
  s.zones[0].road_accidents =
      RoadAccidents{.per_vehicle_km = 1e-6, .night_factor = 3, .p_kill = 0.1, .p_wound = 0.2};
  s.zones[0].illness = Illness{.per_person_hour = 1e-5, .case_fatality = 0.25};
  ScenarioImplications im = scenario_implications(s);
  ASSERT_EQ(im.other.size(), 2u);
  // 5 trucks (accident factor 1) × 183 departures × 2 passes × 60 km, at the
  // day's mean rate 1e-6 × (1 + 3) / 2; each kills 2 crew × (0.1 + 0.2 × dow 0.1).
  const double crashes = 2e-6 * 5 * 183 * 2 * 60;
  EXPECT_EQ(im.other[0].cause, "road_accidents");
  EXPECT_NEAR(im.other[0].events, crashes, 1e-12);
  EXPECT_NEAR(im.other[0].fatalities, crashes * 2 * (0.1 + 0.2 * 0.1), 1e-12);
  // The zone's sites' 500 people, 8,760 hours, 1e-5 per person-hour.
  EXPECT_EQ(im.other[1].cause, "illness");
  EXPECT_NEAR(im.other[1].events, 1e-5 * 8760 * 500, 1e-9);
  EXPECT_NEAR(im.other[1].fatalities, 0.25 * im.other[1].events, 1e-9);
  EXPECT_NEAR(im.other_fatalities_per_year, im.other[0].fatalities + im.other[1].fatalities, 1e-9);
  const auto warned = [](const ScenarioImplications& x) {
    for (const ImplausibleValue& w : x.warnings)
      if (w.message.find("personnel of the sites") != std::string::npos) return true;
    return false;
  };
  EXPECT_FALSE(warned(im));
  s.zones[0].illness->per_person_hour = 1.0 / 8760;  // every person ill every year
  s.zones[0].illness->case_fatality = 1;
  EXPECT_TRUE(warned(scenario_implications(s)));
}

TEST(Implications, TheUnBandIsRecountedFromTheShippedData) {
  std::ifstream in(std::string(PK_DATA_DIR) + "/un_fatalities.csv");
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const UnMissionRate& m : un_mission_rates()) {
    std::vector<int> years;
    for (int y = m.first_year; y <= m.last_year; ++y) years.push_back(y);
    std::vector<ObservedYear> observed;
    std::string error;
    ASSERT_TRUE(read_observed_csv(csv, m.mission, "uniformed_malicious", years, observed, error))
        << error;
    double deaths = 0;
    for (const auto& o : observed) deaths += o.count;
    EXPECT_EQ(deaths, m.deaths) << m.mission;
  }
  // docs/plausibility.md: UNIFIL 0.016, MINUSMA 1.71 per 1,000 personnel-years.
  const RateBand band = un_fatality_band();
  EXPECT_NEAR(band.lo, 0.016, 0.0005);
  EXPECT_NEAR(band.hi, 1.71, 0.005);
}

TEST(Suggest, NearestFewListsTheClosestInOrder) {
  const std::vector<std::string> names = {"mine.laid", "ied.emplaced", "mine.detonated",
                                          "fatalities"};
  EXPECT_EQ(nearest_few("mine.laidd", names, 2),
            (std::vector<std::string>{"mine.laid", "mine.detonated"}));
  EXPECT_EQ(nearest_few("x", {}, 3), std::vector<std::string>{});
}

TEST(Suggest, ASwapOfNeighboursIsOneEdit) {
  EXPECT_EQ(edit_distance("minumsa", "minusma"), 1u);
  EXPECT_EQ(edit_distance("minumsa", "minusca"), 2u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(closest_match("MINUMSA", {"MINUSCA", "MINUSMA"}), "MINUSMA");
}

}  // namespace
}  // namespace pk
