// `pkrisk run` (arms) and `pkrisk calibrate --fit` resolve a path alike: in a
// scenario whose second zone has id 0, `zones[0]` is that zone in both
// (docs/model.md §5.2, §5.7).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using pk::test::read_file;

// The minimal scenario with its second zone (the only one with ambushes)
// renamed to id 0, and an arm that switches ambushes off through `zones[0]`.
std::string write_digit_id_scenario() {
  std::string text = read_file(pk::test::source_path("tests/data/good/minimal.yaml"));
  for (const std::string from : {"id: east", "zone: east"}) {
    const std::string to = from.substr(0, from.find(':')) + ": 0";
    for (size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
  }
  text += "  - name: no_ambush\n    overrides:\n      zones[0].ambush.per_1000km: 0\n";
  const std::string path = pk::test::temp_path("digit_ids.yaml");
  std::ofstream(path) << text;
  return path;
}

TEST(PathsCli, RunArmSelectsTheZoneWithIdZero) {
  const std::string file = write_digit_id_scenario();
  const auto r = pk::test::run_pkrisk("run " + file + " -n 200 --format json -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["arms"].size(), 3u);
  EXPECT_GT(j["arms"][0]["ambush.attacks"]["mean"].get<double>(), 0) << "baseline";
  EXPECT_EQ(j["arms"][2]["name"], "no_ambush");
  EXPECT_EQ(j["arms"][2]["ambush.attacks"]["mean"].get<double>(), 0)
      << "zones[0] did not select the zone whose id is 0";
}

TEST(PathsCli, CalibrateWritesTheZoneWithIdZero) {
  const std::string file = write_digit_id_scenario();
  const std::string csv = pk::test::temp_path("digit_ids.csv");
  std::ofstream(csv) << "mission,year,uniformed_malicious\nTEST,2014,2\nTEST,2015,3\n";
  const std::string out = pk::test::temp_path("digit_ids_calibrated.yaml");
  const auto r = pk::test::run_pkrisk("calibrate " + file + " --observed " + csv +
                                      " --mission TEST --fit 'zones[0].ambush.per_1000km' -n 20 " +
                                      "--levels 3 -j1 -q --write " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string after = read_file(out);
  const std::string said = "zones[0].ambush.per_1000km: 0.1 -> ";
  const size_t at = after.find(said);
  ASSERT_NE(at, std::string::npos) << after;
  const size_t from = at + said.size();
  const std::string estimate = after.substr(from, after.find('\n', from) - from);
  // The value rewritten is that of the zone whose id is 0 (written on its
  // ambush line), whatever the estimate is.
  EXPECT_NE(after.find("  - id: 0\n    ambush: {per_1000km: " + estimate + ","), std::string::npos)
      << after;
}

}  // namespace
