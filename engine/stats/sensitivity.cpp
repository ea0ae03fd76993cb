#include "stats/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Dense>

namespace pk {

namespace {

// Average ranks (ties share their mean rank), 1-based.
Eigen::VectorXd ranks(const Eigen::VectorXd& v) {
  const Eigen::Index n = v.size();
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] < v[b]; });
  Eigen::VectorXd r(n);
  for (Eigen::Index i = 0; i < n;) {
    Eigen::Index j = i;
    while (j + 1 < n && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (Eigen::Index k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

double sd(const Eigen::VectorXd& v) {
  const double m = v.mean();
  return std::sqrt((v.array() - m).square().sum() /
                   std::max<double>(1, static_cast<double>(v.size() - 1)));
}

// Residuals of v regressed (with intercept) on the columns of m.
Eigen::VectorXd residuals(const Eigen::MatrixXd& m, const Eigen::VectorXd& v) {
  Eigen::MatrixXd a(m.rows(), m.cols() + 1);
  a.col(0).setOnes();
  a.rightCols(m.cols()) = m;
  const Eigen::VectorXd beta = a.colPivHouseholderQr().solve(v);
  return v - a * beta;
}

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd ca = a.array() - a.mean();
  const Eigen::VectorXd cb = b.array() - b.mean();
  const double d = std::sqrt(ca.squaredNorm() * cb.squaredNorm());
  return d > 0 ? ca.dot(cb) / d : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::optional<Sensitivity> sensitivity(const std::vector<std::vector<double>>& x,
                                       const std::vector<double>& y) {
  const Eigen::Index n = static_cast<Eigen::Index>(y.size());
  if (n == 0) return std::nullopt;
  const Eigen::Index k = static_cast<Eigen::Index>(x.front().size());
  if (n < k + 2) return std::nullopt;
  Eigen::MatrixXd xm(n, k);
  Eigen::VectorXd yv(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    yv[i] = y[static_cast<size_t>(i)];
    for (Eigen::Index j = 0; j < k; ++j)
      xm(i, j) = x[static_cast<size_t>(i)][static_cast<size_t>(j)];
  }
  Sensitivity s;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.src.assign(static_cast<size_t>(k), nan);
  s.prcc.assign(static_cast<size_t>(k), nan);
  const double sy = sd(yv);
  if (!(sy > 0)) {
    s.prcc_not_estimable = kConstantResponse;
    return s;
  }
  // SRC: regression on standardized inputs and output.
  std::vector<Eigen::Index> varying;
  for (Eigen::Index j = 0; j < k; ++j)
    if (sd(xm.col(j)) > 0 && std::isfinite(xm.col(j).sum())) varying.push_back(j);
  if (varying.empty()) return s;
  Eigen::MatrixXd z(n, static_cast<Eigen::Index>(varying.size()));
  for (size_t c = 0; c < varying.size(); ++c) {
    const Eigen::VectorXd col = xm.col(varying[c]);
    z.col(static_cast<Eigen::Index>(c)) = (col.array() - col.mean()) / sd(col);
  }
  const Eigen::VectorXd zy = (yv.array() - yv.mean()) / sy;
  Eigen::MatrixXd a(n, z.cols() + 1);
  a.col(0).setOnes();
  a.rightCols(z.cols()) = z;
  const Eigen::VectorXd beta = a.colPivHouseholderQr().solve(zy);
  const Eigen::VectorXd fit = a * beta;
  s.r2 = 1 - (zy - fit).squaredNorm() / zy.squaredNorm();
  for (size_t c = 0; c < varying.size(); ++c)
    s.src[static_cast<size_t>(varying[c])] = beta[static_cast<Eigen::Index>(c) + 1];
  // PRCC: correlation of the rank residuals once the other parameters are removed.
  Eigen::MatrixXd rx(n, z.cols());
  for (size_t c = 0; c < varying.size(); ++c)
    rx.col(static_cast<Eigen::Index>(c)) = ranks(xm.col(varying[c]));
  const Eigen::VectorXd ry = ranks(yv);
  const double total = (ry.array() - ry.mean()).square().sum();
  if (residuals(rx, ry).squaredNorm() <= kPrccResidualTolerance * total) {
    s.prcc_not_estimable = kNoResidualVariation;
    return s;
  }
  for (size_t c = 0; c < varying.size(); ++c) {
    Eigen::MatrixXd others(n, rx.cols() - 1);
    for (Eigen::Index o = 0, w = 0; o < rx.cols(); ++o)
      if (o != static_cast<Eigen::Index>(c)) others.col(w++) = rx.col(o);
    const Eigen::VectorXd ex = residuals(others, rx.col(static_cast<Eigen::Index>(c)));
    const Eigen::VectorXd ey = residuals(others, ry);
    s.prcc[static_cast<size_t>(varying[c])] = correlation(ex, ey);
  }
  return s;
}

}  // namespace pk
