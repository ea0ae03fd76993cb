// Global sensitivity of a response to swept parameters: standardized
// regression coefficients (SRC, linear) and partial rank correlation
// coefficients (PRCC, monotone), by least squares (Eigen).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pk {

struct Sensitivity {
  std::vector<double> src;   // one per parameter; NaN when the parameter does not vary
  std::vector<double> prcc;  // one per parameter; NaN when not estimable (below)
  double r2 = 0;             // of the linear fit behind the SRCs
  // Why no PRCC is given ("" when they are): kNoResidualVariation when the
  // ranks of the response are an exact linear function of the parameters'
  // ranks, kConstantResponse when the response does not vary.
  std::string prcc_not_estimable;
};

// PRCC_j² = 1 − SSE(all ranks) / SSE(all ranks but j): when the regression of
// the response's ranks on every parameter's ranks leaves no residual (common
// random numbers make the response a deterministic function of the
// parameters), every PRCC is ±1 (or 0/0) whatever the size of the effect.
// Residual sums of squares at most this fraction of the ranks' total count as none.
inline constexpr double kPrccResidualTolerance = 1e-9;
inline constexpr const char* kNoResidualVariation = "no residual variation";
inline constexpr const char* kConstantResponse = "the response does not vary";

// x: points × parameters, y: the response at each point. nullopt when there
// are too few points (fewer than parameters + 2) to say anything.
std::optional<Sensitivity> sensitivity(const std::vector<std::vector<double>>& x,
                                       const std::vector<double>& y);

}  // namespace pk
