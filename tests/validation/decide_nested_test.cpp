// The value of knowing one input, by regression (docs/decide.md) against the
// estimator that needs no regression at all: two-level nested Monte Carlo of
// the engine itself, and both against the closed form.
//
// The world: indirect fire on one camp at θ attacks a day (gamma, mean 0.05,
// sd 0.02), one round an attack, every round effective, one casualty a round,
// a share k of them killed (beta, mean 0.5, sd 0.15). Protection halves the
// exposure for 4,562,500 USD a year; a death averted is valued at 1,000,000
// USD. Per year, lives saved = 182.5 θ k, so the incremental net benefit is
//   INB(θ, k) = 1e6 · 182.5 θ k − 4,562,500,
// zero at the means. Knowing θ alone: E_k[INB | θ] = 1e6 · 91.25 (θ − 0.05),
//   EVPPI(θ) = 1e6 · 91.25 · E[(θ − 0.05)+] = 1e6 · 91.25 · (E[θ] Q(a+1, t/s) − t Q(a, t/s))
// for θ ~ gamma(shape a, scale s), t = 0.05, Q the regularised upper
// incomplete gamma function.
//
// Nested Monte Carlo: K values θ_k at the midpoints of K equal-probability
// strata; at each, the inner expectation over k is the mean net benefit of
// `decide` over J draws of k (θ fixed) with R replications each. Then
//   EVPPI ≈ mean_k max(0, m̂_k) − max(0, mean_k m̂_k),
// biased upward by the inner noise (small here: the inner standard error is
// a tenth of the spread of m over θ).
#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "experiment/decide.hpp"
#include "scenario/loader.hpp"

namespace pk::validation {
namespace {

constexpr double kShape = 6.25, kScale = 0.008;  // θ: mean 0.05, sd 0.02
constexpr double kWtp = 1e6;

std::string world(const std::string& theta, bool theta_uncertain) {
  std::string text = R"(pkrisk: 1
scenario: {name: nested check, horizon_days: 365, seed: 5, replications: 100}
vehicle_types:
  - {id: truck, seats: 4, blast: {p_kill: 0.3, p_wound: 0.5}}
zones:
  - id: z
    idf: {per_site_day: )" +
                     theta +
                     R"(, mean_rounds: 1, p_effective: 1, casualties_per_round: 1, kill_share: 0.5}
sites:
  - {id: camp, zone: z, personnel: 500}
arms:
  - name: protection
    cost: {annual_om_usd: 4562500}
    overrides:
      sites[camp].protection: {idf_exposure: 0.5}
uncertainty:
  - path: zones[z].idf.kill_share
    distribution: {type: beta, mean: 0.5, sd: 0.15}
)";
  if (theta_uncertain)
    text += R"(  - path: zones[z].idf.per_site_day
    distribution: {type: gamma, mean: 0.05, sd: 0.02}
)";
  return text;
}

DecideSample sample_of(const std::string& text, int64_t draws, int64_t reps, uint64_t seed) {
  Diagnostics diags("nested.yaml");
  auto ls = load_scenario_text(text, diags);
  EXPECT_TRUE(ls.has_value()) << (diags.all().empty() ? "" : diags.all().front().format());
  if (!ls) return {};
  DecideSettings settings;
  settings.draws = draws;
  settings.reps_per_draw = reps;
  settings.seed = seed;
  settings.net_benefit = true;
  settings.wtp_usd = kWtp;
  settings.threads = 2;
  DecidePlan plan;
  EXPECT_TRUE(plan_decide(*ls, settings, plan, diags));
  return run_decide(*ls, plan, {});
}

// Mean over draws of the incremental net benefit of protection, USD a year.
double mean_inb(const DecideSample& s) {
  double sum = 0;
  for (size_t d = 0; d < s.fatalities.size(); ++d)
    sum += kWtp * (s.fatalities[d][0] - s.fatalities[d][1]) - (s.cost[d][1] - s.cost[d][0]);
  return sum / static_cast<double>(s.fatalities.size());
}

TEST(DecideNested, RegressionEvppiAgreesWithNestedMonteCarloAndTheClosedForm) {
  const double t = 0.05;
  const double truth = kWtp * 91.25 *
                       (kShape * kScale * boost::math::gamma_q(kShape + 1, t / kScale) -
                        t * boost::math::gamma_q(kShape, t / kScale));

  // Nested: K strata of θ, J draws of k × R replications inside each.
  constexpr int kOuter = 40;
  std::vector<double> m(kOuter);
  double m_sum = 0, pos_sum = 0, pos_sq = 0;
  for (int i = 0; i < kOuter; ++i) {
    const double theta = boost::math::gamma_p_inv(kShape, (i + 0.5) / kOuter) * kScale;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", theta);
    m[i] = mean_inb(sample_of(world(buf, false), 100, 5, 100 + static_cast<uint64_t>(i)));
    m_sum += m[i];
    pos_sum += std::max(0.0, m[i]);
    pos_sq += std::max(0.0, m[i]) * std::max(0.0, m[i]);
  }
  const double nested = pos_sum / kOuter - std::max(0.0, m_sum / kOuter);
  // Independent-sampling standard error of the first term: conservative for
  // strata, and it holds the inner noise too.
  const double pos_mean = pos_sum / kOuter;
  const double se_nested = std::sqrt((pos_sq / kOuter - pos_mean * pos_mean) / (kOuter - 1));

  // Regression on one decide run with both inputs uncertain.
  const DecideSample all = sample_of(world("0.05", true), 2000, 4, 9);
  DecidePlan plan;
  plan.settings.net_benefit = true;
  plan.settings.wtp_usd = kWtp;
  plan.settings.seed = 9;
  const nlohmann::json j = decide_json(all, plan.settings);
  double reg = NAN, se_reg = NAN;
  for (const auto& e : j["decide"]["evppi"])
    if (e["parameters"].size() == 1 && e["parameters"][0] == "zones[z].idf.per_site_day") {
      reg = e["value"].get<double>();
      se_reg = e["se"].get<double>();
    }
  ASSERT_FALSE(std::isnan(reg));

  std::printf(
      "EVPPI(theta), USD a year: regression %.0f (se %.0f), nested %.0f (se %.0f), "
      "closed form %.0f\n",
      reg, se_reg, nested, se_nested, truth);
  const double se = std::sqrt(se_nested * se_nested + se_reg * se_reg);
  EXPECT_NEAR(reg, nested, 3 * se) << "regression " << reg << " ± " << se_reg << ", nested "
                                   << nested << " ± " << se_nested << ", closed form " << truth;
  EXPECT_NEAR(nested, truth, 3 * se_nested + 0.03 * truth);
  EXPECT_NEAR(reg, truth, 3 * se_reg + 0.03 * truth);
}

}  // namespace
}  // namespace pk::validation
