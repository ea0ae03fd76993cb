#include "experiment/mcmc.hpp"

#include <Eigen/Dense>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "sim/random.hpp"
#include "stats/mcmc_diagnostics.hpp"

namespace pk {

namespace {

using Vec = std::vector<double>;

// A chain's own stream: the seed, then the chain's number.
sim::Stream chain_stream(uint64_t seed, int chain) {
  return sim::Stream(sim::ReplicationKey::make(seed, ~uint64_t{1}),
                     sim::StreamId{0x3c3c3cu, static_cast<uint64_t>(chain), 0, 0});
}

bool inside(const Vec& x, const Vec& lo, const Vec& hi) {
  for (size_t i = 0; i < x.size(); ++i)
    if (!(x[i] >= lo[i] && x[i] <= hi[i])) return false;
  return true;
}

struct Chain {
  Vec x;
  double logp = 0;
  Eigen::MatrixXd chol;  // of the proposal covariance
};

// One Metropolis step; true when the proposal was accepted.
bool step(Chain& c, sim::Stream& s, const Vec& lo, const Vec& hi,
          const std::function<double(const Vec&)>& log_density) {
  const auto d = static_cast<Eigen::Index>(c.x.size());
  Eigen::VectorXd z(d);
  boost::random::normal_distribution<double> normal;
  for (Eigen::Index i = 0; i < d; ++i) z(i) = normal(s);
  const Eigen::VectorXd dx = c.chol * z;
  Vec y = c.x;
  for (Eigen::Index i = 0; i < d; ++i) y[static_cast<size_t>(i)] += dx(i);
  const double u = s.uniform();
  if (!inside(y, lo, hi)) return false;
  const double lp = log_density(y);
  if (!(std::log(u) < lp - c.logp)) return false;
  c.x = std::move(y);
  c.logp = lp;
  return true;
}

}  // namespace

std::vector<std::vector<double>> coordinate(const McmcResult& r, size_t i) {
  std::vector<std::vector<double>> out;
  for (const auto& chain : r.chains) {
    out.emplace_back();
    for (const auto& x : chain) out.back().push_back(x[i]);
  }
  return out;
}

McmcResult metropolis(const std::function<double(const Vec&)>& log_density, const Vec& lo,
                      const Vec& hi, const Vec& fallback, const McmcConfig& cfg) {
  const size_t d = lo.size();
  const auto D = static_cast<Eigen::Index>(d);
  McmcResult r;
  int64_t accepted = 0, proposed = 0;
  for (int c = 0; c < cfg.chains; ++c) {
    sim::Stream s = chain_stream(cfg.seed, c);
    Chain ch;
    ch.x = fallback;
    ch.logp = log_density(fallback);
    for (int tries = 0; tries < 1000; ++tries) {
      Vec x(d);
      for (size_t i = 0; i < d; ++i) x[i] = lo[i] + (hi[i] - lo[i]) * s.uniform();
      const double lp = log_density(x);
      if (std::isfinite(lp)) {
        ch.x = x;
        ch.logp = lp;
        break;
      }
    }
    // Start from a tenth of each side of the box; after half the warm-up,
    // from the covariance of the draws so far.
    ch.chol = Eigen::MatrixXd::Zero(D, D);
    for (Eigen::Index i = 0; i < D; ++i)
      ch.chol(i, i) = 0.1 * (hi[static_cast<size_t>(i)] - lo[static_cast<size_t>(i)]);
    std::vector<Vec> warm;
    for (int k = 0; k < cfg.warmup; ++k) {
      step(ch, s, lo, hi, log_density);
      warm.push_back(ch.x);
      if (k + 1 == cfg.warmup / 2 || k + 1 == cfg.warmup) {
        // The second half of what was drawn: the first may still be travelling.
        const size_t from = warm.size() / 2;
        Eigen::MatrixXd X(static_cast<Eigen::Index>(warm.size() - from), D);
        for (size_t row = from; row < warm.size(); ++row)
          for (size_t i = 0; i < d; ++i)
            X(static_cast<Eigen::Index>(row - from), static_cast<Eigen::Index>(i)) = warm[row][i];
        const Eigen::MatrixXd centred = X.rowwise() - X.colwise().mean();
        Eigen::MatrixXd cov = centred.transpose() * centred / std::max<double>(1, X.rows() - 1.0);
        for (Eigen::Index i = 0; i < D; ++i) {
          const double side = hi[static_cast<size_t>(i)] - lo[static_cast<size_t>(i)];
          cov(i, i) += 1e-8 * side * side;
        }
        const Eigen::LLT<Eigen::MatrixXd> llt(cov * (2.38 * 2.38 / static_cast<double>(d)));
        if (llt.info() == Eigen::Success) ch.chol = llt.matrixL();
      }
    }
    r.chains.emplace_back();
    for (int k = 0; k < cfg.draws; ++k) {
      accepted += step(ch, s, lo, hi, log_density) ? 1 : 0;
      ++proposed;
      r.chains.back().push_back(ch.x);
    }
  }
  r.acceptance = proposed ? static_cast<double>(accepted) / static_cast<double>(proposed) : 0;
  r.converged = true;
  for (size_t i = 0; i < d; ++i) {
    const auto coord = coordinate(r, i);
    r.rhat.push_back(split_rhat(coord));
    r.ess.push_back(effective_sample_size(coord));
    // A coordinate without variation (NaN diagnostics) has nothing to mix.
    if (!(r.rhat.back() < 1.01 && r.ess.back() > 400) && !std::isnan(r.rhat.back()))
      r.converged = false;
  }
  return r;
}

}  // namespace pk
