// `pkrisk calibrate` from the command line: the shipped observed data is the
// default, --list-missions says what it holds, and missing arguments are
// usage errors (exit 2), not crashes.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "util/csv.hpp"

namespace {

using pk::test::RunResult;

// Runs the program from /tmp, so that nothing depends on the working folder.
RunResult run_from_tmp(const std::string& args) {
  return pk::test::run_pkrisk(args, "/tmp");
}

// Sum of uniformed_malicious per mission, read here from the CSV itself.
std::map<std::string, int> totals_from_file() {
  std::ifstream in(std::string(PK_DATA_DIR) + "/un_fatalities.csv");
  std::map<std::string, int> totals;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      EXPECT_EQ(line.rfind("mission,year,", 0), 0u);
      header = false;
      continue;
    }
    const std::string mission = line.substr(0, line.find(','));
    totals[mission] += std::stoi(line.substr(line.rfind(',') + 1));
  }
  return totals;
}

TEST(Calibrate, ListMissionsReadsTheShippedDataFromAnyFolder) {
  const RunResult r = run_from_tmp("calibrate --list-missions");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto totals = totals_from_file();
  ASSERT_GE(totals.size(), 5u);
  for (const auto& [mission, total] : totals) {
    std::istringstream lines(r.out);
    std::string line;
    bool found = false;
    while (std::getline(lines, line))
      if (line.rfind(mission + " ", 0) == 0) {
        found = true;
        std::istringstream cells(line);
        std::string name, years, filled, sum;
        cells >> name >> years >> filled >> sum;
        EXPECT_EQ(std::stoi(sum), total) << line;
      }
    EXPECT_TRUE(found) << mission << " missing from\n" << r.out;
  }
}

TEST(Calibrate, MissingMissionOrFitIsAUsageError) {
  const std::string flagship = std::string(PK_SOURCE_DIR) + "/scenarios/minusma-north.yaml";
  EXPECT_EQ(run_from_tmp("calibrate " + flagship + " --mission MINUSMA").code, 2);
  EXPECT_EQ(run_from_tmp("calibrate " + flagship +
                         " --fit 'zones[kidal_region].ied.emplacement_per_km_day'")
                .code,
            2);
}

TEST(Calibrate, ABadYearEffectOrAYearBothFittedAndHeldOutIsAUsageError) {
  const std::string flagship = std::string(PK_SOURCE_DIR) + "/scenarios/minusma-north.yaml";
  const std::string fit =
      " --mission MINUSMA --fit 'zones[kidal_region].ied.emplacement_per_km_day'";
  for (const char* bad : {"-0.1", "lots", "11", ""}) {
    const RunResult r =
        run_from_tmp("calibrate " + flagship + fit + " --year-effect '" + bad + "'");
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_NE(r.err.find("--year-effect"), std::string::npos) << r.err;
  }
  const RunResult r =
      run_from_tmp("calibrate " + flagship + fit + " --years 2014-2016 --holdout-years 2016-2017");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("2016 is both fitted and held out"), std::string::npos) << r.err;
}

TEST(Calibrate, TheSimulatedLikelihoodRefusesWhatItCannotFitBeforeSimulating) {
  const std::string flagship = std::string(PK_SOURCE_DIR) + "/scenarios/minusma-north.yaml";
  const std::string fit =
      " --mission MINUSMA --years 2014-2016 --fit 'zones[kidal_region].ied.emplacement_per_km_day'";
  RunResult r = run_from_tmp("calibrate " + flagship + fit +
                             " 'zones[kidal_region].ambush.per_1000km' --likelihood simulated");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("one parameter to one series"), std::string::npos) << r.err;
  r = run_from_tmp("calibrate " + flagship + fit + " --likelihood exact");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--likelihood"), std::string::npos) << r.err;
  r = run_from_tmp("calibrate " + flagship + fit + " --likelihood simulated --pmf-replications 5");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--pmf-replications"), std::string::npos) << r.err;
}

TEST(Calibrate, UnreadableObservedFileIsBadInput) {
  const RunResult r = run_from_tmp("calibrate --list-missions --observed /nonexistent/x.csv");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/x.csv"), std::string::npos) << r.err;
}

