#include "stats/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>

namespace pk {

namespace {

namespace bm = boost::math;
namespace bp = boost::math::policies;

// Every Boost.Math error gives a value (NaN or +-inf) instead of an exception:
// parameters are checked when a Distribution is made, and a hand-built one
// with bad parameters must give NaN, not throw in the middle of a sweep.
using Quiet =
    bp::policy<bp::domain_error<bp::ignore_error>, bp::pole_error<bp::ignore_error>,
               bp::overflow_error<bp::ignore_error>, bp::underflow_error<bp::ignore_error>,
               bp::denorm_error<bp::ignore_error>, bp::evaluation_error<bp::ignore_error>,
               bp::rounding_error<bp::ignore_error>,
               bp::indeterminate_result_error<bp::ignore_error>>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kUnbounded = std::numeric_limits<double>::infinity();
// Quantiles are taken at u in [kUMin, 1 - kUMin]: a quasi-random point at 0 or
// 1 must not give an infinite draw.
constexpr double kUMin = 1e-15;

using T = DistributionType;

struct TypeInfo {
  T type;
  const char* name;
  std::vector<std::string> params;  // native parameter names, in order
};

const std::vector<TypeInfo>& types() {
  static const std::vector<TypeInfo> all = {
      {T::kNormal, "normal", {"mean", "sd"}},
      {T::kLognormal, "lognormal", {"meanlog", "sdlog"}},
      {T::kGamma, "gamma", {"shape", "scale"}},
      {T::kBeta, "beta", {"alpha", "beta"}},
      {T::kUniform, "uniform", {"min", "max"}},
      {T::kTriangular, "triangular", {"min", "mode", "max"}},
      {T::kDiscrete, "discrete", {}},
  };
  return all;
}

const TypeInfo* info(T t) {
  for (const auto& i : types())
    if (i.type == t) return &i;
  return nullptr;
}

// Numbers in messages: 6 significant digits, as people wrote them.
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// A positive bound to 3 significant digits, rounded down so that the printed
// limit is itself admissible; but a bound a few ulps under a 3-digit number
// (sqrt(0.9 * 0.1), from decimals inexact in binary) is shown as that number.
std::string num_down(double x) {
  if (!(x > 0) || !std::isfinite(x)) return num(x);
  const double scale = std::pow(10.0, 2 - std::floor(std::log10(x)));
  return num(std::floor(x * scale + 1e-9) / scale);
}

// Calls f with the Boost distribution of d; NaN when d has no such law
// (discrete) or the wrong number of parameters.
template <class F>
double with_law(const Distribution& d, F&& f) {
  const auto& p = d.params;
  const auto* i = info(d.type);
  if (!i || d.type == T::kDiscrete || p.size() != i->params.size()) return kNaN;
  switch (d.type) {
    case T::kNormal:
      return f(bm::normal_distribution<double, Quiet>(p[0], p[1]));
    case T::kLognormal:
      return f(bm::lognormal_distribution<double, Quiet>(p[0], p[1]));
    case T::kGamma:
      return f(bm::gamma_distribution<double, Quiet>(p[0], p[1]));
    case T::kBeta:
      return f(bm::beta_distribution<double, Quiet>(p[0], p[1]));
    case T::kUniform:
      return f(bm::uniform_distribution<double, Quiet>(p[0], p[1]));
    case T::kTriangular:
      return f(bm::triangular_distribution<double, Quiet>(p[0], p[1], p[2]));
    case T::kDiscrete:
      break;
  }
  return kNaN;
}

// Whether d's parameters are ones make_distribution or make_discrete would
// accept (the members give NaN otherwise; Boost would only catch some).
bool valid(const Distribution& d) {
  const auto* i = info(d.type);
  if (!i) return false;
  if (d.type == T::kDiscrete) {
    const auto &v = d.values, &w = d.weights;
    if (v.empty() || v.size() != w.size()) return false;
    bool any = false;
    for (size_t k = 0; k < v.size(); ++k) {
      if (!std::isfinite(v[k]) || !std::isfinite(w[k]) || w[k] < 0) return false;
      if (k > 0 && !(v[k - 1] <= v[k])) return false;
      any = any || w[k] > 0;
    }
    return any;
  }
  const auto& p = d.params;
  if (p.size() != i->params.size()) return false;
  for (double x : p)
    if (!std::isfinite(x)) return false;
  switch (d.type) {
    case T::kNormal:
    case T::kLognormal:
      return p[1] > 0;
    case T::kGamma:
    case T::kBeta:
      return p[0] > 0 && p[1] > 0;
    case T::kUniform:
      return p[0] < p[1] && std::isfinite(p[1] - p[0]);
    case T::kTriangular:
      return p[0] < p[2] && std::isfinite(p[2] - p[0]) && p[0] <= p[1] && p[1] <= p[2];
    case T::kDiscrete:
      break;
  }
  return false;
}

}  // namespace

std::optional<DistributionType> distribution_type(const std::string& name) {
  for (const auto& i : types())
    if (name == i.name) return i.type;
  return std::nullopt;
}

const char* distribution_name(DistributionType t) {
  const auto* i = info(t);
  return i ? i->name : "unknown";
}

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& i : types()) n.push_back(i.name);
    return n;
  }();
  return names;
}

