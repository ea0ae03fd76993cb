#include "experiment/calibrate.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "experiment/metrics.hpp"
#include "experiment/runner.hpp"
#include "scenario/paths.hpp"
#include "scenario/suggest.hpp"
#include "stats/summary.hpp"
#include "util/csv.hpp"

namespace pk {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool parse_int(const std::string& s, int& v) {
  const std::string t = trim(s);
  if (t.empty() || t.size() > 9) return false;
  for (char c : t)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  v = std::atoi(t.c_str());
  return true;
}

bool parse_double(const std::string& s, double& v) {
  const std::string t = trim(s);
  if (t.empty()) return false;
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(v);
}

std::string yaml_number_digits(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// One parameter: the u = log(factor) where the simulated mean equals
// `target`, by the Illinois method (regula falsi that halves a stale end)
// between the neighbouring design points that bracket it. Every evaluation is
// a simulation with the design's seed, so the response is the common-random-
// number one the design saw, and the root is that of the simulator, not of a
// surrogate. nullopt when no neighbours bracket the target (`steps` is 0) or
// a simulation fails (errors in its diagnostics).
std::optional<double> root_of_mean(const std::function<std::optional<double>(double)>& mean_at,
                                   const std::vector<CalibrationPoint>& design, double target,
                                   int& steps) {
  steps = 0;
  for (size_t k = 0; k + 1 < design.size(); ++k) {
    double fa = design[k].mean_per_year - target, fb = design[k + 1].mean_per_year - target;
    if (fa * fb > 0) continue;
    double a = std::log(design[k].factors[0]), b = std::log(design[k + 1].factors[0]);
    if (fa == 0) return a;
    if (fb == 0) return b;
    // 0.01% in the factor: far below the four digits an estimate is written with.
    for (int it = 0; it < 30 && std::abs(b - a) > 1e-4; ++it) {
      const double c = b - fb * (b - a) / (fb - fa);
      const auto mu = mean_at(c);
      ++steps;
      if (!mu) return std::nullopt;
      const double fc = *mu - target;
      if (fc == 0) return c;
      if (fc * fb < 0) {
        a = b;
        fa = fb;
      } else {
        fa /= 2;
      }
      b = c;
      fb = fc;
    }
    return std::abs(fa) < std::abs(fb) ? a : b;
  }
  return std::nullopt;
}

}  // namespace

bool parse_years(const std::string& text, std::vector<int>& years, std::string& error) {
  std::set<int> out;
  for (const std::string& part : csv_fields(text, ',')) {
    const auto dash = part.find('-');
    int a = 0, b = 0;
    if (dash == std::string::npos) {
      if (!parse_int(part, a)) {
        error = "not a year: '" + trim(part) + "'";
        return false;
      }
      b = a;
    } else if (!parse_int(part.substr(0, dash), a) || !parse_int(part.substr(dash + 1), b) ||
               b < a || b - a > 1000) {
      error = "not a range of years: '" + trim(part) + "' (write e.g. 2014-2016)";
      return false;
    }
    for (int y = a; y <= b; ++y) out.insert(y);
  }
  years.assign(out.begin(), out.end());
  return true;
}

namespace {

constexpr double kMaxObservedCount = 1e6;

// A cell trimmed, and unquoted when its quotes follow a blank (` "MINUSMA"`):
// RFC 4180 keeps such quotes as text, and a mission name with its quotes
// matched nothing, so its rows were dropped without a word.
std::string cell_text(const std::string& raw) {
  std::string t = trim(raw);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
    std::string inner;
    for (size_t i = 1; i + 1 < t.size(); ++i) {
      inner += t[i];
      if (t[i] == '"' && t[i + 1] == '"' && i + 2 < t.size()) ++i;
    }
    t = trim(inner);
  }
  return t;
}

// One data row of the observed CSV: its mission, year and the chosen cell.
struct ObservedRow {
  int line = 0;
  std::string mission;
  int year = 0;
  std::string cell;
};

// Walks the rows of the observed CSV, calling `visit` for each; false with
// `error` set when the header or a row is malformed or `visit` says so.
bool visit_observed_rows(const std::string& text, const std::string& column,
                         const std::function<bool(const ObservedRow&, std::string&)>& visit,
                         std::string& error) {
  std::vector<CsvRecord> records;
  if (!read_csv(text, records, error, {',', true})) return false;
  std::vector<std::string> header;
  int mission_col = -1, year_col = -1, value_col = -1;
  for (const CsvRecord& record : records) {
    const int line_no = record.line;
    const std::vector<std::string>& cells = record.fields;
    if (header.empty()) {
      header = cells;
      for (size_t i = 0; i < header.size(); ++i) {
        const std::string h = cell_text(header[i]);
        if (h == "mission") mission_col = static_cast<int>(i);
        if (h == "year") year_col = static_cast<int>(i);
        if (h == column) value_col = static_cast<int>(i);
      }
      if (mission_col < 0 || year_col < 0) {
        error = "line " + std::to_string(line_no) + ": the header has no 'mission' and 'year'";
        return false;
      }
      if (value_col < 0) {
        std::vector<std::string> names;
        for (const std::string& h : header) names.push_back(cell_text(h));
        const std::string near = closest_match(column, names);
        error = "no column '" + column + "' in the header (line " + std::to_string(line_no) + ")" +
                (near.empty() ? "" : " (did you mean '" + near + "'?)");
        return false;
      }
      continue;
    }
    if (cells.size() != header.size()) {
      error = "line " + std::to_string(line_no) + ": " + std::to_string(cells.size()) +
              " cells, the header has " + std::to_string(header.size());
      return false;
    }
    ObservedRow row;
    row.line = line_no;
    row.mission = cell_text(cells[static_cast<size_t>(mission_col)]);
    if (row.mission.find('"') != std::string::npos) {
      error = "line " + std::to_string(line_no) + ": stray quote in the mission name '" +
              row.mission + "'";
      return false;
    }
    if (!parse_int(cell_text(cells[static_cast<size_t>(year_col)]), row.year)) {
      error = "line " + std::to_string(line_no) + ": not a year";
      return false;
    }
    row.cell = cell_text(cells[static_cast<size_t>(value_col)]);
    if (!visit(row, error)) return false;
  }
  if (header.empty()) {
    error = "no header row";
    return false;
  }
  return true;
}

}  // namespace

