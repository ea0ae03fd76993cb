// The format reference in docs/ is generated from the declaration table; this
// test fails when the two drift apart (regenerate with
// `pkrisk schema --markdown > docs/scenario-format.md`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "scenario/loader.hpp"
#include "scenario/spec.hpp"
#include "scenario/yaml_tree.hpp"
#include "support.hpp"

namespace pk {
namespace {

TEST(Docs, FormatReferenceIsGeneratedFromTheTable) {
  const std::string text = test::read_file(test::source_path("docs/scenario-format.md"));
  ASSERT_FALSE(text.empty()) << "docs/scenario-format.md is missing";
  EXPECT_EQ(text, scenario_format_markdown())
      << "regenerate: pkrisk schema --markdown > docs/scenario-format.md";
}

TEST(Docs, ShippedSchemaIsGeneratedFromTheTable) {
  const std::string text = test::read_file(test::source_path("docs/scenario.schema.json"));
  ASSERT_FALSE(text.empty()) << "docs/scenario.schema.json is missing";
  EXPECT_EQ(text, scenario_json_schema())
      << "regenerate: pkrisk schema > docs/scenario.schema.json";
}

// Every key path of the declaration table ("movements[].schedule.window").
void declared_paths(const ObjectInfo& o, const std::string& prefix, std::set<std::string>& out,
                    int depth) {
  if (depth > 12) return;
  for (const FieldInfo& f : o.fields) {
    const std::string path = prefix.empty() ? f.key : prefix + "." + f.key;
    out.insert(path);
    if (!f.object) continue;
    declared_paths(*f.object, f.type == FieldType::kObjectList ? path + "[]" : path, out,
                   depth + 1);
  }
}

// Every key path a YAML tree writes, lists as "[]".
void written_paths(const Node& n, const std::string& prefix, std::set<std::string>& out) {
  if (n.is_map()) {
    for (const MapEntry& e : n.map) {
      const std::string path = prefix.empty() ? e.key : prefix + "." + e.key;
      out.insert(path);
      written_paths(e.value, path, out);
    }
  } else if (n.is_seq()) {
    for (const Node& item : n.seq) written_paths(item, prefix + "[]", out);
  }
}

// `pkrisk init --template full` shows every key of the format, but those that
// name a file beside the scenario or exclude a key it uses (the file's header
// says which): a key added to the table without being added there fails here.
TEST(Docs, TheFullTemplateWritesEveryKeyOfTheFormat) {
  std::set<std::string> declared, written;
  declared_paths(scenario_spec(), "", declared, 0);
  Node tree;
  Diagnostics d("full.yaml");
  ASSERT_TRUE(parse_yaml_file(test::source_path("scenarios/templates/full.yaml"), tree, d));
  written_paths(tree, "", written);
  const std::set<std::string> left_out = {
      "vehicle_catalogue",           // a file of vehicle_types beside the scenario
      "uncertainty[].from_samples",  // a CSV beside it, instead of path and distribution
      "sweep.samples",               // latin_hypercube and sobol, instead of grid values
      "movements[].route_clearance.vehicles[].pool",      // a clearance team never draws on pools
      "movements[].route_clearance.vehicles[].priority",  // nor has a pool priority
  };
  for (const std::string& path : declared) {
    if (!left_out.count(path)) {
      EXPECT_TRUE(written.count(path)) << path << " is not in full.yaml";
    }
  }
  for (const std::string& path : left_out) {
    EXPECT_TRUE(declared.count(path)) << path << ": no longer a key; drop it from left_out";
    EXPECT_FALSE(written.count(path)) << path << " is written after all; drop it from left_out";
  }
}

// The flagship with its top-level blocks `drop` left out and `tail` added.
std::string flagship_without(const std::set<std::string>& drop, const std::string& tail) {
  std::istringstream in(test::read_file(test::source_path("scenarios/minusma-north.yaml")));
  std::string out, line;
  bool skipping = false;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (!line.empty() && line[0] != ' ' && line[0] != '#' && colon != std::string::npos)
      skipping = drop.count(line.substr(0, colon)) > 0;
    if (!skipping) out += line + "\n";
  }
  return out + tail;
}

// docs/model.md §5.5 says its arms block is accepted in place of the
// flagship's, with the blocks that name the flagship's own arms removed.
TEST(Docs, TheArmsExampleValidatesInPlaceOfTheFlagshipsArms) {
  const std::string doc = test::read_file(test::source_path("docs/model.md"));
  const size_t section = doc.find("### 5.5 Arms: an example");
  ASSERT_NE(section, std::string::npos);
  const size_t begin = doc.find("```yaml\n", section);
  ASSERT_NE(begin, std::string::npos);
  const size_t end = doc.find("```", begin + 8);
  ASSERT_NE(end, std::string::npos);
  const std::string example = doc.substr(begin + 8, end - begin - 8);
  ASSERT_NE(example.find("arms:"), std::string::npos);

  const std::string dir = test::fresh_dir("arms_example");
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(test::source_path("scenarios/vehicles.yaml"), dir + "/vehicles.yaml");
  std::ofstream(dir + "/flagship.yaml")
      << flagship_without({"arms", "select", "uncertainty", "correlations"}, example);
  Diagnostics d(dir + "/flagship.yaml");
  const auto loaded = load_scenario(dir + "/flagship.yaml", d);
  for (const auto& x : d.all()) ADD_FAILURE() << x.format();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->arms.size(), 6u);  // the baseline and the example's five
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pk
