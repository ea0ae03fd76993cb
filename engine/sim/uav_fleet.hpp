// The UAV fleet, a shared resource with contention — MODEL.md §3.2, §8.15.
#pragma once

#include <cstdint>
#include <vector>

namespace pk::sim {

struct World;

class UavFleet {
 public:
  // Schedules day 0 (when there is a fleet) and resets the counts.
  void start(World& w);
  // Day d: weather grounding, then each aircraft's availability; reschedules d + 1.
  void on_day(World& w, int day);

  // A departing movement asks once for one aircraft for its whole trip (§8.15).
  // True when it got one.
  bool request_overwatch(World& w);
  // The trip ended: its aircraft goes back to the pool.
  void release_overwatch(World& w);

  // Area coverage c(t) of zone z at the current time; 0 outside `area.zones`.
  double coverage(const World& w, int zone) const;

  int64_t capable() const { return capable_; }
  int64_t assigned() const { return assigned_; }

 private:
  void update_coverage(const World& w);

  bool overwatch_ = false;  // the scenario has uav.overwatch
  int64_t capable_ = 0;     // mission-capable aircraft today
  int64_t assigned_ = 0;    // aircraft on overwatch (may exceed capable_ after a bad day)
  double coverage_ = 0;     // c(t) for zones in the area, [0, 1]
};

}  // namespace pk::sim