namespace {

// " (did you mean 'M'?)" for the mission of the CSV closest to `mission`
// (case-insensitive, as missions are matched), then where to see them all.
std::string mission_hint(const std::string& text, const std::string& column,
                         const std::string& mission) {
  std::vector<ObservedMission> missions;
  std::string ignored;
  std::vector<std::string> names;
  if (list_observed_missions(text, column, missions, ignored))
    for (const ObservedMission& m : missions) names.push_back(lower(m.name));
  const std::string near = closest_match(lower(mission), names);
  for (const ObservedMission& m : missions)
    if (!near.empty() && lower(m.name) == near)
      return " (did you mean '" + m.name + "'?; --list-missions lists them)";
  return "; --list-missions lists the missions of the CSV";
}

}  // namespace

bool read_observed_csv(const std::string& text, const std::string& mission,
                       const std::string& column, const std::vector<int>& years,
                       std::vector<ObservedYear>& out, std::string& error) {
  out.clear();
  std::set<int> seen;
  bool known = false;  // the CSV has rows of the mission, in any year
  const auto keep = [&](const ObservedRow& row, std::string& err) {
    if (lower(row.mission) != lower(mission)) return true;
    known = true;
    if (!years.empty() && !std::binary_search(years.begin(), years.end(), row.year)) return true;
    double v = 0;
    // A count of people: whole, and no larger than any mission ever was (a
    // count of 1e308 has no finite likelihood and would fit on nothing).
    if (!parse_double(row.cell, v) || v < 0 || v != std::floor(v) || v > kMaxObservedCount) {
      err = "line " + std::to_string(row.line) + ": " + column + " of " + mission + " " +
            std::to_string(row.year) + " is " +
            (row.cell.empty() ? "empty" : "'" + row.cell + "'") +
            ", not a count (a whole number from 0 to " + yaml_number(kMaxObservedCount) + ")";
      return false;
    }
    if (!seen.insert(row.year).second) {
      err = "line " + std::to_string(row.line) + ": " + mission + " " + std::to_string(row.year) +
            " appears twice";
      return false;
    }
    out.push_back({row.year, v});
    return true;
  };
  if (!visit_observed_rows(text, column, keep, error)) return false;
  if (!known) {
    error = "no rows for mission '" + mission + "'" + mission_hint(text, column, mission);
    return false;
  }
  for (int y : years)
    if (!seen.count(y)) {
      error = "no row for " + mission + " " + std::to_string(y);
      return false;
    }
  if (out.empty()) {
    error = "no rows for mission '" + mission + "'";
    return false;
  }
  std::sort(out.begin(), out.end(),
            [](const ObservedYear& a, const ObservedYear& b) { return a.year < b.year; });
  return true;
}

