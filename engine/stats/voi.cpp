#include "stats/voi.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

namespace pk {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Uniform cubic B-splines on `nseg` equal segments over [lo, hi] (Eilers &
// Marx 1996): nseg + 3 functions that sum to one everywhere in the range.
MatrixXd bspline_basis(const VectorXd& x, double lo, double hi, int nseg) {
  const double width = (hi - lo) / nseg;
  MatrixXd b = MatrixXd::Zero(x.size(), nseg + 3);
  for (Index i = 0; i < x.size(); ++i) {
    const double u = (x[i] - lo) / width;
    const int seg = std::clamp(static_cast<int>(std::floor(u)), 0, nseg - 1);
    const double t = u - seg, t2 = t * t, t3 = t2 * t;
    b(i, seg) = (1 - t) * (1 - t) * (1 - t) / 6;
    b(i, seg + 1) = (3 * t3 - 6 * t2 + 4) / 6;
    b(i, seg + 2) = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
    b(i, seg + 3) = t3 / 6;
  }
  return b;
}

// The second-difference penalty DᵀD of an m-function basis.
MatrixXd difference_penalty(Index m) {
  MatrixXd d = MatrixXd::Zero(m - 2, m);
  for (Index i = 0; i + 2 < m; ++i) {
    d(i, i) = 1;
    d(i, i + 1) = -2;
    d(i, i + 2) = 1;
  }
  return d.transpose() * d;
}

MatrixXd kronecker(const MatrixXd& a, const MatrixXd& b) {
  MatrixXd k(a.rows() * b.rows(), a.cols() * b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j)
      k.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return k;
}

// A penalised regression: columns x, and one penalty matrix per smoothing
// parameter (each chosen by GCV).
struct SmoothDesign {
  MatrixXd x;
  std::vector<MatrixXd> penalties;
  std::string model;
};

// Segments per input: fewer when the sample is small, so that every
// coefficient rests on data.
int segments(Index n, int k) {
  if (k == 1) return static_cast<int>(std::clamp<Index>(n / 25, 4, 20));
  return n < 400 ? 4 : 6;
}

// Each value's place in its sample, (average rank − ½) / n: conditioning on
// an input is conditioning on its place, and equally spaced knots on that
// scale are equally filled however skewed the input's distribution.
VectorXd empirical_cdf(const VectorXd& v) {
  const Index n = v.size();
  std::vector<Index> order(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return v[a] < v[b]; });
  VectorXd out(n);
  for (Index i = 0; i < n;) {
    Index j = i;
    while (j + 1 < n && v[order[static_cast<size_t>(j + 1)]] == v[order[static_cast<size_t>(i)]])
      ++j;
    const double place = (static_cast<double>(i + j) / 2 + 0.5) / static_cast<double>(n);
    for (Index m = i; m <= j; ++m) out[order[static_cast<size_t>(m)]] = place;
    i = j + 1;
  }
  return out;
}

// The smooth part works on each input's place in the sample; beside it go
// unpenalised terms on the raw (standardised) values: each input, and every
// product of two. An output linear in a heavy-tailed rate, or in rate ×
// (1 − detection), is then fitted without a wiggle, and the smooth has only
// what they leave.
SmoothDesign make_design(const std::vector<VectorXd>& raw) {
  const Index n = raw.front().size();
  const int k = static_cast<int>(raw.size());
  const int nseg = segments(n, k);
  std::vector<MatrixXd> bases;
  std::vector<VectorXd> z;
  for (const VectorXd& c : raw) {
    const VectorXd place = empirical_cdf(c);
    bases.push_back(bspline_basis(place, place.minCoeff(), place.maxCoeff(), nseg));
    const VectorXd centred = c.array() - c.mean();
    z.push_back(centred / std::sqrt(centred.squaredNorm() / static_cast<double>(n)));
  }
  const Index m = nseg + 3;
  const MatrixXd p = difference_penalty(m);
  SmoothDesign d;
  MatrixXd smooth;
  if (k == 1) {
    smooth = bases[0];
    d.penalties = {p};
    d.model = "spline";
  } else if (k == 2) {
    smooth.resize(n, m * m);
    for (Index a = 0; a < m; ++a)
      for (Index b = 0; b < m; ++b)
        smooth.col(a * m + b) = bases[0].col(a).cwiseProduct(bases[1].col(b));
    const MatrixXd id = MatrixXd::Identity(m, m);
    d.penalties = {kronecker(p, id), kronecker(id, p)};
    d.model = "tensor spline";
  } else {
    smooth.resize(n, k * m);
    MatrixXd s = MatrixXd::Zero(k * m, k * m);
    for (int j = 0; j < k; ++j) {
      smooth.middleCols(j * m, m) = bases[static_cast<size_t>(j)];
      s.block(j * m, j * m, m, m) = p;
    }
    d.penalties = {s};
    d.model = "additive spline";
  }
  const Index pairs = static_cast<Index>(k) * (k - 1) / 2;
  d.x.resize(n, smooth.cols() + k + pairs);
  d.x.leftCols(smooth.cols()) = smooth;
  Index col = smooth.cols();
  for (int a = 0; a < k; ++a) d.x.col(col++) = z[static_cast<size_t>(a)];
  for (int a = 0; a < k; ++a)
    for (int b = a + 1; b < k; ++b)
      d.x.col(col++) = z[static_cast<size_t>(a)].cwiseProduct(z[static_cast<size_t>(b)]);
  for (MatrixXd& pen : d.penalties) {
    MatrixXd padded = MatrixXd::Zero(d.x.cols(), d.x.cols());
    padded.topLeftCorner(pen.rows(), pen.cols()) = pen;
    pen = std::move(padded);
  }
  d.model += " + linear terms";
  return d;
}

// One fitted column: the fitted values, and what their uncertainty needs.
struct Fit {
  VectorXd fitted;
  MatrixXd chol_l;  // A = L Lᵀ, A = XᵀX + Σ λ S (scaled units)
  VectorXd beta;
  double sigma = 0;  // residual sd, in the response's units
  double rss = 0, tss = 0;
};

// The penalised least-squares fit of y on d, the smoothing parameters by GCV
// over a grid (log10 steps of 1/2 for one penalty, 1 for two).
Fit fit_smooth(const SmoothDesign& d, const MatrixXd& xtx, const VectorXd& y) {
  const auto n = static_cast<double>(y.size());
  const Index p = d.x.cols();
  Fit f;
  const double mean = y.mean();
  const VectorXd centred = y.array() - mean;
  f.tss = centred.squaredNorm();
  const double scale = std::sqrt(f.tss / n);
  if (!(scale > 0)) {
    f.fitted = VectorXd::Constant(y.size(), mean);
    return f;
  }
  const VectorXd ys = centred / scale;
  const VectorXd xty = d.x.transpose() * ys;
  const double yty = ys.squaredNorm();
  // A ridge far below any penalty: the additive smooths share the constant.
  const double ridge = 1e-9 * xtx.trace() / static_cast<double>(p);
  std::vector<double> unit;  // λ that puts a penalty on the data's scale
  for (const MatrixXd& s : d.penalties) unit.push_back(xtx.trace() / std::max(s.trace(), 1e-300));
  const double step = d.penalties.size() == 1 ? 0.5 : 1.0;
  std::vector<double> grid;
  for (double g = -8; g <= 4 + 1e-9; g += step) grid.push_back(std::pow(10.0, g));
  double best = std::numeric_limits<double>::infinity();
  MatrixXd best_a;
  const size_t combos = d.penalties.size() == 1 ? grid.size() : grid.size() * grid.size();
  for (size_t c = 0; c < combos; ++c) {
    MatrixXd a = xtx;
    a.diagonal().array() += ridge;
    a += grid[c % grid.size()] * unit[0] * d.penalties[0];
    if (d.penalties.size() == 2) a += grid[c / grid.size()] * unit[1] * d.penalties[1];
    const Eigen::LLT<MatrixXd> llt(a);
    if (llt.info() != Eigen::Success) continue;
    const VectorXd beta = llt.solve(xty);
    const double rss = std::max(0.0, yty - 2 * beta.dot(xty) + beta.dot(xtx * beta));
    const double edf = llt.solve(xtx).trace();
    if (edf >= n - 1) continue;
    const double gcv = n * rss / ((n - edf) * (n - edf));
    if (gcv < best) {
      best = gcv;
      best_a = a;
      f.beta = beta;
      f.rss = rss;
      f.sigma = std::sqrt(rss / (n - edf)) * scale;
    }
  }
  if (best_a.size() == 0) {  // no grid point fitted: the mean alone
    f.fitted = VectorXd::Constant(y.size(), mean);
    f.rss = f.tss;
    return f;
  }
  f.chol_l = Eigen::LLT<MatrixXd>(best_a).matrixL();
  f.fitted = (d.x * f.beta * scale).array() + mean;
  f.beta *= scale;
  f.rss *= scale * scale;
  return f;
}

// mean_i max_d g[i][d] − max_d mean_i g[i][d].
double value_of(const MatrixXd& g) {
  return g.rowwise().maxCoeff().mean() - g.colwise().mean().maxCoeff();
}

// Reproducible standard normals: splitmix64 and Box–Muller (the standard
// library's distributions differ between implementations).
class Normals {
 public:
  explicit Normals(uint64_t seed) : state_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform(), u2 = uniform();
    const double r = std::sqrt(-2 * std::log(u1));
    spare_ = r * std::sin(2 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2 * M_PI * u2);
  }

