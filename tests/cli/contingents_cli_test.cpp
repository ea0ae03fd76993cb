// Results by contingent as a user sees them (docs/model.md §3.4, §6): the
// terminal's table, validate's summary, and JSON metrics that add up.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using pk::test::run_pkrisk;

const std::string kCase = pk::test::source_path("tools/crosscheck/cases/contingents.yaml");

TEST(ContingentsCli, EveryArmsFatalitiesAreTheSumOfItsContingentsAndTheRest) {
  const auto r = run_pkrisk("run " + kCase + " -n 60 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["arms"].size(), 3u);
  for (const auto& arm : doc["arms"]) {
    const auto mean = [&](const std::string& m) { return arm[m]["mean"].get<double>(); };
    // hq_run and the site hq belong to no contingent.
    const double parts = mean("fatalities_by_contingent.north") +
                         mean("fatalities_by_contingent.south") +
                         mean("fatalities_by_movement.hq_run") + mean("fatalities_by_site.hq");
    EXPECT_NEAR(parts, mean("fatalities"), 1e-9 * mean("fatalities")) << arm["name"];
    EXPECT_NEAR(mean("fatalities_by_contingent.south"),
                mean("fatalities_by_movement.south_patrol") + mean("fatalities_by_site.b"),
                1e-9 * mean("fatalities"));
  }
}

TEST(ContingentsCli, TheTerminalAndValidateShowTheContingents) {
  const auto run = run_pkrisk("run " + kCase + " -n 40");
  ASSERT_EQ(run.code, 0) << run.err;
  const size_t table = run.out.find("fatalities by contingent (mean per replication)");
  ASSERT_NE(table, std::string::npos) << run.out;
  const std::string heading = run.out.substr(table, run.out.find('\n', table + 50) - table);
  EXPECT_NE(heading.find("north"), std::string::npos) << heading;
  EXPECT_NE(heading.find("no contingent"), std::string::npos) << heading;

  const auto v = run_pkrisk("validate " + kCase);
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("contingents 2"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("equipment fill 0.6 (missing: truck)"), std::string::npos) << v.out;
  // Without contingents the table is not printed.
  const auto plain =
      run_pkrisk("run " + pk::test::source_path("tests/data/run/small.yaml") + " -n 40");
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(plain.out.find("fatalities by contingent"), std::string::npos);
}

}  // namespace
