// `pkrisk calibrate` from the command line: the shipped observed data is the
// default, --list-missions says what it holds, and missing arguments are
// usage errors (exit 2), not crashes.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support.hpp"

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

TEST(Calibrate, UnreadableObservedFileIsBadInput) {
  const RunResult r = run_from_tmp("calibrate --list-missions --observed /nonexistent/x.csv");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/x.csv"), std::string::npos) << r.err;
}

}  // namespace
