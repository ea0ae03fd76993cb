#include "stats/copula.hpp"

#include <cmath>
#include <cstdio>

#include "stats/distribution.hpp"

namespace pk {

std::string GaussianCopula::make(const std::vector<std::vector<double>>& c) {
  const size_t k = c.size();
  for (size_t i = 0; i < k; ++i) {
    if (c[i].size() != k) return "the correlation matrix is not square";
    if (c[i][i] != 1) return "the correlation matrix's diagonal is not 1";
    for (size_t j = 0; j < i; ++j) {
      if (c[i][j] != c[j][i]) return "the correlation matrix is not symmetric";
      if (!(std::fabs(c[i][j]) < 1)) return "a correlation is not strictly between -1 and 1";
    }
  }
  // Cholesky–Banachiewicz: a pivot at or below zero means no set of inputs
  // can have these correlations together.
  std::vector<std::vector<double>> l(k, std::vector<double>(k, 0.0));
  for (size_t i = 0; i < k; ++i)
    for (size_t j = 0; j <= i; ++j) {
      double s = c[i][j];
      for (size_t m = 0; m < j; ++m) s -= l[i][m] * l[j][m];
      if (i == j) {
        if (!(s > 1e-12))
          return "the correlations cannot hold together (the matrix is not positive definite)";
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  lower_ = std::move(l);
  return "";
}

std::vector<double> GaussianCopula::apply(const std::vector<double>& u) const {
  if (lower_.empty()) return u;  // independent
  const size_t k = u.size();
  std::vector<double> z(k), out(k);
  for (size_t i = 0; i < k; ++i) z[i] = standard_normal_quantile(u[i]);
  for (size_t i = 0; i < k; ++i) {
    double s = 0;
    for (size_t j = 0; j <= i; ++j) s += lower_[i][j] * z[j];
    out[i] = standard_normal_cdf(s);
  }
  return out;
}

}  // namespace pk
