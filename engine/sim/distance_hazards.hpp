// Distance hazards along a route — docs/model.md §2.3, §8.11.
//
// A distance hazard (an ambush kind) is a Poisson process in km driven whose
// rate per km is the zone's rate times the zone's intensity at the time the
// movement passes. Its next event is where the integrated rate reaches an
// Exp(1) budget; walk_hazard finds that point exactly, piece by piece (route
// segments cut by intensity pieces).
#pragma once

#include "sim/tables.hpp"

namespace pk::sim {

struct World;

struct Walk {
  bool hit = false;   // the budget ran out before x_stop
  double pos = 0;     // where it ran out, or x_stop
  int segment = 0;    // the route segment where it ran out (when hit)
  double hazard = 0;  // hazard integrated from x0 to pos
};

// Integrates hazard `h` of route `r` (expected events) along a motion that
// starts at x0 at time t0 with speed v in direction dir (+1 or −1), until it
// reaches `budget` or the position x_stop.
Walk walk_hazard(const World& w, const RouteTable& r, const RouteHazard& h, double x0, double t0,
                 int dir, double v, double budget, double x_stop);

}  // namespace pk::sim
