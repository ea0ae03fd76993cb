// The posterior side of calibration (docs/calibration.md, "Posterior"): each
// year's count is negative binomial with the simulated mean and variance,
// widened by a year effect; MCMC on the design's interpolated response draws
// the parameters and the year effect; the draws give credible intervals, a
// posterior-predictive check of the fitted years and held-out predictions.
#include <algorithm>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <limits>

#include <Eigen/Dense>
#include <sstream>

#include "experiment/calibrate.hpp"
#include "experiment/mcmc.hpp"
#include "sim/random.hpp"
#include "stats/count_law.hpp"

namespace pk {

namespace {

using Vec = std::vector<double>;

std::string digits(double v, int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", n, v);
  return buf;
}

// The design's yearly mean and variance as functions of u = log(factor):
// multilinear interpolation on the grid, in logs where every corner is
// positive (a rate's response is near a power law, which is linear in logs).
class DesignSurface {
 public:
  explicit DesignSurface(const CalibrationResult& r)
      : design_(r.design), p_(r.parameters.size()), levels_(r.levels) {
    lo_ = std::log(design_.front().factors[0]);
    step_ = (std::log(design_.back().factors[0]) - lo_) / (levels_ - 1);
  }
  double lo() const { return lo_; }
  double hi() const { return lo_ + step_ * (levels_ - 1); }

  // Output 0 is the first observed series; o >= 1 the further outputs.
  SimulatedYear at(const Vec& u, size_t o = 0) const {
    std::vector<int> base(p_);
    Vec w(p_);
    for (size_t i = 0; i < p_; ++i) {
      const double t = (u[i] - lo_) / step_;
      base[i] = std::clamp(static_cast<int>(std::floor(t)), 0, levels_ - 2);
      w[i] = std::clamp(t - base[i], 0.0, 1.0);
    }
    double mean_lin = 0, var_lin = 0, mean_log = 0, var_log = 0;
    bool mean_pos = true, var_pos = true;
    for (size_t corner = 0; corner < (size_t{1} << p_); ++corner) {
      double weight = 1;
      size_t k = 0;
      for (size_t i = 0; i < p_; ++i) {
        const bool up = (corner >> i) & 1;
        weight *= up ? w[i] : 1 - w[i];
        k = k * static_cast<size_t>(levels_) + static_cast<size_t>(base[i] + (up ? 1 : 0));
      }
      const CalibrationPoint& pt = design_[k];
      const double mean = o == 0 ? pt.mean_per_year : pt.output_mean[o - 1];
      const double var = o == 0 ? pt.variance_per_year : pt.output_variance[o - 1];
      mean_lin += weight * mean;
      var_lin += weight * var;
      if (mean > 0)
        mean_log += weight * std::log(mean);
      else
        mean_pos = false;
      if (var > 0)
        var_log += weight * std::log(var);
      else
        var_pos = false;
    }
    return {mean_pos ? std::exp(mean_log) : mean_lin, var_pos ? std::exp(var_log) : var_lin};
  }

 private:
  const std::vector<CalibrationPoint>& design_;
  size_t p_;
  int levels_;
  double lo_ = 0, step_ = 1;
};

// The law of one year's count at u with year CV c: the simulated variance
// plus the year effect's, c^2 mean^2 (a gamma multiplier G with E G = 1 and
// Var G = c^2 on the threat: Var Y = E Var(Y|G) + Var E(Y|G) = var + c^2 mean^2
// when counts scale with the threat, as a compound Poisson count does).
CountLaw law_at(const DesignSurface& s, const Vec& u, double c, size_t output = 0) {
  const SimulatedYear y = s.at(u, output);
  return {y.mean, y.variance + c * c * y.mean * y.mean};
}

// A year's law: the negative binomial `nb`, or (the simulated likelihood) a
// mixture of simulated probability masses, each with its interpolation
// weight: the grid points around (u, c), weighted bilinearly.
struct YearLaw {
  CountLaw nb;
  std::vector<std::pair<double, const Vec*>> parts;  // empty: the negative binomial
  double floor = 0;  // a count no replication hit is given half a hit

  static YearLaw negative_binomial(const CountLaw& law) { return {law, {}, 0}; }

