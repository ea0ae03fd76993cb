#include "scenario/exposure.hpp"

#include <algorithm>
#include <cmath>

namespace pk {

double expected_departures(const Movement& m, double horizon_hours) {
  const Schedule& s = m.schedule;
  if (s.kind == Schedule::Kind::kPoisson) return s.per_hour * horizon_hours;
  if (!(s.every_hours > 0) || s.first_hour >= horizon_hours) return 0;
  const double times = std::floor((horizon_hours - s.first_hour) / s.every_hours - 1e-12) + 1;
  if (s.count == 1) return times;
  // The departures of the last time may run past the horizon.
  const auto count = static_cast<double>(s.count);
  const double last = s.first_hour + (times - 1) * s.every_hours;
  const double gap = s.spread_hours / count;
  const double in_last =
      gap > 0 ? std::min(count, std::floor((horizon_hours - last) / gap - 1e-12) + 1) : count;
  return (times - 1) * count + in_last;
}

std::vector<VehicleGroup> column(const Movement& m) {
  if (!m.route_clearance || m.route_clearance->vehicles.empty()) return m.vehicles;
  std::vector<VehicleGroup> out = m.route_clearance->vehicles;
  out.insert(out.end(), m.vehicles.begin(), m.vehicles.end());
  return out;
}

double kill_zone_share(const AmbushThreat& a, const Movement& m) {
  int64_t vehicles = 0;
  for (const VehicleGroup& g : column(m)) vehicles += g.count;
  if (a.kill_zone_m <= 0 || m.spacing_m <= 0 || vehicles == 0) return 1;
  return std::min(1.0, a.kill_zone_m / (static_cast<double>(vehicles) * m.spacing_m));
}

double vehicle_km_per_year(const Scenario& s, int vehicle_type) {
  const double years = s.horizon_hours / (kHoursPerDay * kDaysPerYear);
  if (years <= 0) return 0;
  double km = 0;
  for (const Movement& m : s.movements) {
    int64_t vehicles = 0;
    for (const VehicleGroup& g : column(m))
      if (g.type == vehicle_type) vehicles += g.count;
    if (vehicles == 0) continue;
    km += static_cast<double>(vehicles) * expected_departures(m, s.horizon_hours) *
          s.routes[m.route].length_km * (m.round_trip ? 2 : 1);
  }
  return km / years;
}

}  // namespace pk
