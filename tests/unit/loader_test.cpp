// The loader: units, defaults, references, arms, and errors with their place.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenario/loader.hpp"
#include "scenario/spec.hpp"

namespace pk {
namespace {

const char* kMinimal = R"(pkrisk: 1
scenario: {name: t, horizon_days: 100, seed: 7, replications: 50}
vehicle_types:
  - {id: truck, seats: 4, blast: {p_kill: 0.2, p_wound: 0.5}}
  - {id: mrap, seats: 6, blast: {p_kill: 0.05, p_wound: 0.2}, ambush_exposure: 0.2}
zones:
  - id: a
    ied: {emplacement_per_km_day: 0.024, lifetime_days: 10, trigger_mix: {pressure: 1}}
    ambush: {per_1000km: 2, p_hit: 0.1, p_kill_given_hit: 0.5}
    vbied: {per_site_year: 8.76, casualties_stopped: 1, casualties_breach: 10, kill_share: 0.3}
    intensity: [{from_day: 10, to_day: 20, factor: 2}]
  - id: b
sites:
  - {id: s1, zone: a, personnel: 1000}
  - {id: s2, zone: b, personnel: 500, protection: {perimeter_stop: 0.9}}
routes:
  - {id: r, from: s1, to: s2, segments: [{zone: a, length_km: 30}, {zone: b, length_km: 20}]}
movements:
  - id: m
    route: r
    schedule: {poisson_per_day: 2.4}
    speed_kmh: 30
    vehicles: [{type: truck, count: 3, crew: 2}]
arms:
  - name: armour
    cost_usd: 1000
    overrides:
      movements[m].vehicles[truck].type: mrap
  - name: jam
    overrides:
      movements[*].jammer: {p_defeat: 0.5}
)";

std::optional<LoadedScenario> load(const std::string& text, Diagnostics& d) {
  return load_scenario_text(text, d);
}

TEST(Loader, ConvertsUnitsOnceAtLoad) {
  Diagnostics d("min.yaml");
  auto ls = load(kMinimal, d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  const Scenario& s = ls->baseline();
  EXPECT_DOUBLE_EQ(s.horizon_hours, 2400);
  const IedThreat& ied = *s.zones[0].ied;
  EXPECT_DOUBLE_EQ(ied.emplacement_per_km_hour, 0.001);
  EXPECT_DOUBLE_EQ(ied.lifetime_hours, 240);
  EXPECT_DOUBLE_EQ(s.zones[0].ambush->per_km, 0.002);
  EXPECT_DOUBLE_EQ(s.zones[0].vbied->per_site_hour, 0.001);
  EXPECT_DOUBLE_EQ(s.zones[0].intensity[0].from_hours, 240);
  EXPECT_DOUBLE_EQ(s.zones[0].intensity[0].to_hours, 480);
  EXPECT_DOUBLE_EQ(s.movements[0].schedule.per_hour, 0.1);
  EXPECT_EQ(s.movements[0].schedule.kind, Schedule::Kind::kPoisson);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.replications, 50);
}

TEST(Loader, AppliesDeclaredDefaults) {
  Diagnostics d("min.yaml");
  auto ls = load(kMinimal, d);
  ASSERT_TRUE(ls);
  const Scenario& s = ls->baseline();
  EXPECT_DOUBLE_EQ(s.zones[0].ied->lead_share, 1.0);
  EXPECT_DOUBLE_EQ(s.zones[0].ied->complex_share, 0.0);
  EXPECT_DOUBLE_EQ(s.zones[0].ambush->halted_factor, 1.0);
  EXPECT_DOUBLE_EQ(s.vehicle_types[0].ambush_exposure, 1.0);
  EXPECT_DOUBLE_EQ(s.sites[0].idf_exposure, 1.0);
  EXPECT_DOUBLE_EQ(s.sites[0].perimeter_stop, 0.0);
  EXPECT_DOUBLE_EQ(s.sites[1].perimeter_stop, 0.9);
  EXPECT_FALSE(s.zones[1].ied.has_value());
  EXPECT_FALSE(s.movements[0].jammer.has_value());
  EXPECT_FALSE(s.movements[0].round_trip);
  EXPECT_FALSE(s.medevac.has_value());
}

TEST(Loader, ResolvesReferencesToIndices) {
  Diagnostics d("min.yaml");
  auto ls = load(kMinimal, d);
  ASSERT_TRUE(ls);
  const Scenario& s = ls->baseline();
  EXPECT_EQ(s.sites[1].zone, 1);
  EXPECT_EQ(s.routes[0].from, 0);
  EXPECT_EQ(s.routes[0].to, 1);
  EXPECT_EQ(s.routes[0].segments[1].zone, 1);
  EXPECT_DOUBLE_EQ(s.routes[0].length_km, 50);
  EXPECT_EQ(s.movements[0].vehicles[0].type, 0);
  EXPECT_DOUBLE_EQ(s.personnel_years(), 1500.0 * 100 / 365);
}

TEST(Loader, WarnsWithoutMedevac) {
  Diagnostics d("min.yaml");
  ASSERT_TRUE(load(kMinimal, d));
  ASSERT_EQ(d.all().size(), 1u);
  EXPECT_EQ(d.all()[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_NE(d.all()[0].message.find("deaths of wounds"), std::string::npos);
}

TEST(Loader, ArmsApplyOverridesOnTheirOwnCopy) {
  Diagnostics d("min.yaml");
  auto ls = load(kMinimal, d);
  ASSERT_TRUE(ls);
  ASSERT_EQ(ls->arms.size(), 3u);
  EXPECT_EQ(ls->arms[0].name, "baseline");
  EXPECT_EQ(ls->arms[1].name, "armour");
  EXPECT_DOUBLE_EQ(ls->arms[1].cost.written_usd, 1000);
  EXPECT_EQ(ls->arms[1].scenario.movements[0].vehicles[0].type, 1);
  EXPECT_EQ(ls->arms[0].scenario.movements[0].vehicles[0].type, 0);
  ASSERT_TRUE(ls->arms[2].scenario.movements[0].jammer);  // §8.21: optional block created
  EXPECT_DOUBLE_EQ(ls->arms[2].scenario.movements[0].jammer->p_defeat, 0.5);
  EXPECT_FALSE(ls->baseline().movements[0].jammer);
}

TEST(Loader, CollectsEveryErrorWithItsPlace) {
  std::string text = kMinimal;
  text.replace(text.find("p_kill: 0.2"), 11, "p_kill: 1.2");              // line 4
  text.replace(text.find("lifetime_days: 10"), 17, "lifetime_dayz: 10");  // line 8
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(text, d));
  std::vector<std::string> lines;
  for (const auto& x : d.all()) lines.push_back(x.format());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_NE(lines[0].find("min.yaml:4:"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("vehicle_types[truck].blast.p_kill: must be in [0, 1], got 1.2"),
            std::string::npos)
      << lines[0];
  bool typo = false;
  for (const auto& l : lines)
    typo |= l.find("min.yaml:8:") != std::string::npos &&
            l.find("did you mean 'lifetime_days'") != std::string::npos;
  EXPECT_TRUE(typo);
}

TEST(Loader, OverrideErrorsNameTheArm) {
  std::string text = kMinimal;
  text += "  - name: bad\n    overrides:\n      zones[a].ambush.p_hit: 2\n";
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(text, d));
  ASSERT_TRUE(d.has_errors());
  const std::string msg = d.all().back().format();
  EXPECT_NE(msg.find("arms[bad]: zones[a].ambush.p_hit: must be in [0, 1], got 2"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("min.yaml:34:30:"), std::string::npos) << msg;  // the override's line
}

// An arm that overrides the arms themselves is refused, and the arms after it
// still build from their own overrides: arms are built on the tree in place,
// so nothing may read the tree's arm list after the first is built (a build
// once put back the arms block as new storage under the later arms' feet).
TEST(Loader, AnArmOverridingTheArmsIsRefusedAndLaterArmsStillBuild) {
  std::string text = kMinimal;
  text.replace(text.find("  - name: armour\n"), 16,
               "  - name: self\n    overrides:\n      arms[jam].cost_usd: 1\n  - name: armour\n");
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(text, d));
  bool refused = false;
  for (const auto& x : d.all())
    refused |= x.format().find("an override cannot change 'arms'") != std::string::npos;
  EXPECT_TRUE(refused);
  EXPECT_EQ(d.error_count(), 1);  // the later arms build
}

// An arm with its own horizon, seed or replications would be no paired
// comparison (an arm of a one-day horizon once "saved" 99.96% of the deaths),
// and the catalogue is read before any override: both are refused.
TEST(Loader, AnArmCannotChangeTheScenarioBlockOrTheCatalogue) {
  for (const std::string override : {"scenario.horizon_days: 1", "scenario.seed: 3",
                                     "scenario.replications: 5", "vehicle_catalogue: other.yaml"}) {
    std::string text = kMinimal;
    text += "  - name: odd\n    overrides:\n      " + override + "\n";
    Diagnostics d("min.yaml");
    EXPECT_FALSE(load(text, d)) << override;
    const std::string key = override.substr(0, override.find_first_of(".:"));
    bool refused = false;
    for (const auto& x : d.all())
      refused |= x.format().find("an override cannot change '" + key + "'") != std::string::npos;
    EXPECT_TRUE(refused) << override;
  }
}

// A movement of no vehicles still drives and sets off devices (§8.7): an arm
// that "cancels" it that way is warned of, once, at the arm; the file's
// other arms, whose movement has its vehicles, are not.
TEST(Loader, AMovementOfNoVehiclesIsWarnedOfOnceWhereItFirstAppears) {
  std::string text = kMinimal;
  text += "  - name: cancel\n    overrides:\n      movements[m].vehicles[truck].count: 0\n";
  Diagnostics d("min.yaml");
  ASSERT_TRUE(load(text, d));
  std::vector<std::string> warned;
  for (const auto& x : d.all())
    if (x.format().find("every group has count 0") != std::string::npos)
      warned.push_back(x.format());
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_NE(warned[0].find("arms[cancel]: movements[m].vehicles"), std::string::npos) << warned[0];
}

// A quote left open runs the value on over the lines that follow (YAML keeps
// a blank line among them as a line break): the error says so, not only
// that the keys it swallowed are missing.
TEST(Loader, AQuoteLeftOpenIsNamed) {
  std::string text = kMinimal;
  text.replace(text.find("{name: t,"), 9, "\n  name: \"t\n\n ");
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(text, d));
  bool named = false;
  for (const auto& x : d.all())
    named |= x.format().find("is its closing quote missing?") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(Loader, PathThatSelectsNothingNamesTheNearestValidPath) {
  std::string text = kMinimal;
  text += "  - name: typo\n    overrides:\n      movements[m].vehicles[truk].count: 4\n";
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(text, d));
  const std::string msg = d.all().back().format();
  EXPECT_NE(msg.find("selects nothing"), std::string::npos) << msg;
  EXPECT_NE(msg.find("nearest valid path: movements[m].vehicles[truck]"), std::string::npos) << msg;
}

TEST(Loader, RequiredKeyMissingIsCreatedNeverByOverride) {
  std::string text = kMinimal;
  text += "  - name: made_up\n    overrides:\n      zones[a].ied.not_a_key: 4\n";
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(text, d));
  EXPECT_NE(d.all().back().message.find("selects nothing"), std::string::npos);
}

