// The care chain on the command line (docs/model.md §3.6): the block loads,
// bad shares are refused with their key path, and every output carries
// 10-1-2 — the JSON's shares are the ratios of the metrics' sums, with
// intervals that hold them, and the terminal prints the table.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

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
  // Closed forms (docs/model.md §3.6): half the T1 get a responder at 3
  // minutes and must live through it (hazard 0.5 an hour); the others get
  // first aid with the camp's Role 1 at 20 minutes, too late for 10. All who
  // live reach advanced care at 20 minutes: the responded-to through 17
  // minutes at 0.2 an hour, the others through 20 at 0.5.
  const double first_aid = 0.5 * std::exp(-0.5 * 0.05);
  const double advanced =
      0.5 * std::exp(-0.5 * 0.05 - 0.2 * 17.0 / 60) + 0.5 * std::exp(-0.5 * 20.0 / 60);
  for (const auto& [key, metric, expected] :
       {std::tuple{"first_aid_10min", "care.t1_first_aid_10min", first_aid},
        std::tuple{"advanced_care_1h", "care.t1_advanced_care_1h", advanced},
        std::tuple{"surgery_2h", "care.t1_surgery_2h", -1.0}}) {
    const double share = c[key]["share"];
    EXPECT_NEAR(share, base[metric]["mean"].get<double>() / t1, 1e-9) << key;
    const double lo = c[key]["ci95"][0], hi = c[key]["ci95"][1];
    EXPECT_LE(lo, share) << key;
    EXPECT_GE(hi, share) << key;
    // Within 4.5 standard errors (the interval is ± 1.96 of them).
    if (expected >= 0) {
      EXPECT_NEAR(share, expected, 4.5 * (hi - lo) / (2 * 1.96)) << key;
    }
  }
  EXPECT_GT(base["care.surgeries"]["mean"].get<double>(), 0);
  const auto table = pk::test::run_pkrisk("run " + camp_with_care("{t1: 0.5, t2: 0.5}") + " -n 50");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("meeting 10-1-2"), std::string::npos) << table.out;
}

// The CSV carries the three shares, with the T1 count in `events`; the HTML
// report a 10-1-2 table; a scenario without a chain neither.
TEST(CareChainCli, TheCsvAndTheReportCarryTenOneTwo) {
  const std::string report = pk::test::temp_path("care_report.html");
  const auto r = pk::test::run_pkrisk("run " + camp_with_care("{t1: 0.5, t2: 0.5}") +
                                      " -n 100 -q --format csv --report " + report);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* row :
       {"baseline,care_10_1_2.first_aid_10min,", "baseline,care_10_1_2.advanced_care_1h,",
        "baseline,care_10_1_2.surgery_2h,"})
    EXPECT_NE(r.out.find(row), std::string::npos) << row;
  EXPECT_NE(pk::test::read_file(report).find("Care of the wounded: 10-1-2"), std::string::npos);
  const std::string plain = pk::test::temp_path("plain_camp.yaml");
  std::ofstream(plain) << pk::test::kOneCampScenario;
  const auto p = pk::test::run_pkrisk("run " + plain + " -n 50 -q --format csv");
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(p.out.find("care_10_1_2"), std::string::npos);
}

// A site's own care without a chain changes nothing: validate says so.
TEST(CareChainCli, LocalCareWithoutAChainIsAWarning) {
  const std::string path = pk::test::temp_path("care_no_chain.yaml");
  std::ofstream(path) << pk::test::with_replaced(pk::test::kOneCampScenario, "personnel: 500}",
                                                 "personnel: 500, care: {responder_share: 0.5}}");
  const auto r = pk::test::run_pkrisk("validate " + path);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("sites[camp].care: no medevac.care_chain"), std::string::npos)
      << r.out << r.err;
}

TEST(CareChainCli, SeverityThatDoesNotSumToOneIsRefusedWithItsPath) {
  const auto r = pk::test::run_pkrisk("validate " + camp_with_care("{t1: 0.5, t2: 0.4}"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("medevac.care_chain.severity"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sum to 1"), std::string::npos) << r.err;
}

}  // namespace
