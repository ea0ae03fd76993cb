// The guarantee of `pkrisk select` on packages run by the engine
// (docs/select.md; the full study: tools/studies/select_pcs.cpp). On
// close_call.yaml every package's deaths a year are known in closed form
// (close_call.truths.tsv, derived in the scenario's header) and the best is
// ahead of the second by exactly the indifference zone. Run for seeds 1..M,
// the procedure must select a package truly within the zone of the best, and
// the best itself (KN's promise when the best is that far ahead), in at least
// the share the block's confidence promises.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "experiment/select.hpp"
#include "scenario/loader.hpp"
#include "support.hpp"
#include "util/csv.hpp"

namespace pk::validation {
namespace {

// The lower `tail` quantile of Binomial(n, p): the smallest c with
// P(X <= c) >= tail. If each macroreplication is correct with probability p,
// fewer than c correct happens with probability under `tail`.
int binomial_lower_quantile(int n, double p, double tail) {
  double below = 0;  // P(X < c)
  for (int c = 0; c < n; ++c) {
    const double pmf =
        std::exp(std::lgamma(n + 1.0) - std::lgamma(c + 1.0) - std::lgamma(n - c + 1.0) +
                 c * std::log(p) + (n - c) * std::log1p(-p));
    if (below + pmf >= tail) return c;
    below += pmf;
  }
  return n;
}

// Label -> deaths a year, from the closed form (the file), never the engine.
std::map<std::string, double> closed_form_truths(const std::string& path) {
  std::ifstream in(path);
  return pk::read_labelled_numbers(
      std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

// The truths are written to a few decimals: a gap equal to the zone in them
// (this scenario's second package) must compare as equal, whatever the rounding.
constexpr double kTruthRounding = 1e-9;

TEST(SelectPcs, TheBinomialBoundIsTheLowerQuantile) {
  // Binomial(400, 0.95): P(X <= 364) = 0.00057, P(X <= 365) = 0.00110 (summed
  // exactly), the bound tests/unit/ranking_test.cpp uses too.
  EXPECT_EQ(binomial_lower_quantile(400, 0.95, 0.001), 365);
}

TEST(SelectPcs, TheSelectionIsWithinTheZoneOfTheTrueBestAsOftenAsPromised) {
  Diagnostics diags;
  const auto ls = load_scenario(test::source_path("tests/data/select/close_call.yaml"), diags);
  ASSERT_TRUE(ls);
  SelectPlan plan;
  ASSERT_TRUE(plan_select(*ls, SelectSettings{}, plan, diags));
  ASSERT_EQ(plan.spec.objective, SelectObjective::kFatalities);  // the truths: deaths a year
  const auto truths =
      closed_form_truths(test::source_path("tests/data/select/close_call.truths.tsv"));
  std::vector<double> truth;
  for (const Package& p : plan.packages) {
    ASSERT_EQ(truths.count(p.label), 1u) << "no truth for " << p.label;
    truth.push_back(truths.at(p.label));
  }
  const double delta = plan.spec.indifference_zone;
  std::vector<double> sorted = truth;
  std::sort(sorted.begin(), sorted.end());
  const double best = sorted[0];
  // KN's guarantee of the best itself needs it ahead by the zone at least.
  ASSERT_GE(sorted[1] - best, delta - kTruthRounding);
  // 400 seeds: about 7 s in Release on one core (each also runs the fresh
  // re-estimate, as `pkrisk select` does).
  constexpr int kMacro = 400;
  int within = 0, picked_best = 0;
  for (int m = 1; m <= kMacro; ++m) {
    plan.settings.seed = static_cast<uint64_t>(m);
    const SelectOutcome o = run_select(*ls, plan, {});
    ASSERT_TRUE(o.complete) << "seed " << m << ": " << o.error;
    const double behind = truth[o.selected] - best;
    within += behind <= delta + kTruthRounding;
    picked_best += behind <= kTruthRounding;
  }
  const int bound = binomial_lower_quantile(kMacro, plan.spec.confidence, 0.001);
  EXPECT_GE(within, bound) << within << " of " << kMacro;
  EXPECT_GE(picked_best, bound) << picked_best << " of " << kMacro;
}

}  // namespace
}  // namespace pk::validation