// An id longer than the limit is refused where it is declared: a longer one
// could not be named in an override, whose path is a YAML key of at most 1024
// bytes. Characters are counted, not bytes.
TEST(Loader, AnIdLongerThanTheLimitIsRefusedAtTheId) {
  const auto with_site = [](const std::string& id) {
    std::string text = kMinimal;
    text.replace(text.find("routes:"), 0, "  - {id: " + id + ", zone: a, personnel: 10}\n");
    return text;
  };
  Diagnostics d("min.yaml");
  EXPECT_FALSE(load(with_site(std::string(kMaxIdLength + 1, 'x')), d));
  ASSERT_TRUE(d.has_errors());
  const std::string msg = d.all().front().format();
  EXPECT_NE(msg.find("min.yaml:16:10: error: sites["), std::string::npos) << msg;
  EXPECT_NE(msg.find("].id: is 101 characters long, more than the limit of 100"), std::string::npos)
      << msg;
  std::string accented;
  for (size_t i = 0; i < kMaxIdLength; ++i) accented += "\xC3\xA9";  // e acute, two bytes
  Diagnostics ok("min.yaml");
  EXPECT_TRUE(load(with_site(accented), ok)) << ok.all().front().format();
}

// An id that holds ']' or is '*' cannot be named by a path; files that have
// one still load, with a warning at the id. '.' and '[' are read as part of
// the id, so those need no warning (except '[' in an arm's name: the path
// into its own overrides, arms[NAME].overrides.PATH, cannot hold one).
TEST(Loader, AnIdNoPathCanNameLoadsWithAWarning) {
  std::string text = kMinimal;
  text.replace(text.find("routes:"), 0,
               "  - {id: '*', zone: a, personnel: 10}\n"
               "  - {id: 'c]d', zone: a, personnel: 10}\n"
               "  - {id: 'w.x[y', zone: a, personnel: 10}\n");
  text += "  - name: 'more[sites'\n    overrides:\n      sites[w.x[y].personnel: 20\n";
  Diagnostics d("min.yaml");
  auto ls = load(text, d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  EXPECT_EQ(ls->arms[3].scenario.sites[4].personnel, 20);
  std::vector<std::string> warnings;
  for (const auto& x : d.all())
    if (x.message.find("rename it") != std::string::npos) warnings.push_back(x.format());
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0],
            "min.yaml:16:10: warning: sites[2].id: override and sweep paths cannot name the id "
            "'*': [*] selects every element; rename it");
  EXPECT_EQ(warnings[1],
            "min.yaml:17:10: warning: sites[3].id: override and sweep paths cannot name the id "
            "'c]d': a ']' ends a path's selector; rename it");
  EXPECT_EQ(warnings[2],
            "min.yaml:35:11: warning: arms[2].name: sweep paths into this arm's own overrides "
            "(arms[NAME].overrides.PATH) cannot name 'more[sites', which holds '['; rename it");
}

