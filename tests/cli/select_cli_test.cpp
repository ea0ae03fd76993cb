// `pkrisk select` as a planner runs it (docs/select.md): the best package of a
// scenario whose packages' deaths are known in closed form, the same answer
// for any thread count and round size, and select blocks that are refused
// with the file, line and reason.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using pk::test::first_load_error;
using pk::test::read_file;
using pk::test::run_pkrisk;
using pk::test::source_path;

const std::string kCase = source_path("tests/data/select/two_camps.yaml");

TEST(SelectCli, TheBestPackageUnderTheBudgetIsSelected) {
  const auto r = run_pkrisk("select " + kCase + " -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out)["select"];
  EXPECT_EQ(s["selected"], "bunkers_a + bunkers_b");
  // Five packages within the rules and the budget (the baseline, each arm
  // alone, both bunkers); three that pair cover with bunkers left out by the rules.
  ASSERT_EQ(s["packages"].size(), 5u);
  EXPECT_EQ(s["left_out"].size(), 3u);
  for (const auto& p : s["packages"]) {
    EXPECT_LE(p["cost_per_year_usd"].get<double>(), 2000000);
    EXPECT_GE(p["replications"].get<int64_t>(), 20);  // the first stage
    // Each package's mean against its closed form: deaths a year (sd of one
    // replication at most sqrt(0.75 × 29.2) ≈ 4.7; 4.5 standard errors).
    const double reps = static_cast<double>(p["replications"].get<int64_t>());
    const std::string name = p["package"];
    const double truth = name == "baseline"     ? 14.6
                         : name == "bunkers_a"  ? 10.0375
                         : name == "bunkers_b"  ? 11.8625
                         : name == "cover_both" ? 11.68
                                                : 7.3;
    EXPECT_NEAR(p["fatalities_per_year"].get<double>(), truth, 4.5 * 4.7 / std::sqrt(reps)) << name;
  }
  // The table names the choice.
  const auto table = run_pkrisk("select " + kCase + " -q");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("selected: bunkers_a + bunkers_b"), std::string::npos) << table.out;
}

TEST(SelectCli, TheSameAnswerForAnyThreadCountOrRoundSize) {
  const std::string args = "select " + kCase + " -q --format json";
  const auto one = run_pkrisk(args + " -j 1 --batch 1");
  const auto two = run_pkrisk(args + " -j 2 --batch 7");
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
}

TEST(SelectCli, ATighterBudgetChangesTheChoice) {
  // At 1,500,000 a year both bunkers are out: bunkers_a (10.04) beats cover_both (11.68).
  const std::string file = pk::test::temp_path("tight.yaml");
  std::ofstream(file) << pk::test::with_replaced(read_file(kCase), "budget_usd: 2000000",
                                                 "budget_usd: 1500000");
  const auto r = run_pkrisk("select " + file + " -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["select"]["selected"], "bunkers_a");
}

TEST(SelectCli, ABudgetOfNothingLeavesTheBaselineWithItsNumbers) {
  const std::string file = pk::test::temp_path("nothing.yaml");
  std::ofstream(file) << pk::test::with_replaced(read_file(kCase), "budget_usd: 2000000",
                                                 "budget_usd: 0");
  const auto r = run_pkrisk("select " + file + " -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out)["select"];
  EXPECT_EQ(s["selected"], "baseline");
  ASSERT_EQ(s["packages"].size(), 1u);
  const auto& p = s["packages"][0];
  EXPECT_EQ(p["replications"], 20);  // the first stage, though nothing is compared
  EXPECT_NEAR(p["fatalities_per_year"].get<double>(), 14.6, 4.5 * 4.7 / std::sqrt(20.0));
}

TEST(SelectCli, BadBlocksAreRefusedWithTheirPlace) {
  const std::string text = read_file(kCase);
  const auto error = [&](const std::string& from, const std::string& to) {
    return first_load_error(pk::test::with_replaced(text, from, to));
  };
  EXPECT_NE(error("- arm: bunkers_b", "- arm: bunkers_c").find("no arm named 'bunkers_c'"),
            std::string::npos);
  EXPECT_NE(error("objective: fatalities", "objective: net_benefit").find("needs wtp_usd"),
            std::string::npos);
  EXPECT_NE(error("{excludes: [bunkers_a, cover_both]}", "{requires: bunkers_c, if: bunkers_a}")
                .find("no option named 'bunkers_c'"),
            std::string::npos);
  EXPECT_NE(error("indifference_zone: 0.5", "indifference_zone: 0").find("indifference_zone"),
            std::string::npos);
  // Two options that set one path differently, with no rule between them.
  const std::string file = pk::test::temp_path("conflict.yaml");
  std::ofstream(file) << pk::test::with_replaced(text,
                                                 "    - {excludes: [bunkers_a, cover_both]}\n", "");
  const auto r = run_pkrisk("select " + file + " -q");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("options 'bunkers_a' and 'cover_both' both set sites[a].protection"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("conflict.yaml:"), std::string::npos) << r.err;
  // Too many packages to compare (eleven options, 2,048 packages): refused
  // before anything runs. The arms set one path alike, so they combine.
  std::string many = read_file(source_path("tests/data/decide/idf_protection.yaml"));
  many = many.substr(0, many.find("uncertainty:"));
  std::string options;
  for (int i = 0; i < 11; ++i) {
    options += "    - arm: a" + std::to_string(i) + "\n";
  }
  std::string arms;
  for (int i = 0; i < 11; ++i)
    arms += "  - name: a" + std::to_string(i) + "\n    cost_usd: 1\n    overrides:\n" +
            "      sites[camp].protection: {idf_exposure: 0.5}\n";
  many = pk::test::with_replaced(many, "arms:\n", "arms:\n" + arms);
  many += "select:\n  indifference_zone: 1\n  options:\n" + options;
  const std::string big = pk::test::temp_path("many.yaml");
  std::ofstream(big) << many;
  const auto too_many = run_pkrisk("select " + big + " -q");
  EXPECT_EQ(too_many.code, 2);
  EXPECT_NE(too_many.err.find("more than 1024"), std::string::npos) << too_many.err;
  const auto none = run_pkrisk("select " + source_path("tests/data/decide/idf_protection.yaml"));
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no select: block"), std::string::npos) << none.err;
}

}  // namespace
