#include "stats/acceptance.hpp"

#include <cstdio>

#include <boost/math/special_functions/beta.hpp>

namespace pk {

double clopper_pearson_upper(int64_t k, int64_t n, double confidence) {
  if (n <= 0 || k >= n) return 1;
  // The upper end solves I_p(k + 1, n − k) = confidence (the regularized
  // incomplete beta is the binomial tail P(X >= k + 1) at p).
  return boost::math::ibeta_inv(static_cast<double>(k + 1), static_cast<double>(n - k), confidence);
}

namespace {

std::string too_few(int64_t n) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "acceptance NOT DECIDED: %lld replication%s of the baseline, at least %lld are "
                "needed to decide (-n or scenario.replications)",
                static_cast<long long>(n), n == 1 ? "" : "s",
                static_cast<long long>(kAcceptanceMinReplications));
  return buf;
}

}  // namespace

AcceptanceVerdict check_acceptance(const MetricSummary& f, double personnel_years, double limit,
                                   double confidence) {
  AcceptanceVerdict v;
  v.checked = true;
  v.limit = limit;
  v.confidence = confidence;
  v.replications = f.n;
  const double scale = 1000.0 / personnel_years;
  v.mean = f.mean * scale;
  if (f.n < kAcceptanceMinReplications) {
    // No bound is computed from so few: a Student-t bound at n = 1 is the
    // mean itself, which would pass a gate it knows nothing about.
    v.decided = v.passed = v.mean_passed = false;
    v.upper = v.mean;
    v.reason = too_few(f.n);
    return v;
  }
  v.upper = t_upper_bound(f.mean, f.sd, f.n, confidence) * scale;
  v.passed = v.mean_passed = v.upper <= v.limit;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "acceptance %s: baseline fatalities per 1,000 personnel-years %.3f (upper %g%% "
                "bound %.3f) %s limit %.3f",
                v.passed ? "passed" : "FAILED", v.mean, confidence * 100, v.upper,
                v.passed ? "<=" : ">", v.limit);
  v.reason = buf;
  return v;
}

AcceptanceVerdict check_acceptance(const IntHistogram& fatalities, double personnel_years,
                                   const AcceptanceCriteria& c) {
  AcceptanceVerdict v =
      check_acceptance(summarize(fatalities), personnel_years, c.max_rate, c.confidence);
  v.max_exceedance = c.max_exceedance_probability;
  // A replication exceeds when its own rate, computed as the mean's is,
  // is above the limit.
  const double scale = 1000.0 / personnel_years;
  fatalities.for_each([&](int64_t value, int64_t count) {
    if (static_cast<double>(value) * scale > c.max_rate) v.exceedances += count;
  });
  const int64_t n = fatalities.count();
  v.exceedance = n ? static_cast<double>(v.exceedances) / static_cast<double>(n) : 0;
  char buf[512];
  if (!v.decided) {
    v.exceedance_upper = 1;
    v.exceedance_passed = false;
    std::snprintf(buf, sizeof buf,
                  "; so far, mean %.3f per 1,000 personnel-years, share above %.3f: %.4f", v.mean,
                  v.limit, v.exceedance);
    v.reason += buf;
    return v;
  }
  v.exceedance_upper = clopper_pearson_upper(v.exceedances, n, c.confidence);
  if (v.max_exceedance) v.exceedance_passed = v.exceedance_upper <= *v.max_exceedance;
  v.passed = v.mean_passed && v.exceedance_passed;
  std::snprintf(buf, sizeof buf,
                "acceptance %s: baseline fatalities per 1,000 personnel-years %.3f (upper %g%% "
                "bound %.3f) %s limit %.3f; share of replications above the limit %.4f (upper "
                "%g%% bound %.4f)",
                v.passed ? "passed" : "FAILED", v.mean, c.confidence * 100, v.upper,
                v.mean_passed ? "<=" : ">", v.limit, v.exceedance, c.confidence * 100,
                v.exceedance_upper);
  v.reason = buf;
  if (v.max_exceedance) {
    std::snprintf(buf, sizeof buf, " %s max %.4f", v.exceedance_passed ? "<=" : ">",
                  *v.max_exceedance);
    v.reason += buf;
  }
  return v;
}

}  // namespace pk
