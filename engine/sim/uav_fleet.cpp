#include "sim/uav_fleet.hpp"

#include <algorithm>
#include <cmath>

#include "sim/world.hpp"

namespace pk::sim {

void UavFleet::start(World& w) {
  capable_ = 0;
  assigned_ = 0;
  coverage_ = 0;
  day_start_ = 0;
  day_end_ = -1;  // nothing drawn yet
  const auto& uav = w.scenario.uav;
  fleet_ = uav && uav->aircraft > 0;
  overwatch_ = fleet_ && uav->overwatch;
}

void UavFleet::sync(World& w) {
  if (!fleet_) return;
  const double now = w.queue.now();
  if (now >= day_start_ && now < day_end_) return;  // time only moves forward
  draw_day(w, static_cast<int64_t>(std::floor(now / kHoursPerDay)));
}

void UavFleet::draw_day(World& w, int64_t day) {
  const Uav& uav = *w.scenario.uav;
  day_start_ = kHoursPerDay * static_cast<double>(day);
  day_end_ = kHoursPerDay * static_cast<double>(day + 1);
  // One grounding uniform then one uniform per aircraft, always all drawn, so
  // aircraft i sees the same weather and availability whatever the fleet size.
  // A grounded day needs no availability draw: nothing else reads this stream.
  Stream s(w.key, Proc::kUavDay, static_cast<uint64_t>(day));
  const bool grounded = s.uniform() < uav.weather_grounding;
  int64_t capable = 0;
  if (!grounded) {
    for (int64_t i = 0; i < uav.aircraft; ++i) {
      if (s.uniform() < uav.availability) ++capable;
    }
  }
  capable_ = capable;
  if (w.trace) {
    update_coverage(w);
    w.log(kHoursPerDay * static_cast<double>(day), "uav_day",
          "day %lld capable %lld assigned %lld coverage %.3f", static_cast<long long>(day),
          static_cast<long long>(capable_), static_cast<long long>(assigned_), coverage_);
  }
}

double UavFleet::next_log(double now) const {
  if (!fleet_) return INFINITY;
  // Today is drawn: the next draw is of a later day. Else the next can be today's.
  if (now >= day_start_ && now < day_end_) return day_end_;
  return kHoursPerDay * std::floor(now / kHoursPerDay);
}

bool UavFleet::request_overwatch(World& w) {
  if (!overwatch_) return false;
  sync(w);
  if (capable_ - assigned_ <= 0) return false;
  ++assigned_;
  return true;
}

void UavFleet::release_overwatch(World&) {
  --assigned_;
}

double UavFleet::coverage(World& w, int zone) {
  if (!w.tables.zones[zone].in_area) return 0.0;
  sync(w);
  // Computed when asked (a few times a day) rather than at every overwatch
  // request and release (many more): the same formula on the same counts.
  update_coverage(w);
  return coverage_;
}

void UavFleet::update_coverage(const World& w) {
  const auto& uav = w.scenario.uav;
  if (!uav || !uav->area || w.tables.area_route_km <= 0) {
    coverage_ = 0;
    return;
  }
  const double free_aircraft = static_cast<double>(std::max<int64_t>(0, capable_ - assigned_));
  coverage_ = std::min(1.0, free_aircraft * uav->area->km_per_aircraft / w.tables.area_route_km);
}

}  // namespace pk::sim