// The longest ids, of four-byte characters, still fit an override key that
// names two of them.
TEST(Loader, TwoIdsOfTheLongestStillFitAnOverrideKey) {
  std::string wide;
  for (size_t i = 0; i < kMaxIdLength; ++i) wide += "\xF0\x9F\x9A\x9A";  // U+1F69A, a truck
  std::string text = kMinimal;
  const auto replace = [&](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  replace("{id: truck", "{id: " + wide);
  replace("{type: truck", "{type: " + wide);
  replace("- id: m\n", "- id: " + wide + "\n");
  replace("movements[m].vehicles[truck]", "movements[" + wide + "].vehicles[" + wide + "]");
  Diagnostics d("min.yaml");
  auto ls = load(text, d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  EXPECT_EQ(ls->arms[1].scenario.movements[0].vehicles[0].type, 1);
  const auto j = nlohmann::json::parse(scenario_json_schema());
  EXPECT_EQ(j["properties"]["sites"]["items"]["properties"]["id"]["maxLength"], kMaxIdLength);
}

TEST(Loader, ReferenceScenarioValidates) {
  Diagnostics d(PK_REFERENCE_SCENARIO);
  auto ls = load_scenario(PK_REFERENCE_SCENARIO, d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  EXPECT_EQ(ls->arms.size(), 4u);
  EXPECT_EQ(ls->sha256.size(), 64u);
  const Scenario& mrap = ls->arms[1].scenario;
  EXPECT_EQ(mrap.movements[0].vehicles[1].count, 0);
  EXPECT_EQ(mrap.movements[0].vehicles[0].count, 8);
  EXPECT_EQ(ls->arms[2].scenario.uav->aircraft, 8);
  for (const auto& m : ls->arms[3].scenario.movements)
    EXPECT_DOUBLE_EQ(m.c_ied.trained_fraction, 0.9);
  ASSERT_TRUE(ls->sweep);
  EXPECT_EQ(ls->sweep->parameters.size(), 2u);
}

TEST(Schema, IsDraft07AndCoversEveryTopLevelKey) {
  const auto j = nlohmann::json::parse(scenario_json_schema());
  EXPECT_EQ(j["$schema"], "http://json-schema.org/draft-07/schema#");
  for (const char* k : {"pkrisk", "scenario", "vehicle_types", "zones", "sites", "routes",
                        "movements", "uav", "medevac", "arms", "acceptance", "sweep"})
    EXPECT_TRUE(j["properties"].contains(k)) << k;
  const auto& ied = j["properties"]["zones"]["items"]["properties"]["ied"];
  EXPECT_EQ(ied["properties"]["lifetime_days"]["exclusiveMinimum"], 0);
  EXPECT_FALSE(ied["additionalProperties"]);
}

TEST(Schema, MarkdownListsEveryDeclaredKey) {
  const std::string md = scenario_format_markdown();
  for (const char* k : {"emplacement_per_km_day", "p_detect_trained", "dow_curve", "perimeter_stop",
                        "km_per_aircraft", "halted_factor", "poisson_per_day"})
    EXPECT_NE(md.find(std::string("`") + k + "`"), std::string::npos) << k;
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// `run --arms` keeps the file's order; the executor's refining rounds the order
// they ask for. The baseline stays first either way, a name given twice counts
// once, and an unknown name drops nothing.
TEST(KeepArms, KeepsTheBaselineAndTheNamedArmsInTheOrderAsked) {
  const auto arms_named = [](std::vector<std::string> names) {
    std::vector<Arm> arms(names.size());
    for (size_t i = 0; i < names.size(); ++i) arms[i].name = names[i];
    return arms;
  };
  const auto names_of = [](const std::vector<Arm>& arms) {
    std::vector<std::string> out;
    for (const Arm& a : arms) out.push_back(a.name);
    return out;
  };
  const std::vector<std::string> wanted = {"c", "a", "baseline", "a"};
  std::vector<Arm> by_file = arms_named({"baseline", "a", "b", "c"});
  EXPECT_EQ(keep_arms(by_file, wanted, ArmOrder::kFile), "");
  EXPECT_EQ(names_of(by_file), (std::vector<std::string>{"baseline", "a", "c"}));
  std::vector<Arm> by_names = arms_named({"baseline", "a", "b", "c"});
  EXPECT_EQ(keep_arms(by_names, wanted, ArmOrder::kNames), "");
  EXPECT_EQ(names_of(by_names), (std::vector<std::string>{"baseline", "c", "a"}));
  std::vector<Arm> unknown = arms_named({"baseline", "a", "b"});
  EXPECT_EQ(keep_arms(unknown, {"a", "zz"}, ArmOrder::kNames), "zz");
  EXPECT_EQ(names_of(unknown), (std::vector<std::string>{"baseline", "a", "b"}));
}

}  // namespace
}  // namespace pk
