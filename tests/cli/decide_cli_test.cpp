// `pkrisk decide` as an analyst runs it (docs/decide.md): the value of
// information of a pkrisk scenario against its closed form, results that do
// not depend on the thread count, and uncertainty blocks that are refused
// with the file, line and reason.
#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "support.hpp"

namespace {

using pk::test::first_load_error;
using pk::test::fresh_dir;
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

TEST(DecideCli, AnUncertainMitigationEffectInsideAnArmMatchesItsClosedForm) {
  // The arm's own override drawn: EVPI = 1e6 × 9.125 × E[(0.5 − e)+], e ~ U(0.25, 0.75).
  const double truth = 1e6 * 9.125 * 0.0625;
  const auto r = run_pkrisk("decide " + source_path("tests/data/decide/uncertain_protection.yaml") +
                            " --draws 2000 --reps-per-draw 10 --wtp 1000000 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["decide"]["evpi"].get<double>(), truth,
              3 * j["decide"]["evpi_se"].get<double>() + 0.02 * truth);
  EXPECT_NEAR(j["p_best"]["protection"].get<double>(), 0.5, 0.05);  // P(e < 0.5)
  // The value for the mission and for every mission the decision applies to.
  const auto scaled =
      run_pkrisk("decide " + source_path("tests/data/decide/uncertain_protection.yaml") +
                 " --draws 200 --reps-per-draw 2 --wtp 1000000 -q --format json "
                 "--mission-years 2 --population 3");
  ASSERT_EQ(scaled.code, 0) << scaled.err;
  const auto v = nlohmann::json::parse(scaled.out)["decide"];
  // Each is printed to six significant digits: half a unit of the last digit
  // of the scaled figure, plus the scaled half unit of the EVPI's.
  const auto half_unit = [](double x) {
    return 0.5 * std::pow(10.0, std::floor(std::log10(std::abs(x))) - 5);
  };
  const double evpi = v["evpi"].get<double>();
  for (const auto& [key, times] : {std::pair{"evpi_mission", 2.0}, {"evpi_population", 6.0}}) {
    const double scaled = v[key].get<double>();
    EXPECT_NEAR(scaled, times * evpi, half_unit(scaled) + times * half_unit(evpi)) << key;
  }
}

TEST(DecideCli, ASweepReachesInsideAnArmAlone) {
  // The same arm-own path as a sweep parameter: exposure 1 makes the arm the
  // baseline exactly (common random numbers); 0.25 a quarter of its deaths.
  const std::string file = temp_path("arm_sweep.yaml");
  std::ofstream(file)
      << read_file(source_path("tests/data/decide/uncertain_protection.yaml"))
      << "sweep:\n  design: grid\n  replications: 400\n  parameters:\n"
         "    - path: arms[protection].overrides.sites[camp].protection.idf_exposure\n"
         "      values: [0.25, 1]\n";
  const auto r = run_pkrisk("sweep " + file + " -q --format json --out " + fresh_dir("arm_sweep"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto points = nlohmann::json::parse(r.out)["points"];
  ASSERT_EQ(points.size(), 2u);
  const auto deaths = [&](size_t p, size_t arm) { return points[p]["arms"][arm]["fatalities"]; };
  EXPECT_EQ(deaths(1, 1)["mean"], deaths(1, 0)["mean"]);
  EXPECT_EQ(deaths(0, 0)["mean"], deaths(1, 0)["mean"]);  // the baseline untouched
  const auto ci = deaths(0, 1)["ci95"];
  const double half = (ci[1].get<double>() - ci[0].get<double>()) / 2;
  EXPECT_NEAR(deaths(0, 1)["mean"].get<double>(), 9.125 * 0.25, 4.5 / 1.96 * half);
}

TEST(DecideCli, NoisyDrawsOverstateTheTextbookEvpi) {
  // One replication per draw: the mean of the maxima picks the noise up.
  const double truth_lives = 91.25 * gamma_excess(6.25, 0.008, 0.05);
  const auto r = run_pkrisk("decide " + kCase +
                            " --draws 1000 --reps-per-draw 1 --wtp 1000000 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& v = j["decide"];
  EXPECT_GT(v["evpi_naive"].get<double>() / 1e6, 1.3 * truth_lives);  // measured: 1.53 ×
  // One replication cannot tell noise from parameter variance: both unknown.
  EXPECT_TRUE(j["arms"][1]["variance"]["stochastic"].is_null());
  EXPECT_TRUE(j["arms"][1]["variance"]["parameter"].is_null());
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

TEST(DecideCli, AStoreShardsAndAMergeGiveTheSameBytes) {
  const std::string args = "decide " + kCase + " --draws 48 --reps-per-draw 3 -q --format json";
  const auto memory = run_pkrisk(args + " -j 2");
  ASSERT_EQ(memory.code, 0) << memory.err;
  const std::string one = fresh_dir("d_one"), two = fresh_dir("d_two");
  const auto stored = run_pkrisk(args + " -j 1 --out " + one);
  ASSERT_EQ(stored.code, 0) << stored.err;
  EXPECT_EQ(stored.out, memory.out);  // read back from the store: the same numbers
  ASSERT_EQ(run_pkrisk(args + " -j 2 --out " + two).code, 0);
  EXPECT_EQ(read_file(one + "/decide.json"), memory.out);
  EXPECT_EQ(read_file(one + "/decide.json"), read_file(two + "/decide.json"));
  EXPECT_EQ(read_file(one + "/samples.csv"), read_file(two + "/samples.csv"));
  // Three shards, each its own share of the draws, merged.
  std::string shards, first_two, first_shard;
  for (int k = 1; k <= 3; ++k) {
    const std::string dir = fresh_dir("d_shard" + std::to_string(k));
    const auto r = run_pkrisk(args + " --out " + dir + " --shard " + std::to_string(k) + "/3");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/decide.json"));
    shards += " " + dir;
    if (k < 3) first_two = shards;
    if (k == 1) first_shard = dir;
  }
  const std::string merged = fresh_dir("d_merged");
  const auto m = run_pkrisk("merge " + merged + shards);
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_EQ(read_file(merged + "/decide.json"), memory.out);
  EXPECT_EQ(read_file(merged + "/samples.csv"), read_file(one + "/samples.csv"));
  // `pkrisk report` makes the decide page again from the stored draws; a
  // shard alone is not a result.
  const std::string page = temp_path("stored_decide.html");
  const auto report = run_pkrisk("report " + one + " -o " + page);
  ASSERT_EQ(report.code, 0) << report.err;
  EXPECT_NE(read_file(page).find("id=\"evppi\""), std::string::npos);
  const auto part = run_pkrisk("report " + first_shard);
  EXPECT_EQ(part.code, 2);
  EXPECT_NE(part.err.find("join the shards"), std::string::npos) << part.err;
  // A shard missing is named; a sweep's shard is not a decide's.
  const auto missing = run_pkrisk("merge " + fresh_dir("d_missing") + first_two);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("16 of 48 work units are missing"), std::string::npos) << missing.err;
  const std::string sweep = fresh_dir("d_sweep");
  ASSERT_EQ(
      run_pkrisk("sweep " + source_path("tests/data/run/sweep.yaml") + " -n 2 -q --out " + sweep)
          .code,
      0);
  const auto mixed = run_pkrisk("merge " + fresh_dir("d_mixed") + " " + one + " " + sweep);
  EXPECT_EQ(mixed.code, 2);
  EXPECT_NE(mixed.err.find("disagree on command"), std::string::npos) << mixed.err;
  // A resume with other settings is refused, naming the setting.
  const auto other = run_pkrisk(args + " --wtp 5 --out " + one + " --resume");
  EXPECT_EQ(other.code, 2);
  EXPECT_NE(other.err.find("cannot resume: objective"), std::string::npos) << other.err;
  const auto no_out = run_pkrisk(args + " --resume");
  EXPECT_EQ(no_out.code, 2);
  EXPECT_NE(no_out.err.find("need --out"), std::string::npos) << no_out.err;
}

TEST(DecideCli, KilledWithSigkillResumesToTheSameBytes) {
  // Enough draws to be killed midway; the store keeps every draw finished.
  const std::string args = "decide " + kCase + " --draws 6000 --reps-per-draw 20 -q -j 2";
  const std::string whole = fresh_dir("d_whole"), killed = fresh_dir("d_killed");
  ASSERT_EQ(run_pkrisk(args + " --out " + whole).code, 0);
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd =
        "exec " + pk::test::kBinary + " " + args + " --out " + killed + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 2400; ++i) {  // until some draws are stored
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    std::error_code ec;
    const auto size = std::filesystem::file_size(killed + "/results.sqlite-wal", ec);
    if (!ec && size > 200000) break;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(pk::test::exit_code(status), 128 + SIGKILL) << "finished before it was killed";
  EXPECT_FALSE(std::filesystem::exists(killed + "/decide.json"));
  EXPECT_EQ(run_pkrisk(args + " --out " + killed).code, 2);  // needs --resume
  const auto resumed = run_pkrisk(args + " --out " + killed + " --resume");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(read_file(whole + "/decide.json"), read_file(killed + "/decide.json"));
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
  // CSV: a header and one row per arm, each with its place on the frontier.
  const auto csv = run_pkrisk("decide " + kCase + " --draws 50 --reps-per-draw 2 -q --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("arm,fatalities_per_year,ui90_low,ui90_high,", 0), 0u) << csv.out;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 3);
  EXPECT_NE(csv.out.find("\nprotection,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",frontier,"), std::string::npos) << csv.out;
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
