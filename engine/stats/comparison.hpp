// An arm against the baseline on common random numbers (docs/model.md §6,
// "Arm versus baseline"): the paired difference of fatalities, the relative
// risk reduction, lives saved per year and the cost per fatality averted.
// Plain numbers in, plain numbers out: what a run is, is not this file's business.
#pragma once

#include <optional>
#include <string>

#include "stats/summary.hpp"

namespace pk {

// The shape of a Fieller confidence set of a ratio a / b.
enum class FiellerCase {
  kBounded,    // [lo, hi]: the denominator is clearly away from 0
  kExclusive,  // (-inf, lo] and [hi, +inf): the denominator may be 0, the numerator is not
  kUnbounded,  // every value: neither is clearly away from 0
};

const char* fieller_case_name(FiellerCase c);  // "bounded", "exclusive", "unbounded"

struct FiellerSet {
  FiellerCase shape = FiellerCase::kUnbounded;
  double lo = 0, hi = 0;  // see FiellerCase; both 0 when unbounded
};

// Fieller's set for the ratio of two estimates a and b with variances va, vb
// and covariance cab: every theta with (a - theta b)^2 <= q^2 var(a - theta b).
FiellerSet fieller(double a, double b, double va, double vb, double cab, double q);

// Which way the arm moved fatalities: fewer (averts), more (harmful), or none.
enum class Effect { kAverts, kHarmful, kNone };

const char* effect_name(Effect e);  // "averts", "harmful", "none"

// What an arm buys against the baseline, in the words every output prints
// (docs/model.md §6, "Arm versus baseline"). Decided here, once, from the 95%
// interval of the paired change of fatalities and the arm's cost (never
// negative): the direction of the estimate alone (Effect) is not evidence.
enum class Verdict {
  kDominant,             // the interval lies below 0 (saves lives) and the arm costs nothing
  kCostPerLife,          // the interval lies below 0 and the arm costs something
  kNoSignificantEffect,  // the interval includes 0
  kDominated,            // the interval lies above 0 (costs lives) at a cost >= the baseline's
};

// For JSON and CSV: "dominant", "cost_per_life", "no_significant_effect", "dominated".
const char* verdict_name(Verdict v);
// For people: "dominant", "cost per life saved", "no significant effect", "dominated".
const char* verdict_words(Verdict v);
// The inverse of verdict_name; nullopt for a name it never gives.
std::optional<Verdict> verdict_from_name(const std::string& name);

// The verdict of an arm whose paired change of fatalities (arm - baseline) has
// the 95% interval `diff_ci95` and that costs `cost_usd`.
Verdict classify(const Interval& diff_ci95, double cost_usd);

struct Comparison {
  MetricSummary diff;  // paired fatalities(arm) - fatalities(baseline), per replication
  double rrr = 0;      // relative risk reduction, 1 - mean(arm) / mean(baseline)
  // Fieller's set of -mean(D) / mean(baseline), with the variance of both and
  // their covariance; rrr_ci95 is it when bounded, infinite ends otherwise.
  FiellerSet rrr_set;
  Interval rrr_ci95;
  double averted_per_year = 0;    // fatalities averted per mission-year (= -diff / years)
  Effect effect = Effect::kNone;  // the direction of the estimate
  Verdict verdict = Verdict::kNoSignificantEffect;
  // cost / fatalities averted over the horizon: negative when harmful (the
  // cost of each fatality added). Absent when the arm changes nothing.
  std::optional<double> cost_ratio;
  FiellerSet cost_set;  // Fieller's set of the cost ratio (the cost is exact)
  // Only for Verdict::kCostPerLife (never for a free arm or a change the
  // interval cannot tell from none): cost_ratio, and the part of cost_set where
  // fatalities are averted (hi infinite when it is unbounded above).
  std::optional<double> cost_per_fatality_averted;
  std::optional<Interval> cost_per_fatality_averted_ci95;
  double variance_reduction = 0;  // independent-arms variance / paired variance; NaN when the
                                  // paired difference has no variance
};

// `arm` and `base`: fatalities per replication in each arm; `diff`: their
// paired difference (arm - baseline); `cost_usd`: the arm's cost over the
// horizon of `horizon_years`.
Comparison compare(const MetricSummary& arm, const MetricSummary& base, const MetricSummary& diff,
                   double cost_usd, double horizon_years);

}  // namespace pk
