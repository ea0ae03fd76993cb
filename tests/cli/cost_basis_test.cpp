// What an arm's cost is the cost of (docs/model.md §6, "Costs"): the same
// package written per year of mission, over the horizon, or as a capital with
// a one-year life gives the same cost per life; a purchase spread over its
// service life and running costs per vehicle-km give their closed forms; and
// every output shows the cost with its basis.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

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

// small.yaml on a full year with a jammer bought three ways and an armour arm
// whose running cost is per km of the vehicles it adds.
std::string equivalent_annual_scenario(const std::string& economics = "") {
  std::string text = pk::test::read_file(pk::test::source_path("tests/data/run/small.yaml"));
  text = std::regex_replace(text, std::regex("  - \\{id: truck,"),
                            "  - {id: mrap, seats: 6, blast: {p_kill: 0.05, p_wound: 0.3}}\n"
                            "  - {id: truck,");
  const size_t arms = text.find("arms:");
  const size_t acceptance = text.find("acceptance:");
  text.replace(arms, acceptance - arms, economics + R"(arms:
  - name: jammer_per_year
    cost_usd: 500000
    cost_basis: per_year
    overrides:
      movements[supply].jammer: {p_defeat: 1.0}
  - name: jammer_one_year_life
    cost: {capital_usd: 500000, service_life_years: 1}
    overrides:
      movements[supply].jammer: {p_defeat: 1.0}
  - name: jammer_bought
    cost: {capital_usd: 2000000, service_life_years: 5, annual_om_usd: 40000, payer: contributor}
    overrides:
      movements[supply].jammer: {p_defeat: 1.0}
  - name: armour
    cost: {annual_om_usd: 10000, per_vehicle_km_usd: 1.25, vehicle_type: mrap, payer: un_budget}
    overrides:
      movements[supply].vehicles: [{type: truck, count: 3, crew: 2}, {type: mrap, count: 2, crew: 2}]
)");
  const std::string path = pk::test::temp_path("cost_equivalent_annual.yaml");
  std::ofstream(path) << text;
  return path;
}

TEST(CostBasis, EquivalentAnnualCostsFollowTheirClosedForms) {
  const auto r =
      run_pkrisk("run " + equivalent_annual_scenario("economics: {discount_rate: 0.05}\n") +
                 " -n 200 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json result = nlohmann::json::parse(r.out);
  const auto per_year = [&](const char* name) {
    return (*arm_named(result, name))["cost_per_mission_year_usd"].get<double>();
  };
  // A one-year life is the capital, whatever the discount rate.
  EXPECT_NEAR(per_year("jammer_one_year_life"), 500000, 1e-6);
  EXPECT_DOUBLE_EQ(
      (*arm_named(result, "jammer_one_year_life"))["vs_baseline"]["cost_per_fatality_averted"]
          .get<double>(),
      (*arm_named(result, "jammer_per_year"))["vs_baseline"]["cost_per_fatality_averted"]
          .get<double>());
  // 2,000,000 paid as five level payments at the start of each year at 5%:
  // payment x (1 + 1/1.05 + ... + 1/1.05^4) = 2,000,000.
  double pv = 0;
  for (int k = 0; k < 5; ++k) pv += std::pow(1.05, -k);
  EXPECT_NEAR(per_year("jammer_bought"), 2000000 / pv + 40000, 1e-4);
  // Two MRAPs on 183 round trips of 60 km: 43,920 km a year at 1.25 USD.
  EXPECT_NEAR(per_year("armour"), 10000 + 1.25 * 183 * 2 * 120, 1e-6);
  // The overview states the basis and the parts.
  for (const auto& a : result["overview"]["arms"]) {
    if (a["name"] != "jammer_bought") continue;
    EXPECT_EQ(a["cost_basis"], "equivalent_annual");
    EXPECT_EQ(a["cost"]["payer"], "contributor");
    EXPECT_DOUBLE_EQ(a["cost"]["discount_rate"].get<double>(), 0.05);
    EXPECT_NEAR(a["cost"]["capital_per_year_usd"].get<double>(), 2000000 / pv, 1e-4);
  }
  EXPECT_EQ((*arm_named(result, "armour"))["cost_basis"], "equivalent_annual");
}

TEST(CostBasis, TheTableNamesTheEquivalentAnnualCostAndItsParts) {
  const auto r = run_pkrisk("run " + equivalent_annual_scenario() + " -n 100 -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("equivalent annual costs (USD/yr):"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("capital 2,000,000 over 5 yr at 3%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1.25/km x 43,920 km of mrap"), std::string::npos) << r.out;
  const auto v = run_pkrisk("validate " + equivalent_annual_scenario());
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("paid by contributor"), std::string::npos) << v.out;
}

// The CSV states each arm's basis beside its cost, and an equivalent annual
// cost's parts add up to it: jammer_bought is 2,000,000 over 5 years at 3%
// plus 40,000 a year; armour 10,000 a year plus 1.25 USD x 43,920 km.
TEST(CostBasis, TheCsvStatesTheBasisAndTheParts) {
  const auto r = run_pkrisk("run " + equivalent_annual_scenario() + " -n 50 -q --format csv");
  ASSERT_EQ(r.code, 0) << r.err;
  std::map<std::string, double> value;
  std::map<std::string, std::string> basis;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
    if (cells.size() < 16 || cells[1].rfind("cost.", 0) != 0) continue;
    value[cells[0] + " " + cells[1]] = std::stod(cells[2]);
    basis[cells[0]] = cells[15];
  }
  EXPECT_EQ(basis["jammer_per_year"], "per_year");
  EXPECT_EQ(basis["jammer_bought"], "equivalent_annual");
  double pv = 0;
  for (int k = 0; k < 5; ++k) pv += std::pow(1.03, -k);
  EXPECT_NEAR(value["jammer_bought cost.capital_per_year_usd"], 2000000 / pv, 1e-3);
  EXPECT_NEAR(value["armour cost.running_per_year_usd"], 1.25 * 43920, 1e-6);
  for (const char* arm : {"jammer_bought", "armour", "jammer_one_year_life"}) {
    const std::string a = arm;
    EXPECT_NEAR(value[a + " cost.capital_per_year_usd"] + value[a + " cost.annual_om_usd"] +
                    value[a + " cost.running_per_year_usd"],
                value[a + " cost.per_mission_year_usd"], 1e-3)
        << arm;
  }
  EXPECT_FALSE(value.count("jammer_per_year cost.capital_per_year_usd"));
}