bool list_observed_missions(const std::string& text, const std::string& column,
                            std::vector<ObservedMission>& out, std::string& error) {
  out.clear();
  std::map<std::string, ObservedMission> by_name;
  const auto add = [&](const ObservedRow& row, std::string&) {
    ObservedMission& m = by_name[row.mission];
    if (m.name.empty()) {
      m.name = row.mission;
      m.first_year = m.last_year = row.year;
    }
    m.first_year = std::min(m.first_year, row.year);
    m.last_year = std::max(m.last_year, row.year);
    ++m.years;
    double v = 0;
    if (parse_double(row.cell, v) && v >= 0) {
      ++m.years_with_count;
      m.total += v;
    }
    return true;
  };
  if (!visit_observed_rows(text, column, add, error)) return false;
  for (auto& [name, m] : by_name) out.push_back(m);
  return true;
}

double poisson_loglik(const std::vector<ObservedYear>& observed, double mu) {
  double ll = 0;
  for (const auto& o : observed) {
    if (mu <= 0) {
      ll += o.count > 0 ? -std::numeric_limits<double>::infinity() : 0.0;
      continue;
    }
    ll += o.count * std::log(mu) - mu - std::lgamma(o.count + 1);
  }
  return ll;
}

double poisson_deviance(const std::vector<ObservedYear>& observed, double mu) {
  double d = 0;
  for (const auto& o : observed) {
    if (mu <= 0) return o.count > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    d += (o.count > 0 ? o.count * std::log(o.count / mu) : 0.0) - (o.count - mu);
  }
  return 2 * d;
}

std::vector<PointOverride> calibrated_overrides(const CalibrationResult& r) {
  std::vector<PointOverride> out;
  for (const auto& p : r.parameters)
    out.push_back({p.path, number_node(p.estimate, false, Mark{})});
  return out;
}

