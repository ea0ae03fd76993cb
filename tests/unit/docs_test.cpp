// The format reference in docs/ is generated from the declaration table; this
// test fails when the two drift apart (regenerate with
// `pkrisk schema --markdown > docs/scenario-format.md`).
#include <gtest/gtest.h>

#include "scenario/spec.hpp"
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

}  // namespace
}  // namespace pk
