#include "experiment/design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>

#include "scenario/paths.hpp"
#include "scenario/spec.hpp"
#include "sim/random.hpp"
#include "stats/copula.hpp"

namespace pk {

namespace {

// Sweep points are written with 12 significant digits (stores and summaries
// name them so).
constexpr int kSweepDigits = 12;

double as_number(const Node& n) {
  if (!n.is_scalar() || n.quoted) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double v = std::strtod(n.scalar.c_str(), &end);
  return end && *end == '\0' && !n.scalar.empty() ? v : std::numeric_limits<double>::quiet_NaN();
}

bool is_whole(double v) {
  return std::floor(v) == v && std::fabs(v) < 1e15;
}

}  // namespace

bool make_design(const SweepSpec& sweep, uint64_t seed, std::vector<SweepPoint>& points,
                 std::string& error) {
  points.clear();
  const size_t k = sweep.parameters.size();
  if (k == 0) return error = "the sweep has no parameters", false;
  if (sweep.design == "grid") {
    // Each parameter's values, as nodes.
    std::vector<std::vector<Node>> values(k);
    double total = 1;
    for (size_t p = 0; p < k; ++p) {
      const SweepParameter& par = sweep.parameters[p];
      if (!par.values.empty()) {
        values[p] = par.values;
      } else if (par.range && par.range->steps) {
        const int64_t steps = *par.range->steps;
        const bool whole =
            is_whole(par.range->from) && is_whole(par.range->to) &&
            (steps <= 1 || is_whole((par.range->to - par.range->from) / (steps - 1)));
        for (int64_t i = 0; i < steps; ++i) {
          const double v = steps == 1 ? par.range->from
                                      : par.range->from + (par.range->to - par.range->from) *
                                                              static_cast<double>(i) /
                                                              static_cast<double>(steps - 1);
          values[p].push_back(number_node(v, whole, par.mark, kSweepDigits));
        }
      } else {
        return error = "parameter " + par.path + " has neither values nor a range with steps",
               false;
      }
      total *= static_cast<double>(values[p].size());
    }
    if (total > static_cast<double>(kMaxSweepPoints)) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "the grid has %.0f points, more than the limit of %lld", total,
                    static_cast<long long>(kMaxSweepPoints));
      return error = buf, false;
    }
    const int64_t n = static_cast<int64_t>(total);
    points.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      SweepPoint pt;
      pt.index = i;
      int64_t rest = i;
      std::vector<size_t> pick(k);
      for (size_t p = k; p-- > 0;) {
        pick[p] = static_cast<size_t>(rest % static_cast<int64_t>(values[p].size()));
        rest /= static_cast<int64_t>(values[p].size());
      }
      for (size_t p = 0; p < k; ++p) {
        pt.overrides.push_back({sweep.parameters[p].path, values[p][pick[p]]});
        pt.numeric.push_back(as_number(values[p][pick[p]]));
      }
      points.push_back(std::move(pt));
    }
    return true;
  }

  // Latin hypercube and Sobol: unit-cube samples mapped onto each range.
  if (!sweep.samples) return error = "design " + sweep.design + " needs samples", false;
  const int64_t n = *sweep.samples;
  if (n > kMaxSweepPoints)
    return error = "more than " + std::to_string(kMaxSweepPoints) + " samples", false;
  for (const auto& par : sweep.parameters)
    if (!par.range)
      return error =
                 "parameter " + par.path + " needs a range {from, to} for design " + sweep.design,
             false;
  std::vector<std::vector<double>> u(static_cast<size_t>(n), std::vector<double>(k));
  if (sweep.design == "latin_hypercube") {
    // One random permutation of the n strata per parameter, a uniform within each.
    for (size_t p = 0; p < k; ++p) {
      // The design's own stream, outside the replications' key space.
      sim::Stream g(sim::ReplicationKey::make(seed, ~uint64_t{0}),
                    sim::StreamId{0xde5167u, p, 0, 0});
      std::vector<int64_t> perm(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) perm[static_cast<size_t>(i)] = i;
      boost::random::uniform_01<double> unit;
      for (int64_t i = n - 1; i > 0; --i) {
        const int64_t j = static_cast<int64_t>(unit(g) * static_cast<double>(i + 1));
        std::swap(perm[static_cast<size_t>(i)], perm[static_cast<size_t>(std::min(j, i))]);
      }
      for (int64_t i = 0; i < n; ++i)
        u[static_cast<size_t>(i)][p] =
            (static_cast<double>(perm[static_cast<size_t>(i)]) + unit(g)) / static_cast<double>(n);
    }
  } else if (sweep.design == "sobol") {
    boost::random::sobol gen(static_cast<unsigned>(k));
    gen.discard(k);  // skip the all-zero first point
    const double scale = std::ldexp(1.0, -64);
    for (int64_t i = 0; i < n; ++i)
      for (size_t p = 0; p < k; ++p)
        u[static_cast<size_t>(i)][p] = static_cast<double>(gen()) * scale;
  } else {
    return error = "unknown design " + sweep.design, false;
  }
  for (int64_t i = 0; i < n; ++i) {
    SweepPoint pt;
    pt.index = i;
    for (size_t p = 0; p < k; ++p) {
      const SweepRange& r = *sweep.parameters[p].range;
      const bool whole = is_integer_path(sweep.parameters[p].path);
      double v = r.from + (r.to - r.from) * u[static_cast<size_t>(i)][p];
      if (whole) v = std::round(v);
      pt.overrides.push_back({sweep.parameters[p].path,
                              number_node(v, whole, sweep.parameters[p].mark, kSweepDigits)});
      pt.numeric.push_back(v);
    }
    points.push_back(std::move(pt));
  }
  return true;
}