  double mass(double k) const {
    double p = 0;
    const auto at = static_cast<size_t>(k);
    for (const auto& [w, pmf] : parts)
      if (k >= 0 && at < pmf->size()) p += w * (*pmf)[at];
    return p;
  }
  double mean() const {
    if (parts.empty()) return nb.mean;
    double m = 0;
    for (const auto& [w, pmf] : parts)
      for (size_t k = 0; k < pmf->size(); ++k) m += w * static_cast<double>(k) * (*pmf)[k];
    return m;
  }
  double log_pmf(double k) const {
    return parts.empty() ? nb.log_pmf(k) : std::log(std::max(mass(k), floor));
  }
  double cdf(double k) const {
    double sum = 0;
    for (double j = 0; j <= k; ++j) sum += parts.empty() ? std::exp(nb.log_pmf(j)) : mass(j);
    return std::min(1.0, sum);
  }
  int64_t draw(sim::Stream& s) const {
    if (parts.empty()) {
      double lambda = nb.mean;
      if (nb.over_dispersed()) {
        const double r = nb.size();
        lambda = boost::random::gamma_distribution<double>(r, nb.mean / r)(s);
      }
      return lambda > 0 ? boost::random::poisson_distribution<int64_t, double>(lambda)(s) : 0;
    }
    // A grid point by its weight, then a count from its simulated mass.
    double pick = s.uniform();
    const Vec* pmf = parts.back().second;
    for (const auto& [w, p] : parts) {
      if (pick < w) {
        pmf = p;
        break;
      }
      pick -= w;
    }
    double v = s.uniform();
    for (size_t k = 0; k < pmf->size(); ++k) {
      if (v < (*pmf)[k]) return static_cast<int64_t>(k);
      v -= (*pmf)[k];
    }
    return static_cast<int64_t>(pmf->size()) - 1;
  }
};

// The simulated law at u (log factor) and year CV c: the four grid points
// around them (two when the CV is fixed), weighted bilinearly.
YearLaw pmf_law(const PmfGrid& g, double u, double c) {
  const auto cell = [](const Vec& axis, double x, size_t& i, double& w) {
    if (axis.size() == 1) {
      i = 0;
      w = 0;
      return;
    }
    const double t = (x - axis.front()) / (axis[1] - axis[0]);
    i = static_cast<size_t>(std::clamp(std::floor(t), 0.0, static_cast<double>(axis.size() - 2)));
    w = std::clamp(t - static_cast<double>(i), 0.0, 1.0);
  };
  size_t iu = 0, ic = 0;
  double wu = 0, wc = 0;
  cell(g.u, u, iu, wu);
  cell(g.cv, c, ic, wc);
  YearLaw law;
  law.floor = 0.5 / static_cast<double>(g.replications);
  for (size_t du = 0; du < 2; ++du)
    for (size_t dc = 0; dc < (g.cv.size() > 1 ? 2u : 1u); ++dc) {
      const double w = (du ? wu : 1 - wu) * (g.cv.size() > 1 ? (dc ? wc : 1 - wc) : 1.0);
      if (w > 0) law.parts.push_back({w, &g.pmf[(iu + du) * g.cv.size() + ic + dc]});
    }
  return law;
}

// The q-quantile of sorted values (linear between order statistics).
double quantile_sorted(const Vec& v, double q) {
  const double at = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<size_t>(std::floor(at));
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (at - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

// The q-point of sorted counts as a count: the least value whose share of
// the sample at or below it reaches q, so that [q05, q95] holds at least 90%.
double count_quantile(const Vec& sorted, double q) {
  const auto k = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, k > 0 ? k - 1 : 0)];
}

PosteriorSummary summarise(const std::string& name, Vec values, double rhat, double ess) {
  PosteriorSummary s;
  s.name = name;
  s.rhat = rhat;
  s.ess = ess;
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  std::sort(values.begin(), values.end());
  s.median = quantile_sorted(values, 0.5);
  s.lo90 = quantile_sorted(values, 0.05);
  s.hi90 = quantile_sorted(values, 0.95);
  return s;
}

double sample_variance(const Vec& x) {
  if (x.size() < 2) return 0;
  double m = 0;
  for (double v : x) m += v / static_cast<double>(x.size());
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

// Predictions of `years` from the posterior laws: replicated counts (one per
// law and year) give the 90% points, the laws themselves the mean,
// P(Y <= observed) and P(Y < observed). Returns the replicated counts, [law][year].
std::vector<Vec> predict(const std::vector<YearLaw>& laws, const std::vector<ObservedYear>& years,
                         sim::Stream& s, std::vector<YearPrediction>& out) {
  std::vector<Vec> reps(laws.size(), Vec(years.size()));
  out.clear();
  for (size_t y = 0; y < years.size(); ++y) {
    YearPrediction p;
    p.year = years[y].year;
    p.observed = years[y].count;
    Vec counts;
    for (size_t d = 0; d < laws.size(); ++d) {
      reps[d][y] = static_cast<double>(laws[d].draw(s));
      counts.push_back(reps[d][y]);
      p.predicted += laws[d].mean() / static_cast<double>(laws.size());
      p.p_at_most += laws[d].cdf(p.observed) / static_cast<double>(laws.size());
      if (p.observed >= 1)
        p.p_below += laws[d].cdf(p.observed - 1) / static_cast<double>(laws.size());
    }
    std::sort(counts.begin(), counts.end());
    p.lo90 = count_quantile(counts, 0.05);
    p.hi90 = count_quantile(counts, 0.95);
    out.push_back(p);
  }
  return reps;
}

// log((1/D) sum_d prod_y P_d(y)): the joint posterior-predictive log
// probability of the held-out counts, by log-sum-exp.
double log_score(const std::vector<YearLaw>& laws, const std::vector<ObservedYear>& years) {
  Vec terms;
  for (const YearLaw& law : laws) {
    double t = 0;
    for (const auto& y : years) t += law.log_pmf(y.count);
    terms.push_back(t);
  }
  const double top = *std::max_element(terms.begin(), terms.end());
  if (!std::isfinite(top)) return top;
  double sum = 0;
  for (double t : terms) sum += std::exp(t - top);
  return top + std::log(sum / static_cast<double>(terms.size()));
}

// The principal directions of the posterior of u = log(factor): the data
// identify a direction when they cut its variance below half the flat
// prior's, width^2 / 12 along any unit direction of the box (the box's
// covariance is that times the identity). Along the others the posterior is
// the prior's: the counts fix only the identified combinations.
void identify(CalibrationPosterior& post, const CalibrationResult& r, double width) {
  const size_t p = r.parameters.size();
  post.separable.assign(p, true);
  post.combinations.clear();
  post.identification_note.clear();
  if (p < 2 || post.draws.empty()) return;
  const auto P = static_cast<Eigen::Index>(p);
  Eigen::MatrixXd u(static_cast<Eigen::Index>(post.draws.size()), P);
  for (size_t k = 0; k < post.draws.size(); ++k)
    for (size_t i = 0; i < p; ++i)
      u(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) =
          std::log(post.draws[k][i] / r.parameters[i].written);
  const Eigen::MatrixXd centred = u.rowwise() - u.colwise().mean();
  const Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(u.rows() - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  const double prior_sd = width / std::sqrt(12.0);
  std::ostringstream note;
  for (Eigen::Index k = 0; k < P; ++k) {  // eigenvalues ascending: most precise first
    ParameterCombination c;
    c.prior_sd = prior_sd;
    c.sd = std::sqrt(std::max(0.0, eig.eigenvalues()(k)));
    Eigen::VectorXd v = eig.eigenvectors().col(k);
    if (v.cwiseAbs().maxCoeff() == -v.minCoeff()) v = -v;  // largest weight positive
    Vec values;
    for (Eigen::Index d = 0; d < u.rows(); ++d) values.push_back(u.row(d).dot(v));
    std::sort(values.begin(), values.end());
    c.median = quantile_sorted(values, 0.5);
    c.lo90 = quantile_sorted(values, 0.05);
    c.hi90 = quantile_sorted(values, 0.95);
    for (Eigen::Index i = 0; i < P; ++i) c.weights.push_back(v(i));
    c.identified = c.sd * c.sd < 0.5 * prior_sd * prior_sd;
    if (!c.identified) {
      for (size_t i = 0; i < p; ++i)
        if (std::abs(c.weights[i]) > 0.3) post.separable[i] = false;
      note << (note.tellp() ? "; " : "") << "the counts do not identify the direction (";
      for (size_t i = 0; i < p; ++i) note << (i ? ", " : "") << digits(c.weights[i], 2);
      note << ") of log(factor): its posterior sd " << digits(c.sd, 2) << " is the prior's "
           << digits(prior_sd, 2);
    }
    post.combinations.push_back(std::move(c));
  }
  if (note.tellp())
    post.identification_note =
        note.str() +
        "; only the identified combinations are reported, not separate intervals for the "
        "parameters along it: fix all but one, or add data that separates them";
}

}  // namespace

void fit_posterior(CalibrationResult& r, const CalibrationConfig& cfg) {
  CalibrationPosterior& post = r.posterior;
  const DesignSurface surface(r);
  const size_t p = r.parameters.size();
  post.year_effect_fitted = cfg.year_cv_fixed < 0;
  const size_t dims = p + (post.year_effect_fitted ? 1 : 0);
  const auto cv_of = [&](const Vec& x) {
    return post.year_effect_fitted ? x[p] : cfg.year_cv_fixed;
  };
  // The first series' law at x: the negative binomial of the design, or with
  // a grid the simulated probability mass (one parameter, one series).
  const PmfGrid& grid = r.pmf_grid;
  const auto year_law = [&](const Vec& x) {
    return grid.empty() ? YearLaw::negative_binomial(law_at(surface, x, cv_of(x)))
                        : pmf_law(grid, x[0], cv_of(x));
  };
  // Flat in log(parameter) over the design's box (a log-uniform prior on each
  // rate) and flat in the year CV over [0, year_cv_max]; with a grid, over
  // the grid's box instead.
  // Further outputs multiply in their own laws: outputs independent given the
  // parameters (docs/calibration.md, "Several outputs").
  const auto log_density = [&](const Vec& x) {
    const YearLaw law = year_law(x);
    double ll = 0;
    for (const auto& o : r.observed) ll += law.log_pmf(o.count);
    for (size_t e = 0; e < cfg.outputs.size(); ++e) {
      const CountLaw more = law_at(surface, x, cv_of(x), e + 1);
      for (const auto& o : cfg.outputs[e].observed) ll += more.log_pmf(o.count);
    }
    return std::isnan(ll) ? -std::numeric_limits<double>::infinity() : ll;
  };
  Vec lo(dims, surface.lo()), hi(dims, surface.hi()), start(dims);
  for (size_t i = 0; i < p; ++i)
    start[i] = std::log(r.parameters[i].estimate / r.parameters[i].written);
  if (post.year_effect_fitted) {
    lo[p] = 0;
    hi[p] = cfg.year_cv_max;
    start[p] = 0.1 * cfg.year_cv_max;
  }
  if (!grid.empty()) {
    lo[0] = grid.u.front();
    hi[0] = grid.u.back();
    start[0] = std::clamp(start[0], lo[0], hi[0]);
    if (post.year_effect_fitted) {
      lo[p] = grid.cv.front();
      hi[p] = grid.cv.back();
    }
  }
  McmcConfig mc;
  mc.chains = cfg.chains;
  mc.warmup = cfg.warmup;
  mc.draws = cfg.draws;
  mc.seed = cfg.seed;
  const McmcResult chain = metropolis(log_density, lo, hi, start, mc);
  post.chains = cfg.chains;
  post.draws_per_chain = cfg.draws;
  post.acceptance = chain.acceptance;
  post.converged = chain.converged;

  post.draws.clear();
  post.draw_chain.clear();
  for (size_t c = 0; c < chain.chains.size(); ++c)
    for (const Vec& x : chain.chains[c]) {
      Vec row;
      for (size_t i = 0; i < p; ++i) row.push_back(r.parameters[i].written * std::exp(x[i]));
      row.push_back(cv_of(x));
      post.draws.push_back(row);
      post.draw_chain.push_back(static_cast<int>(c));
    }
  post.parameters.clear();
  for (size_t i = 0; i < p; ++i) {
    Vec v;
    for (const Vec& row : post.draws) v.push_back(row[i]);
    post.parameters.push_back(summarise(r.parameters[i].path, v, chain.rhat[i], chain.ess[i]));
  }
  {
    Vec v;
    for (const Vec& row : post.draws) v.push_back(row[p]);
    post.year_cv = post.year_effect_fitted
                       ? summarise("year effect CV", v, chain.rhat[p], chain.ess[p])
                       : summarise("year effect CV", v, 1.0, static_cast<double>(v.size()));
  }

  identify(post, r, surface.hi() - surface.lo());

  // The spread of the fitted years against the model's at the posterior median.
  Vec counts;
  for (const auto& o : r.observed) counts.push_back(o.count);
  post.observed_variance = sample_variance(counts);
  {
    Vec u_med(dims);
    for (size_t i = 0; i < p; ++i)
      u_med[i] = std::log(post.parameters[i].median / r.parameters[i].written);
    if (post.year_effect_fitted) u_med[p] = post.year_cv.median;
    const SimulatedYear y = surface.at(u_med);
    post.within_year_variance = y.variance;
    post.year_effect_variance = post.year_cv.median * post.year_cv.median * y.mean * y.mean;
  }

  // Predictions from an even thinning of the pooled draws (4,000 at most).
  std::vector<YearLaw> laws;
  const size_t every = std::max<size_t>(1, post.draws.size() / 4000);
  for (size_t k = 0; k < post.draws.size(); k += every) {
    Vec x(dims);
    for (size_t i = 0; i < p; ++i) x[i] = std::log(post.draws[k][i] / r.parameters[i].written);
    if (post.year_effect_fitted) x[p] = post.draws[k][p];
    laws.push_back(year_law(x));
  }
  sim::Stream s(sim::ReplicationKey::make(cfg.seed, ~uint64_t{2}),
                sim::StreamId{0x9e0b5u, 0, 0, 0});
  const std::vector<Vec> reps = predict(laws, r.observed, s, post.fitted);
  double above = 0;
  for (const Vec& rep : reps) above += sample_variance(rep) >= post.observed_variance ? 1 : 0;
  post.spread_p = above / static_cast<double>(reps.size());

  post.holdout.clear();
  if (cfg.holdout.empty()) return;
  const std::vector<Vec> held = predict(laws, cfg.holdout, s, post.holdout);
  post.holdout_total = 0;
  post.holdout_total_predicted = 0;
  for (const auto& y : post.holdout) {
    post.holdout_total += y.observed;
    post.holdout_total_predicted += y.predicted;
  }
  Vec totals;
  for (const Vec& rep : held) {
    double t = 0;
    for (double v : rep) t += v;
    totals.push_back(t);
  }
  std::sort(totals.begin(), totals.end());
  post.holdout_lo90 = count_quantile(totals, 0.05);
  post.holdout_hi90 = count_quantile(totals, 0.95);
  post.log_score = log_score(laws, cfg.holdout);
}

std::string posterior_csv(const CalibrationResult& r) {
  std::string out = "chain,draw";
  for (const auto& p : r.parameters) {
    // RFC 4180: a cell with a comma or a quote is quoted, its quotes doubled.
    const bool quote = p.path.find_first_of(",\"") != std::string::npos;
    out += ',';
    if (quote) out += '"';
    for (char c : p.path) {
      if (c == '"') out += '"';
      out += c;
    }
    if (quote) out += '"';
  }
  // The year effect's draws, where decide can set them: a scenario with a
  // year_effect block (docs/calibration.md).
  const bool year = r.posterior.year_effect_fitted && r.scenario_year_effect;
  if (year) out += "," + kYearEffectPath;
  out += "\n";
  std::vector<int> within(static_cast<size_t>(r.posterior.chains), 0);
  char buf[40];
  for (size_t k = 0; k < r.posterior.draws.size(); ++k) {
    const int c = r.posterior.draw_chain[k];
    out += std::to_string(c + 1) + "," + std::to_string(++within[static_cast<size_t>(c)]);
    for (size_t i = 0; i < r.parameters.size() + (year ? 1 : 0); ++i) {
      std::snprintf(buf, sizeof buf, "%.17g", r.posterior.draws[k][i]);
      out += ",";
      out += buf;
    }
    out += "\n";
  }
  return out;
}

}  // namespace pk