TEST(CostBasis, ContradictoryOrIncompleteCostsAreRefusedWithTheirPlace) {
  const std::string good = pk::test::read_file(equivalent_annual_scenario());
  const struct {
    const char* from;
    const char* to;
    const char* path;
  } cases[] = {
      {"cost: {capital_usd: 500000, service_life_years: 1}",
       "cost: {capital_usd: 500000, service_life_years: 1}\n    cost_usd: 5",
       "arms[jammer_one_year_life].cost"},
      {"per_vehicle_km_usd: 1.25, vehicle_type: mrap,", "per_vehicle_km_usd: 1.25,",
       "arms[armour].cost.per_vehicle_km_usd"},
      {"vehicle_type: mrap, payer", "vehicle_type: tank, payer", "arms[armour].cost.vehicle_type"},
      {"service_life_years: 5", "service_life_years: 0.5",
       "arms[jammer_bought].cost.service_life_years"},
      {"payer: contributor", "payer: donor", "arms[jammer_bought].cost.payer"},
      // The arm drives fewer trucks than the baseline: a running cost per km would be negative.
      {"vehicle_type: mrap, payer", "vehicle_type: truck, payer",
       "arms[armour].cost.per_vehicle_km_usd"},
  };
  for (const auto& c : cases) {
    std::string text = good;
    const size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, std::string(c.from).size(), c.to);
    const std::string path = pk::test::temp_path("cost_bad.yaml");
    std::ofstream(path) << text;
    const auto r = run_pkrisk("validate " + path);
    EXPECT_EQ(r.code, 2) << c.to;
    EXPECT_NE(r.err.find(c.path), std::string::npos) << c.to << "\n" << r.err;
  }
}

// A sweep point may restate an arm's cost or the discount rate (docs/model.md
// §3.1): the simulation is the same at every point, the cost follows its closed form.
TEST(CostBasis, ASweepVariesAnArmsCostAndTheDiscountRate) {
  std::string text =
      pk::test::read_file(equivalent_annual_scenario("economics: {discount_rate: 0.03}\n"));
  text += R"(
sweep:
  replications: 60
  parameters:
    - path: arms[jammer_bought].cost.service_life_years
      values: [2, 5]
    - path: economics.discount_rate
      values: [0, 0.1]
)";
  const std::string file = pk::test::temp_path("cost_sweep.yaml");
  std::ofstream(file) << text;
  const std::string out = pk::test::fresh_dir("cost_sweep_out");
  const auto r = run_pkrisk("sweep " + file + " --out " + out + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json summary = nlohmann::json::parse(pk::test::read_file(out + "/summary.json"));
  ASSERT_EQ(summary["points"].size(), 4u);
  double lives = -1;
  for (const auto& point : summary["points"]) {
    const double life = point["parameters"]["arms[jammer_bought].cost.service_life_years"];
    const double rate = point["parameters"]["economics.discount_rate"];
    double pv = 0;
    for (int k = 0; k < static_cast<int>(life); ++k) pv += std::pow(1 + rate, -k);
    const nlohmann::json* arm = arm_named(point, "jammer_bought");
    ASSERT_NE(arm, nullptr);
    EXPECT_NEAR((*arm)["cost_per_mission_year_usd"].get<double>(), 2000000 / pv + 40000, 1e-4)
        << life << " " << rate;
    const double saved = (*arm)["vs_baseline"]["lives_saved_per_year"];
    if (lives >= 0) {
      EXPECT_DOUBLE_EQ(saved, lives);
    }
    lives = saved;
  }
  // Anything else of an arm stays out of a sweep's reach.
  text = std::regex_replace(text, std::regex("arms\\[jammer_bought\\]\\.cost\\.service_life_years"),
                            "arms[jammer_bought].overrides");
  std::ofstream(file) << text;
  const auto bad = run_pkrisk("validate " + file);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("an override cannot change 'arms'"), std::string::npos) << bad.err;
}

}  // namespace