namespace {

// Whether the simulated likelihood applies (errors in diags when not): one
// parameter, one series, a one-year horizon.
bool simulated_likelihood_applies(const CalibrationResult& r, const CalibrationConfig& cfg,
                                  Diagnostics& diags) {
  if (r.parameters.size() != 1 || !cfg.outputs.empty()) {
    diags.error({}, "",
                "the simulated likelihood fits one parameter to one series: give one --fit path "
                "and no --output, or use the negative binomial");
    return false;
  }
  if (std::abs(r.years_per_replication - 1) > 1e-9) {
    diags.error({}, "horizon_days",
                "the simulated likelihood needs a horizon of 365 days (one replication is one "
                "year, whose count it compares with a year's); this scenario's is " +
                    yaml_number_digits(365 * r.years_per_replication, 6) + " days");
    return false;
  }
  return true;
}

// The simulated likelihood (docs/calibration.md): the probability mass of a
// year's count simulated on a grid around the negative binomial's posterior
// (its 90% interval widened by its own width each way, within the design's
// box; 17 points) by the year CV (0 to --year-cv-max in 11 steps, or the
// fixed value), with the engine's own year effect at that CV; then the
// posterior again on that grid.
bool fit_simulated_likelihood(const LoadedScenario& ls, CalibrationResult& r,
                              const CalibrationConfig& cfg, Diagnostics& diags) {
  const CalibratedParameter& par = r.parameters.front();
  const PosteriorSummary& nb = r.posterior.parameters.front();
  const double a = std::log(nb.lo90 / par.written), b = std::log(nb.hi90 / par.written);
  const double lo = std::max(std::log(cfg.factor_lo), a - (b - a));
  const double hi = std::min(std::log(cfg.factor_hi), b + (b - a));
  PmfGrid g;
  constexpr int kPoints = 17, kCvSteps = 10;
  for (int k = 0; k < kPoints; ++k) g.u.push_back(lo + (hi - lo) * k / (kPoints - 1));
  if (cfg.year_cv_fixed < 0)
    for (int k = 0; k <= kCvSteps; ++k) g.cv.push_back(cfg.year_cv_max * k / kCvSteps);
  else
    g.cv = {cfg.year_cv_fixed};
  // The runs need a year_effect block to set: add one at cv 0 if the file has none.
  LoadedScenario with = ls;
  if (!with.tree.find("year_effect")) {
    Node block;
    block.kind = Node::Kind::kMap;
    block.map.push_back(MapEntry{"cv", Mark{}, number_node(0, false, Mark{})});
    with.tree.map.push_back(MapEntry{"year_effect", Mark{}, std::move(block)});
  }
  std::vector<std::vector<PointOverride>> candidates;
  for (double u : g.u)
    for (double c : g.cv)
      candidates.push_back({{par.path, number_node(par.written * std::exp(u), false, Mark{})},
                            {kYearEffectPath, number_node(c, false, Mark{})}});
  auto pmfs = simulate_pmfs(with, candidates, cfg, diags);
  if (!pmfs) return false;
  g.pmf = std::move(*pmfs);
  g.replications = cfg.pmf_replications;
  r.pmf_grid = std::move(g);
  fit_posterior(r, cfg);

  // The precision of the simulated masses near the posterior median.
  const auto nearest = [](const std::vector<double>& axis, double x) {
    size_t best = 0;
    for (size_t i = 1; i < axis.size(); ++i)
      if (std::abs(axis[i] - x) < std::abs(axis[best] - x)) best = i;
    return best;
  };
  const PmfGrid& grid = r.pmf_grid;
  const size_t iu = nearest(grid.u, std::log(r.posterior.parameters.front().median / par.written));
  const size_t ic = nearest(grid.cv, r.posterior.year_cv.median);
  const std::vector<double>& pmf = grid.pmf[iu * grid.cv.size() + ic];
  r.pmf_min_hits = std::numeric_limits<double>::infinity();
  for (const auto& o : r.observed) {
    const auto k = static_cast<size_t>(o.count);
    const double share = k < pmf.size() ? pmf[k] : 0.0;
    r.pmf_min_hits =
        std::min(r.pmf_min_hits, std::round(share * static_cast<double>(grid.replications)));
  }
  return true;
}

}  // namespace