double Distribution::quantile(double u) const {
  if (std::isnan(u) || !valid(*this)) return kNaN;
  u = std::clamp(u, kUMin, 1 - kUMin);
  if (type != T::kDiscrete)
    return with_law(*this, [u](const auto& law) { return bm::quantile(law, u); });
  // The same summation, in the same order, as cdf(): quantile(cdf(v)) == v.
  double cum = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    cum += weights[i];
    if (cum >= u) return values[i];
  }
  return values.back();  // weights summing to a hair under 1 - kUMin
}

double Distribution::cdf(double x) const {
  if (std::isnan(x) || !valid(*this)) return kNaN;
  // At and past the last value exactly 1, whatever the rounding of the sum.
  if (type == T::kDiscrete) {
    if (x >= values.back()) return 1;
    double cum = 0;
    for (size_t i = 0; i < values.size() && values[i] <= x; ++i) cum += weights[i];
    return std::min(cum, 1.0);
  }
  // Outside the support Boost reports a domain error (gamma at x < 0, ...):
  // the answer is known.
  if (x <= lower()) return 0;
  if (x >= upper()) return 1;
  return with_law(*this, [x](const auto& law) { return bm::cdf(law, x); });
}

double Distribution::mean() const {
  if (!valid(*this)) return kNaN;
  const auto& p = params;
  switch (type) {
    case T::kNormal:
      return p[0];
    case T::kLognormal:
      return std::exp(p[0] + p[1] * p[1] / 2);
    case T::kGamma:
      return p[0] * p[1];
    case T::kBeta:
      return p[0] / (p[0] + p[1]);
    case T::kUniform:
      return p[0] / 2 + p[1] / 2;  // halves first: no overflow for bounds near the largest double
    case T::kTriangular:
      return p[0] / 3 + p[1] / 3 + p[2] / 3;
    case T::kDiscrete: {
      double m = 0;
      for (size_t i = 0; i < values.size(); ++i) m += weights[i] * values[i];
      return m;
    }
  }
  return kNaN;
}

double Distribution::sd() const {
  if (!valid(*this)) return kNaN;
  const auto& p = params;
  switch (type) {
    case T::kNormal:
      return p[1];
    case T::kLognormal:
      return mean() * std::sqrt(std::expm1(p[1] * p[1]));  // expm1: exact for small sdlog
    case T::kGamma:
      return std::sqrt(p[0]) * p[1];
    case T::kBeta: {
      const double s = p[0] + p[1];
      return std::sqrt(p[0] * p[1] / (s + 1)) / s;
    }
    case T::kUniform:
      return (p[1] - p[0]) / std::sqrt(12.0);
    case T::kTriangular: {
      // (a² + b² + c² - ab - ac - bc) / 18, shifted to min = 0 against cancellation.
      const double c = p[1] - p[0], b = p[2] - p[0];
      return std::sqrt((b * b + c * c - b * c) / 18);
    }
    case T::kDiscrete: {
      // Two passes: no cancellation for values far from 0.
      const double m = mean();
      double v = 0;
      for (size_t i = 0; i < values.size(); ++i)
        v += weights[i] * (values[i] - m) * (values[i] - m);
      return std::sqrt(v);
    }
  }
  return kNaN;
}

