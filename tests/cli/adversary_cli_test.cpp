// The adaptive adversary from the command line (docs/model.md §2.9): run puts
// each arm's twin beside it, sweep answers the pilot's measures anew at every
// point (with ε = 0 the twin is the static arm, exactly), decide decides
// between the twins (an arm bought meets the adversary who answers it), and
// sharded runs merge to the unsharded result.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace {

using pk::test::fresh_dir;
using pk::test::read_file;
using pk::test::run_pkrisk;
using pk::test::source_path;

// The worked example with a sweep over the elasticity and an uncertain one.
std::string example_with_sweep() {
  const std::string path = pk::test::temp_path("adversary_sweep.yaml");
  std::ofstream(path) << read_file(source_path("scenarios/examples/trigger-substitution.yaml"))
                      << "sweep:\n"
                         "  replications: 200\n"
                         "  parameters:\n"
                         "    - path: adversary.displacement_elasticity\n"
                         "      values: [0, 2]\n"
                         "uncertainty:\n"
                         "  - path: adversary.displacement_elasticity\n"
                         "    distribution: {type: uniform, min: 0, max: 2}\n";
  return path;
}

nlohmann::json arm(const nlohmann::json& arms, const std::string& name) {
  for (const auto& a : arms)
    if (a["name"] == name) return a;
  ADD_FAILURE() << "no arm " << name;
  return {};
}

TEST(AdversaryCli, RunShowsEachArmBesideItsAdaptiveTwin) {
  const auto r = run_pkrisk("run " + source_path("scenarios/examples/trigger-substitution.yaml") +
                            " -n 1000 -q --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["arms"].size(), 3u);
  const auto twin = arm(j["arms"], "jammers/adaptive");
  EXPECT_EQ(twin["adaptive_of"], "jammers");
  EXPECT_TRUE(twin["adversary"]["adapts"]);
  const auto jam = arm(j["arms"], "jammers");
  EXPECT_EQ(jam["vs_baseline"]["adaptive"], twin["vs_baseline"]);
  // Attacks left radio triggers for the others.
  EXPECT_LT(twin["adversary.valley.ied_radio.attacks"]["mean"].get<double>(),
            jam["adversary.valley.ied_radio.attacks"]["mean"].get<double>());
  EXPECT_GT(twin["adversary.valley.ied_pressure.attacks"]["mean"].get<double>(),
            jam["adversary.valley.ied_pressure.attacks"]["mean"].get<double>());
  // Lives saved by month: twelve months; the jammers' effect erodes against
  // the adversary who learns (half-life one year) and not against the static one.
  const auto& still = jam["vs_baseline"]["lives_saved_by_month"];
  const auto& learning = twin["vs_baseline"]["lives_saved_by_month"];
  ASSERT_EQ(still.size(), 12u);
  ASSERT_EQ(learning.size(), 12u);
  EXPECT_EQ(learning[11]["month"], "12");
  const auto hi = [](const nlohmann::json& m) { return m["ci95"][1].get<double>(); };
  const auto lo = [](const nlohmann::json& m) { return m["ci95"][0].get<double>(); };
  EXPECT_LT(hi(learning[11]), lo(still[11])) << "month 12: adaptive below static";
  EXPECT_LT(hi(learning[11]), lo(learning[0])) << "adaptive: month 12 below month 1";
}

TEST(AdversaryCli, HtmlReportSetsStaticAndAdaptiveLivesSavedSideBySide) {
  const std::string html = pk::test::temp_path("adversary_report.html");
  const auto r = run_pkrisk("run " + source_path("scenarios/examples/trigger-substitution.yaml") +
                            " -n 200 -q --format json --report " + html);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const std::string page = read_file(html);
  const size_t at = page.find("Against an adversary who answers");
  ASSERT_NE(at, std::string::npos);
  char adaptive[32];
  std::snprintf(
      adaptive, sizeof adaptive, "%.2f",
      arm(j["arms"], "jammers")["vs_baseline"]["adaptive"]["lives_saved_per_year"].get<double>());
  EXPECT_NE(page.find(adaptive, at), std::string::npos) << adaptive;
}

TEST(AdversaryCli, SweepAnswersEveryPointAndShardsMergeToTheWhole) {
  const std::string file = example_with_sweep();
  const std::string whole = fresh_dir("adversary_sweep_whole");
  ASSERT_EQ(run_pkrisk("sweep " + file + " -q --out " + whole).code, 0);
  const auto s = nlohmann::json::parse(read_file(whole + "/summary.json"));
  const auto& points = s["points"];
  ASSERT_EQ(points.size(), 2u);
  const auto fatalities = [&](size_t p, const std::string& name) {
    return arm(points[p]["arms"], name)["fatalities"]["mean"].get<double>();
  };
  EXPECT_EQ(fatalities(0, "jammers/adaptive"), fatalities(0, "jammers"));  // ε = 0: static
  EXPECT_GT(fatalities(1, "jammers/adaptive"), fatalities(1, "jammers"));

  const std::string a = fresh_dir("adversary_sweep_1"), b = fresh_dir("adversary_sweep_2");
  const std::string merged = fresh_dir("adversary_sweep_merged");
  ASSERT_EQ(run_pkrisk("sweep " + file + " -q --out " + a + " --shard 1/2").code, 0);
  ASSERT_EQ(run_pkrisk("sweep " + file + " -q --out " + b + " --shard 2/2").code, 0);
  ASSERT_EQ(run_pkrisk("merge " + merged + " " + a + " " + b).code, 0);
  EXPECT_EQ(read_file(merged + "/summary.json"), read_file(whole + "/summary.json"));
}

TEST(AdversaryCli, DecideChoosesBetweenTheAdaptiveTwins) {
  const std::string file = example_with_sweep();
  const std::string out = fresh_dir("adversary_decide");
  const auto r = run_pkrisk("decide " + file + " --draws 40 --reps-per-draw 10 -q --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string text = read_file(out + "/decide.json");
  EXPECT_NE(text.find("jammers/adaptive"), std::string::npos);
  EXPECT_EQ(text.find("\"jammers\""), std::string::npos) << "the static arm is not an option";
}

}  // namespace
