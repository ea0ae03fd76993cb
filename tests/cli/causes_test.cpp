// Road accidents and illness on the command line (docs/model.md §2.8): the
// blocks load, every output shows malicious and all-cause deaths apart, and
// the acceptance gate counts the causes it says it counts.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using nlohmann::json;

// kOneCampScenario (indirect fire: 9.125 deaths a year on 500 people, 18.25 per
// 1,000 personnel-years) plus illness: 20 serious cases per 1,000
// person-years, half fatal, 5 deaths a year, 10 per 1,000.
std::string camp_with_illness(const std::string& acceptance) {
  std::string text = pk::test::kOneCampScenario;
  text = pk::test::with_replaced(text, "casualties_per_round: 1, kill_share: 0.5}",
                                 "casualties_per_round: 1, kill_share: 0.5}\n"
                                 "    illness: {per_1000_person_years: 20, case_fatality: 0.5}");
  const std::string path = pk::test::temp_path("causes_camp.yaml");
  std::ofstream(path) << text << acceptance;
  return path;
}

TEST(Causes, MaliciousAndAllCausesAreReportedApart) {
  const auto r = pk::test::run_pkrisk("run " + camp_with_illness("") + " -n 400 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json base = json::parse(r.out)["arms"][0];
  const double all = base["fatalities"]["mean"], malicious = base["fatalities_malicious"]["mean"];
  const double illness = base["fatalities_by_cause.illness"]["mean"];
  EXPECT_DOUBLE_EQ(all, malicious + illness);
  EXPECT_NEAR(illness, 5, 4.5 * std::sqrt(5.0 / 400));
  // Per 1,000 personnel-years (500 of them): 18.25 malicious, 28.25 in all,
  // within 4.5 standard errors of the per-replication counts.
  const auto near = [&](const char* rate, const char* count, double expected) {
    const double se = base[count]["sd"].get<double>() / std::sqrt(400.0) * 1000 / 500;
    EXPECT_NEAR(base[rate]["mean"].get<double>(), expected, 4.5 * se) << rate;
  };
  near("fatalities_malicious_per_1000py", "fatalities_malicious", 18.25);
  near("fatalities_per_1000py", "fatalities", 28.25);
  EXPECT_GT(base["illness.cases"]["mean"].get<double>(), 0);
  // The terminal table names both causes.
  const auto table = pk::test::run_pkrisk("run " + camp_with_illness("") + " -n 50");
  EXPECT_NE(table.out.find("illness"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("road_accident"), std::string::npos) << table.out;
}

// A limit of 22 per 1,000: malicious acts (18.25) pass it, all causes (28.25) do not.
TEST(Causes, TheAcceptanceGateCountsTheCausesItStates) {
  const std::string limit = "acceptance:\n  fatalities_per_1000py: {max: 22}\n";
  const auto malicious = pk::test::run_pkrisk("run " + camp_with_illness(limit) + " -n 400 -q");
  EXPECT_EQ(malicious.code, 0) << malicious.err;
  EXPECT_NE(malicious.out.find("acceptance passed"), std::string::npos) << malicious.out;
  EXPECT_NE(malicious.out.find("[malicious acts]"), std::string::npos) << malicious.out;
  const auto all = pk::test::run_pkrisk("run " + camp_with_illness(limit + "  causes: all\n") +
                                        " -n 400 -q --format json");
  EXPECT_EQ(all.code, 1) << all.err;
  EXPECT_NE(all.err.find("[all causes]"), std::string::npos) << all.err;
  EXPECT_EQ(json::parse(all.out)["acceptance"]["causes"], "all");
}

TEST(Causes, AnImpossibleCrashOutcomeIsRefusedWithItsPlace) {
  std::string text = pk::test::kOneCampScenario;
  text = pk::test::with_replaced(
      text, "casualties_per_round: 1, kill_share: 0.5}",
      "casualties_per_round: 1, kill_share: 0.5}\n"
      "    road_accidents: {per_million_vehicle_km: 2, p_kill: 0.6, p_wound: 0.5}");
  const std::string error = pk::test::first_load_error(text);
  EXPECT_NE(error.find("zones[z].road_accidents.p_wound: p_kill + p_wound must be <= 1"),
            std::string::npos)
      << error;
}

}  // namespace
