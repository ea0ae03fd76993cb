#include "stats/summary.hpp"

#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace pk {

namespace {
// Exact sums of integer histograms; __extension__ keeps -Wpedantic quiet about
// a type ISO C++ lacks but both compilers support.
__extension__ typedef __int128 Int128;
}  // namespace

double critical_value(double confidence, double dof, bool two_sided) {
  const double p = two_sided ? 0.5 + confidence / 2 : confidence;
  if (std::isinf(dof)) return boost::math::quantile(boost::math::normal(), p);
  return boost::math::quantile(boost::math::students_t(dof), p);
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

MetricSummary summarize(const IntHistogram& h) {
  MetricSummary s;
  s.n = h.count();
  if (s.n == 0) return s;
  // Exact integer sums (values and counts are integers); long double for the
  // squares keeps the variance exact for any realistic count.
  Int128 sum = 0;
  h.for_each([&](int64_t v, int64_t c) { sum += static_cast<Int128>(v) * c; });
  const long double mean = static_cast<long double>(sum) / s.n;
  long double ss = 0;
  h.for_each([&](int64_t v, int64_t c) {
    const long double d = static_cast<long double>(v) - mean;
    ss += d * d * c;
  });
  s.mean = static_cast<double>(mean);
  s.sd = s.n > 1 ? static_cast<double>(std::sqrt(ss / (s.n - 1))) : 0.0;
  const double half = t_half_width(s.sd, s.n);
  s.ci95 = {s.mean - half, s.mean + half};

  auto quantile = [&](double p) {
    // Smallest value whose cumulative count reaches ceil(p n).
    const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(p * s.n - 1e-9)));
    int64_t seen = 0;
    double out = 0;
    bool done = false;
    h.for_each([&](int64_t v, int64_t c) {
      if (done) return;
      seen += c;
      if (seen >= rank) out = static_cast<double>(v), done = true;
    });
    return out;
  };
  s.p50 = quantile(0.50);
  s.p90 = quantile(0.90);
  s.p95 = quantile(0.95);
  s.p99 = quantile(0.99);

  // Worst ceil(5%) replications, taking the top values down.
  const int64_t k = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(0.05 * s.n - 1e-9)));
  std::vector<std::pair<int64_t, int64_t>> all;
  h.for_each([&](int64_t v, int64_t c) { all.emplace_back(v, c); });
  int64_t left = k;
  Int128 tail = 0;
  for (auto it = all.rbegin(); it != all.rend() && left > 0; ++it) {
    const int64_t take = std::min(left, it->second);
    tail += static_cast<Int128>(it->first) * take;
    left -= take;
  }
  s.cvar95 = static_cast<double>(static_cast<long double>(tail) / k);
  return s;
}

}  // namespace pk
