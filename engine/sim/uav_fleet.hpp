// The UAV fleet, a shared resource with contention — docs/model.md §3.2, §8.15.
#pragma once

#include <cstdint>
#include <vector>

namespace pk::sim {

struct World;

// Days are drawn lazily: the first time the fleet is asked anything on day d
// (an overwatch request, a coverage query), day d's weather and availability
// are drawn from day d's own stream. Days nobody asks about need no draw and
// no event, and the result is the same as drawing every day at 00:00.
class UavFleet {
 public:
  // Resets the counts for a new replication.
  void start(World& w);

  // A departing movement asks once for one aircraft for its whole trip (§8.15).
  // True when it got one.
  bool request_overwatch(World& w);
  // The trip ended: its aircraft goes back to the pool.
  void release_overwatch(World& w);

  // Area coverage c(t) of zone z at the current time; 0 outside `area.zones`.
  double coverage(World& w, int zone);

  // The earliest time of a day's trace record still to come when the clock
  // is at `now`: a day is logged at its 00:00 when it is drawn, which may be
  // later in that day (+inf without a fleet).
  double next_log(double now) const;

 private:
  // Draws the current day if it has not been drawn yet.
  void sync(World& w);
  void draw_day(World& w, int64_t day);
  void update_coverage(const World& w);

  bool fleet_ = false;    // the scenario has aircraft
  double day_start_ = 0;  // hours: capable_ was drawn for the day [day_start_, day_end_)
  double day_end_ = -1;

  bool overwatch_ = false;  // the scenario has uav.overwatch
  int64_t capable_ = 0;     // mission-capable aircraft today
  int64_t assigned_ = 0;    // aircraft on overwatch (may exceed capable_ after a bad day)
  double coverage_ = 0;     // c(t) for zones in the area, [0, 1], as of the last coverage() query
};

}  // namespace pk::sim
