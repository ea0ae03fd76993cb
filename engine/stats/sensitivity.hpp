// Global sensitivity of a response to swept parameters: standardized
// regression coefficients (SRC, linear) and partial rank correlation
// coefficients (PRCC, monotone), by least squares (Eigen).
#pragma once

#include <optional>
#include <vector>

namespace pk {

struct Sensitivity {
  std::vector<double> src;   // one per parameter; NaN when the parameter does not vary
  std::vector<double> prcc;  // one per parameter
  double r2 = 0;             // of the linear fit behind the SRCs
};

// x: points × parameters, y: the response at each point. nullopt when there
// are too few points (fewer than parameters + 2) to say anything.
std::optional<Sensitivity> sensitivity(const std::vector<std::vector<double>>& x,
                                       const std::vector<double>& y);

}  // namespace pk
