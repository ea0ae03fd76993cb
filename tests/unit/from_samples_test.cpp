// `uncertainty: - from_samples: FILE`: every column an input of one sample
// set, and every draw of the design one whole row of the file (docs/decide.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "experiment/design.hpp"
#include "scenario/loader.hpp"
#include "support.hpp"

namespace pk {
namespace {

TEST(FromSamples, EveryColumnIsAnInputOfTheSetAndEveryDrawIsOneRow) {
  const std::string dir = test::fresh_dir("from_samples");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/camp.yaml") << test::kOneCampScenario << R"(uncertainty:
  - path: zones[z].idf.p_effective
    distribution: {type: uniform, min: 0.5, max: 1}
  - from_samples: draws.csv
)";
  // Each row pairs a rate with a kill share that no other row has.
  std::ofstream csv(dir + "/draws.csv");
  csv << "chain,draw,zones[z].idf.per_site_day,zones[z].idf.kill_share\n";
  for (int k = 1; k <= 50; ++k)
    csv << "1," << k << "," << 0.01 * k << "," << 0.01 * k + 0.2 << "\n";
  csv.close();
  Diagnostics d(dir + "/camp.yaml");
  const auto ls = load_scenario(dir + "/camp.yaml", d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all().front().format());
  const UncertaintySpec& spec = ls->uncertainty;
  ASSERT_EQ(spec.inputs.size(), 3u);
  ASSERT_EQ(spec.sample_sets.size(), 1u);
  // The set's inputs are the places of its columns in the spec.
  EXPECT_EQ(spec.sample_sets[0].inputs, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(spec.inputs[1].path, "zones[z].idf.per_site_day");
  EXPECT_EQ(spec.inputs[2].path, "zones[z].idf.kill_share");
  EXPECT_EQ(spec.inputs[2].sample_column, 1);
  std::vector<SweepPoint> points;
  std::string error;
  ASSERT_TRUE(make_uncertainty_design(spec, 7, 64, points, error)) << error;
  std::set<double> rates;
  for (const SweepPoint& pt : points) {
    // One row: the kill share is the rate's own.
    EXPECT_NEAR(pt.numeric[2], pt.numeric[1] + 0.2, 1e-12);
    rates.insert(pt.numeric[1]);
  }
  // Sobol rows spread over the file, not one row over and over.
  EXPECT_GT(rates.size(), 30u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pk
