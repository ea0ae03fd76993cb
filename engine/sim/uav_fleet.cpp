#include "sim/uav_fleet.hpp"

#include <algorithm>

#include "sim/world.hpp"

namespace pk::sim {

void UavFleet::start(World& w) {
  capable_ = 0;
  assigned_ = 0;
  coverage_ = 0;
  const auto& uav = w.scenario.uav;
  overwatch_ = uav && uav->overwatch && uav->aircraft > 0;
  if (uav && uav->aircraft > 0 && w.horizon > 0) {
    w.queue.push(0.0, kPrUavDay, des::Payload{kEvUavDay, 0, 0, 0});
  }
}

void UavFleet::on_day(World& w, int day) {
  const Uav& uav = *w.scenario.uav;
  // One grounding uniform then one uniform per aircraft, always all drawn, so
  // aircraft i sees the same weather and availability whatever the fleet size.
  Stream s(w.key, Proc::kUavDay, static_cast<uint64_t>(day));
  const bool grounded = s.uniform() < uav.weather_grounding;
  int64_t capable = 0;
  for (int64_t i = 0; i < uav.aircraft; ++i) {
    if (s.uniform() < uav.availability) ++capable;
  }
  capable_ = grounded ? 0 : capable;
  update_coverage(w);
  if (w.trace) {
    w.log(w.queue.now(), "uav_day", "day %d capable %lld assigned %lld coverage %.3f", day,
          static_cast<long long>(capable_), static_cast<long long>(assigned_), coverage_);
  }
  const double next = (day + 1) * kHoursPerDay;
  if (next < w.horizon) w.queue.push(next, kPrUavDay, des::Payload{kEvUavDay, day + 1, 0, 0});
}

bool UavFleet::request_overwatch(World& w) {
  if (!overwatch_ || capable_ - assigned_ <= 0) return false;
  ++assigned_;
  update_coverage(w);
  return true;
}

void UavFleet::release_overwatch(World& w) {
  --assigned_;
  update_coverage(w);
}

double UavFleet::coverage(const World& w, int zone) const {
  return w.tables.zones[zone].in_area ? coverage_ : 0.0;
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
