// The adaptive adversary (docs/model.md §2.9) against closed forms: the
// answer's formula (effort conserved, the two-option shares), the pilot's
// payoff ratios against the encounter rules, the engine's playing of an
// answer (attacks and casualties by option), lethality regained, and the
// static model untouched when nothing adapts.
#include <cmath>

#include "experiment/adversary.hpp"
#include "experiment/executor.hpp"
#include "scenario/attack_options.hpp"
#include "support.hpp"
#include "worlds.hpp"

namespace pk::validation {
namespace {

constexpr int kPressure = static_cast<int>(AttackOption::kIedPressure);
constexpr int kRadio = static_cast<int>(AttackOption::kIedRadio);

// One zone of IEDs (0.02 per km-day on 100 km, 4-day lifetimes, half
// pressure and half radio), Poisson movements 1.5 a day of one truck with 4
// aboard (p_kill 0.3, p_wound 0.4), 120 days, an adversary block.
Scenario ied_world(const Adversary& adv) {
  Scenario s = quiet_world(120, 100);
  s.vehicle_types[0].blast = {0.3, 0.4};
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = 0.02 / kHoursPerDay,
                             .lifetime_hours = 4 * kHoursPerDay,
                             .trigger_mix = {0.5, 0, 0.5},
                             .lead_share = 1,
                             .complex_share = 0};
  s.movements = {poisson_movement(0, 1.5, 1e6)};
  s.adversary = adv;
  return s;
}

// Each option's totals over a run (the pilot's measurement).
std::vector<OptionTotals> totals(const std::vector<Tally>& reps) {
  std::vector<OptionTotals> out(reps.front().by_option.size());
  for (const Tally& t : reps)
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].attacks += static_cast<double>(t.by_option[i].attacks);
      out[i].strikes += static_cast<double>(t.by_option[i].strikes);
      out[i].casualties += static_cast<double>(t.by_option[i].casualties);
    }
  return out;
}

// Σ x / Σ y over paired replications, with its delta-method standard error.
Ratio paired_ratio(const std::vector<double>& x, const std::vector<double>& y) {
  double sx = 0, sy = 0;
  for (size_t i = 0; i < x.size(); ++i) sx += x[i], sy += y[i];
  Ratio r;
  r.value = sx / sy;
  const double n = static_cast<double>(x.size());
  double ss = 0;
  for (size_t i = 0; i < x.size(); ++i) ss += std::pow(x[i] - r.value * y[i], 2);
  r.se = std::sqrt(ss / (n * (n - 1))) / (sy / n);
  return r;
}

std::vector<double> option_values(const std::vector<Tally>& reps, int option,
                                  int64_t OptionCounts::*field) {
  std::vector<double> v;
  for (const Tally& t : reps) v.push_back(static_cast<double>(t.by_option[option].*field));
  return v;
}

