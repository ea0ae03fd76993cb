// The calibration posterior against closed forms: with a Poisson response
// proportional to the parameter and no year effect, the log-uniform prior
// gives a gamma posterior of the mean, and the held-out total is negative
// binomial (docs/calibration.md, "Posterior").
#include <gtest/gtest.h>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>

#include "experiment/calibrate.hpp"

namespace pk {
namespace {

// A one-parameter design whose simulated mean and variance per year are both
// 10 x factor (a Poisson count proportional to the parameter), 13 factors
// from 0.25 to 4, the parameter written as 1.
CalibrationResult poisson_design(const std::vector<ObservedYear>& observed) {
  CalibrationResult r;
  CalibratedParameter p;
  p.path = "x";
  p.written = 1;
  p.estimate = 1;
  r.parameters.push_back(p);
  r.levels = 13;
  r.observed = observed;
  const double lo = std::log(0.25), step = (std::log(4.0) - lo) / 12;
  for (int k = 0; k < 13; ++k) {
    CalibrationPoint pt;
    pt.factors = {std::exp(lo + step * k)};
    pt.mean_per_year = pt.variance_per_year = 10 * pt.factors[0];
    r.design.push_back(pt);
  }
  return r;
}

// Smallest k with P(T <= k) >= q.
template <class Law>
double count_point(const Law& law, double q) {
  double k = 0;
  while (boost::math::cdf(law, k) < q) ++k;
  return k;
}

// The four fitted years and two held-out years of the closed-form checks.
const std::vector<ObservedYear> kFourYears = {{2001, 12}, {2002, 9}, {2003, 15}, {2004, 11}};
const std::vector<ObservedYear> kTwoHeldOut = {{2005, 10}, {2006, 14}};

// The posterior of kFourYears with the mean 10 x factor of a Poisson count
// against its closed forms.
void expect_gamma_poisson(const CalibrationPosterior& post) {
  ASSERT_TRUE(post.converged);
  // The mean mu = 10 theta has prior 1/mu and four Poisson years summing to
  // 47: its posterior is gamma(47, rate 4).
  const boost::math::gamma_distribution<double> mu_post(47, 1.0 / 4);
  const PosteriorSummary& s = post.parameters[0];
  // Monte Carlo error of a quantile: sqrt(q(1-q)/ESS) / density; 4 of those.
  const auto tol = [&](double q) {
    const double x = boost::math::quantile(mu_post, q);
    return 4 * std::sqrt(q * (1 - q) / s.ess) / boost::math::pdf(mu_post, x) / 10;
  };
  EXPECT_NEAR(s.median, boost::math::quantile(mu_post, 0.5) / 10, tol(0.5));
  EXPECT_NEAR(s.lo90, boost::math::quantile(mu_post, 0.05) / 10, tol(0.05));
  EXPECT_NEAR(s.hi90, boost::math::quantile(mu_post, 0.95) / 10, tol(0.95));
  EXPECT_EQ(post.year_cv.median, 0.0);

  // The held-out total of two years is negative binomial (47, 4 / 6).
  const boost::math::negative_binomial_distribution<double> total(47, 4.0 / 6);
  EXPECT_NEAR(post.holdout_lo90, count_point(total, 0.05), 1.0);
  EXPECT_NEAR(post.holdout_hi90, count_point(total, 0.95), 1.0);
  // The predictive mean averages the draws' means: Monte Carlo error
  // 2 sd(mu) / sqrt(ESS), four of those.
  EXPECT_NEAR(post.holdout_total_predicted, 2 * 47.0 / 4,
              4 * 2 * std::sqrt(47.0) / 4 / std::sqrt(s.ess));
  EXPECT_EQ(post.holdout_total, 24);
  // The joint predictive probability of (10, 14):
  // Gamma(71) / (Gamma(47) 10! 14!) 4^47 / 6^71.
  const double exact = std::lgamma(71.0) - std::lgamma(47.0) - std::lgamma(11.0) -
                       std::lgamma(15.0) + 47 * std::log(4.0) - 71 * std::log(6.0);
  EXPECT_NEAR(post.log_score, exact, 0.03);
  // The posterior-predictive P(Y <= 12) and P(Y < 12) of one year: negative
  // binomial (47, 4/5).
  const boost::math::negative_binomial_distribution<double> one(47, 4.0 / 5);
  EXPECT_NEAR(post.fitted[0].p_at_most, boost::math::cdf(one, 12.0), 0.01);
  EXPECT_NEAR(post.fitted[0].p_below, boost::math::cdf(one, 11.0), 0.01);
}

// Fits r without a year effect, kTwoHeldOut held out.
void fit_without_year_effect(CalibrationResult& r, uint64_t seed) {
  CalibrationConfig cfg;
  cfg.year_cv_fixed = 0;
  cfg.holdout = kTwoHeldOut;
  cfg.seed = seed;
  fit_posterior(r, cfg);
}

TEST(CalibratePosterior, MatchesTheGammaPoissonClosedForm) {
  CalibrationResult r = poisson_design(kFourYears);
  fit_without_year_effect(r, 3);
  expect_gamma_poisson(r.posterior);
}

TEST(CalibratePosterior, TheSimulatedLikelihoodOnExactMassesMatchesTheClosedForm) {
  // The grid's masses are the Poisson law of mean 10 x factor itself, 241
  // points from 0.25 to 4 (fine enough that a mixture of neighbours is that
  // law): the posterior is the same gamma as the negative binomial's.
  CalibrationResult r = poisson_design(kFourYears);
  const double lo = std::log(0.25), hi = std::log(4.0);
  for (int k = 0; k <= 240; ++k) {
    const double u = lo + (hi - lo) * k / 240;
    r.pmf_grid.u.push_back(u);
    std::vector<double> pmf;
    const boost::math::poisson_distribution<double> law(10 * std::exp(u));
    for (int y = 0; y < 120; ++y) pmf.push_back(boost::math::pdf(law, y));
    r.pmf_grid.pmf.push_back(pmf);
  }
  r.pmf_grid.cv = {0};
  r.pmf_grid.replications = 1000000;
  fit_without_year_effect(r, 5);
  expect_gamma_poisson(r.posterior);
}

TEST(CalibratePosterior, AYearEffectWidensThePredictionAndIsFoundInSpreadOutYears) {
  // Years far more spread out than a Poisson count allows (variance 86 about a
  // mean of 20): the fitted year effect is clearly above 0, and the predictive
  // interval of a held-out year is wider than without it.
  const std::vector<ObservedYear> observed = {{2001, 28}, {2002, 11}, {2003, 26},
                                              {2004, 23}, {2005, 11}, {2006, 22}};
  CalibrationConfig cfg;
  cfg.holdout = {{2007, 20}};
  cfg.seed = 4;
  CalibrationResult fitted = poisson_design(observed);
  fit_posterior(fitted, cfg);
  cfg.year_cv_fixed = 0;
  CalibrationResult fixed = poisson_design(observed);
  fit_posterior(fixed, cfg);
  ASSERT_TRUE(fitted.posterior.converged);
  EXPECT_GT(fitted.posterior.year_cv.lo90, 0.03);
  EXPECT_GT(fitted.posterior.holdout_hi90 - fitted.posterior.holdout_lo90,
            1.3 * (fixed.posterior.holdout_hi90 - fixed.posterior.holdout_lo90));
  // Without a year effect the spread of the fitted years is improbable.
  EXPECT_LT(fixed.posterior.spread_p, 0.05);
  EXPECT_GT(fitted.posterior.spread_p, 0.1);
  // The draws come out as CSV: a header and one row per draw.
  const std::string csv = posterior_csv(fitted);
  EXPECT_EQ(csv.rfind("chain,draw,x\n1,1,", 0), 0u);
  EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')),
            fitted.posterior.draws.size() + 1);
}

}  // namespace
}  // namespace pk