std::optional<CalibrationResult> calibrate(const LoadedScenario& ls,
                                           const std::vector<ObservedYear>& observed,
                                           const CalibrationConfig& cfg, Diagnostics& diags) {
  CalibrationResult r;
  r.observed = observed;
  r.replications = cfg.replications;
  r.seed = cfg.seed;
  r.years_per_replication = ls.baseline().horizon_hours / (24.0 * 365.0);
  const size_t p = cfg.paths.size();
  if (p == 0 || observed.empty() || !(cfg.factor_lo > 0) || !(cfg.factor_hi > cfg.factor_lo)) {
    diags.error({}, "", "calibration needs parameters, observed years and 0 < lo < hi factors");
    return std::nullopt;
  }
  std::vector<std::pair<const Node*, std::string>> fitted;  // the number each path selects
  for (const std::string& path : cfg.paths) {
    std::string error;
    const Node* n = resolve_number(ls.tree, path, error);
    if (!n) {
      diags.error({}, path, error);
      continue;
    }
    // One number fitted twice would get two estimates, and --write could not
    // put both back: refused, whatever the two paths' spellings.
    const auto same = [&](const auto& f) { return f.first == n; };
    if (const auto it = std::find_if(fitted.begin(), fitted.end(), same); it != fitted.end()) {
      diags.error(n->mark, path, "this number is fitted twice (also as '" + it->second + "')");
      continue;
    }
    fitted.emplace_back(n, path);
    CalibratedParameter cp;
    cp.path = path;
    cp.mark = n->mark;
    parse_double(n->scalar, cp.written);
    if (!(cp.written > 0)) diags.error(n->mark, path, "a calibrated value must be above 0");
    r.parameters.push_back(cp);
  }
  if (ls.tree.find("year_effect")) {
    std::string error;
    if (const Node* n = resolve_number(ls.tree, kYearEffectPath, error)) {
      r.scenario_year_effect = true;
      r.year_effect_mark = n->mark;
      parse_double(n->scalar, r.year_effect_written);
    }
  }
  if (cfg.simulated_likelihood && !diags.has_errors()) simulated_likelihood_applies(r, cfg, diags);
  if (diags.has_errors()) return std::nullopt;

  // Design: every combination of `levels` log-spaced factors per parameter.
  const int levels = cfg.levels > 1 ? cfg.levels : (p == 1 ? 13 : p == 2 ? 9 : 5);
  const double log_lo = std::log(cfg.factor_lo), log_hi = std::log(cfg.factor_hi);
  const double step = (log_hi - log_lo) / (levels - 1);
  size_t total = 1;
  for (size_t i = 0; i < p; ++i) total *= static_cast<size_t>(levels);
  if (total > 20000) {
    diags.error({}, "",
                "the design has " + std::to_string(total) +
                    " points: fit fewer parameters or use fewer --levels");
    return std::nullopt;
  }
  std::vector<std::vector<int>> grid_index;
  std::vector<std::vector<PointOverride>> candidates;
  for (size_t k = 0; k < total; ++k) {
    std::vector<int> idx(p);
    size_t rest = k;
    for (size_t i = p; i-- > 0;) {
      idx[i] = static_cast<int>(rest % static_cast<size_t>(levels));
      rest /= static_cast<size_t>(levels);
    }
    grid_index.push_back(idx);
    CalibrationPoint pt;
    std::vector<PointOverride> ov;
    for (size_t i = 0; i < p; ++i) {
      const double f = std::exp(log_lo + step * idx[i]);
      pt.factors.push_back(f);
      ov.push_back({r.parameters[i].path, number_node(r.parameters[i].written * f, false, Mark{})});
    }
    candidates.push_back(std::move(ov));
    r.design.push_back(pt);
  }
  const auto mus = simulate_candidates(ls, candidates, cfg, diags);
  if (!mus) return std::nullopt;
  for (size_t k = 0; k < total; ++k) {
    r.design[k].mean_per_year = (*mus)[k][0].mean;
    r.design[k].variance_per_year = (*mus)[k][0].variance;
    for (size_t o = 1; o < (*mus)[k].size(); ++o) {
      r.design[k].output_mean.push_back((*mus)[k][o].mean);
      r.design[k].output_variance.push_back((*mus)[k][o].variance);
    }
    r.design[k].loglik = poisson_loglik(observed, (*mus)[k][0].mean);
  }
  r.levels = levels;

  // The best design point, then a quadratic surrogate in u = log(factor) over
  // its neighbours (two grid steps each way, widened at the edges of the box)
  // — local, so that the quadratic describes the peak and not the tails.
  size_t best = 0;
  for (size_t k = 1; k < total; ++k)
    if (r.design[k].loglik > r.design[best].loglik) best = k;
  const size_t n_coef = 1 + p + p * (p + 1) / 2;
  std::vector<size_t> local;
  for (int radius = 2; radius <= levels; ++radius) {
    local.clear();
    for (size_t k = 0; k < total; ++k) {
      bool near = std::isfinite(r.design[k].loglik);
      for (size_t i = 0; i < p && near; ++i)
        near = std::abs(grid_index[k][i] - grid_index[best][i]) <= radius;
      if (near) local.push_back(k);
    }
    if (local.size() >= n_coef + 2) break;
  }
  r.surrogate_points = static_cast<int>(local.size());
  if (local.size() < n_coef) {
    diags.error({}, "",
                "the likelihood is finite at only " + std::to_string(local.size()) +
                    " design points near the best, and the surrogate needs " +
                    std::to_string(n_coef) +
                    ": the observed counts cannot come from the scenario at any of these factors");
    return std::nullopt;
  }
  Eigen::VectorXd ub(static_cast<Eigen::Index>(p));
  for (size_t i = 0; i < p; ++i)
    ub(static_cast<Eigen::Index>(i)) = std::log(r.design[best].factors[i]);
  Eigen::MatrixXd X(static_cast<Eigen::Index>(local.size()), static_cast<Eigen::Index>(n_coef));
  Eigen::VectorXd y(static_cast<Eigen::Index>(local.size()));
  for (size_t row = 0; row < local.size(); ++row) {
    const auto& pt = r.design[local[row]];
    Eigen::Index c = 0;
    const auto R = static_cast<Eigen::Index>(row);
    X(R, c++) = 1;
    // Centred on the best point, so that the coefficients are well scaled.
    std::vector<double> u(p);
    for (size_t i = 0; i < p; ++i)
      u[i] = std::log(pt.factors[i]) - ub(static_cast<Eigen::Index>(i));
    for (size_t i = 0; i < p; ++i) X(R, c++) = u[i];
    for (size_t i = 0; i < p; ++i)
      for (size_t j = i; j < p; ++j) X(R, c++) = (i == j ? 0.5 : 1.0) * u[i] * u[j];
    y(R) = pt.loglik;
  }
  const Eigen::VectorXd coef = X.colPivHouseholderQr().solve(y);
  // q(u) = c0 + g.u - 1/2 u' A u, with A = minus the Hessian (the information).
  Eigen::VectorXd g(static_cast<Eigen::Index>(p));
  Eigen::MatrixXd A(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
  {
    Eigen::Index c = 1;
    for (size_t i = 0; i < p; ++i) g(static_cast<Eigen::Index>(i)) = coef(c++);
    for (size_t i = 0; i < p; ++i)
      for (size_t j = i; j < p; ++j) {
        const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
        A(I, J) = A(J, I) = -coef(c++);
      }
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(A);
  const Eigen::VectorXd lambda = eig.eigenvalues();
  const Eigen::MatrixXd V = eig.eigenvectors();
  // A direction is identified when its curvature is positive and its 95%
  // interval (± 1.96 / sqrt(curvature), log scale) is narrower than the
  // design: otherwise the data leave it free within the design — a ridge of
  // the likelihood, e.g. when the counts fix only the total of two rates. (A
  // standard error of half the design's width, the earlier limit, let an
  // interval twice the design's width count as identified.)
  const double widest_se = 0.5 * (log_hi - log_lo) / critical_value(0.95);
  Eigen::MatrixXd cov =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
  std::vector<bool> free_dir(p, false);
  for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(p); ++k) {
    r.information_eigenvalues.push_back(lambda(k));
    if (lambda(k) > 0 && 1.0 / std::sqrt(lambda(k)) < widest_se) {
      cov += V.col(k) * V.col(k).transpose() / lambda(k);
    } else {
      r.identified = false;
      free_dir[static_cast<size_t>(k)] = true;
    }
  }
  // Newton step from the best point along the identified directions, kept
  // inside the neighbourhood the surrogate was fitted on (a quadratic is not
  // to be extrapolated).
  Eigen::VectorXd d = cov * g;
  const double reach = 2 * step;
  const double longest = d.cwiseAbs().maxCoeff();
  if (longest > reach) d *= reach / longest;
  Eigen::VectorXd u = ub + d;
  for (size_t i = 0; i < p; ++i) {
    const auto I = static_cast<Eigen::Index>(i);
    if (u(I) < log_lo || u(I) > log_hi) {
      r.inside_design = false;
      u(I) = std::clamp(u(I), log_lo, log_hi);
    }
  }
  if (p == 1) {
    double target = 0;
    for (const auto& o : observed) target += o.count / static_cast<double>(observed.size());
    const auto mean_at = [&](double uu) {
      return simulate_per_year(
          ls,
          {{r.parameters[0].path,
            number_node(r.parameters[0].written * std::exp(uu), false, Mark{})}},
          cfg, diags);
    };
    const auto root = root_of_mean(mean_at, r.design, target, r.root_steps);
    if (diags.has_errors()) return std::nullopt;
    r.root_found = root.has_value();
    r.inside_design = r.root_found;
    if (root) u(0) = *root;
  }
  std::ostringstream note;
  if (!r.identified) {
    note << "the log-likelihood is flat (a ridge) along";
    for (size_t k = 0; k < p; ++k) {
      if (!free_dir[k]) continue;
      note << " (";
      for (size_t i = 0; i < p; ++i)
        note << (i ? ", " : "") << V(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
      note << ")";
    }
    note << " in log(factor): the observed counts fix only a combination of these parameters; "
            "fix all but one, or add data that separates them";
  }
  if (!r.inside_design)
    note << (note.tellp() ? "; " : "")
         << "the best fit lies at the edge of the design: widen --factor-range";
  r.note = note.str();
  for (size_t i = 0; i < p; ++i) {
    auto& cp = r.parameters[i];
    const auto I = static_cast<Eigen::Index>(i);
    // Four significant digits: far finer than any standard error a few years
    // of counts allow, and what a person can read in the calibrated file.
    cp.estimate = std::stod(yaml_number_digits(cp.written * std::exp(u(I)), 4));
    // A parameter on a flat direction has no finite standard error.
    bool on_ridge = false;
    for (size_t k = 0; k < p; ++k)
      if (free_dir[k] && std::abs(V(I, static_cast<Eigen::Index>(k))) > 1e-3) on_ridge = true;
    cp.se_log = on_ridge ? std::numeric_limits<double>::infinity() : std::sqrt(cov(I, I));
    cp.se = cp.estimate * cp.se_log;
    // Wald: asymptotically normal on the log scale (no degrees of freedom).
    const double z = critical_value(0.95);
    cp.ci_lo = on_ridge ? 0.0 : cp.estimate * std::exp(-z * cp.se_log);
    cp.ci_hi =
        on_ridge ? std::numeric_limits<double>::infinity() : cp.estimate * std::exp(z * cp.se_log);
  }

  // The scenario at the estimate, re-simulated: the fit reported is that of
  // the values written, not of the surrogate.
  auto settle = [&]() -> bool {
    const auto mu = simulate_per_year(ls, calibrated_overrides(r), cfg, diags, &r.predicted_ci_lo,
                                      &r.predicted_ci_hi);
    if (!mu) return false;
    r.predicted_per_year = *mu;
    r.loglik = poisson_loglik(observed, *mu);
    r.deviance = poisson_deviance(observed, *mu);
    return true;
  };
  if (!settle()) return std::nullopt;
  if (!r.root_found && r.loglik < r.design[best].loglik) {
    // The surrogate misled (a rough or skewed surface): keep the best point.
    for (size_t i = 0; i < p; ++i)
      r.parameters[i].estimate =
          std::stod(yaml_number_digits(r.parameters[i].written * r.design[best].factors[i], 4));
    r.note += std::string(r.note.empty() ? "" : "; ") +
              "the surrogate's maximum fitted worse than the best design point, which is reported";
    if (!settle()) return std::nullopt;
  }
  r.dof = static_cast<int>(observed.size()) - static_cast<int>(p);
  r.holdout_deviance = poisson_deviance(cfg.holdout, r.predicted_per_year);
  fit_posterior(r, cfg);
  if (cfg.simulated_likelihood && !fit_simulated_likelihood(ls, r, cfg, diags)) return std::nullopt;
  return r;
}

std::string write_calibrated_text(const std::string& original, const CalibrationResult& r,
                                  const std::string& provenance, std::string& error) {
  std::vector<std::string> lines;
  {
    std::string cur;
    for (char c : original) {
      cur += c;
      if (c == '\n') {
        lines.push_back(cur);
        cur.clear();
      }
    }
    if (!cur.empty()) lines.push_back(cur);
  }
  // Right to left, bottom to top, so that each replacement leaves the marks of
  // the others valid.
  // The fitted year effect (its posterior median, three digits) goes where the
  // scenario has one, like a fitted parameter; without one, a block is added.
  CalibratedParameter year;
  const bool write_year = r.posterior.year_effect_fitted;
  if (write_year) {
    year.path = kYearEffectPath;
    year.mark = r.year_effect_mark;
    year.written = r.year_effect_written;
    year.estimate = std::stod(yaml_number_digits(r.posterior.year_cv.median, 3));
  }
  std::vector<const CalibratedParameter*> order;
  for (const auto& p : r.parameters) order.push_back(&p);
  if (write_year && r.scenario_year_effect) order.push_back(&year);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return a->mark.line != b->mark.line ? a->mark.line > b->mark.line : a->mark.col > b->mark.col;
  });
  for (const auto* p : order) {
    const size_t li = static_cast<size_t>(p->mark.line - 1);
    const size_t col = static_cast<size_t>(p->mark.col - 1);
    if (p->mark.line < 1 || li >= lines.size() || col >= lines[li].size()) {
      error = p->path + ": its value is not where the loader saw it";
      return {};
    }
    std::string& l = lines[li];
    size_t end = col;
    while (end < l.size() && !std::isspace(static_cast<unsigned char>(l[end])) && l[end] != ',' &&
           l[end] != '}' && l[end] != ']' && l[end] != '#')
      ++end;
    double old = 0;
    if (!parse_double(l.substr(col, end - col), old) || old != p->written) {
      error = p->path + ": line " + std::to_string(p->mark.line) + " does not hold " +
              yaml_number(p->written) + " at column " + std::to_string(p->mark.col);
      return {};
    }
    l.replace(col, end - col, yaml_number(p->estimate));
  }
  std::ostringstream head;
  head << "#\n# Calibrated by pkrisk calibrate (" << provenance << "):\n";
  for (const auto& p : r.parameters)
    head << "#   " << p.path << ": " << yaml_number(p.written) << " -> " << yaml_number(p.estimate)
         << "\n";
  if (write_year)
    head << "#   " << kYearEffectPath << ": "
         << (r.scenario_year_effect ? yaml_number(year.written) : std::string("none")) << " -> "
         << yaml_number(year.estimate) << " (posterior median)\n";
  // After the schema modeline, which editors want on the first line.
  size_t at = 0;
  if (!lines.empty() && lines[0].rfind("# yaml-language-server:", 0) == 0) at = 1;
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), head.str());
  std::string out;
  for (const auto& l : lines) out += l;
  if (write_year && !r.scenario_year_effect) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "year_effect: {cv: " + yaml_number(year.estimate) + "}  # calibrated\n";
  }
  return out;
}

std::string metric_of_column(const std::string& column) {
  if (column == "accident") return "fatalities_by_cause.road_accident";
  if (column == "illness") return "fatalities_by_cause.illness";
  if (column.find("malicious") != std::string::npos) return "fatalities_malicious";
  return "fatalities";
}

}  // namespace pk