// Derivation. With shares s_i and payoff ratios r_i the answer is
// m_i = r_i^ε / Σ_j s_j r_j^ε, so Σ_i s_i m_i = 1 (the effort is conserved);
// with a total elasticity η it is (Σ_j s_j r_j)^η. Two options, s = (0.7,
// 0.3), r = (0.25, 1), ε = 2: Σ s r^ε = 0.7/16 + 0.3 = 0.34375, m = (1/16,
// 1)/0.34375 = (0.181818…, 2.909090…).
TEST(Adversary, AnswerConservesEffortAndFollowsTheClosedForm) {
  Adversary adv;
  adv.displacement_elasticity = 2;
  adv.max_recovery = 0.5;
  const std::vector<AttackOptionRef> options = {{0, AttackOption::kIedPressure},
                                                {0, AttackOption::kAmbush}};
  // Casualties per attack: baseline 2 and 1, the arm 0.5 and 1.
  const std::vector<OptionTotals> base = {{700, 700, 1400}, {300, 300, 300}};
  const std::vector<OptionTotals> arm = {{700, 700, 350}, {300, 300, 300}};
  const auto a = adversary_answer(adv, options, base, arm);
  EXPECT_DOUBLE_EQ(a[0].base_share, 0.7);
  EXPECT_DOUBLE_EQ(a[0].payoff_ratio, 0.25);
  EXPECT_DOUBLE_EQ(a[0].rate_factor, (1.0 / 16) / 0.34375);
  EXPECT_DOUBLE_EQ(a[1].rate_factor, 1 / 0.34375);
  EXPECT_NEAR(0.7 * a[0].rate_factor + 0.3 * a[1].rate_factor, 1.0, 1e-15);
  EXPECT_DOUBLE_EQ(a[0].lethality_factor, 2.5);  // per strike 2 → 0.5: 1 + (4 − 1) × 0.5
  EXPECT_DOUBLE_EQ(a[1].lethality_factor, 1);

  adv.total_elasticity = 0.5;
  const auto b = adversary_answer(adv, options, base, arm);
  EXPECT_NEAR(0.7 * b[0].rate_factor + 0.3 * b[1].rate_factor, std::sqrt(0.7 * 0.25 + 0.3 * 1.0),
              1e-15);

  // No displacement and no recovery: no path, the static model.
  Adversary still;
  const Scenario s = ied_world(still);
  EXPECT_EQ(adversary_path(still, s, adversary_answer(still, options, base, arm)), nullptr);
  still.displacement_elasticity = 2;  // the arm changed no payoff: nothing moves either
  EXPECT_EQ(adversary_path(still, s, adversary_answer(still, options, base, base)), nullptr);
}

// Derivation. A half-life h and elapsed time e: piece k of the path (step
// 7 days) holds g = 1 − 2^(−(e + its middle)/h) of the way, so its rate
// factor is 1 + (m − 1) g and its lethality 1 + (λ − 1) g, λ the answer's
// fully adapted factor (1 + (1/ℓ − 1) ρ: here ℓ = 1/3, ρ = 0.5, λ = 2).
TEST(Adversary, PathApproachesTheAnswerWithItsHalfLife) {
  Adversary adv;
  adv.displacement_elasticity = 1;
  adv.half_life_hours = 30 * kHoursPerDay;
  adv.elapsed_hours = 10 * kHoursPerDay;
  adv.max_recovery = 0.5;
  const Scenario s = ied_world(adv);
  std::vector<AdversaryPath::Option> answer(3);
  for (int i = 0; i < 3; ++i) answer[i].option = static_cast<AttackOption>(i);
  answer[0].rate_factor = 1.6;
  answer[2].rate_factor = 0.4;
  answer[2].lethality_factor = 2;
  const auto path = adversary_path(adv, s, answer);
  ASSERT_NE(path, nullptr);
  ASSERT_EQ(path->zones[0].size(), 18u);  // ceil(120 / 7)
  for (size_t k : {0, 5, 17}) {
    const double mid = k == 17 ? (119 + 120) / 2.0 : 7 * (k + 0.5);
    const double g = 1 - std::exp2(-(10 + mid) / 30);
    const AdversaryPath::Piece& p = path->zones[0][k];
    const double press = 1 + 0.6 * g, radio = 1 - 0.6 * g;
    EXPECT_NEAR(p.rate[static_cast<int>(Cause::kIed)], 0.5 * press + 0.5 * radio, 1e-12) << k;
    EXPECT_NEAR(p.trigger_mix[2], 0.5 * radio / (0.5 * press + 0.5 * radio), 1e-12) << k;
    EXPECT_NEAR(p.lethality[kRadio], 1 + g, 1e-12) << k;
    EXPECT_DOUBLE_EQ(p.lethality[kPressure], 1);
  }
}

