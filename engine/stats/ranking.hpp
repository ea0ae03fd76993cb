// Ranking and selection: which of k systems has the largest mean, with a
// guarantee. The fully sequential procedure KN of Kim & Nelson (2001, ACM
// TOMACS 11:251-273) on observations made with common random numbers:
// every system is observed n0 times, the variances of the pairwise
// differences set a triangular continuation region, and after each further
// replication every system that has fallen below another by more than the
// region allows is eliminated, until one is left or the region closes.
//
// The guarantee: P(the system selected is the best) >= confidence whenever
// the best mean exceeds every other by at least the indifference zone δ
// (observations normal, any correlation between systems). Within δ of the
// best, any choice counts as correct. docs/select.md has the simulation
// study that checks it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pk {

struct RankingSettings {
  double indifference_zone = 1;  // δ > 0, in the observations' units
  double confidence = 0.95;      // 1 − α, in (0, 1)
  int64_t first_stage = 20;      // n0 >= 2: observations of every system before any elimination
};

// "" when the settings can be used with `systems` systems; else why not.
const char* ranking_settings_error(const RankingSettings& s);

// The largest bound() reports (4.6e18): a pair needing more is clamped to it.
inline constexpr int64_t kBoundCap = int64_t{1} << 62;

class KimNelson {
 public:
  KimNelson(size_t systems, const RankingSettings& settings);

  // One replication of every system, the same replication (common random
  // numbers) for all; larger is better. Values of eliminated systems are
  // ignored. Returns done().
  bool observe(const std::vector<double>& x);

  bool done() const { return done_; }
  size_t selected() const { return selected_; }  // meaningful once done()
  bool contending(size_t i) const { return alive_[i]; }
  size_t contenders() const;
  // Replications observed so far (of every contender).
  int64_t replications() const { return r_; }
  // Replications system i received before it was eliminated (or so far).
  int64_t replications_of(size_t i) const { return alive_[i] ? r_ : eliminated_at_[i]; }
  // Mean of system i over its replications_of(i) observations.
  double mean(size_t i) const;
  // The most replications the procedure can still take (max N_il + 1 over
  // the contenders), known once the first stage is in; 0 before.
  int64_t bound() const;
  // The procedure's constants: η and h² = 2η(n0 − 1).
  double eta() const { return eta_; }
  double h2() const { return h2_; }

 private:
  void close_first_stage();
  void screen();
  void finish();
  double s2(size_t i, size_t l) const { return s2_[i * k_ + l]; }

  size_t k_;
  RankingSettings settings_;
  double eta_ = 0, h2_ = 0;
  int64_t r_ = 0;
  bool done_ = false;
  size_t selected_ = 0;
  std::vector<double> sum_;                 // by system
  std::vector<std::vector<double>> first_;  // by system: the first-stage observations
  std::vector<double> s2_;                  // k × k: S²_il of the first stage
  std::vector<int64_t> n_;                  // by system: max over l of N_il
  std::vector<bool> alive_;
  std::vector<int64_t> eliminated_at_;
};

// Screening to the best (Nelson, Swann, Goldsman & Song 2001, Operations
// Research 49:950-963), the first stage of large comparisons: from n0
// observations of every system made with common random numbers (x[i][j],
// system i, replication j; larger is better), keeps system i unless some l
// beats it by more than max(0, t S_il / sqrt(n0) - δ), where S_il is the
// sample sd of their n0 paired differences and t the 1 - α/(k - 1) quantile
// of Student t with n0 - 1 degrees of freedom (Bonferroni over the k - 1
// rivals, which any correlation allows). The guarantee: when the best is at
// least δ ahead of every other, it is kept with probability >= 1 - α.
// Returns the indices kept, in order.
std::vector<size_t> screen_to_the_best(const std::vector<std::vector<double>>& x,
                                       double indifference_zone, double alpha);

}  // namespace pk