 private:
  double uniform() {  // in (0, 1)
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53;
  }
  uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

MatrixXd net_benefit_matrix(const PsaSample& psa) {
  const Index n = static_cast<Index>(psa.net_benefit.size());
  const Index d = n ? static_cast<Index>(psa.net_benefit.front().size()) : 0;
  MatrixXd nb(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j)
      nb(i, j) = psa.net_benefit[static_cast<size_t>(i)][static_cast<size_t>(j)];
  return nb;
}

// The chosen inputs that vary (the others carry no information), or none
// with `note` saying why no regression can be made.
std::vector<VectorXd> regressors(const std::vector<std::vector<double>>& inputs,
                                 const std::vector<int>& chosen, std::string& note) {
  const auto n = static_cast<Index>(inputs.size());
  std::vector<VectorXd> cols;
  for (int j : chosen) {
    VectorXd c(n);
    for (Index i = 0; i < n; ++i) c[i] = inputs[static_cast<size_t>(i)][static_cast<size_t>(j)];
    if (!c.allFinite())
      return note = "an input value is not a finite number", std::vector<VectorXd>{};
    if (c.maxCoeff() > c.minCoeff()) cols.push_back(std::move(c));
  }
  if (cols.empty()) return note = "the inputs do not vary", cols;
  const int64_t least = evppi_min_draws(static_cast<int>(cols.size()));
  if (n < least)
    return note =
               "too few draws (" + std::to_string(n) + ", at least " + std::to_string(least) + ")",
           std::vector<VectorXd>{};
  return cols;
}

}  // namespace

