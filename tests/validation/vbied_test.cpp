// Vehicle-borne attacks on sites with perimeter stops (docs/model.md §2.5, §8.1,
// §8.2).
#include "worlds.hpp"

namespace pk::validation {
namespace {

// Derivation. Attacks on each site arrive as a Poisson process of rate
// per_site_year · intensity(t) per 365-day year (§8.1), so the count over the
// horizon is Poisson with Λ = per_site_year · Σ factor · days / 365.
// An attack is stopped with s = perimeter_stop, then causes
// Poisson(c_stopped) casualties, else Poisson(c_breach). The casualties C of
// one attack are a mixture of Poissons:
//   E[C]  = s c_s + (1 − s) c_b,
//   E[C²] = s (c_s + c_s²) + (1 − s)(c_b + c_b²),
// and the site total is compound Poisson: mean Λ E[C], variance Λ E[C²].
// Each casualty is killed with kill_share k (thinning: c → k c for KIA).
// No MEDEVAC block, so casualties = KIA + WIA.
TEST(Vbied, PerimeterStopsMixBreachAndStoppedCasualties) {
  const double per_year = 6, c_stopped = 0.4, c_breach = 5, kill = 0.3;
  Scenario s = quiet_world(365);
  s.sites[0].perimeter_stop = 0.0;
  s.sites[1].perimeter_stop = 0.75;
  s.zones[0].vbied = VbiedThreat{.per_site_hour = per_year / (kDaysPerYear * kHoursPerDay),
                                 .casualties_stopped = c_stopped,
                                 .casualties_breach = c_breach,
                                 .kill_share = kill};
  s.zones[0].intensity = {window_days(100, 200, 2)};
  const auto reps = run_replications(s, 909001, 20000);

  const double attacks = per_year * (265 * 1 + 100 * 2) / kDaysPerYear;
  expect_mean("vbied.attacks (2 sites)",
              moments_of(reps, [](const Tally& t) { return t.attacks_on_sites(Cause::kVbied); }),
              2 * attacks);

  for (int site = 0; site < 2; ++site) {
    const std::string name = "site " + std::to_string(site) + " ";
    const double stop = s.sites[site].perimeter_stop;
    const auto ec = [&](double scale) {
      return stop * scale * c_stopped + (1 - stop) * scale * c_breach;
    };
    const auto ec2 = [&](double scale) {
      const double a = scale * c_stopped, b = scale * c_breach;
      return stop * (a + a * a) + (1 - stop) * (b + b * b);
    };
    const auto cas = moments_of(reps, [site](const Tally& t) {
      return t.by_site[site].n[kKia] + t.by_site[site].n[kDow] + t.by_site[site].n[kWia];
    });
    expect_mean(name + "VBIED casualties", cas, attacks * ec(1));
    expect_variance(name + "VBIED casualties", cas, attacks * ec2(1));
    const auto kia = moments_of(reps, [site](const Tally& t) { return t.by_site[site].n[kKia]; });
    expect_mean(name + "VBIED KIA", kia, attacks * ec(kill));
    expect_variance(name + "VBIED KIA", kia, attacks * ec2(kill));
  }
  for (const auto& t : reps) {
    ASSERT_EQ(t.by_cause[kVbied].n[kKia], t.by_site[0].n[kKia] + t.by_site[1].n[kKia]);
  }
}

}  // namespace
}  // namespace pk::validation