double Distribution::lower() const {
  if (!valid(*this)) return kNaN;
  switch (type) {
    case T::kNormal:
      return -kUnbounded;
    case T::kLognormal:
    case T::kGamma:
    case T::kBeta:
      return 0;
    case T::kUniform:
    case T::kTriangular:
      return params[0];
    case T::kDiscrete:
      return values.front();
  }
  return kNaN;
}

double Distribution::upper() const {
  if (!valid(*this)) return kNaN;
  switch (type) {
    case T::kNormal:
    case T::kLognormal:
    case T::kGamma:
      return kUnbounded;
    case T::kBeta:
      return 1;
    case T::kUniform:
    case T::kTriangular:
      return params.back();
    case T::kDiscrete:
      return values.back();
  }
  return kNaN;
}

std::string make_distribution(DistributionType t, const std::vector<double>& params,
                              Distribution& out) {
  const auto* i = info(t);
  if (!i) return "unknown distribution type";
  const std::string name = i->name;
  if (t == T::kDiscrete)
    return "a discrete distribution is given by its values and weights, not by parameters";
  const auto& names = i->params;
  if (params.size() != names.size()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return name + " needs " + std::to_string(names.size()) + " parameters (" + list + "), got " +
           std::to_string(params.size());
  }
  for (size_t k = 0; k < params.size(); ++k)
    if (!std::isfinite(params[k]))
      return name + " needs finite parameters, got " + names[k] + " " + num(params[k]);
  const auto& p = params;
  switch (t) {
    case T::kNormal:
    case T::kLognormal:
      if (!(p[1] > 0))
        return name + " needs " + names[1] + " > 0, got " + names[1] + " " + num(p[1]);
      break;
    case T::kGamma:
    case T::kBeta:
      for (size_t k = 0; k < 2; ++k)
        if (!(p[k] > 0))
          return name + " needs " + names[0] + " > 0 and " + names[1] + " > 0, got " + names[k] +
                 " " + num(p[k]);
      break;
    case T::kUniform:
    case T::kTriangular: {
      const double lo = p.front(), hi = p.back();
      if (!(lo < hi)) return name + " needs min < max, got min " + num(lo) + " and max " + num(hi);
      // The CDF divides by the range: it must be a number.
      if (!std::isfinite(hi - lo))
        return name + " needs max - min to be finite, got min " + num(lo) + " and max " + num(hi);
      if (t == T::kTriangular && !(p[1] >= lo && p[1] <= hi))
        return "triangular needs min <= mode <= max, got mode " + num(p[1]) + " outside [" +
               num(lo) + ", " + num(hi) + "]";
      break;
    }
    case T::kDiscrete:
      break;
  }
  Distribution d;
  d.type = t;
  d.params = params;
  out = std::move(d);
  return {};
}

