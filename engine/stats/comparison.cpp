#include "stats/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pk {

namespace {

// The standard error of a mean that its reported interval stands for: the
// longer half of the interval over the critical value. For the t interval it
// is sd / sqrt(n); for the exact intervals of rare events it carries their
// caution into the ratios.
double effective_se(const MetricSummary& s, double q) {
  if (s.n == 0) return 0;
  return std::max(s.ci95.hi - s.mean, s.mean - s.ci95.lo) / q;
}

}  // namespace

const char* fieller_case_name(FiellerCase c) {
  switch (c) {
    case FiellerCase::kBounded:
      return "bounded";
    case FiellerCase::kExclusive:
      return "exclusive";
    default:
      return "unbounded";
  }
}

const char* effect_name(Effect e) {
  switch (e) {
    case Effect::kAverts:
      return "averts";
    case Effect::kHarmful:
      return "harmful";
    default:
      return "none";
  }
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kDominant:
      return "dominant";
    case Verdict::kCostPerLife:
      return "cost_per_life";
    case Verdict::kDominated:
      return "dominated";
    default:
      return "no_significant_effect";
  }
}

const char* verdict_words(Verdict v) {
  switch (v) {
    case Verdict::kDominant:
      return "dominant";
    case Verdict::kCostPerLife:
      return "cost per life saved";
    case Verdict::kDominated:
      return "dominated";
    default:
      return "no significant effect";
  }
}

std::optional<Verdict> verdict_from_name(const std::string& name) {
  for (Verdict v : {Verdict::kDominant, Verdict::kCostPerLife, Verdict::kNoSignificantEffect,
                    Verdict::kDominated})
    if (name == verdict_name(v)) return v;
  return std::nullopt;
}

Verdict classify(const Interval& diff_ci95, double cost_usd) {
  if (diff_ci95.hi < 0) return cost_usd > 0 ? Verdict::kCostPerLife : Verdict::kDominant;
  if (diff_ci95.lo > 0) return Verdict::kDominated;
  return Verdict::kNoSignificantEffect;  // also NaN ends: nothing is shown
}

FiellerSet fieller(double a, double b, double va, double vb, double cab, double q) {
  // (a - theta b)^2 - q^2 (va - 2 theta cab + theta^2 vb) <= 0, a quadratic
  // A theta^2 - 2 B theta + C <= 0.
  const double q2 = q * q;
  const double A = b * b - q2 * vb, B = a * b - q2 * cab, C = a * a - q2 * va;
  const double disc = B * B - A * C;
  FiellerSet s;
  if (A > 0) {  // disc >= 0 then: the estimate a / b itself is inside
    const double r = std::sqrt(std::max(0.0, disc));
    s.shape = FiellerCase::kBounded;
    s.lo = (B - r) / A;
    s.hi = (B + r) / A;
  } else if (A < 0 && disc > 0) {
    const double r = std::sqrt(disc);
    s.shape = FiellerCase::kExclusive;  // outside the roots
    s.lo = (B + r) / A;
    s.hi = (B - r) / A;
  } else {
    s.shape = FiellerCase::kUnbounded;
  }
  return s;
}

Comparison compare(const MetricSummary& arm, const MetricSummary& base, const MetricSummary& diff,
                   double cost_usd, double years) {
  Comparison c;
  c.diff = diff;
  const int64_t n = std::max<int64_t>(2, diff.n);
  const double q = critical_value(0.95, static_cast<double>(n - 1));
  const double se_d = effective_se(diff, q), se_b = effective_se(base, q);
  // cov(D, baseline) = cov(arm, base) - var(base), with
  // cov(arm, base) = (var(arm) + var(base) - var(D)) / 2; as a correlation,
  // applied to the effective standard errors.
  const double va = arm.sd * arm.sd, vb = base.sd * base.sd, vd = diff.sd * diff.sd;
  const double cov_db = (va - vb - vd) / 2;
  const double rho =
      diff.sd > 0 && base.sd > 0 ? std::clamp(cov_db / (diff.sd * base.sd), -1.0, 1.0) : 0.0;
  if (base.mean > 0) {
    c.rrr = -diff.mean / base.mean;
    // -D / baseline: cov(-D, baseline) = -rho se_d se_b.
    c.rrr_set = fieller(-diff.mean, base.mean, se_d * se_d, se_b * se_b, -rho * se_d * se_b, q);
    c.rrr_ci95 = c.rrr_set.shape == FiellerCase::kBounded ? Interval{c.rrr_set.lo, c.rrr_set.hi}
                                                          : Interval{-kInf, kInf};
  } else {
    // No baseline fatality seen: any relative reduction is compatible.
    c.rrr_ci95 = {-kInf, kInf};
  }
  c.averted_per_year = years > 0 ? -diff.mean / years : 0;
  const double averted = -diff.mean;
  c.effect = averted > 0 ? Effect::kAverts : averted < 0 ? Effect::kHarmful : Effect::kNone;
  // The cost is exact: Fieller with a numerator of no variance.
  c.cost_set = fieller(cost_usd, averted, 0, se_d * se_d, 0, q);
  if (c.effect != Effect::kNone) c.cost_ratio = cost_usd / averted;
  c.verdict = classify(diff.ci95, cost_usd);
  if (c.verdict == Verdict::kCostPerLife) {
    c.cost_per_fatality_averted = c.cost_ratio;
    if (c.cost_set.shape == FiellerCase::kBounded)
      c.cost_per_fatality_averted_ci95 = Interval{c.cost_set.lo, c.cost_set.hi};
    else if (c.cost_set.shape == FiellerCase::kExclusive)
      c.cost_per_fatality_averted_ci95 = Interval{c.cost_set.hi, kInf};
    else
      c.cost_per_fatality_averted_ci95 = Interval{0, kInf};
  }
  const double paired_var = diff.sd * diff.sd;
  const double indep_var = arm.sd * arm.sd + base.sd * base.sd;
  // A difference that never varies leaves nothing for pairing to reduce: the
  // factor is unbounded (or undefined when neither arm varies), not 0.
  c.variance_reduction =
      paired_var > 0 ? indep_var / paired_var : std::numeric_limits<double>::quiet_NaN();
  return c;
}

}  // namespace pk
