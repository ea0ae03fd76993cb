// `pkrisk decide` as an analyst runs it (docs/decide.md): the value of
// information of a pkrisk scenario against its closed form, results that do
// not depend on the thread count, and uncertainty blocks that are refused
// with the file, line and reason.
#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using pk::test::first_load_error;
using pk::test::read_file;
using pk::test::run_pkrisk;
using pk::test::source_path;
using pk::test::temp_path;

const std::string kCase = source_path("tests/data/decide/idf_protection.yaml");

// E[(θ − t)+] for θ ~ gamma(shape k, scale s): E[θ]·Q(k + 1, t/s) − t·Q(k, t/s),
// Q the regularised upper incomplete gamma function.
double gamma_excess(double k, double s, double t) {
  return k * s * boost::math::gamma_q(k + 1, t / s) - t * boost::math::gamma_q(k, t / s);
}

TEST(DecideCli, TheValueOfKnowingTheThreatMatchesItsClosedForm) {
  // In lives per year (net benefit / wtp): protection saves 91.25 θ a year
  // and costs the value of 91.25 × 0.05 lives, so knowing θ is worth
  // E[max(0, 91.25 (θ − 0.05))] − max(0, 91.25 (E θ − 0.05)) = 91.25 E[(θ − 0.05)+].
  const double k = 6.25, s = 0.008;  // mean 0.05, sd 0.02
  const double truth_lives = 91.25 * gamma_excess(k, s, 0.05);
  const auto r = run_pkrisk("decide " + kCase +
                            " --draws 1000 --reps-per-draw 10 --wtp 1000000 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& v = j["decide"];
  const double evpi = v["evpi"].get<double>() / 1e6, se = v["evpi_se"].get<double>() / 1e6;
  EXPECT_NEAR(evpi, truth_lives, 3 * se + 0.02 * truth_lives) << "se " << se;
  // Personnel does not change the casualties of a round: its EVPPI is about nothing.
  for (const auto& e : v["evppi"]) {
    if (e.contains("group")) {
      EXPECT_NEAR(e["value"].get<double>() / 1e6, truth_lives,
                  3 * e["se"].get<double>() / 1e6 + 0.02 * truth_lives);
    } else if (e["parameters"][0] == "sites[camp].personnel") {
      EXPECT_LT(e["value"].get<double>() / 1e6, 0.1 * truth_lives);
    } else {
      EXPECT_NEAR(e["value"].get<double>() / 1e6, truth_lives,
                  3 * e["se"].get<double>() / 1e6 + 0.02 * truth_lives);
    }
  }
  // Protection is best exactly when θ > 0.05: P(θ > 0.05) for the gamma.
  const double p_protect = boost::math::gamma_q(k, 0.05 / s);
  EXPECT_NEAR(j["p_best"]["protection"].get<double>(), p_protect, 0.05);
  EXPECT_NEAR(j["p_best"]["baseline"].get<double>() + j["p_best"]["protection"].get<double>(), 1,
              1e-9);
}

TEST(DecideCli, NoisyDrawsOverstateTheTextbookEvpi) {
  // One replication per draw: the mean of the maxima picks the noise up.
  const double truth_lives = 91.25 * gamma_excess(6.25, 0.008, 0.05);
  const auto r = run_pkrisk("decide " + kCase +
                            " --draws 1000 --reps-per-draw 1 --wtp 1000000 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto v = nlohmann::json::parse(r.out)["decide"];
  EXPECT_GT(v["evpi_naive"].get<double>() / 1e6, 1.3 * truth_lives);  // measured: 1.53 ×
  EXPECT_NEAR(v["evpi"].get<double>() / 1e6, truth_lives,
              3 * v["evpi_se"].get<double>() / 1e6 + 0.05 * truth_lives);
}

TEST(DecideCli, TheSameBytesForAnyThreadCount) {
  const std::string a = temp_path("draws_1.csv"), b = temp_path("draws_2.csv");
  const std::string args = "decide " + kCase + " --draws 64 --reps-per-draw 3 -q --format json";
  const auto one = run_pkrisk(args + " -j 1 --samples-out " + a);
  const auto two = run_pkrisk(args + " -j 2 --samples-out " + b);
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  const std::string csv = read_file(a);
  EXPECT_EQ(csv, read_file(b));
  // A header and one row per draw; the inputs as drawn, then each arm's outcomes.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 65);
  EXPECT_EQ(csv.rfind("draw,zones[z].idf.per_site_day,sites[camp].personnel,", 0), 0u) << csv;
}

TEST(DecideCli, TheTableAndTheReportNameEveryPart) {
  const std::string html = temp_path("decide.html");
  const auto r =
      run_pkrisk("decide " + kCase + " --draws 50 --reps-per-draw 2 -q --report " + html);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* part : {"P(best)", "efficiency frontier", "EVPI", "EVPPI", "protection"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  // Four charts, each with its numbers; self-contained (no scripts).
  const std::string page = read_file(html);
  size_t charts = 0;
  for (size_t at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1))
    ++charts;
  EXPECT_EQ(charts, 4u);
  for (const char* id : {"p-best", "ce-plane", "ceac", "evppi"})
    EXPECT_NE(page.find(std::string("id=\"") + id), std::string::npos) << id;
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(DecideCli, TooFewDrawsForARegressionSaySo) {
  const auto r = run_pkrisk("decide " + kCase + " --draws 5 --reps-per-draw 2 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["decide"]["evpi_se"].is_null());
  EXPECT_NE(j["decide"]["evpi_method"].get<std::string>().find("too few draws"), std::string::npos);
  EXPECT_NE(j["p_best_method"].get<std::string>().find("noise included"), std::string::npos);
  const auto table = run_pkrisk("decide " + kCase + " --draws 5 --reps-per-draw 2 -q");
  EXPECT_EQ(table.code, 0) << table.err;
}

TEST(DecideCli, BadRequestsAndBlocksAreRefused) {
  const auto none = run_pkrisk("decide " + source_path("tests/data/run/sweep.yaml") + " -q");
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no uncertainty: block"), std::string::npos) << none.err;
  const auto objective = run_pkrisk("decide " + kCase + " --objective net-benefit -q");
  EXPECT_EQ(objective.code, 2);
  EXPECT_NE(objective.err.find("needs --wtp"), std::string::npos) << objective.err;

  const std::string text = read_file(kCase);
  const auto error = [&](const std::string& from, const std::string& to) {
    return first_load_error(pk::test::with_replaced(text, from, to));
  };
  EXPECT_NE(error("{type: gamma, mean: 0.05, sd: 0.02}", "{type: beta, mean: 0.05, sd: 0.3}")
                .find("needs sd < 0.217"),
            std::string::npos);
  EXPECT_NE(error("{type: gamma, mean: 0.05, sd: 0.02}", "{type: gamma, shape: 2}")
                .find("takes mean and sd, or shape and scale; got shape"),
            std::string::npos);
  EXPECT_NE(error("{type: gamma, mean: 0.05, sd: 0.02}", "{type: normal, mean: 0.05, sd: 0.02}")
                .find("a value its distribution reaches"),
            std::string::npos);
  EXPECT_NE(
      error("path: sites[camp].personnel", "path: sites[camp].personel").find("selects nothing"),
      std::string::npos);
  EXPECT_NE(
      error("path: sites[camp].personnel", "path: zones[z].idf.per_site_day").find("listed twice"),
      std::string::npos);
  // Paths in a flow list must be quoted; a block list takes them as written.
  EXPECT_EQ(first_load_error(text + "correlations:\n  - - zones[z].idf.per_site_day\n"
                                    "    - sites[camp].personnel\n    - 0.5\n"),
            "");
  EXPECT_NE(first_load_error(text + "correlations:\n  - [zones[z].idf.per_site_day, "
                                    "sites[camp].personnel, 0.5]\n")
                .find("quote a value that holds brackets"),
            std::string::npos);
  const std::string correlated =
      text + "correlations:\n  - [\"zones[z].idf.per_site_day\", \"sites[camp].personnel\", 1.2]\n";
  EXPECT_NE(first_load_error(correlated).find("strictly between -1 and 1"), std::string::npos);
  const std::string unknown =
      text + "correlations:\n  - [\"zones[z].idf.per_site_day\", \"uav.aircraft\", 0.5]\n";
  EXPECT_NE(first_load_error(unknown).find("not the path of an uncertain input"),
            std::string::npos);
}

}  // namespace