bool make_uncertainty_design(const UncertaintySpec& spec, uint64_t seed, int64_t draws,
                             std::vector<SweepPoint>& points, std::string& error) {
  points.clear();
  const size_t k = spec.inputs.size();
  if (k == 0) return error = "the scenario has no uncertainty block", false;
  if (draws < 1 || draws > kMaxSweepPoints)
    return error = "draws must be from 1 to " + std::to_string(kMaxSweepPoints), false;
  GaussianCopula copula;
  if (!spec.correlation.empty())
    if (std::string e = copula.make(spec.correlation); !e.empty()) return error = e, false;
  // The shift: one 64-bit word per input, XORed into every Sobol integer, a
  // stream of its own outside the replications' key space.
  sim::Stream g(sim::ReplicationKey::make(seed, ~uint64_t{0}), sim::StreamId{0xdec1deu, 0, 0, 0});
  std::vector<uint64_t> shift(k);
  for (uint64_t& s : shift) s = g();
  boost::random::sobol sobol(static_cast<unsigned>(k));
  std::vector<double> u(k);
  for (int64_t i = 0; i < draws; ++i) {
    // The middle of the point's cell, never 0 or 1.
    for (size_t p = 0; p < k; ++p)
      u[p] = (static_cast<double>((sobol() ^ shift[p]) >> 11) + 0.5) * 0x1.0p-53;
    const std::vector<double> v = copula.apply(u);
    SweepPoint pt;
    pt.index = i;
    for (size_t p = 0; p < k; ++p) {
      const UncertainInput& in = spec.inputs[p];
      const bool whole = is_integer_path(in.path);
      double x = 0;
      if (in.sample_set >= 0) {
        // A row of the joint draws, chosen by the coordinate of the set's
        // first column, so that every column of one point comes from one draw.
        const SampleSet& set = spec.sample_sets[static_cast<size_t>(in.sample_set)];
        const auto n = set.rows.size();
        const auto row =
            std::min(n - 1, static_cast<size_t>(v[set.inputs.front()] * static_cast<double>(n)));
        x = set.rows[row][static_cast<size_t>(in.sample_column)];
      } else {
        x = in.distribution.quantile(v[p]);
      }
      if (whole) x = std::round(x);
      pt.overrides.push_back({in.path, number_node(x, whole, in.mark)});
      pt.numeric.push_back(x);
    }
    points.push_back(std::move(pt));
  }
  return true;
}

}  // namespace pk