// Derivation. Jammers defeat radio IEDs with p_j = 0.8 and nothing else, so
// under the arm a radio IED pays 1 − p_j = 0.2 of what it paid, a pressure
// IED all of it (the same devices are met, §2.1). With ε = 1 the adversary
// answers m = (1, 0.2) / (s_p + 0.2 s_r) on (pressure, radio). Playing the
// answer, attacks are Poisson with means λ L H × 0.5 m_i, and the casualties
// of each option are the met devices (docs/model.md §7: λ L (c/k) h_eff of
// them per unit of rate) × its share × what a met device of it costs:
// 4 × (0.3 + 0.4) for pressure, 0.2 of that for radio.
TEST(Adversary, JammersMoveAttacksToPressureTriggersAsTheClosedFormSays) {
  Adversary adv;
  adv.displacement_elasticity = 1;
  const double p_j = 0.8, lambda = 0.02, length = 100, tau = 4, c = 1.5, horizon = 120;
  const Scenario base = ied_world(adv);
  Scenario arm = base;
  arm.movements[0].jammer = Jammer{.p_defeat = p_j};

  const auto pilot_base = run_replications(base, 2026120301, 3000);
  const auto pilot_arm = run_replications(arm, 2026120301, 3000);
  const std::vector<AttackOptionRef> options = attack_options(base);
  ASSERT_EQ(options.size(), 3u);
  const auto answer = adversary_answer(adv, options, totals(pilot_base), totals(pilot_arm));
  EXPECT_DOUBLE_EQ(answer[kPressure].payoff_ratio, 1.0);  // the same draws, untouched
  expect_ratio("radio payoff ratio (1 - p_defeat)",
               paired_ratio(option_values(pilot_arm, kRadio, &OptionCounts::casualties),
                            option_values(pilot_base, kRadio, &OptionCounts::casualties)),
               1 - p_j);
  const double m_p = answer[kPressure].rate_factor, m_r = answer[kRadio].rate_factor;
  const double s_p = answer[kPressure].base_share, s_r = answer[kRadio].base_share;
  const double r_r = answer[kRadio].payoff_ratio;
  EXPECT_NEAR(m_p, 1 / (s_p + s_r * r_r), 1e-12);
  EXPECT_NEAR(m_r, r_r / (s_p + s_r * r_r), 1e-12);
  EXPECT_NEAR(s_p * m_p + s_r * m_r, 1.0, 1e-12);

  Scenario adaptive = arm;
  adaptive.adversary_path = adversary_path(adv, arm, answer);
  ASSERT_NE(adaptive.adversary_path, nullptr);
  const auto reps = run_replications(adaptive, 2026120302, 3000);
  const double emplaced = lambda * length * horizon;
  expect_mean("adaptive pressure attacks",
              moments_of(reps, [](const Tally& t) { return t.by_option[kPressure].attacks; }),
              emplaced * 0.5 * m_p);
  expect_mean("adaptive radio attacks",
              moments_of(reps, [](const Tally& t) { return t.by_option[kRadio].attacks; }),
              emplaced * 0.5 * m_r);
  expect_mean("adaptive IEDs emplaced (effort conserved)",
              moments_of(reps, [](const Tally& t) { return t.ied.emplaced; }),
              emplaced * (0.5 * m_p + 0.5 * m_r));
  const double mu = 1 / tau, k = c + mu;
  const double met = lambda * length * (c / k) * (horizon - (1 - std::exp(-k * horizon)) / k);
  const double per_strike = 4 * (0.3 + 0.4);
  expect_mean("adaptive pressure casualties",
              moments_of(reps, [](const Tally& t) { return t.by_option[kPressure].casualties; }),
              met * 0.5 * m_p * per_strike);
  expect_mean("adaptive radio casualties",
              moments_of(reps, [](const Tally& t) { return t.by_option[kRadio].casualties; }),
              met * 0.5 * m_r * (1 - p_j) * per_strike);
}

