// The registries of metrics and causes (experiment/metrics.hpp,
// scenario/threats.hpp) and what derives from them: every registered metric
// reaches the JSON, CSV and table of a run; every cause has its by-cause
// metrics; any metric, mines and VBIEDs included, can be a sweep response.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "experiment/metrics.hpp"
#include "experiment/result_json.hpp"
#include "experiment/runner.hpp"
#include "experiment/sweep.hpp"
#include "report/html_report.hpp"
#include "report/report.hpp"
#include "scenario/loader.hpp"
#include "scenario/threats.hpp"

namespace pk {
namespace {

// Every cause has a threat in zone z, and the sweep varies the mine and VBIED rates.
const std::string kAllThreats = std::string(PK_SOURCE_DIR) + "/tests/data/run/all_threats.yaml";

LoadedScenario load_all_threats() {
  Diagnostics diags(kAllThreats);
  auto ls = load_scenario(kAllThreats, diags);
  for (const auto& d : diags.all())
    if (d.severity == Diagnostic::Severity::kError) ADD_FAILURE() << d.format();
  if (!ls) throw std::runtime_error("the test scenario does not load");
  return std::move(*ls);
}

TEST(Registry, EveryCauseHasItsByCauseMetrics) {
  std::map<std::string, const MetricInfo*> by_name;
  for (const MetricInfo& m : fixed_metrics()) by_name[m.name] = &m;
  for (const ThreatType& c : threat_types()) {
    EXPECT_EQ(find_cause(c.name), &c);
    EXPECT_FALSE(std::string(c.label).empty()) << c.name;
    EXPECT_FALSE(std::string(c.description).empty()) << c.name;
    for (const char* family :
         {"fatalities_by_cause", "kia_by_cause", "dow_by_cause", "wia_by_cause"}) {
      const std::string name = std::string(family) + "." + c.name;
      ASSERT_TRUE(by_name.count(name)) << name;
      ASSERT_TRUE(by_name[name]->cause.has_value()) << name;
      EXPECT_EQ(*by_name[name]->cause, c.cause) << name;
      EXPECT_TRUE(by_name[name]->casualties) << name;
    }
  }
  EXPECT_EQ(cause_label("idf"), "indirect fire");
  EXPECT_EQ(cause_label("laser"), "laser");  // unknown: shown as named, never an error
}

TEST(Registry, EveryMetricIsDeclaredOnceWithUnitDescriptionAndDirection) {
  const LoadedScenario ls = load_all_threats();
  std::set<std::string> seen;
  for (const MetricInfo& m : metric_registry(ls.baseline())) {
    EXPECT_TRUE(seen.insert(m.name).second) << "declared twice: " << m.name;
    EXPECT_FALSE(m.unit.empty()) << m.name;
    EXPECT_FALSE(m.description.empty()) << m.name;
    EXPECT_NE(m.read, nullptr) << m.name;
  }
  EXPECT_TRUE(seen.count("fatalities_by_movement.supply"));
  EXPECT_TRUE(seen.count("fatalities_by_site.b"));
  EXPECT_EQ(metric_names(ls.baseline())[kFatalitiesMetric], "fatalities");
}

// Each Tally field lands under its own name (distinct values everywhere).
TEST(Registry, ExtractReadsEachMetricFromItsTallyField) {
  const LoadedScenario ls = load_all_threats();
  Tally t;
  t.reset(1, 2);
  for (int c = 0; c < kCauseCount; ++c) t.by_cause[c].n = {10 * c + 1, 10 * c + 2, 10 * c + 3};
  t.ied = {101, 102, 103, 104, 105, 106, 107, 108};
  t.mine = {201, 0, 203, 204, 205, 206, 207, 0};
  t.ambush_attacks = 301;
  t.ambush_preempted = 302;
  t.site_attacks[static_cast<int>(Cause::kIdf)] = 303;
  t.site_attacks[static_cast<int>(Cause::kVbied)] = 304;
  t.departures = 305;
  t.medevac_requests = 306;
  t.medevac_waited = 307;
  t.medevac_ground = 308;
  t.road_accidents = 309;
  t.illness_cases = 310;
  t.air_accidents = 311;
  t.by_movement[0].n = {401, 402, 403};
  t.by_site[1].n = {501, 502, 503};
  std::vector<int64_t> values;
  extract_metrics(t, values);
  const std::vector<std::string> names = metric_names(ls.baseline());
  ASSERT_EQ(values.size(), names.size());
  std::map<std::string, int64_t> v;
  for (size_t i = 0; i < names.size(); ++i) v[names[i]] = values[i];
  const int mine = static_cast<int>(Cause::kMine), vbied = static_cast<int>(Cause::kVbied);
  EXPECT_EQ(v["kia"], 1 + 11 + 21 + 31 + 41 + 51 + 61 + 71);
  EXPECT_EQ(v["fatalities"], v["kia"] + v["dow"]);
  // The five malicious causes alone: (10c + 1) + (10c + 2) for c = 0..4.
  EXPECT_EQ(v["fatalities_malicious"], 2 * (0 + 10 + 20 + 30 + 40) + 5 * 3);
  EXPECT_EQ(v["fatalities_by_cause.road_accident"], 51 + 52);
  EXPECT_EQ(v["dow_by_cause.illness"], 62);
  EXPECT_EQ(v["road_accident.crashes"], 309);
  EXPECT_EQ(v["illness.cases"], 310);
  EXPECT_EQ(v["air_accident.crashes"], 311);
  EXPECT_EQ(v["fatalities_by_cause.air_accident"], 71 + 72);
  EXPECT_EQ(names[kMaliciousFatalitiesMetric], "fatalities_malicious");
  EXPECT_EQ(v["fatalities_by_cause.mine"], 10 * mine + 1 + 10 * mine + 2);
  EXPECT_EQ(v["dow_by_cause.vbied"], 10 * vbied + 2);
  EXPECT_EQ(v["wia_by_cause.mine"], 10 * mine + 3);
  EXPECT_EQ(v["ied.emplaced"], 101);
  EXPECT_EQ(v["ied.found_uav_area"], 102);
  EXPECT_EQ(v["ied.detonated"], 107);
  EXPECT_EQ(v["ied.expired"], 108);
  EXPECT_EQ(v["mine.laid"], 201);
  EXPECT_EQ(v["mine.found_crew"], 204);
  EXPECT_EQ(v["mine.detonated"], 207);
  EXPECT_EQ(v["ambush.preempted"], 302);
  EXPECT_EQ(v["vbied.attacks"], 304);
  EXPECT_EQ(v["medevac.ground"], 308);
  EXPECT_EQ(v["fatalities_by_movement.supply"], 401 + 402);
  EXPECT_EQ(v["fatalities_by_site.a"], 0);
  EXPECT_EQ(v["fatalities_by_site.b"], 501 + 502);
}

TEST(Registry, EveryMetricAppearsInTheJsonCsvAndTable) {
  const LoadedScenario ls = load_all_threats();
  RunConfig cfg;
  cfg.replications = 20;
  cfg.seed = 9;
  const RunResult r = run_arms(ls, cfg);
  const nlohmann::json j = result_json(ls, r);
  const std::string csv = result_csv(ls, r), table = result_table(ls, r);
  for (const MetricInfo& m : metric_registry(ls.baseline())) {
    for (const auto& arm : j["arms"]) {
      EXPECT_TRUE(arm.contains(m.name)) << m.name;
      // Once only: no nested copy at its first dot (schema_version 2).
      const size_t dot = m.name.find('.');
      if (dot != std::string::npos) {
        EXPECT_FALSE(arm.contains(m.name.substr(0, dot))) << m.name;
      }
    }
    for (const ArmResult& arm : r.arms)
      EXPECT_NE(csv.find("\n" + arm.name + "," + m.name + ","), std::string::npos) << m.name;
    EXPECT_NE(table.find("\n" + m.name + " "), std::string::npos) << m.name;
  }
}

TEST(Registry, HtmlReportNamesEveryCauseAndToleratesAnUnknownOne) {
  const LoadedScenario ls = load_all_threats();
  RunConfig cfg;
  cfg.replications = 10;
  nlohmann::json j = result_json(ls, run_arms(ls, cfg));
  std::string html = html_report(j);
  for (const ThreatType& c : threat_types())
    EXPECT_NE(html.find(std::string("<th>") + c.label + "</th>"), std::string::npos) << c.name;
  j["overview"]["zones"][0]["threats"].push_back("laser");  // a cause of another version
  html = html_report(j);
  EXPECT_NE(html.find("laser"), std::string::npos);
}

TEST(Registry, ASweepTakesMineAndVbiedMetricsAsResponses) {
  const LoadedScenario ls = load_all_threats();
  SweepSettings settings;
  settings.replications = 20;
  settings.batch = 20;
  settings.extra_responses = {"fatalities_by_cause.mine", "vbied.attacks", "mine.detonated"};
  SweepPlan plan;
  Diagnostics diags(kAllThreats);
  ASSERT_TRUE(plan_sweep(ls, settings, plan, diags));
  const std::vector<std::string> responses = sweep_responses(settings);
  EXPECT_EQ(responses.front(), "fatalities");
  for (const std::string& name : settings.extra_responses)
    EXPECT_EQ(std::count(responses.begin(), responses.end(), name), 1) << name;
  EXPECT_EQ(plan_identity(ls, plan).at("responses"),
            "fatalities_by_cause.mine,vbied.attacks,mine.detonated");
  settings.extra_responses = {};
  ASSERT_TRUE(plan_sweep(ls, settings, plan, diags));
  EXPECT_FALSE(plan_identity(ls, plan).count("responses"));  // default stores are unchanged
}

TEST(Registry, AnUnknownResponseIsAnErrorNamingTheClosestMetrics) {
  const LoadedScenario ls = load_all_threats();
  SweepSettings settings;
  settings.extra_responses = {"mine.detonatd"};
  SweepPlan plan;
  Diagnostics diags(kAllThreats);
  EXPECT_FALSE(plan_sweep(ls, settings, plan, diags));
  ASSERT_EQ(diags.all().size(), 1u);
  const std::string message = diags.all()[0].format();
  EXPECT_NE(message.find(kAllThreats + ": error: sweep: unknown response metric 'mine.detonatd'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("closest metrics: mine.detonated"), std::string::npos) << message;
}

// docs/model.md §6 names every metric of the registry, by-cause families as `family.C`.
TEST(Registry, TheModelDocumentNamesEveryMetricAndCause) {
  std::ifstream f(std::string(PK_SOURCE_DIR) + "/docs/model.md");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  const size_t begin = doc.find("### Per replication"), end = doc.find("### Over replications");
  ASSERT_NE(begin, std::string::npos);
  const std::string section = doc.substr(begin, end - begin);
  for (const MetricInfo& m : fixed_metrics()) {
    std::string named = m.name;
    if (m.casualties && m.cause) named = m.name.substr(0, m.name.find('.')) + ".C";
    EXPECT_NE(section.find("`" + named + "`"), std::string::npos) << named;
  }
  const size_t causes_line = section.find("by cause C");
  ASSERT_NE(causes_line, std::string::npos);
  const std::string line =
      section.substr(causes_line, section.find('\n', causes_line) - causes_line);
  for (const ThreatType& c : threat_types()) {
    const std::string quoted = std::string("`") + c.name + "`";
    EXPECT_NE(line.find(quoted), std::string::npos) << c.name;
  }
}

}  // namespace
}  // namespace pk