// The one-camp scenario (tests/support.hpp) with an arm that halves the exposure.
const std::string kCampScenario = std::string(pk::test::kOneCampScenario) + R"(arms:
  - name: protection
    cost: {annual_om_usd: 2000000}
    overrides:
      sites[camp].protection: {idf_exposure: 0.5}
)";

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(Calibrate, APosteriorFeedsDecideEndToEnd) {
  namespace fs = std::filesystem;
  const fs::path dir = pk::test::temp_path("calibrate_to_decide");
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_text(dir / "camp.yaml", kCampScenario);
  write_text(dir / "observed.csv",
             "mission,year,uniformed_malicious\nT,2001,14\nT,2002,11\nT,2003,17\n"
             "T,2004,12\nT,2005,15\nT,2006,13\n");
  const std::string path = "zones[z].idf.per_site_day";
  const auto fit = run_from_tmp("calibrate " + (dir / "camp.yaml").string() + " --observed " +
                                (dir / "observed.csv").string() +
                                " --mission T --years 2001-2005 --holdout-years 2006 --fit '" +
                                path + "' -n 200 --seed 3 -j 2 -q --format json --posterior-out " +
                                (dir / "post.csv").string());
  ASSERT_EQ(fit.code, 0) << fit.err;
  const auto j = nlohmann::json::parse(fit.out);
  EXPECT_TRUE(j["posterior"]["converged"].get<bool>());
  // The root of the simulated mean = 13.8 (the fitted years' mean): the rate
  // scales the deaths in proportion, so it is close to 0.05 x 13.8 / 9.125.
  const double estimate = j["parameters"][0]["estimate"].get<double>();
  EXPECT_NEAR(estimate, 0.05 * 13.8 / 9.125, 0.05 * 0.05);
  const auto& ci = j["parameters"][0]["posterior"]["ci90"];
  EXPECT_LT(ci[0].get<double>(), estimate);
  EXPECT_GT(ci[1].get<double>(), estimate);
  const auto& held = j["holdout"];
  ASSERT_EQ(held["years"].size(), 1u);
  EXPECT_EQ(held["total"]["observed"], 13);
  EXPECT_LE(held["predictive90"][0].get<double>(), held["predictive90"][1].get<double>());
  EXPECT_TRUE(std::isfinite(held["log_score"].get<double>()));
  EXPECT_LT(held["log_score"].get<double>(), 0.0);

  // The draws as decide's input: every draw decide makes is a row of the file.
  std::ifstream post(dir / "post.csv");
  std::string line;
  std::getline(post, line);
  EXPECT_EQ(line, "chain,draw," + path);
  std::vector<double> draws;
  double sum = 0, sum2 = 0;
  while (std::getline(post, line)) {
    draws.push_back(std::stod(line.substr(line.rfind(',') + 1)));
    sum += draws.back();
    sum2 += draws.back() * draws.back();
  }
  ASSERT_EQ(draws.size(), 20000u);
  const double mean = sum / 20000, sd = std::sqrt(sum2 / 20000 - mean * mean);
  write_text(dir / "decide.yaml", kCampScenario +
                                      "uncertainty:\n  - from_samples: post.csv\n"
                                      "    source: pkrisk calibrate, T 2001-2005\n");
  const auto d = run_from_tmp("decide " + (dir / "decide.yaml").string() +
                              " --draws 64 --reps-per-draw 20 -q -j 2 --samples-out " +
                              (dir / "samples.csv").string());
  ASSERT_EQ(d.code, 0) << d.err;
  std::ifstream samples(dir / "samples.csv");
  std::getline(samples, line);
  const auto header = pk::csv_fields(line);
  const auto column = std::find(header.begin(), header.end(), path) - header.begin();
  ASSERT_LT(static_cast<size_t>(column), header.size()) << line;
  double drawn = 0;
  int rows = 0;
  while (std::getline(samples, line)) {
    const double v = std::stod(pk::csv_fields(line)[static_cast<size_t>(column)]);
    EXPECT_NE(std::find(draws.begin(), draws.end(), v), draws.end()) << v;
    drawn += v;
    ++rows;
  }
  ASSERT_GT(rows, 0);
  // 64 scrambled-Sobol rows of 20,000: their mean is the posterior's within
  // 4 standard errors of independent draws (Sobol does better).
  EXPECT_NEAR(drawn / rows, mean, 4 * sd / std::sqrt(64.0));
  // A from_samples file that is not numbers is a bad input, with its line.
  write_text(dir / "bad.csv", "chain,draw," + path + "\n1,1,0.05\n1,2,x\n");
  write_text(dir / "bad.yaml", kCampScenario + "uncertainty:\n  - from_samples: bad.csv\n");
  const auto bad = run_from_tmp("decide " + (dir / "bad.yaml").string() + " --draws 8 -q");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
  fs::remove_all(dir);
}

}  // namespace
