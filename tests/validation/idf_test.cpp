// Indirect fire on sites as a compound Poisson process across intensity
// windows (docs/model.md §2.4, §8.2, §8.19).
#include "worlds.hpp"

namespace pk::validation {
namespace {

// Derivation. Each site of the zone receives attacks as a Poisson process of
// rate per_site_day · intensity(t), so over the horizon the count N is
// Poisson with mean Λ = per_site_day · Σ_windows factor · days.
// An attack fires R = 1 + Poisson(m − 1) rounds; each is effective with p, so
// the effective rounds are E = B + P with B ~ Bernoulli(p) (the first round)
// and P ~ Poisson(p (m − 1)) (thinning a Poisson), independent:
//   E[E] = p m,   E[E²] = Var E + (E E)² = p(1 − p) + p(m − 1) + p² m².
// Each effective round causes Poisson(κ) casualties, κ = cpr · idf_exposure,
// so the casualties of one attack are C | E ~ Poisson(κ E):
//   E[C] = κ p m,   E[C²] = κ E[E] + κ² E[E²].
// The site total S = Σ_{i ≤ N} C_i is compound Poisson:
//   E[S] = Λ E[C],   Var[S] = Λ E[C²].
// Each casualty is killed with kill_share k, independently, so the KIA of an
// attack are Poisson(k κ E) given E: the same formulas with κ → k κ.
// No MEDEVAC block: every wounded casualty is WIA (§8.18), so S = KIA + WIA.
// For m < 1 an attack fires exactly one round (§8.19): E ~ Bernoulli(p),
// E[E] = p, E[E²] = p. (Reading it as Poisson(m) rounds would scale the mean
// by m = 0.4, far outside the tolerance.)
struct IdfCase {
  double per_site_day, mean_rounds, p_effective, cpr, kill_share;
};

double factor_days() {
  return 20 * 1 + 20 * 2 + 20 * 1 + 10 * 0.2 + 30 * 1;
}  // horizon 100 d

Scenario idf_world(const IdfCase& c) {
  Scenario s = quiet_world(100);
  s.sites[0].idf_exposure = 1.0;
  s.sites[1].idf_exposure = 0.5;
  s.zones[0].idf = IdfThreat{.per_site_hour = c.per_site_day / kHoursPerDay,
                             .mean_rounds = c.mean_rounds,
                             .p_effective = c.p_effective,
                             .casualties_per_round = c.cpr,
                             .kill_share = c.kill_share};
  s.zones[0].intensity = {window_days(20, 40, 2), window_days(60, 70, 0.2)};
  return s;
}

void check_idf(const IdfCase& c, uint64_t seed, int64_t n) {
  const Scenario s = idf_world(c);
  const auto reps = run_replications(s, seed, n);

  const double attacks = c.per_site_day * factor_days();
  const double p = c.p_effective;
  const double ee = c.mean_rounds < 1 ? p : p * c.mean_rounds;
  const double ee2 = c.mean_rounds < 1 ? p : p * (1 - p) + p * (c.mean_rounds - 1) + ee * ee;

  const auto all = moments_of(reps, [](const Tally& t) { return t.attacks_on_sites(Cause::kIdf); });
  expect_mean("idf.attacks (2 sites)", all, 2 * attacks);
  expect_variance("idf.attacks (2 sites)", all, 2 * attacks);

  for (int site = 0; site < 2; ++site) {
    const std::string name = "site " + std::to_string(site) + " ";
    const double kappa = c.cpr * s.sites[site].idf_exposure;
    const double kk = c.kill_share * kappa;
    const auto cas = moments_of(reps, [site](const Tally& t) {
      return t.by_site[site].n[kKia] + t.by_site[site].n[kDow] + t.by_site[site].n[kWia];
    });
    expect_mean(name + "IDF casualties", cas, attacks * kappa * ee);
    expect_variance(name + "IDF casualties", cas, attacks * (kappa * ee + kappa * kappa * ee2));
    const auto kia = moments_of(reps, [site](const Tally& t) { return t.by_site[site].n[kKia]; });
    expect_mean(name + "IDF KIA", kia, attacks * kk * ee);
    expect_variance(name + "IDF KIA", kia, attacks * (kk * ee + kk * kk * ee2));
  }
  for (const auto& t : reps) {
    ASSERT_EQ(t.by_cause[kIdf].n[kDow], 0);
    ASSERT_EQ(t.by_cause[kIdf].n[kKia], t.by_site[0].n[kKia] + t.by_site[1].n[kKia]);
  }
}

TEST(Idf, CompoundPoissonAcrossIntensityWindows) {
  check_idf(
      {.per_site_day = 0.5, .mean_rounds = 3, .p_effective = 0.6, .cpr = 0.8, .kill_share = 0.25},
      515001, 4000);
}

TEST(Idf, MeanRoundsBelowOneFiresExactlyOneRound) {
  check_idf(
      {.per_site_day = 0.5, .mean_rounds = 0.4, .p_effective = 0.7, .cpr = 2.0, .kill_share = 0.3},
      515002, 4000);
}

}  // namespace
}  // namespace pk::validation
