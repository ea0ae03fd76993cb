// A Gaussian copula: uniforms made dependent through the correlation of their
// normal scores, each keeping its own marginal (docs/decide.md).
#pragma once

#include <string>
#include <vector>

namespace pk {

class GaussianCopula {
 public:
  // `correlation`: k × k, symmetric, unit diagonal. "" on success; else why it
  // is not a correlation matrix (not symmetric, |rho| >= 1, not positive definite).
  std::string make(const std::vector<std::vector<double>>& correlation);
  // u (each in (0, 1), independent) → u' with the copula's dependence:
  // z = Φ⁻¹(u), z' = L z (L L' = the correlation), u' = Φ(z'). Before a
  // successful make(): u itself.
  std::vector<double> apply(const std::vector<double>& u) const;

 private:
  std::vector<std::vector<double>> lower_;  // Cholesky factor
};

}  // namespace pk
