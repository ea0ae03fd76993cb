// `pkrisk run` end to end: determinism across threads, the stopping rule,
// paired differences, the acceptance gate, the JSON contract, interruption.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support.hpp"

namespace {

using pk::test::read_file;
using Result = pk::test::RunResult;

Result run(const std::string& args) {
  return pk::test::run_pkrisk(args);
}

const std::string kSmall = pk::test::source_path("tests/data/run/small.yaml");
const std::string& kReference = pk::test::kReferenceScenario;

TEST(Run, ThreadCountDoesNotChangeOneBit) {
  const Result one = run("run " + kReference + " -n 300 --threads 1 --format json -q");
  const Result two = run("run " + kReference + " -n 300 --threads 2 --format json -q");
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_GT(one.out.size(), 1000u);
}

TEST(Run, JsonHasEveryKeyOfTheContract) {
  const Result r = run("run " + kReference + " -n 200 --format json -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"scenario", "seed", "replications", "version", "arms"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_TRUE(j["scenario"].contains("name"));
  EXPECT_EQ(j["scenario"]["sha256"].get<std::string>().size(), 64u);
  ASSERT_EQ(j["arms"].size(), 4u);
  EXPECT_EQ(j["arms"][0]["name"], "baseline");
  const char* metrics[] = {"fatalities",
                           "kia",
                           "dow",
                           "wia",
                           "fatalities_by_cause.ied",
                           "fatalities_by_cause.mine",
                           "fatalities_by_cause.ambush",
                           "fatalities_by_cause.idf",
                           "fatalities_by_cause.vbied",
                           "ied.emplaced",
                           "ied.detonated",
                           "ied.found_route_clearance",
                           "ied.found_crew",
                           "ied.found_uav",
                           "ied.found_uav_area",
                           "ied.jammed",
                           "ied.expired",
                           "mine.laid",
                           "mine.detonated",
                           "ambush.attacks",
                           "ambush.preempted",
                           "idf.attacks",
                           "vbied.attacks"};
  for (const auto& arm : j["arms"]) {
    for (const char* m : metrics) {
      ASSERT_TRUE(arm.contains(m)) << m;
      for (const char* s : {"mean", "sd", "ci95", "p50", "p90", "p95", "p99", "cvar95"})
        EXPECT_TRUE(arm[m].contains(s)) << m << "." << s;
      EXPECT_LE(arm[m]["ci95"][0].get<double>(), arm[m]["mean"].get<double>());
    }
    EXPECT_TRUE(arm["p_any_fatality"].contains("p"));
    EXPECT_TRUE(arm["p_any_fatality"].contains("ci95"));
    EXPECT_TRUE(arm["fatalities_per_1000py"].contains("mean"));
    if (arm["name"] != "baseline") {
      EXPECT_TRUE(arm["vs_baseline"]["fatalities_diff"].contains("ci95"));
      EXPECT_TRUE(arm["vs_baseline"].contains("rrr"));
      EXPECT_TRUE(arm["vs_baseline"].contains("cost_per_fatality_averted"));
    }
  }
  // fatalities = kia + dow in every replication, hence in the means
  const auto& b = j["arms"][0];
  EXPECT_NEAR(b["fatalities"]["mean"].get<double>(),
              b["kia"]["mean"].get<double>() + b["dow"]["mean"].get<double>(), 1e-9);
}

TEST(Run, AnArmThatChangesNothingHasAnExactlyZeroPairedDifference) {
  const Result r = run("run " + kSmall + " --format json -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& same = j["arms"][1];
  ASSERT_EQ(same["name"], "same");
  EXPECT_EQ(same["vs_baseline"]["fatalities_diff"]["mean"].get<double>(), 0.0);
  // No pair differed: the interval is the rule of three on the mean absolute
  // change, -ln(0.05) / n either way, not the point 0 (a finite sample cannot
  // rule out a rare change).
  const auto& diff = same["vs_baseline"]["fatalities_diff"];
  const double bound = -std::log(0.05) / j["replications"].get<double>();
  EXPECT_EQ(diff["ci_method"], "rule_of_three");
  EXPECT_NEAR(diff["ci95"][0].get<double>(), -bound, 1e-9);
  EXPECT_NEAR(diff["ci95"][1].get<double>(), bound, 1e-9);
  EXPECT_EQ(same["fatalities"], j["arms"][0]["fatalities"]);
  EXPECT_GT(j["arms"][0]["fatalities"]["mean"].get<double>(), 0.5);  // the world is not empty
  // Nothing left for pairing to reduce: no factor (it was once printed as 0,
  // which reads as "pairing did not help"), while a real arm has one above 1.
  EXPECT_TRUE(same["vs_baseline"]["variance_reduction"].is_null());
  EXPECT_GT(j["arms"][2]["vs_baseline"]["variance_reduction"].get<double>(), 1.0);
  // The jammer defeats every radio IED that is met, and it cannot hurt anyone.
  const auto& jam = j["arms"][2];
  EXPECT_LT(jam["vs_baseline"]["fatalities_diff"]["mean"].get<double>(), 0.0);
  EXPECT_GT(jam["ied.jammed"]["mean"].get<double>(), 0.0);
}

// --arms runs the baseline and the arms named: each gives, bit for bit, the
// row and paired difference it has in a run of every arm (its streams are its
// own); a name that is no arm of the file is bad input, before anything runs.
TEST(Run, ArmsRunAloneGiveTheRowsTheyGiveBesideTheOthers) {
  const std::string args = "run " + kReference + " -n 200 --format json -q";
  const Result all = run(args);
  const Result two = run(args + " --arms c_ied_training,mrap_convoys");
  const Result base = run(args + " --arms baseline");
  ASSERT_EQ(all.code, 0) << all.err;
  ASSERT_EQ(two.code, 0) << two.err;
  ASSERT_EQ(base.code, 0) << base.err;
  const auto a = nlohmann::json::parse(all.out), t = nlohmann::json::parse(two.out),
             b = nlohmann::json::parse(base.out);
  ASSERT_EQ(a["arms"].size(), 4u);
  ASSERT_EQ(t["arms"].size(), 3u);  // the file's order, not the option's
  ASSERT_EQ(b["arms"].size(), 1u);
  EXPECT_EQ(t["arms"][1]["name"], "mrap_convoys");
  EXPECT_EQ(t["arms"][2]["name"], "c_ied_training");
  EXPECT_EQ(t["arms"][0], a["arms"][0]);
  EXPECT_EQ(t["arms"][1], a["arms"][1]);
  EXPECT_EQ(t["arms"][2], a["arms"][3]);
  EXPECT_EQ(b["arms"][0], a["arms"][0]);
  const Result wrong = run(args + " --arms mrap_convoys,mrap");
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("no arm named 'mrap'"), std::string::npos) << wrong.err;
  EXPECT_TRUE(wrong.out.empty());
}

TEST(Run, StoppingRuleGivesTheSameAnswerOnAnyThreadCount) {
  const std::string args = "run " + kSmall + " --target-ci 0.08 --batch 100 --format json -q";
  const Result one = run(args + " -j1");
  const Result two = run(args + " -j2");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  const auto j = nlohmann::json::parse(one.out);
  const int64_t n = j["replications"];
  EXPECT_EQ(n % 100, 0);
  for (const auto& arm : j["arms"]) {
    const double mean = arm["fatalities"]["mean"];
    const double half =
        (arm["fatalities"]["ci95"][1].get<double>() - arm["fatalities"]["ci95"][0].get<double>()) /
        2;
    EXPECT_LE(half, 0.08 * mean + 1e-12) << arm["name"];
  }
}

TEST(Run, AcceptanceGateExitCodes) {
  const Result pass = run("run " + kSmall + " -n 200 -q");
  EXPECT_EQ(pass.code, 0) << pass.err;
  EXPECT_NE(pass.out.find("acceptance passed"), std::string::npos);
  // The same world with a limit of 0.1 per 1,000 personnel-years must fail.
  const std::string strict = pk::test::temp_path("strict.yaml");
  {
    std::string text = read_file(kSmall);
    text.replace(text.find("max: 1000"), 9, "max: 0.1");
    std::ofstream(strict) << text;
  }
  const Result fail = run("run " + strict + " -n 200 -q");
  EXPECT_EQ(fail.code, 1);
  EXPECT_NE(fail.err.find("acceptance FAILED"), std::string::npos) << fail.err;
}

TEST(Run, PerReplicationDumpAgreesWithTheHistogramQuantiles) {
  const std::string csv = pk::test::temp_path("per_rep.csv");
  const Result r = run("run " + kSmall + " -n 500 --format json -q --per-replication " + csv);
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream f(csv);
  std::string header;
  std::getline(f, header);
  EXPECT_EQ(header.rfind("replication,arm,fatalities,", 0), 0u);
  std::vector<double> fatalities;
  std::string line;
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string rep, arm, fat;
    std::getline(ss, rep, ',');
    std::getline(ss, arm, ',');
    std::getline(ss, fat, ',');
    if (arm == "baseline") fatalities.push_back(std::stod(fat));
  }
  ASSERT_EQ(fatalities.size(), 500u);
  std::sort(fatalities.begin(), fatalities.end());
  const auto j = nlohmann::json::parse(r.out)["arms"][0]["fatalities"];
  auto q = [&](double p) { return fatalities[static_cast<size_t>(std::ceil(p * 500 - 1e-9)) - 1]; };
  EXPECT_EQ(j["p50"].get<double>(), q(0.50));
  EXPECT_EQ(j["p90"].get<double>(), q(0.90));
  EXPECT_EQ(j["p95"].get<double>(), q(0.95));
  EXPECT_EQ(j["p99"].get<double>(), q(0.99));
  double sum = 0;
  for (double x : fatalities) sum += x;
  EXPECT_NEAR(j["mean"].get<double>(), sum / 500, 1e-9);
}

TEST(Run, OutDirHoldsDeterministicSummaryAndAManifest) {
  const std::string d1 = pk::test::fresh_dir("pk_out1"), d2 = pk::test::fresh_dir("pk_out2");
  ASSERT_EQ(run("run " + kSmall + " -n 100 -q --out " + d1).code, 0);
  ASSERT_EQ(run("run " + kSmall + " -n 100 -q -j1 --out " + d2).code, 0);
  EXPECT_EQ(read_file(d1 + "/summary.json"), read_file(d2 + "/summary.json"));
  const auto m = nlohmann::json::parse(read_file(d1 + "/manifest.json"));
  EXPECT_TRUE(m.contains("started"));
  EXPECT_TRUE(m["complete"].get<bool>());
}

TEST(Run, InterruptionPrintsALabelledPartialResult) {
  // A run of hours, interrupted after two seconds: SIGINT finishes the blocks
  // in hand, prints what was completed, labelled partial, and exits 130.
  const std::string args = "run " + kReference + " -n 100000000 -q --format json";
  Result r;
  {
    const std::string base = pk::test::temp_path("pk_interrupt");
    const std::string cmd = "timeout --preserve-status -s INT 2 " + pk::test::kBinary + " " + args +
                            " >" + base + ".out 2>" + base + ".err";
    const int status = std::system(cmd.c_str());
    r.code = pk::test::exit_code(status);
    r.out = read_file(base + ".out");
    r.err = read_file(base + ".err");
  }
  EXPECT_EQ(r.code, 130) << r.err;
  EXPECT_NE(r.err.find("PARTIAL"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["complete"].get<bool>());
  EXPECT_GT(j["replications"].get<int64_t>(), 0);
  EXPECT_LT(j["replications"].get<int64_t>(), 100000000);
}

TEST(Run, RequestsThatCannotFitAreRefusedUpFrontWithTheNumbers) {
  const Result r = run("run " + kReference + " -n 100000000 --per-replication " +
                       pk::test::temp_path("never.csv"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("GiB"), std::string::npos) << r.err;
}

TEST(Run, UnwritableOutputIsAnIoErrorWithNoPartialFile) {
  const Result r = run("run " + kSmall + " -n 20 -q --out /proc/pkrisk-cannot-write-here");
  EXPECT_EQ(r.code, 74);  // the environment's fault, not a bug (docs/exit-codes.md)
  EXPECT_NE(r.err.find("/proc/pkrisk-cannot-write-here"), std::string::npos) << r.err;
}

TEST(Run, BadUsageExitsTwo) {
  EXPECT_EQ(run("run " + kSmall + " --format xml").code, 2);
  EXPECT_EQ(run("run " + kSmall + " --replications 0").code, 2);
  EXPECT_EQ(run("run /nonexistent.yaml").code, 2);
}

}  // namespace