// Derivation. Armour cuts the per-occupant blast from (0.3, 0.4) to (0.05,
// 0.2): per strike 4 × 0.7 = 2.8 casualties become 4 × 0.25 = 1.0, a
// lethality ratio of 1/2.8. With max_recovery 1 the adversary's charges
// regain all of it, λ = 2.8, so after 10 half-lives (g within 2^-10 of 1) a
// strike costs 4 × 0.25 × (1 + 1.8 g) ≈ 2.8 again, the baseline's.
TEST(Adversary, FullLearningReturnsPerStrikeLethalityToTheBaselines) {
  Adversary adv;
  adv.max_recovery = 1;
  adv.half_life_hours = 30 * kHoursPerDay;
  adv.elapsed_hours = 300 * kHoursPerDay;
  const Scenario base = ied_world(adv);
  Scenario arm = base;
  arm.vehicle_types[0].blast = {0.05, 0.2};

  const auto pilot_base = run_replications(base, 2026120303, 2000);
  const auto pilot_arm = run_replications(arm, 2026120303, 2000);
  const auto answer =
      adversary_answer(adv, attack_options(base), totals(pilot_base), totals(pilot_arm));
  const auto strikes = [](const Tally& t) {
    return t.by_option[kPressure].strikes + t.by_option[kRadio].strikes;
  };
  const auto casualties = [](const Tally& t) {
    return t.by_option[kPressure].casualties + t.by_option[kRadio].casualties;
  };
  // The pilot's lethality ratio against the blast numbers, then what it buys.
  expect_ratio("pilot lethality factor (2.8)",
               paired_ratio(option_values(pilot_base, kPressure, &OptionCounts::casualties),
                            option_values(pilot_arm, kPressure, &OptionCounts::casualties)),
               2.8);
  const double lambda = answer[kPressure].lethality_factor;

  Scenario adaptive = arm;
  adaptive.adversary_path = adversary_path(adv, arm, answer);
  ASSERT_NE(adaptive.adversary_path, nullptr);
  const auto reps = run_replications(adaptive, 2026120304, 2000);
  const double g_lo = 1 - std::exp2(-10.0);
  expect_ratio("adaptive casualties per strike", ratio_of(reps, casualties, strikes),
               4 * 0.25 * lambda, 4 * 0.25 * (lambda - 1) * (1 - g_lo));
  const auto base_reps = run_replications(base, 2026120304, 2000);
  const Ratio b = ratio_of(base_reps, casualties, strikes);
  expect_ratio("baseline casualties per strike", b, 2.8);
  // Attacks do not move without displacement.
  for (const Tally& t : reps)
    ASSERT_EQ(t.ied.emplaced, t.by_option[kPressure].attacks + t.by_option[kRadio].attacks);
}

// The worked example (docs/adversary.md): radio-controlled devices were about
// 85% of IED casualties before jammers and about 12% five years after. The
// example's baseline has 85%; its jammer arm's adaptive twin in the fifth
// year (elapsed_days 1460) must come within 3 points of 12%, as the issue's
// record asks, and its static arm must stay at the closed form
// 0.85 × 0.1 / (0.85 × 0.1 + 0.15) = 36.2% (jammers defeat 0.9 of them).
TEST(Adversary, WorkedExampleMovesRadioTriggersFrom85To12PercentOfIedCasualties) {
  Diagnostics d("trigger-substitution.yaml");
  auto ls = load_scenario(test::source_path("scenarios/examples/trigger-substitution.yaml"), d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all().front().format());
  ls->arms.front().scenario.adversary->elapsed_hours = 1460 * kHoursPerDay;
  add_adaptive_arms(*ls, 2012, 2);
  ASSERT_EQ(ls->arms.size(), 3u);
  const RunResult r = run_variants(*ls, {Variant{}}, Plan{2012, 2000, 2000, 2}).front();
  const auto total = [&](size_t arm, const std::string& name) {
    const auto it = std::find(r.metric_names.begin(), r.metric_names.end(), name);
    double sum = 0;
    r.arms[arm].metrics[static_cast<size_t>(it - r.metric_names.begin())].for_each(
        [&](int64_t v, int64_t c) { sum += static_cast<double>(v * c); });
    return sum;
  };
  const auto radio_share = [&](size_t arm) {
    const double radio = total(arm, "adversary.valley.ied_radio.casualties");
    return radio / (radio + total(arm, "adversary.valley.ied_pressure.casualties") +
                    total(arm, "adversary.valley.ied_command.casualties"));
  };
  std::printf(
      "[validation] radio share of IED casualties: baseline %.4f static %.4f adaptive %.4f\n",
      radio_share(0), radio_share(1), radio_share(2));
  EXPECT_NEAR(radio_share(0), 0.85, 0.01);
  EXPECT_NEAR(radio_share(1), 0.085 / 0.235, 0.01);
  EXPECT_NEAR(radio_share(2), 0.12, 0.03);
}

}  // namespace
}  // namespace pk::validation
