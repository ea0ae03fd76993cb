#include "sim/distance_hazards.hpp"

#include <algorithm>
#include <cmath>

#include "sim/world.hpp"

namespace pk::sim {

Walk walk_hazard(const World& w, const RouteTable& r, const RouteHazard& h_route, double x0,
                 double t0, int dir, double v, double budget, double x_stop) {
  Walk out;
  const int n = static_cast<int>(r.segments.size());
  int i = 0;
  if (dir > 0) {
    while (i + 1 < n && r.segments[i].end_km <= x0) ++i;
  } else {
    i = n - 1;
    while (i > 0 && r.segments[i].begin_km >= x0) --i;
  }
  double x = x0;
  double h = 0;
  for (; i >= 0 && i < n; i += dir) {
    const RouteSegment& seg = r.segments[i];
    const double seg_far = dir > 0 ? std::min(seg.end_km, x_stop) : std::max(seg.begin_km, x_stop);
    const double per_km = h_route.per_km[i];
    if (per_km > 0) {
      const IntensityTable& it = w.intensity(seg.zone);
      int p = it.piece(t0 + std::abs(x - x0) / v);
      while (dir * (seg_far - x) > 0) {
        const double t_end = it.end(p);
        double x_next = seg_far;
        bool piece_ends = false;
        if (t_end < kInf) {
          const double x_piece_end = x0 + dir * v * (t_end - t0);
          if (dir * (seg_far - x_piece_end) > 0) {
            x_next = x_piece_end;
            piece_ends = true;
          }
        }
        const double rate = per_km * it.factor[p];
        const double dh = rate * std::abs(x_next - x);
        if (rate > 0 && h + dh >= budget) {
          out.hit = true;
          out.pos = x + dir * (budget - h) / rate;
          out.segment = i;
          out.hazard = budget;
          return out;
        }
        h += dh;
        if (piece_ends) {
          x = std::max(x * dir, x_next * dir) * dir;  // never step back on rounding
          ++p;
        } else {
          x = seg_far;
        }
      }
    } else if (dir * (seg_far - x) > 0) {
      x = seg_far;
    }
    if (x == x_stop) break;
  }
  out.pos = x_stop;
  out.hazard = h;
  return out;
}

}  // namespace pk::sim
