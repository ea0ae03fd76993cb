#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "stats/binomial.hpp"

namespace pk {

namespace {
// Exact sums of integer histograms; __extension__ keeps -Wpedantic quiet about
// a type ISO C++ lacks but both compilers support.
__extension__ typedef __int128 Int128;

using Pairs = std::vector<std::pair<int64_t, int64_t>>;  // (value, count), values increasing

Pairs pairs_of(const IntHistogram& h) {
  Pairs all;
  h.for_each([&](int64_t v, int64_t c) { all.emplace_back(v, c); });
  return all;
}

// The value of rank `rank` (1-based, in increasing order).
int64_t order_statistic(const Pairs& all, int64_t rank) {
  int64_t seen = 0;
  for (const auto& [v, c] : all) {
    seen += c;
    if (seen >= rank) return v;
  }
  return all.empty() ? 0 : all.back().first;
}

// Rank of the lower p-quantile among n: ceil(p n), at least 1. The 1e-9 keeps
// p n that is an integer in floating point from rounding up.
int64_t quantile_rank(double p, int64_t n) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(p * static_cast<double>(n) - 1e-9)));
}

// CVaR given VaR `var`, of n values of which the (value, count) pairs in
// [first, last) hold every one above VaR (the others add nothing).
template <class It>
double cvar_given_var(It first, It last, int64_t var, int64_t n, double alpha) {
  Int128 excess = 0;  // sum of (x - VaR)^+, exact
  for (; first != last; ++first)
    if (first->first > var) excess += static_cast<Int128>(first->first - var) * first->second;
  const long double tail_mass = static_cast<long double>(n) * (1.0L - alpha);
  return static_cast<double>(var + static_cast<long double>(excess) / tail_mass);
}

// Standard error of the plug-in CVaR from its influence function,
// VaR + (x - VaR)^+ / (1 - alpha) - CVaR: the sample sd of (x - VaR)^+ / (1 - alpha)
// over sqrt n. The pairs as for cvar_given_var; n >= 2.
template <class It>
double cvar_standard_error_given_var(It first, It last, int64_t var, int64_t n, double alpha) {
  long double sum = 0, sum_sq = 0;
  for (; first != last; ++first)
    if (first->first > var) {
      const long double e = static_cast<long double>(first->first - var) / (1 - alpha);
      sum += e * first->second;
      sum_sq += e * e * first->second;
    }
  const long double mean = sum / n;
  const long double var_e = std::max(0.0L, (sum_sq - n * mean * mean) / (n - 1));
  return static_cast<double>(std::sqrt(var_e / n));
}

// Rockafellar-Uryasev CVaR of the empirical distribution of `all` (n values).
double cvar_of(const Pairs& all, int64_t n, double alpha) {
  if (n == 0) return 0;
  const int64_t var = order_statistic(all, quantile_rank(alpha, n));
  return cvar_given_var(all.begin(), all.end(), var, n, alpha);
}

double cvar_standard_error(const Pairs& all, int64_t n, double alpha) {
  if (n < 2) return 0;
  const int64_t var = order_statistic(all, quantile_rank(alpha, n));
  return cvar_standard_error_given_var(all.begin(), all.end(), var, n, alpha);
}

// Upper end of a one-sided `confidence` bound on a Poisson mean when no event
// was seen: -ln(1 - confidence), 3.0 at 95% (the rule of three).
double rule_of_three(double confidence) {
  return -std::log(1 - confidence);
}

// A 64-bit mix of the histogram's contents: the bootstrap's seed, so that
// the same data give the same resamples wherever they were summed.
uint64_t data_seed(const Pairs& all) {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  auto mix = [&](uint64_t x) {
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
  };
  for (const auto& [v, c] : all) mix(static_cast<uint64_t>(v)), mix(static_cast<uint64_t>(c));
  return h;
}

