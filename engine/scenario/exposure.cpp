#include "scenario/exposure.hpp"

#include <algorithm>
#include <cmath>

namespace pk {

double expected_departures(const Movement& m, double horizon_hours) {
  if (m.schedule.kind == Schedule::Kind::kPoisson) return m.schedule.per_hour * horizon_hours;
  if (m.schedule.first_hour >= horizon_hours) return 0;
  return std::floor((horizon_hours - m.schedule.first_hour) / m.schedule.every_hours - 1e-12) + 1;
}

double kill_zone_share(const AmbushThreat& a, const Movement& m) {
  int64_t vehicles = 0;
  for (const VehicleGroup& g : m.vehicles) vehicles += g.count;
  if (a.kill_zone_m <= 0 || m.spacing_m <= 0 || vehicles == 0) return 1;
  return std::min(1.0, a.kill_zone_m / (static_cast<double>(vehicles) * m.spacing_m));
}

double vehicle_km_per_year(const Scenario& s, int vehicle_type) {
  const double years = s.horizon_hours / (kHoursPerDay * kDaysPerYear);
  if (years <= 0) return 0;
  double km = 0;
  for (const Movement& m : s.movements) {
    int64_t vehicles = 0;
    for (const VehicleGroup& g : m.vehicles)
      if (g.type == vehicle_type) vehicles += g.count;
    if (vehicles == 0) continue;
    km += static_cast<double>(vehicles) * expected_departures(m, s.horizon_hours) *
          s.routes[m.route].length_km * (m.round_trip ? 2 : 1);
  }
  return km / years;
}

}  // namespace pk
