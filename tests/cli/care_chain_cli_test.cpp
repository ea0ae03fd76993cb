// The care chain on the command line (docs/model.md §3.6): the block loads,
// bad shares are refused with their key path, and every output carries
// 10-1-2 — the JSON's shares are the ratios of the metrics' sums, with
// intervals that hold them, and the terminal prints the table.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using nlohmann::json;

// kOneCampScenario with twice the casualties, MEDEVAC by ground in 90
// minutes and a care chain: T1 half the wounded, the camp's Role 1 after 20
// minutes, a Role 2 of one table.
std::string camp_with_care(const std::string& severity) {
  std::string text = pk::test::with_replaced(pk::test::kOneCampScenario, "per_site_day: 0.05",
                                             "per_site_day: 0.5");
  text += R"(medevac:
  helicopters: 0
  flight_hours: 1
  ground_evac_hours: 1.5
  dow_curve: [[0, 0.05], [2, 0.1]]
  care_chain:
    severity: )" +
          severity + R"(
    first_aid: {responder_share: 0.5, responder_minutes: 3, minutes: 25}
    advanced_care: {role1_minutes: 20}
    hazard_per_hour: {before_first_aid: {t1: 0.5}, before_advanced_care: {t1: 0.2}}
    role2: {operating_tables: 1, surgery_hours: 1.5, beds: 4}
)";
  const std::string path = pk::test::temp_path("care_camp.yaml");
  std::ofstream(path) << text;
  return path;
}

TEST(CareChainCli, TheJsonCarriesTenOneTwoAsRatiosOfTheMetrics) {
  const auto r = pk::test::run_pkrisk("run " + camp_with_care("{t1: 0.5, t2: 0.5}") +
                                      " -n 300 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json base = json::parse(r.out)["arms"][0];
  const double t1 = base["care.t1"]["mean"];
  EXPECT_GT(t1, 10);
  const json& c = base["care_10_1_2"];
  EXPECT_NEAR(c["t1_per_replication"].get<double>(), t1, 1e-9);
  for (const auto& [key, metric] : {std::pair{"first_aid_10min", "care.t1_first_aid_10min"},
                                    std::pair{"advanced_care_1h", "care.t1_advanced_care_1h"},
                                    std::pair{"surgery_2h", "care.t1_surgery_2h"}}) {
    const double share = c[key]["share"];
    EXPECT_NEAR(share, base[metric]["mean"].get<double>() / t1, 1e-9) << key;
    EXPECT_LE(c[key]["ci95"][0].get<double>(), share) << key;
    EXPECT_GE(c[key]["ci95"][1].get<double>(), share) << key;
    EXPECT_LT(c[key]["ci95"][1].get<double>() - c[key]["ci95"][0].get<double>(), 0.1) << key;
  }
  // Every T1 survivor of the first hour reaches advanced care at 20 minutes.
  EXPECT_GT(c["advanced_care_1h"]["share"].get<double>(), 0.8);
  // A responder (half) comes within 3 minutes; the others at 20 with the Role 1.
  EXPECT_LT(c["first_aid_10min"]["share"].get<double>(), 0.55);
  EXPECT_GT(base["care.surgeries"]["mean"].get<double>(), 0);
  const auto table = pk::test::run_pkrisk("run " + camp_with_care("{t1: 0.5, t2: 0.5}") + " -n 50");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("meeting 10-1-2"), std::string::npos) << table.out;
}

TEST(CareChainCli, SeverityThatDoesNotSumToOneIsRefusedWithItsPath) {
  const auto r = pk::test::run_pkrisk("validate " + camp_with_care("{t1: 0.5, t2: 0.4}"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("medevac.care_chain.severity"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sum to 1"), std::string::npos) << r.err;
}

}  // namespace