// The gamma interval of the mean of part(x) over the replications: the sum's
// variance from the sample (n s^2), not from the squares alone, since a count
// made of many small events is not one event of its size; one more event
// weighs the dispersion index, the size of an event of a compound Poisson sum.
template <class Part>
Interval count_interval(const Pairs& all, int64_t n, Part part) {
  Int128 sum = 0;
  for (const auto& [v, c] : all) sum += static_cast<Int128>(part(v)) * c;
  const long double mean = static_cast<long double>(sum) / n;
  long double ss = 0;
  for (const auto& [v, c] : all) {
    const long double d = static_cast<long double>(part(v)) - mean;
    ss += d * d * c;
  }
  const double nn = static_cast<double>(n);
  const double sum_d = static_cast<double>(sum);
  // At least the Poisson variance (the sum itself): fewer events than that
  // spread says little, and with it events of size 1 give the exact Poisson
  // interval.
  const double var_sum = std::max(static_cast<double>(ss) * nn / std::max(1.0, nn - 1), sum_d);
  return gamma_interval(sum_d, var_sum, sum_d > 0 ? var_sum / sum_d : 1.0, n);
}

}  // namespace

const char* ci_method_name(CiMethod m) {
  switch (m) {
    case CiMethod::kT:
      return "t";
    case CiMethod::kGamma:
      return "gamma";
    case CiMethod::kMoverGamma:
      return "mover_gamma";
    case CiMethod::kRuleOfThree:
      return "rule_of_three";
    case CiMethod::kWilson:
      return "wilson";
    case CiMethod::kClopperPearson:
      return "clopper_pearson";
    case CiMethod::kOrderStatistics:
      return "order_statistics";
    case CiMethod::kBootstrap:
      return "bootstrap";
    case CiMethod::kFieller:
      return "fieller";
    case CiMethod::kHall:
      return "hall";
  }
  return "t";
}

