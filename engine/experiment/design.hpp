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

// The draws of `spec` for `pkrisk decide`: a Sobol sequence scrambled by a
// random digital shift (from `seed` alone, so that any split of the work
// draws the same points), made dependent by the inputs' Gaussian copula, each
// coordinate mapped through its input's quantile function (integers rounded).
// Each point's overrides are written exactly (shortest round-trip digits).
bool make_uncertainty_design(const UncertaintySpec& spec, uint64_t seed, int64_t draws,
                             std::vector<SweepPoint>& points, std::string& error);

}  // namespace pk
