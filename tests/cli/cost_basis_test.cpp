// What `cost_usd` is the cost of (docs/model.md §3.1, "Costs"): the same
// package written per year of mission and over the horizon gives the same cost
// per life, and every output shows the cost both ways.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "support.hpp"

namespace {

using pk::test::run_pkrisk;

// small.yaml on a 73-day horizon (a fifth of a year), with the jammer written
// three ways: per year, over the horizon (a fifth of the yearly cost) and
// without a basis (the format's first meaning: over the horizon).
std::string fifth_of_a_year_scenario() {
  std::string text = pk::test::read_file(pk::test::source_path("tests/data/run/small.yaml"));
  text = std::regex_replace(text, std::regex("horizon_days: 365"), "horizon_days: 73");
  const size_t arms = text.find("arms:");
  const size_t acceptance = text.find("acceptance:");
  text.replace(arms, acceptance - arms, R"(arms:
  - name: jammer_per_year
    cost_usd: 500000
    cost_basis: per_year
    overrides:
      movements[supply].jammer: {p_defeat: 1.0}
  - name: jammer_horizon
    cost_usd: 100000
    cost_basis: horizon
    overrides:
      movements[supply].jammer: {p_defeat: 1.0}
  - name: jammer_unstated
    cost_usd: 100000
    overrides:
      movements[supply].jammer: {p_defeat: 1.0}
)");
  const std::string path = pk::test::temp_path("cost_basis.yaml");
  std::ofstream(path) << text;
  return path;
}

const nlohmann::json* arm_named(const nlohmann::json& result, const std::string& name) {
  for (const auto& a : result["arms"])
    if (a["name"] == name) return &a;
  return nullptr;
}

TEST(CostBasis, PerYearAndHorizonCostsGiveOneCostPerLife) {
  const auto r = run_pkrisk("run " + fifth_of_a_year_scenario() + " -n 400 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json result = nlohmann::json::parse(r.out);
  for (const char* name : {"jammer_per_year", "jammer_horizon", "jammer_unstated"}) {
    const nlohmann::json* a = arm_named(result, name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_NEAR((*a)["cost_usd"].get<double>(), 100000, 1e-6) << name;  // over 73 days
    EXPECT_NEAR((*a)["cost_per_mission_year_usd"].get<double>(), 500000, 1e-3) << name;
  }
  const auto cost_per_life = [&](const char* name) {
    return (*arm_named(result, name))["vs_baseline"]["cost_per_fatality_averted"];
  };
  ASSERT_TRUE(cost_per_life("jammer_per_year").is_number()) << r.out.substr(0, 2000);
  EXPECT_DOUBLE_EQ(cost_per_life("jammer_per_year").get<double>(),
                   cost_per_life("jammer_horizon").get<double>());
  EXPECT_DOUBLE_EQ(cost_per_life("jammer_unstated").get<double>(),
                   cost_per_life("jammer_horizon").get<double>());
  // The overview keeps what was written, with its basis.
  bool seen = false;
  for (const auto& a : result["overview"]["arms"])
    if (a["name"] == "jammer_per_year") {
      seen = true;
      EXPECT_EQ(a["cost_basis"], "per_year");
      EXPECT_DOUBLE_EQ(a["cost_usd"].get<double>(), 500000);
    }
  EXPECT_TRUE(seen);
}

TEST(CostBasis, TableAndCsvShowBothFigures) {
  const std::string file = fifth_of_a_year_scenario();
  const auto table = run_pkrisk("run " + file + " -n 100 -q");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("USD/yr"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("USD (73 d)"), std::string::npos) << table.out;
  const auto csv = run_pkrisk("run " + file + " -n 100 -q --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(csv.out.find("jammer_per_year,cost.per_mission_year_usd,500000"), std::string::npos)
      << csv.out.substr(0, 3000);
  EXPECT_NE(csv.out.find("jammer_per_year,cost.horizon_usd,100000"), std::string::npos);
}

TEST(CostBasis, AnUnknownBasisIsRefusedWithItsPlace) {
  std::string text = pk::test::read_file(fifth_of_a_year_scenario());
  text = std::regex_replace(text, std::regex("cost_basis: per_year"), "cost_basis: per_month");
  const std::string path = pk::test::temp_path("cost_basis_bad.yaml");
  std::ofstream(path) << text;
  const auto r = run_pkrisk("validate " + path);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("arms[jammer_per_year].cost_basis"), std::string::npos) << r.err;
}

}  // namespace