double critical_value(double confidence, double dof, bool two_sided) {
  const double p = two_sided ? 0.5 + confidence / 2 : confidence;
  if (std::isinf(dof)) return boost::math::quantile(boost::math::normal(), p);
  return boost::math::quantile(boost::math::students_t(dof), p);
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

double variance_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean_of(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return ss / static_cast<double>(v.size() - 1);
}

double t_half_width(double sd, int64_t n, double confidence) {
  if (n < 2) return 0;
  const double q = critical_value(confidence, static_cast<double>(n - 1));
  return q * sd / std::sqrt(static_cast<double>(n));
}

double t_upper_bound(double mean, double sd, int64_t n, double confidence) {
  if (n < 2) return mean;
  const double q = critical_value(confidence, static_cast<double>(n - 1), /*two_sided=*/false);
  return mean + q * sd / std::sqrt(static_cast<double>(n));
}

Interval wilson(int64_t k, int64_t n, double confidence) {
  if (n == 0) return {0, 1};
  const double z = critical_value(confidence);
  const double p = static_cast<double>(k) / static_cast<double>(n);
  const double nn = static_cast<double>(n);
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval clopper_pearson(int64_t k, int64_t n, double confidence) {
  if (n == 0) return {0, 1};
  const double a = (1 - confidence) / 2;
  const double kk = static_cast<double>(k), nn = static_cast<double>(n);
  const double lo =
      k == 0 ? 0.0 : boost::math::quantile(boost::math::beta_distribution(kk, nn - kk + 1), a);
  const double hi =
      k == n ? 1.0 : boost::math::quantile(boost::math::beta_distribution(kk + 1, nn - kk), 1 - a);
  return {lo, hi};
}

ProportionInterval proportion_interval(int64_t k, int64_t n, double confidence) {
  if (n == 0) return {{0, 1}, CiMethod::kClopperPearson};
  if (k >= kFewEvents && n - k >= kFewEvents) return {wilson(k, n, confidence), CiMethod::kWilson};
  // None (or all) seen: the exact one-sided bound 1 - (1 - confidence)^(1/n),
  // about 3/n at 95%, since the other end is the boundary itself.
  const double one_sided = 1 - std::pow(1 - confidence, 1.0 / static_cast<double>(n));
  if (k == 0) return {{0, one_sided}, CiMethod::kRuleOfThree};
  if (k == n) return {{1 - one_sided, 1}, CiMethod::kRuleOfThree};
  return {clopper_pearson(k, n, confidence), CiMethod::kClopperPearson};
}

Interval hall_interval(double mean, double sd, int64_t n, double skewness, double confidence) {
  if (n < 2) return {mean, mean};
  const double nn = static_cast<double>(n), se = sd / std::sqrt(nn);
  const double q = critical_value(confidence, nn - 1);
  const double a = skewness / (3 * std::sqrt(nn)), b = skewness / (6 * std::sqrt(nn));
  // g(t) = ((1 + a t)^3 - 1) / (3 a) + b, increasing for every t; its inverse:
  const auto inverse = [&](double x) {
    if (std::abs(a) < 1e-12) return x - b;
    return (std::cbrt(1 + 3 * a * (x - b)) - 1) / a;
  };
  // T = (mean - mu) / se lies in [g^-1(-q), g^-1(q)] with the confidence.
  return {mean - se * inverse(q), mean - se * inverse(-q)};
}

Interval gamma_interval(double sum, double var_sum, double event_size, int64_t n,
                        double confidence) {
  const double a = (1 - confidence) / 2;
  const double nn = static_cast<double>(n);
  const double w = std::max(1.0, event_size);
  double lo = 0;
  if (sum > 0 && var_sum > 0) {
    const boost::math::gamma_distribution<> g(sum * sum / var_sum, var_sum / sum);
    lo = boost::math::quantile(g, a);
  } else if (sum > 0) {
    lo = sum;  // no spread seen: nothing below the sum is suggested
  }
  // The upper end adds one more event: the gamma with the sum's mean and
  // variance alone is too short when an event as large as those seen may have
  // been missed (Fay and Feuer's correction).
  const double y = sum + w, v = var_sum + w * w;
  const boost::math::gamma_distribution<> g(y * y / v, v / y);
  const double hi = boost::math::quantile(g, 1 - a);
  return {lo / nn, hi / nn};
}

double cvar(const IntHistogram& h, double alpha) {
  return cvar_of(pairs_of(h), h.count(), alpha);
}

namespace {

// quantile_interval of the n values `all` holds.
Interval quantile_interval_of(const Pairs& all, int64_t n, double p, double confidence) {
  if (n == 0) return {-kInf, kInf};
  const double a = (1 - confidence) / 2;
  const boost::math::binomial_distribution<> b(static_cast<double>(n), p);
  // B, the number of replications at or below the quantile, is at least
  // Binomial(n, p) and the number strictly below at most that, so ranks l and u
  // with P(B < l) <= a and P(B >= u) <= a bracket it with >= 1 - 2a (discrete
  // values only make that conservative). l: the largest with cdf(l - 1) <= a.
  // Searches start from the normal approximation of each rank: a few steps.
  const double nn = static_cast<double>(n), spread = 2 * std::sqrt(nn * p * (1 - p));
  int64_t l = std::clamp<int64_t>(static_cast<int64_t>(nn * p - spread), 0, n);
  while (l > 0 && boost::math::cdf(b, static_cast<double>(l - 1)) > a) --l;
  while (l < n && boost::math::cdf(b, static_cast<double>(l)) <= a) ++l;
  // u: the smallest with 1 - cdf(u - 1) <= a.
  int64_t u = std::clamp<int64_t>(static_cast<int64_t>(nn * p + spread), 1, n + 1);
  while (u <= n && boost::math::cdf(boost::math::complement(b, static_cast<double>(u - 1))) > a)
    ++u;
  while (u > 1 && boost::math::cdf(boost::math::complement(b, static_cast<double>(u - 2))) <= a)
    --u;
  return {l >= 1 ? static_cast<double>(order_statistic(all, l)) : -kInf,
          u <= n ? static_cast<double>(order_statistic(all, u)) : kInf};
}

// The studentized bootstrap interval of CVaR95 (below); `t_hi` gets the
// studentized quantile its lower end uses (1.96 when nothing above VaR
// varies, so that nothing is resampled).
Interval studentized_cvar95(const Pairs& all, int64_t n, int resamples, double& t_hi_out) {
  t_hi_out = 1.96;
  // Studentized (bootstrap-t): each resample's CVaR is centred on the
  // estimate and divided by its own standard error, from the influence
  // function of CVaR, (x - VaR)^+ / 0.05 (docs/model.md §6). The plug-in CVaR
  // is biased low and its spread grows with its level; the t statistic carries
  // both, where percentile and BCa intervals left the truth above them (0.90
  // and 0.93 on a Poisson(4) and the reference scenario at n = 400).
  const double estimate = cvar_of(all, n, 0.95);
  const double se = cvar_standard_error(all, n, 0.95);
  const double tail_replications = 0.05 * static_cast<double>(n);
  // No value above VaR: the interval is the estimate, whatever the resamples.
  if (se == 0) return {estimate, tail_replications < kFewEvents ? kInf : estimate};
  // A resample's CVaR depends on its values from VaR up only: draw the
  // multinomial counts from the largest value down, each a binomial given the
  // draws left (bin i of mass m_i among the M_i of it and the bins below:
  // Binomial(left, m_i / M_i)), and stop at the bin that holds the
  // from_top-th largest, VaR; how many of the draws left fall on VaR itself or
  // below it changes neither the CVaR nor its error, so that last draw is
  // capped at the number still needed. The laws are the same in every
  // resample: made once, from the top down as far as a resample reaches.
  const int64_t from_top = n - quantile_rank(0.95, n) + 1;
  std::mt19937_64 rng(data_seed(all));
  std::vector<Binomial> laws;
  int64_t mass_below = n;  // the mass of the bins no law is made for yet
  Pairs above;             // one resample's values above VaR, from the top down
  std::vector<double> stats;
  stats.reserve(static_cast<size_t>(resamples));
  for (int b = 0; b < resamples; ++b) {
    above.clear();
    int64_t left = n, needed = from_top, var = 0;
    for (size_t i = 0;; ++i) {
      const auto& [value, count] = all[all.size() - 1 - i];
      if (i == laws.size()) {
        const double mass = static_cast<double>(mass_below);
        laws.emplace_back(static_cast<double>(count) / mass,
                          static_cast<double>(mass_below - count) / mass);
        mass_below -= count;
      }
      const int64_t c = laws[i](rng, left, needed);
      if (c >= needed) {
        var = value;
        break;
      }
      left -= c;
      needed -= c;
      if (c > 0) above.emplace_back(value, c);
    }
    const double c = cvar_given_var(above.rbegin(), above.rend(), var, n, 0.95) - estimate;
    const double e = cvar_standard_error_given_var(above.rbegin(), above.rend(), var, n, 0.95);
    // No spread in the resample's tail: its t is 0 when it agrees, else beyond
    // every finite one.
    stats.push_back(e > 0 ? c / e : c == 0 ? 0.0 : std::copysign(kInf, c));
  }
  // The two order statistics of the t's the interval uses, as a full sort
  // would place them.
  const auto rank = [&](double q) {
    return std::min(static_cast<size_t>(std::floor(q * (resamples - 1) + 0.5)), stats.size() - 1);
  };
  const size_t lo_rank = rank(0.025), hi_rank = rank(0.975);
  std::nth_element(stats.begin(), stats.begin() + static_cast<std::ptrdiff_t>(hi_rank),
                   stats.end());
  const double t_hi = stats[hi_rank];
  if (lo_rank < hi_rank)
    std::nth_element(stats.begin(), stats.begin() + static_cast<std::ptrdiff_t>(lo_rank),
                     stats.begin() + static_cast<std::ptrdiff_t>(hi_rank));
  const double t_lo = stats[lo_rank];
  t_hi_out = t_hi;
  return {estimate - t_hi * se, tail_replications < kFewEvents ? kInf : estimate - t_lo * se};
}

}  // namespace

Interval quantile_interval(const IntHistogram& h, double p, double confidence) {
  return quantile_interval_of(pairs_of(h), h.count(), p, confidence);
}

Interval cvar95_interval(const IntHistogram& h, int resamples) {
  const int64_t n = h.count();
  if (n == 0) return {-kInf, kInf};
  const Pairs all = pairs_of(h);
  double t = 0;
  Interval ci = studentized_cvar95(all, n, resamples, t);
  // A run whose own VaR lies one value above the true one (a law with an atom
  // just under its 95% point) has a plug-in CVaR above the truth, and an error
  // that sees only the values above that higher VaR: the interval then misses
  // low. The Rockafellar-Uryasev objective F(v) = v + E(x - v)^+ / 0.05 is the
  // CVaR at the true VaR and more at any other v, so the lower end is also
  // taken at each value the 95% quantile's own interval allows, F^(v) minus t
  // standard errors of F^(v) but not below that interval, and the least kept
  // (docs/model.md §6).
  if (n < 2 || !std::isfinite(t)) return ci;
  const Interval var_range = quantile_interval_of(all, n, 0.95, 0.95);
  for (const auto& [v, count] : all) {
    if (v < var_range.lo || v > var_range.hi) continue;
    const double f = cvar_given_var(all.begin(), all.end(), v, n, 0.95);
    const double se = cvar_standard_error_given_var(all.begin(), all.end(), v, n, 0.95);
    // CVaR is at least the true VaR, and so at least the interval's low end.
    ci.lo = std::min(ci.lo, std::max(f - t * se, var_range.lo));
  }
  return ci;
}

MetricSummary summarize(const IntHistogram& h, ValueKind kind) {
  MetricSummary s;
  s.n = h.count();
  if (s.n == 0) return s;
  const Pairs all = pairs_of(h);
  if (all.front().first < 0) kind = ValueKind::kDifference;
  // Exact integer sums (values and counts are integers); long double for the
  // squares keeps the variance exact for any realistic count.
  Int128 sum = 0;
  long double sum_abs = 0, sum_sq = 0;
  for (const auto& [v, c] : all) {
    sum += static_cast<Int128>(v) * c;
    sum_abs += static_cast<long double>(v < 0 ? -v : v) * c;
    sum_sq += static_cast<long double>(v) * v * c;
  }
  const long double mean = static_cast<long double>(sum) / s.n;
  long double ss = 0;
  for (const auto& [v, c] : all) {
    const long double d = static_cast<long double>(v) - mean;
    ss += d * d * c;
  }
  s.mean = static_cast<double>(mean);
  s.sd = s.n > 1 ? static_cast<double>(std::sqrt(ss / (s.n - 1))) : 0.0;
  s.events = sum_sq > 0 ? static_cast<double>(sum_abs * sum_abs / sum_sq) : 0.0;
  s.few_events = s.events < kFewEvents;

  // Which interval (docs/model.md §6, "Which interval"): Student t needs enough
  // events for the sample variance to stand for the true one; below that, the
  // exact Poisson-based intervals, which also bound the unseen.
  const double nn = static_cast<double>(s.n);
  if (s.events >= kExactBelow && s.sd > 0) {
    const double half = t_half_width(s.sd, s.n);
    s.ci95 = {s.mean - half, s.mean + half};
    s.ci_method = CiMethod::kT;
  } else if (sum_sq == 0) {
    // Every value 0: no event. The one-sided exact bound of the rate, and of
    // the mean absolute change for a difference.
    const double bound = rule_of_three(0.95) / nn;
    s.ci95 = {kind == ValueKind::kDifference ? -bound : 0.0, bound};
    s.ci_method = CiMethod::kRuleOfThree;
  } else if (kind == ValueKind::kCount) {
    s.ci95 = count_interval(all, s.n, [](int64_t v) { return v; });
    s.ci_method = CiMethod::kGamma;
  } else {
    // A difference: its positive and negative parts are sums of events of
    // their own; each gets a gamma interval and the two combine by the method
    // of variance estimates recovery (MOVER).
    const Interval ip = count_interval(all, s.n, [](int64_t v) { return std::max<int64_t>(v, 0); });
    const Interval im =
        count_interval(all, s.n, [](int64_t v) { return std::max<int64_t>(-v, 0); });
    long double pos = 0, neg = 0;
    for (const auto& [v, c] : all)
      (v > 0 ? pos : neg) += static_cast<long double>(v < 0 ? -v : v) * c;
    const double p = static_cast<double>(pos / s.n), m = static_cast<double>(neg / s.n);
    s.ci95 = {s.mean - std::hypot(p - ip.lo, im.hi - m), s.mean + std::hypot(ip.hi - p, m - im.lo)};
    s.ci_method = CiMethod::kMoverGamma;
  }

  // Skewness (docs/model.md §6, "Which interval"): Student t and the gamma
  // interval both miss on the long side of a skewed metric at small n (a few
  // large clusters). The end on the side of the skew becomes Hall's when that
  // is farther out, so no end moves inward; the correction shrinks as
  // 1/sqrt(n).
  if (s.sd > 0 && s.n >= 3) {
    long double cube = 0;
    for (const auto& [v, c] : all) {
      const long double d = static_cast<long double>(v) - mean;
      cube += d * d * d * c;
    }
    const long double m2 = ss / s.n;
    const double g1 = static_cast<double>((cube / s.n) / std::pow(m2, 1.5L));
    const double skew = g1 * std::sqrt(nn * (nn - 1)) / (nn - 2);  // adjusted G1
    // Only the long side moves: the short one stays that of the interval
    // chosen above (exact for Poisson counts).
    const Interval h = hall_interval(s.mean, s.sd, s.n, skew);
    if (skew > 0 && h.hi > s.ci95.hi) {
      s.ci95.hi = h.hi;
      s.ci_method = CiMethod::kHall;
    } else if (skew < 0 && h.lo < s.ci95.lo) {
      s.ci95.lo = kind == ValueKind::kCount ? std::max(h.lo, 0.0) : h.lo;
      s.ci_method = CiMethod::kHall;
    }
  }

  s.p50 = static_cast<double>(order_statistic(all, quantile_rank(0.50, s.n)));
  s.p90 = static_cast<double>(order_statistic(all, quantile_rank(0.90, s.n)));
  s.p95 = static_cast<double>(order_statistic(all, quantile_rank(0.95, s.n)));
  s.p99 = static_cast<double>(order_statistic(all, quantile_rank(0.99, s.n)));
  auto bounded_below = [&](Interval i) {
    // A count is never below 0: the bound an order statistic cannot give.
    if (kind == ValueKind::kCount && std::isinf(i.lo)) i.lo = 0;
    return i;
  };
  s.p50_ci95 = bounded_below(quantile_interval_of(all, s.n, 0.50, 0.95));
  s.p90_ci95 = bounded_below(quantile_interval_of(all, s.n, 0.90, 0.95));
  s.p95_ci95 = bounded_below(quantile_interval_of(all, s.n, 0.95, 0.95));
  s.p99_ci95 = bounded_below(quantile_interval_of(all, s.n, 0.99, 0.95));
  s.cvar95 = cvar_of(all, s.n, 0.95);
  return s;
}

}  // namespace pk
