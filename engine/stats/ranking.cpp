#include "stats/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "stats/summary.hpp"

namespace pk {

const char* ranking_settings_error(const RankingSettings& s) {
  if (!(s.indifference_zone > 0) || !std::isfinite(s.indifference_zone))
    return "the indifference zone must be a positive number";
  if (!(s.confidence > 0 && s.confidence < 1)) return "the confidence must be in (0, 1)";
  if (s.first_stage < 2) return "the first stage needs at least 2 replications";
  return "";
}

KimNelson::KimNelson(size_t systems, const RankingSettings& settings)
    : k_(systems),
      settings_(settings),
      sum_(systems, 0.0),
      first_(systems),
      s2_(systems * systems, 0.0),
      n_(systems, 0),
      alive_(systems, true),
      eliminated_at_(systems, 0) {
  if (systems == 0) throw std::invalid_argument("KimNelson: no systems");
  if (*ranking_settings_error(settings))
    throw std::invalid_argument(ranking_settings_error(settings));
  const double alpha = 1 - settings.confidence;
  const double n0 = static_cast<double>(settings.first_stage);
  // η = ½[(2α/(k − 1))^(−2/(n0 − 1)) − 1]: the Bonferroni split of α over the
  // k − 1 rivals of the best, for a Student-type boundary of n0 − 1 degrees.
  if (k_ > 1) eta_ = 0.5 * (std::pow(2 * alpha / static_cast<double>(k_ - 1), -2 / (n0 - 1)) - 1);
  h2_ = 2 * eta_ * (n0 - 1);
  if (k_ == 1) {
    done_ = true;
    selected_ = 0;
  }
}

bool KimNelson::observe(const std::vector<double>& x) {
  if (done_) return true;
  if (x.size() != k_) throw std::invalid_argument("KimNelson::observe: one value per system");
  ++r_;
  for (size_t i = 0; i < k_; ++i) {
    if (!alive_[i]) continue;
    sum_[i] += x[i];
    if (r_ <= settings_.first_stage) first_[i].push_back(x[i]);
  }
  if (r_ < settings_.first_stage) return false;
  if (r_ == settings_.first_stage) {
    close_first_stage();
    if (settings_.first_stage > bound() - 1) return finish(), true;
  } else if (r_ >= bound()) {
    return finish(), true;  // the continuation region has closed
  }
  screen();
  if (contenders() == 1) finish();
  return done_;
}

void KimNelson::close_first_stage() {
  const auto n0 = static_cast<double>(settings_.first_stage);
  const double d2 = settings_.indifference_zone * settings_.indifference_zone;
  for (size_t i = 0; i < k_; ++i)
    for (size_t l = i + 1; l < k_; ++l) {
      const double diff_mean = (sum_[i] - sum_[l]) / n0;
      double ss = 0;
      for (size_t j = 0; j < first_[i].size(); ++j) {
        const double e = first_[i][j] - first_[l][j] - diff_mean;
        ss += e * e;
      }
      const double v = ss / (n0 - 1);
      s2_[i * k_ + l] = s2_[l * k_ + i] = v;
      // (A whole number computed as 197.99999...: a relative 1e-12 keeps it whole.)
      // Clamped below int64's range (a bound that large is a runaway the
      // caller refuses; the cast of a larger double is undefined).
      const auto n = static_cast<int64_t>(
          std::min(std::floor(h2_ * v / d2 * (1 + 1e-12)), static_cast<double>(kBoundCap)));
      n_[i] = std::max(n_[i], n);
      n_[l] = std::max(n_[l], n);
    }
  first_.clear();
  first_.shrink_to_fit();
}

int64_t KimNelson::bound() const {
  if (r_ < settings_.first_stage && !done_) return 0;
  int64_t most = 0;
  for (size_t i = 0; i < k_; ++i)
    if (alive_[i]) most = std::max(most, n_[i]);
  return most + 1;
}

void KimNelson::screen() {
  // i stays when its mean is within W_il of every other contender's, W_il =
  // max{0, (δ/2r)(h² S²_il/δ² − r)}: the half-width of the triangle at r.
  const auto r = static_cast<double>(r_);
  const double delta = settings_.indifference_zone;
  std::vector<bool> keep = alive_;
  for (size_t i = 0; i < k_; ++i) {
    if (!alive_[i]) continue;
    for (size_t l = 0; l < k_ && keep[i]; ++l) {
      if (l == i || !alive_[l]) continue;
      const double w = std::max(0.0, delta / (2 * r) * (h2_ * s2(i, l) / (delta * delta) - r));
      if (sum_[i] / r < sum_[l] / r - w) keep[i] = false;
    }
  }
  for (size_t i = 0; i < k_; ++i)
    if (alive_[i] && !keep[i]) {
      alive_[i] = false;
      eliminated_at_[i] = r_;
    }
}

void KimNelson::finish() {
  done_ = true;
  bool any = false;
  for (size_t i = 0; i < k_; ++i) {
    if (!alive_[i]) continue;
    if (!any || sum_[i] > sum_[selected_]) selected_ = i;  // ties: the first
    any = true;
  }
}

size_t KimNelson::contenders() const {
  return static_cast<size_t>(std::count(alive_.begin(), alive_.end(), true));
}

double KimNelson::mean(size_t i) const {
  const int64_t n = replications_of(i);
  return n > 0 ? sum_[i] / static_cast<double>(n) : 0.0;
}

std::vector<size_t> screen_to_the_best(const std::vector<std::vector<double>>& x,
                                       double indifference_zone, double alpha) {
  const size_t k = x.size();
  if (k < 2) return k ? std::vector<size_t>{0} : std::vector<size_t>{};
  const size_t n = x[0].size();
  const double nn = static_cast<double>(n);
  const double t = critical_value(1 - alpha / static_cast<double>(k - 1), nn - 1, false);
  std::vector<double> mean(k, 0.0);
  for (size_t i = 0; i < k; ++i) {
    for (double v : x[i]) mean[i] += v;
    mean[i] /= nn;
  }
  std::vector<size_t> kept;
  for (size_t i = 0; i < k; ++i) {
    bool keep = true;
    for (size_t l = 0; l < k && keep; ++l) {
      if (l == i || mean[l] <= mean[i]) continue;  // only a better mean can screen i out
      double ss = 0;
      for (size_t j = 0; j < n; ++j) {
        const double d = (x[i][j] - x[l][j]) - (mean[i] - mean[l]);
        ss += d * d;
      }
      const double w = std::max(0.0, t * std::sqrt(ss / (nn - 1) / nn) - indifference_zone);
      keep = mean[i] >= mean[l] - w;
    }
    if (keep) kept.push_back(i);
  }
  return kept;
}

}  // namespace pk