std::string make_discrete(const std::vector<double>& values, const std::vector<double>& weights,
                          Distribution& out) {
  if (values.empty()) return "discrete needs at least one value";
  if (values.size() != weights.size())
    return "discrete needs one weight per value, got " + std::to_string(values.size()) +
           " values and " + std::to_string(weights.size()) + " weights";
  double largest = 0;
  for (size_t k = 0; k < values.size(); ++k) {
    if (!std::isfinite(values[k]))
      return "discrete needs finite values, got value " + std::to_string(k + 1) + " " +
             num(values[k]);
    if (!std::isfinite(weights[k]))
      return "discrete needs finite weights, got weight " + std::to_string(k + 1) + " " +
             num(weights[k]);
    if (weights[k] < 0)
      return "discrete needs weights >= 0, got weight " + std::to_string(k + 1) + " " +
             num(weights[k]);
    largest = std::max(largest, weights[k]);
  }
  if (largest == 0) return "discrete needs at least one weight > 0, got all 0";
  // Sorted by value, equal values merged, weight-0 values dropped: the
  // quantile is then the usual step function and lower()/upper() the support.
  std::vector<std::pair<double, double>> vw;
  for (size_t k = 0; k < values.size(); ++k)
    if (weights[k] > 0) vw.emplace_back(values[k], weights[k] / largest);  // no overflow in the sum
  std::sort(vw.begin(), vw.end());
  Distribution d;
  d.type = T::kDiscrete;
  double total = 0;
  for (const auto& [v, w] : vw) {
    if (!d.values.empty() && d.values.back() == v) {
      d.weights.back() += w;
    } else {
      d.values.push_back(v);
      d.weights.push_back(w);
    }
    total += w;
  }
  for (double& w : d.weights) w /= total;
  out = std::move(d);
  return {};
}

std::string distribution_from_moments(DistributionType t, double mean, double sd,
                                      Distribution& out) {
  const std::string name = distribution_name(t);
  if (t == T::kTriangular)
    return "a triangular distribution is not set by a mean and an sd (it has three parameters): "
           "give its min, mode and max";
  if (t == T::kDiscrete)
    return "a discrete distribution is not set by a mean and an sd: give its values and weights";
  if (!info(t)) return "unknown distribution type";
  if (!std::isfinite(mean) || !std::isfinite(sd))
    return "a " + name + " needs a finite mean and sd, got mean " + num(mean) + " and sd " +
           num(sd);
  if (!(sd > 0)) return "a " + name + " needs sd > 0, got sd " + num(sd);
  std::vector<double> p;
  switch (t) {
    case T::kNormal:
      p = {mean, sd};
      break;
    case T::kLognormal: {
      if (!(mean > 0)) return "a lognormal needs mean > 0, got mean " + num(mean);
      const double cv = sd / mean;  // the ratio first: no overflow of sd² or mean²
      const double s2 = std::log1p(cv * cv);
      p = {std::log(mean) - s2 / 2, std::sqrt(s2)};
      break;
    }
    case T::kGamma: {
      if (!(mean > 0)) return "a gamma needs mean > 0, got mean " + num(mean);
      const double cv = sd / mean;
      p = {1 / (cv * cv), sd * cv};
      break;
    }
    case T::kBeta: {
      if (!(mean > 0 && mean < 1)) return "a beta needs 0 < mean < 1, got mean " + num(mean);
      const double v = mean * (1 - mean);
      if (!(sd * sd < v))
        return "a beta with mean " + num(mean) + " needs sd < " + num_down(std::sqrt(v)) +
               " (sqrt(mean*(1-mean))), got " + num(sd);
      const double common = v / (sd * sd) - 1;
      p = {mean * common, (1 - mean) * common};
      break;
    }
    case T::kUniform: {
      const double half = std::sqrt(3.0) * sd;
      p = {mean - half, mean + half};
      break;
    }
    case T::kTriangular:
    case T::kDiscrete:
      break;
  }
  // Extreme ratios of sd to mean can still leave no valid native parameters
  // (sdlog rounding to 0, a uniform's min and max rounding together).
  const std::string error = make_distribution(t, p, out);
  if (error.empty()) return {};
  return "a " + name + " with mean " + num(mean) + " and sd " + num(sd) +
         " has no representable parameters: " + error;
}

double standard_normal_cdf(double z) {
  return bm::cdf(bm::normal_distribution<double, Quiet>(), z);
}

double standard_normal_quantile(double u) {
  if (std::isnan(u)) return kNaN;
  return bm::quantile(bm::normal_distribution<double, Quiet>(), std::clamp(u, kUMin, 1 - kUMin));
}

}  // namespace pk