double naive_evpi(const PsaSample& psa) {
  if (psa.net_benefit.empty()) return 0;
  return value_of(net_benefit_matrix(psa));
}

int64_t evppi_min_draws(int k) {
  if (k <= 1) return 20;
  if (k == 2) return 60;
  return 9 * k + k * (k - 1) / 2 + 20;
}

std::vector<std::vector<double>> conditional_means(const std::vector<std::vector<double>>& inputs,
                                                   const std::vector<std::vector<double>>& y,
                                                   const std::vector<int>& chosen,
                                                   std::string& note) {
  const std::vector<VectorXd> cols = regressors(inputs, chosen, note);
  if (cols.empty() || y.empty()) return {};
  const SmoothDesign d = make_design(cols);
  const MatrixXd xtx = d.x.transpose() * d.x;
  const auto n = static_cast<Index>(y.size());
  std::vector<std::vector<double>> out(y.size(), std::vector<double>(y.front().size()));
  for (size_t c = 0; c < y.front().size(); ++c) {
    VectorXd v(n);
    for (Index i = 0; i < n; ++i) v[i] = y[static_cast<size_t>(i)][c];
    if (!v.allFinite()) return note = "a response is not a finite number", decltype(out){};
    const VectorXd f = fit_smooth(d, xtx, v).fitted;
    for (Index i = 0; i < n; ++i) out[static_cast<size_t>(i)][c] = f[i];
  }
  return out;
}

Evppi evppi(const PsaSample& psa, const std::vector<int>& inputs, uint64_t seed, int se_draws) {
  Evppi out;
  out.inputs = inputs;
  const MatrixXd nb = net_benefit_matrix(psa);
  const Index n = nb.rows();
  if (nb.cols() < 2) return out.note = "only one decision", out;
  const std::vector<VectorXd> cols = regressors(psa.inputs, inputs, out.note);
  if (cols.empty()) return out;
  if (!nb.allFinite()) return out.note = "a net benefit is not a finite number", out;
  const SmoothDesign d = make_design(cols);
  out.model = d.model;
  const MatrixXd xtx = d.x.transpose() * d.x;
  // Incremental net benefit against decision 0: its fit is the same whatever
  // the reference, and decision 0's own is zero.
  std::vector<Fit> fits;
  MatrixXd g = MatrixXd::Zero(n, nb.cols());
  double rss = 0, tss = 0;
  for (Index c = 1; c < nb.cols(); ++c) {
    fits.push_back(fit_smooth(d, xtx, nb.col(c) - nb.col(0)));
    g.col(c) = fits.back().fitted;
    rss += fits.back().rss;
    tss += fits.back().tss;
  }
  out.value = value_of(g);
  out.r2 = tss > 0 ? 1 - rss / tss : 1;
  // The standard error: the fits' coefficients redrawn from N(β, σ² A⁻¹).
  Normals normals(seed);
  std::vector<double> values;
  for (int r = 0; r < se_draws; ++r) {
    MatrixXd gs = MatrixXd::Zero(n, nb.cols());
    for (size_t c = 0; c < fits.size(); ++c) {
      const Fit& f = fits[c];
      if (f.chol_l.size() == 0) {
        gs.col(static_cast<Index>(c) + 1) = f.fitted;
        continue;
      }
      VectorXd z(f.beta.size());
      for (Index i = 0; i < z.size(); ++i) z[i] = normals.next();
      const VectorXd shift = f.chol_l.transpose().triangularView<Eigen::Upper>().solve(z) * f.sigma;
      gs.col(static_cast<Index>(c) + 1) = f.fitted + d.x * shift;
    }
    values.push_back(value_of(gs));
  }
  if (values.size() > 1) {
    double m = 0;
    for (double v : values) m += v;
    m /= static_cast<double>(values.size());
    double ss = 0;
    for (double v : values) ss += (v - m) * (v - m);
    out.se = std::sqrt(ss / static_cast<double>(values.size() - 1));
  }
  return out;
}

}  // namespace pk
