#include "stats/ratio.hpp"

#include <algorithm>
#include <cmath>

namespace pk {

ShareEstimate share_estimate(const RatioSums& s) {
  ShareEstimate e;
  if (s.b <= 0 || s.n < 1) return e;
  e.defined = true;
  e.value = s.a / s.b;
  const double n = static_cast<double>(s.n);
  if (s.n < 2) {  // one replication cannot tell its spread: no bound
    e.ci95 = {0, 1};
    return e;
  }
  double se = 0;
  {
    const double r = e.value;
    const double ss = std::max(0.0, s.aa - 2 * r * s.ab + r * r * s.bb);
    se = std::sqrt(ss / (n * (n - 1))) / (s.b / n);
  }
  constexpr double kZ95 = 1.959963984540054;
  e.ci95 = {std::clamp(e.value - kZ95 * se, 0.0, 1.0), std::clamp(e.value + kZ95 * se, 0.0, 1.0)};
  return e;
}

}  // namespace pk
