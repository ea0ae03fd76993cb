#include "stats/acceptance.hpp"

#include <cstdio>

namespace pk {

AcceptanceVerdict check_acceptance(const MetricSummary& f, double personnel_years, double limit,
                                   double confidence) {
  AcceptanceVerdict v;
  v.checked = true;
  v.limit = limit;
  v.confidence = confidence;
  const double scale = 1000.0 / personnel_years;
  v.upper = t_upper_bound(f.mean, f.sd, f.n, confidence) * scale;
  v.passed = v.upper <= v.limit;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "acceptance %s: baseline fatalities per 1,000 personnel-years %.3f (upper %g%% "
                "bound %.3f) %s limit %.3f",
                v.passed ? "passed" : "FAILED", f.mean * scale, confidence * 100, v.upper,
                v.passed ? "<=" : ">", v.limit);
  v.reason = buf;
  return v;
}

}  // namespace pk
