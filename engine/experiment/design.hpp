// Sweep designs: the points of a parameter sweep (grid, Latin hypercube,
// Sobol), each a list of path = value overrides.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/loader.hpp"

namespace pk {

struct SweepPoint {
  int64_t index = 0;
  std::vector<PointOverride> overrides;  // one per parameter, in parameter order
  std::vector<double> numeric;           // the values as numbers (NaN when not numeric)
};

// The points of `sweep`. Grids vary the last parameter fastest. Latin
// hypercube and Sobol draw within each range's [from, to]; a parameter the
// format declares an integer (a count such as uav.aircraft) is rounded to the
// nearest whole number. The design's randomness comes from `seed`
// alone. Returns false with `error` set when the design cannot be made.
bool make_design(const SweepSpec& sweep, uint64_t seed, std::vector<SweepPoint>& points,
                 std::string& error);

}  // namespace pk
