// A share formed by two counts of each replication, such as the T1 casualties
// who reached surgery within 2 hours over all T1 casualties (docs/model.md
// §3.6): the ratio of the sums, with a delta-method interval over
// replications, since the people of one replication are not independent.
#pragma once

#include <cstdint>

#include "stats/summary.hpp"

namespace pk {

// Sums over replications of the numerator a, the denominator b, their
// squares and product. Sums of integers in doubles: exact below 2^53, so
// merging in any order gives the same bits.
struct RatioSums {
  int64_t n = 0;
  double a = 0, b = 0, aa = 0, bb = 0, ab = 0;

  void add(int64_t x, int64_t y) {
    const auto dx = static_cast<double>(x), dy = static_cast<double>(y);
    ++n;
    a += dx;
    b += dy;
    aa += dx * dx;
    bb += dy * dy;
    ab += dx * dy;
  }
  void merge(const RatioSums& o) {
    n += o.n;
    a += o.a;
    b += o.b;
    aa += o.aa;
    bb += o.bb;
    ab += o.ab;
  }
};

struct ShareEstimate {
  bool defined = false;  // false: no denominator (no replication had one)
  double value = 0;
  Interval ci95;  // clipped to [0, 1]
};

// Σa / Σb with the 95% interval value ± 1.96 se, where
// se² = Σ (a_i − R b_i)² / (n (n − 1)) / mean(b)² (Cochran's ratio estimator);
// [0, 1] from a single replication.
ShareEstimate share_estimate(const RatioSums& s);

}  // namespace pk
