// One path resolver (docs/model.md §5.2, §5.7): an identifier made of digits
// beats an index in overrides and in calibration alike, so a path means the
// same element in every command.
#include <gtest/gtest.h>

#include <string>

#include "experiment/calibrate.hpp"
#include "scenario/loader.hpp"
#include "scenario/paths.hpp"
#include "support.hpp"

namespace pk {
namespace {

// The minimal scenario with its second zone (index 1, the only one with
// ambushes) renamed to id 0: `zones[0]` must select it, not the first zone.
std::string digit_id_scenario() {
  std::string text = test::read_file(test::source_path("tests/data/good/minimal.yaml"));
  for (const std::string from : {"id: east", "zone: east"}) {
    const std::string to = from.substr(0, from.find(':')) + ": 0";
    for (size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
  }
  return text;
}

constexpr const char* kPath = "zones[0].ambush.per_1000km";

Node number(const std::string& text) {
  Node n;
  n.kind = Node::Kind::kScalar;
  n.scalar = text;
  return n;
}

TEST(Paths, DigitIdentifierBeatsIndexForOverrides) {
  Diagnostics d("digit_ids.yaml");
  const auto ls = load_scenario_text(digit_id_scenario(), d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all().front().format());
  Node tree = ls->tree;
  ASSERT_TRUE(apply_override(tree, kPath, number("0.5"), {}, "test", d));
  const Node& zones = *tree.find("zones");
  EXPECT_EQ(zones.seq[0].find("ambush"), nullptr) << "the first zone has no ambush block";
  EXPECT_EQ(zones.seq[1].find("ambush")->find("per_1000km")->scalar, "0.5");
}

TEST(Paths, DigitIdentifierBeatsIndexForCalibration) {
  Diagnostics d("digit_ids.yaml");
  const auto ls = load_scenario_text(digit_id_scenario(), d);
  ASSERT_TRUE(ls);
  std::string error;
  const Node* n = resolve_number(ls->tree, kPath, error);
  ASSERT_NE(n, nullptr) << error;
  const Node* east = ls->tree.find("zones")->seq[1].find("ambush")->find("per_1000km");
  EXPECT_EQ(n, east);
  EXPECT_EQ(n->scalar, "0.1");
  // An index still works where no identifier is made of those digits.
  EXPECT_EQ(resolve_number(ls->tree, "movements[supply].vehicles[1].crew", error)->scalar, "2");
}

TEST(Paths, CalibrationRefusesWhatIsNotOneWrittenNumber) {
  Diagnostics d("minimal.yaml");
  const auto ls =
      load_scenario_text(test::read_file(test::source_path("tests/data/good/minimal.yaml")), d);
  ASSERT_TRUE(ls);
  std::string error;
  EXPECT_EQ(resolve_number(ls->tree, "zones[*].ied.lifetime_days", error), nullptr);
  EXPECT_NE(error.find("[*]"), std::string::npos) << error;
  EXPECT_EQ(resolve_number(ls->tree, "zones[south].ied", error), nullptr);
  EXPECT_NE(error.find("not a number"), std::string::npos) << error;
  EXPECT_EQ(resolve_number(ls->tree, "zones[sout].ied.lifetime_days", error), nullptr);
  EXPECT_NE(error.find("nearest valid path: zones[south].ied.lifetime_days"), std::string::npos)
      << error;
  EXPECT_EQ(resolve_number(ls->tree, "arms[more_mraps].cost_usd", error), nullptr);
  EXPECT_EQ(resolve_number(ls->tree, "zones[south].ied.emplacement_per_km_day", error)->scalar,
            "0.0001");
}

TEST(Paths, CalibrateFitsTheElementTheOverrideResolverSelects) {
  Diagnostics d("digit_ids.yaml");
  const auto ls = load_scenario_text(digit_id_scenario(), d);
  ASSERT_TRUE(ls);
  CalibrationConfig cfg;
  cfg.paths = {kPath};
  cfg.replications = 20;
  cfg.levels = 3;
  cfg.threads = 1;
  const auto fit = calibrate(*ls, {{2014, 1}, {2015, 2}}, cfg, d);
  ASSERT_TRUE(fit) << (d.all().empty() ? "" : d.all().front().format());
  const Node* east = ls->tree.find("zones")->seq[1].find("ambush")->find("per_1000km");
  EXPECT_EQ(fit->parameters[0].mark.line, east->mark.line);
  EXPECT_EQ(fit->parameters[0].written, 0.1);
}

}  // namespace
}  // namespace pk
