// The format reference in docs/ is generated from the declaration table; this
// test fails when the two drift apart (regenerate with
// `pkrisk schema --markdown > docs/scenario-format.md`).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scenario/spec.hpp"

namespace pk {
namespace {

TEST(Docs, FormatReferenceIsGeneratedFromTheTable) {
  std::ifstream f(PK_SOURCE_DIR "/docs/scenario-format.md");
  ASSERT_TRUE(f) << "docs/scenario-format.md is missing";
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(ss.str(), scenario_format_markdown())
      << "regenerate: pkrisk schema --markdown > docs/scenario-format.md";
}

TEST(Docs, ShippedSchemaIsGeneratedFromTheTable) {
  std::ifstream f(PK_SOURCE_DIR "/docs/scenario.schema.json");
  ASSERT_TRUE(f) << "docs/scenario.schema.json is missing";
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(ss.str(), scenario_json_schema()) << "regenerate: pkrisk schema > docs/scenario.schema.json";
}

}  // namespace
}  // namespace pk
