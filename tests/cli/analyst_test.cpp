// What the commands tell an analyst beyond the numbers (issue 14): validate
// says what the rates imply and warns of values no UN mission resembles; a
// sweep says when a PRCC cannot be estimated and when points sit where a
// mitigation is inert; a mistyped mission or column gets a suggestion.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "support.hpp"

namespace {

using pk::test::fresh_dir;
using pk::test::read_file;
using pk::test::run_pkrisk;
using pk::test::source_path;

const std::string kSmall = source_path("tests/data/run/small.yaml");
const std::string kSweep = source_path("tests/data/run/sweep.yaml");

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// small.yaml with `replace` put in place of `find` (which must be there) and `tail` appended.
std::string variant(const std::string& name, const std::string& find, const std::string& replace,
                    const std::string& tail = "") {
  std::string text = read_file(kSmall);
  const size_t at = text.find(find);
  EXPECT_NE(at, std::string::npos) << find;
  if (at != std::string::npos) text.replace(at, find.size(), replace);
  const std::string path = pk::test::temp_path(name + ".yaml");
  std::ofstream(path) << text << tail;
  return path;
}

// small.yaml with a sweep block of these parameter lines.
std::string with_sweep(const std::string& name, const std::string& parameters) {
  return variant(name, "acceptance:", "acceptance:", "sweep:\n  parameters:\n" + parameters);
}

// ---- validate: what the scenario implies --------------------------------------

TEST(Validate, SaysWhatTheFlagshipImpliesWithoutWarnings) {
  const auto r = run_pkrisk("validate " + source_path("scenarios/minusma-north.yaml"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("implied   per year, first order"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(kidal_region\s+ied\s+[0-9.]+\s+[0-9.]+)")))
      << r.out;
  EXPECT_NE(r.out.find("per 1,000 personnel-years"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
}

TEST(Validate, EveryShippedScenarioIsPlausible) {
  for (const char* name :
       {"minusma-north", "minusca-centre", "monusco-beni", "unmiss-upper-nile", "unifil-south"}) {
    const auto r =
        run_pkrisk("validate " + source_path(std::string("scenarios/") + name + ".yaml"));
    EXPECT_EQ(r.code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << name << ": " << r.err;
  }
}

TEST(Validate, WarnsOfImplausibleValuesAndStillExitsZero) {
  // A 3,000 km stretch in one zone, IEDs living longer than a 30-day horizon,
  // and indirect fire that would kill far more than any UN mission saw.
  std::string path = variant("implausible", "horizon_days: 365", "horizon_days: 30");
  std::string text = read_file(path);
  text.replace(text.find("length_km: 60"), 13, "length_km: 3000");
  text.replace(text.find("lifetime_days: 5"), 16, "lifetime_days: 60");
  text.replace(text.find("per_site_day: 0.02"), 18, "per_site_day: 5");
  std::ofstream(path) << text;
  const auto r = run_pkrisk("validate " + path);
  EXPECT_EQ(r.code, 0) << r.err;  // warnings do not change the exit code
  EXPECT_NE(r.err.find("warning: routes[ab].segments: 3000 km of this route lie in zone z"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("warning: zones[z].ied.lifetime_days: the mean IED lifetime (60 days) is "
                       "longer than the horizon (30 days)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("times the highest UN mission rate"), std::string::npos) << r.err;
}

TEST(Validate, WarnsOfAnIdNoPathCanNameAndStillExitsZero) {
  const std::string path = variant("id_star", "  - {id: b, zone: z, personnel: 200}\n",
                                   "  - {id: b, zone: z, personnel: 200}\n"
                                   "  - {id: '*', zone: z, personnel: 10}\n");
  const auto r = run_pkrisk("validate " + path);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("id_star.yaml:16:10: warning: sites[2].id: override and sweep paths "
                       "cannot name the id '*': [*] selects every element; rename it"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find(": valid"), std::string::npos) << r.out;
}

TEST(Validate, WarnsOfARateFarBelowEveryMission) {
  // Only the mildest indirect fire on 500 people: far below UNIFIL's rate.
  const std::string path =
      variant("too_quiet", "idf: {per_site_day: 0.02", "idf: {per_site_day: 0.0000001");
  std::string text = read_file(path);
  text.replace(text.find("    ied: "), 0, "    # ");
  text.replace(text.find("    ambush: "), 0, "    # ");
  std::ofstream(path) << text;
  const auto r = run_pkrisk("validate " + path);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("of the lowest UN mission rate"), std::string::npos) << r.err;
}

// ---- sweeps: PRCC that cannot be estimated; inert edges -------------------------

TEST(SweepSensitivity, ADeterministicResponseHasNoPrccButSaysWhy) {
  // One parameter, indirect fire that only grows with it: under common random
  // numbers the mean fatalities rise strictly from point to point, and the
  // PRCC used to be exactly 1.
  const std::string file = with_sweep("prcc_one",
                                      "    - path: zones[z].idf.per_site_day\n"
                                      "      values: [0.02, 0.06, 0.18]\n");
  const std::string dir = fresh_dir("prcc_one");
  const auto r = run_pkrisk("sweep " + file + " -n 100 -q --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = nlohmann::json::parse(read_file(dir + "/summary.json"));
  const auto& f = s["sensitivity"]["fatalities"];
  EXPECT_EQ(f["prcc_not_estimable"], "no residual variation") << f.dump();
  EXPECT_TRUE(f["prcc"][0].is_null()) << f.dump();
  EXPECT_TRUE(f["src"][0].is_number()) << f.dump();
  EXPECT_NE(r.out.find("PRCC not estimable (no residual variation)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("PRCC 1.00000"), std::string::npos) << r.out;
  const auto html = run_pkrisk("report " + dir + " -o " + dir + "/r.html");
  ASSERT_EQ(html.code, 0) << html.err;
  EXPECT_NE(read_file(dir + "/r.html").find("PRCC not estimable (no residual variation)"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(SweepSensitivity, AResponseWithResidualVariationKeepsItsPrcc) {
  // The 2 × 3 grid of sweep.yaml: the ranks of the 6 means are no exact linear
  // function of the parameters' ranks (PRCC −0.98 for both).
  const std::string dir = fresh_dir("prcc_two");
  const auto r = run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = nlohmann::json::parse(read_file(dir + "/summary.json"));
  const auto& f = s["sensitivity"]["fatalities"];
  EXPECT_FALSE(f.contains("prcc_not_estimable")) << f.dump();
  for (const auto& v : f["prcc"]) {
    ASSERT_TRUE(v.is_number()) << f.dump();
    EXPECT_LT(std::fabs(v.get<double>()), 1.0) << f.dump();
  }
  EXPECT_EQ(r.out.find("not estimable"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(SweepInertEdges, AreWarnedOnceAndRecorded) {
  // uav.aircraft = 0 and trained_fraction = 0 leave UAVs and training inert.
  const std::string dir = fresh_dir("inert");
  const auto r = run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count(r.err, "sit where a mitigation does nothing"), 1u) << r.err;
  EXPECT_NE(r.err.find("uav.aircraft = 0 at 3 of 6 points"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("movements[supply].c_ied.trained_fraction = 0 at 2 of 6 points"),
            std::string::npos)
      << r.err;
  const auto s = nlohmann::json::parse(read_file(dir + "/summary.json"));
  ASSERT_EQ(s["inert_edges"].size(), 2u) << s["inert_edges"].dump();
  EXPECT_EQ(s["inert_edges"][0]["parameter"], "uav.aircraft");
  EXPECT_EQ(s["inert_edges"][0]["points"], nlohmann::json({0, 1, 2}));
  EXPECT_EQ(s["inert_edges"][1]["points"], nlohmann::json({0, 3}));
  const auto m = nlohmann::json::parse(read_file(dir + "/manifest.json"));
  EXPECT_EQ(m["inert_edges"], s["inert_edges"]);
  std::filesystem::remove_all(dir);
  // Threat rates are not mitigations: all_threats.yaml sweeps two, and is not warned.
  const auto t = run_pkrisk("sweep " + source_path("tests/data/run/all_threats.yaml") +
                            " -n 20 -q --out " + dir);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(t.err.find("mitigation does nothing"), std::string::npos) << t.err;
  EXPECT_FALSE(nlohmann::json::parse(read_file(dir + "/summary.json")).contains("inert_edges"));
  std::filesystem::remove_all(dir);
}

TEST(SweepInertEdges, ASingleParameterSweepIsNotWarned) {
  // Its inert end is the reference the other points are compared with.
  const std::string file = with_sweep("inert_two",
                                      "    - path: movements[supply].halt_hours\n"
                                      "      values: [1, 2]\n"
                                      "    - path: medevac.helicopters\n"
                                      "      values: [1, 2]\n");
  const std::string dir = fresh_dir("inert_one");
  const auto two = run_pkrisk("sweep " + file + " -n 20 -q --out " + dir);
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_EQ(two.err.find("mitigation does nothing"), std::string::npos) << two.err;
  std::filesystem::remove_all(dir);
  const std::string one =
      with_sweep("inert_single", "    - path: medevac.helicopters\n      values: [0, 1]\n");
  const auto r = run_pkrisk("sweep " + one + " -n 20 -q --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("mitigation does nothing"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

// ---- suggestions through the one suggester ----------------------------------------

TEST(Suggestions, AMistypedMissionOrColumnGetsTheClosest) {
  const std::string flagship = source_path("scenarios/minusma-north.yaml");
  const std::string fit = " --fit 'zones[kidal_region].ied.emplacement_per_km_day'";
  // Two letters swapped: one edit (a transposition), nearer MINUSMA than MINUSCA.
  auto r = run_pkrisk("calibrate " + flagship + " --mission MINUMSA --years 2014-2016" + fit);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("no rows for mission 'MINUMSA' (did you mean 'MINUSMA'?"), std::string::npos)
      << r.err;
  r = run_pkrisk("calibrate " + flagship + " --mission monsuco" + fit);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("(did you mean 'MONUSCO'?"), std::string::npos) << r.err;
  r = run_pkrisk("calibrate " + flagship + " --mission Zzyzx" + fit);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--list-missions"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  r = run_pkrisk("calibrate " + flagship + " --mission MINUSMA --column uniformed_malicous" + fit);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("did you mean 'uniformed_malicious'"), std::string::npos) << r.err;
}

TEST(Suggestions, AMistypedScenarioKeyGetsTheClosest) {
  const std::string path = variant("key_typo", "halt_hours: 1", "halt_hour: 1");
  const auto r = run_pkrisk("validate " + path);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("unknown key 'halt_hour' (did you mean 'halt_hours'?)"), std::string::npos)
      << r.err;
}

}  // namespace
